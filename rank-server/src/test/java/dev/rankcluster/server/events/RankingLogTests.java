package dev.rankcluster.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.membership.CaffeineMembership;
import dev.rankcluster.server.support.FakeTicker;
import dev.rankcluster.server.support.RecordedEvents;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class RankingLogTests {

    final RecordedEvents events = new RecordedEvents();
    final CaffeineMembership membership = new CaffeineMembership(100, Duration.ofSeconds(10), 3, new FakeTicker(),
            Clock.systemUTC(), events);
    final RankingLog log = new RankingLog();

    @Test
    void log_fewMembers_everyRankOnOneLine(CapturedOutput output) {
        membership.register("10.0.0.1:8080");
        membership.register("[::1]:8081");

        log.log(events.lastRankingChange());

        assertThat(output).contains("Ranking epoch=2 members=2 (joined [::1]:8081): 0=10.0.0.1:8080 1=[::1]:8081\n");
    }

    @Test
    void log_moreThanTwentyMembers_firstTwentyThenHowManyMore(CapturedOutput output) {
        for (int i = 0; i < 25; i++) {
            membership.register("10.0.0.%d:8080".formatted(i));
        }

        log.log(events.lastRankingChange());

        assertThat(output).contains("Ranking epoch=25 members=25 (joined 10.0.0.24:8080): 0=10.0.0.0:8080 1=10.0.0.1:8080 ")
                .contains(" 19=10.0.0.19:8080 … and 5 more\n")
                .doesNotContain("20=10.0.0.20:8080");
    }
}
