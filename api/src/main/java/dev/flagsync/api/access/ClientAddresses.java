package dev.flagsync.api.access;

import dev.flagsync.shared.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's address for rate limits: the TCP peer, or, when the peer is one of
 * TRUSTED_PROXIES, the right-most {@code X-Forwarded-For} entry that is not a trusted proxy
 * itself (entries to its left were written by the client and prove nothing).
 */
public final class ClientAddresses {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private static final Logger LOG = LoggerFactory.getLogger(ClientAddresses.class);

    private final List<Network> trusted;
    private final AtomicBoolean warnedAboutProxy = new AtomicBoolean();

    private ClientAddresses(List<Network> trusted) {
        this.trusted = trusted;
    }

    /** From TRUSTED_PROXIES entries: addresses ({@code 10.0.0.7}, {@code ::1}) or networks ({@code 10.0.0.0/8}). */
    public static ClientAddresses trusting(List<String> proxies) {
        List<Network> networks = new ArrayList<>();
        for (String entry : proxies) {
            networks.add(Network.parse(entry).orElseThrow(() -> new ConfigException(
                    "TRUSTED_PROXIES must be a comma list of IP addresses or CIDR networks such as 10.0.0.0/8")));
        }
        return new ClientAddresses(List.copyOf(networks));
    }

    /** True when X-Forwarded-For from this peer is believed. */
    public boolean trusts(String peer) {
        return parse(peer).map(this::trusted).orElse(false);
    }

    /** The client address as a normalised string (IPv6 in full form), or the peer as given if it does not parse. */
    public String clientOf(String peer, String forwardedFor) {
        Optional<InetAddress> hop = parse(peer);
        if (hop.isEmpty()) {
            return peer;
        }
        if (forwardedFor == null) {
            return hop.get().getHostAddress();
        }
        if (!trusted(hop.get())) {
            if (warnedAboutProxy.compareAndSet(false, true)) {
                // Once: behind a proxy every client would otherwise share the proxy's budgets unnoticed.
                LOG.warn("X-Forwarded-For from {} is ignored since TRUSTED_PROXIES does not list it: if it is your"
                        + " proxy, every client behind it shares its rate-limit budgets", hop.get().getHostAddress());
            }
            return hop.get().getHostAddress();
        }
        String[] entries = forwardedFor.split(",");
        for (int i = entries.length - 1; i >= 0; i--) {
            Optional<InetAddress> previous = parse(entries[i].trim());
            if (previous.isEmpty()) {
                break; // a malformed entry: keep the last hop we can trust
            }
            hop = previous;
            if (!trusted(hop.get())) {
                break;
            }
        }
        return hop.get().getHostAddress();
    }

    /**
     * The key an address is limited under: an IPv4 address as it is, an IPv6 address by its /64,
     * since one subscriber usually holds a whole /64 and could otherwise rotate through it.
     */
    static String budgetKey(String address) {
        Optional<InetAddress> parsed = parse(address);
        if (parsed.isEmpty() || parsed.get().getAddress().length == 4) {
            return address;
        }
        byte[] bytes = parsed.get().getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    private boolean trusted(InetAddress address) {
        return trusted.stream().anyMatch(network -> network.contains(address));
    }

    /** An IP literal, never a host name: parsing must not cause a DNS lookup. */
    static Optional<InetAddress> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String value = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean v4 = IPV4.matcher(value).matches();
        if (!v4 && !(value.indexOf(':') >= 0 && IPV6.matcher(value).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(value));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Network(byte[] prefix, int bits) {

        static Optional<Network> parse(String entry) {
            String[] parts = entry.split("/", -1);
            if (parts.length > 2) {
                return Optional.empty();
            }
            Optional<InetAddress> address = ClientAddresses.parse(parts[0]);
            if (address.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = address.get().getAddress();
            int bits = bytes.length * 8;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Network(bytes, bits));
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
