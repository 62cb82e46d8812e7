package dev.flagsync.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Port helpers: a free port for tests, and a fail-fast check for the fixed ports of bin/run-local. */
public final class Ports {

    /** The lowest port {@link #freeBelowEphemeral()} gives: above every default port of bin/run-local. */
    static final int LOWEST_UNRESERVED = 20_000;

    private Ports() {
    }

    /** A port that is free on 127.0.0.1 right now (another process may still take it before we bind). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ServerException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * A port free on 127.0.0.1 right now and below Linux's ephemeral range (32768-60999), for a
     * server that stops and starts again on the same port: in that range a client connection made
     * meanwhile may be given the port as its own and hold it (TIME-WAIT), so the restart fails.
     * Above bin/run-local's defaults (15432, 16379, 19092, 19093, 8080, 9091), so a run of bin/chaos
     * never takes a port that a bin/run-local started meanwhile needs.
     */
    public static int freeBelowEphemeral() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_UNRESERVED, 32_768);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new ServerException("no free port on 127.0.0.1 between " + LOWEST_UNRESERVED + " and 32767");
    }

    /** Fails with a message naming the port and its use when something already listens on it. */
    public static void requireFree(int port, String usedFor) {
        bindOrFail(port, "port " + port + " (" + usedFor + ") is already in use on 127.0.0.1");
    }

    /** As {@link #requireFree(int, String)}, and the message names the variable that moves the port. */
    public static void requireFree(int port, String usedFor, String variable) {
        bindOrFail(port, "port " + port + " (" + usedFor + ") is already in use on 127.0.0.1;"
                + " stop what listens there, or set " + variable + " to another port");
    }

    private static void bindOrFail(int port, String message) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new ServerException(message, e);
        }
    }
}
