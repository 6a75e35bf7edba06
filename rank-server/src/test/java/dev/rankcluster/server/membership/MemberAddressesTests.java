package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.model.RegistrationRequest;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MemberAddressesTests {

    static MemberAddresses addresses(boolean trustAdvertisedHost) {
        return new MemberAddresses(new RankServerProperties(10, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofMillis(500), 512, 3, 5,
                trustAdvertisedHost, null, RankServerProperties.Store.MEMORY, java.time.Duration.ofMillis(500)));
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1:8081",
            "0:0:0:0:0:0:0:1, [::1]:8081",
            "fe80:0:0:0:0:0:0:1%eth0, [fe80::1]:8081",
            "2001:db8:0:0:1:0:0:1, [2001:db8::1:0:0:1]:8081",
            "::ffff:10.0.0.7, 10.0.0.7:8081"})
    void addressOf_remoteIp_ipAndDeclaredPort(String remoteIp, String expected) {
        assertThat(addresses(false).addressOf(RegistrationRequest.forPort(8081), remoteIp)).isEqualTo(expected);
    }

    @Test
    void addressOf_advertisedHostNotTrusted_ignored() {
        assertThat(addresses(false).addressOf(new RegistrationRequest(8081, "client-7"), "10.0.0.2"))
                .isEqualTo("10.0.0.2:8081");
    }

    @Test
    void addressOf_advertisedHostTrusted_used() {
        assertThat(addresses(true).addressOf(new RegistrationRequest(8081, "Client-7.local"), "10.0.0.2"))
                .isEqualTo("client-7.local:8081");
        assertThat(addresses(true).addressOf(new RegistrationRequest(8081, "[::1]"), "10.0.0.2")).isEqualTo("[::1]:8081");
    }

    @Test
    void addressOf_advertisedHostNotAHost_invalidRequest() {
        assertThatThrownBy(() -> addresses(true).addressOf(new RegistrationRequest(8081, "evil.com/path?x"), "10.0.0.2"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("host must be");
    }
}
