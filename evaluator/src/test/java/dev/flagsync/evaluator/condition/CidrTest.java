package dev.flagsync.evaluator.condition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.255.1.2, true",
            "10.0.0.0/8, 11.0.0.1, false",
            "192.168.16.0/20, 192.168.31.255, true",
            "192.168.16.0/20, 192.168.32.0, false",
            "192.168.1.77/24, 192.168.1.1, true",
            "0.0.0.0/0, 8.8.8.8, true",
            "127.0.0.1, 127.0.0.1, true",
            "127.0.0.1, 127.0.0.2, false",
            "2001:db8::/32, 2001:db8:0:1::42, true",
            "2001:db8::/32, 2001:db9::1, false",
            "2001:db8::1, 2001:0db8:0000:0000:0000:0000:0000:0001, true",
            "::/0, ::1, true",
            "::ffff:10.0.0.0/104, ::ffff:10.1.2.3, true",
            "10.0.0.0/8, ::ffff:10.1.2.3, false",
            "::ffff:10.0.0.0/104, 10.1.2.3, false",
            "fe80::/10, FE80::1, true",
    })
    void containsAddressesOfItsNetworkOnly(String network, String address, boolean contained) {
        assertThat(Cidr.parse(network).contains(IpAddress.parse(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.invalid", "bad::cidr", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/33",
            "::/129", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1::2:", "12345::", "1.2.3.4::", "::1%eth0", "",
            "10.0.0.0/", "10.0.0.0/-1", "localhost", "١.٢.٣.٤"})
    void refusesWhatIsNotAnAddressOrNetwork(String text) {
        assertThat(Cidr.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "::ffff:1.2.3.4", "64:ff9b::192.0.2.33"})
    void readsIpv6TextForms(String text) {
        assertThat(IpAddress.parse(text)).hasSize(16);
    }
}
