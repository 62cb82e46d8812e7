package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private final ClientAddresses trustingLocalProxies = ClientAddresses.trusting(List.of("10.0.0.0/8", "::1"));

    @Test
    void ignoresForwardedForFromAnUntrustedPeer() {
        assertThat(ClientAddresses.trusting(List.of()).clientOf("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
        assertThat(trustingLocalProxies.clientOf("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void takesTheRightMostUntrustedHopBehindTrustedProxies() {
        // The client wrote the left-most entry itself; the proxies appended the rest.
        assertThat(trustingLocalProxies.clientOf("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1"))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void allHopsTrustedGivesTheLeftMost() {
        assertThat(trustingLocalProxies.clientOf("10.0.0.2", "10.1.1.1")).isEqualTo("10.1.1.1");
    }

    @Test
    void aMalformedHopStopsTheWalkAtTheLastTrustedOne() {
        assertThat(trustingLocalProxies.clientOf("10.0.0.2", "evil.example.com")).isEqualTo("10.0.0.2");
        assertThat(trustingLocalProxies.clientOf("10.0.0.2", "198.51.100.7, 1.2.3")).isEqualTo("10.0.0.2");
    }

    @Test
    void ipv6PeersAreNormalised() {
        assertThat(trustingLocalProxies.clientOf("0:0:0:0:0:0:0:1", "2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(trustingLocalProxies.trusts("[::1]")).isTrue();
    }

    @Test
    void ipv6AddressesShareTheBudgetOfTheirSlash64() {
        assertThat(ClientAddresses.budgetKey("2001:db8:0:0:1:2:3:4")).isEqualTo("2001:db8:0:0::/64");
        assertThat(ClientAddresses.budgetKey("2001:db8:0:0:ffff:2:3:4")).isEqualTo("2001:db8:0:0::/64");
        assertThat(ClientAddresses.budgetKey("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void refusesEntriesThatAreNotAddressesOrNetworks() {
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "1.2.3", "::1/129")) {
            assertThatThrownBy(() -> ClientAddresses.trusting(List.of(bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("TRUSTED_PROXIES");
        }
    }
}
