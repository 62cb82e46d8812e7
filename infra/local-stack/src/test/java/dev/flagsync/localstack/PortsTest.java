package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.RepeatedTest;

class PortsTest {

    @RepeatedTest(20)
    void freeBelowEphemeralIsAFreePortBetweenRunLocalsDefaultsAndTheEphemeralRange() throws IOException {
        int port = Ports.freeBelowEphemeral();

        assertThat(port).isBetween(20_000, 32_767);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
