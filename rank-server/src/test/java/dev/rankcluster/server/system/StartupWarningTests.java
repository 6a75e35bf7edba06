package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class StartupWarningTests {

    static RankServerProperties serverProperties() {
        return new RankServerProperties(10_000, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofMillis(500), 512, 3, 5,
                false, "admin", RankServerProperties.Store.MEMORY, java.time.Duration.ofMillis(500));
    }

    @Test
    void start_withoutClusterToken_warnsThatTheClusterRunsOpen(CapturedOutput output) {
        new SystemConfiguration(new ClusterProperties(null), serverProperties()).warnAboutOpenAccess();

        assertThat(output).contains("WARN").contains("the cluster runs open");
    }

    @Test
    void start_withClusterToken_noWarningAndNoToken(CapturedOutput output) {
        new SystemConfiguration(new ClusterProperties("very-secret"), serverProperties()).warnAboutOpenAccess();

        assertThat(output).doesNotContain("runs open").doesNotContain("very-secret");
    }
}
