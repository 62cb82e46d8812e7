package dev.flagsync.evaluator.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare address is a network
 * of one. Host bits in the written network are ignored, as Unleash's SDKs ignore them.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixBits;

    private Cidr(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** The network, or null when {@code text} is not an address or address/prefix. */
    public static Cidr parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        byte[] address = IpAddress.parse(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            return null;
        }
        int maxBits = address.length * 8;
        if (slash < 0) {
            return new Cidr(address, maxBits);
        }
        String bits = s.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int prefix = Integer.parseInt(bits);
        return prefix > maxBits ? null : new Cidr(address, prefix);
    }

    /** The networks among {@code entries}; each entry that is none is reported to {@code warnings} and skipped. */
    public static List<Cidr> parseAll(List<String> entries, String path, Warnings warnings) {
        List<Cidr> networks = new ArrayList<>();
        for (String entry : entries) {
            Cidr network = parse(entry);
            if (network == null) {
                warnings.warn(path, "\"" + entry + "\" is not an IP address or CIDR network: skipped");
            } else {
                networks.add(network);
            }
        }
        return networks;
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network; families never mix. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int fullBytes = prefixBits / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
}
