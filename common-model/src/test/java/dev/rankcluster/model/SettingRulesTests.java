package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingRulesTests {

    enum Store { MEMORY, REDIS }

    record Example(Duration leaseTtl, Store store, boolean trustAdvertisedHost, List<String> commands) {
    }

    final SettingRules rules = SettingRules.of("rank.example", Example.class);
    final List<String> names = rules.settings().stream().map(SettingRules.Setting::name).toList();

    SettingRules.Setting setting(String name) {
        return rules.settings().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void of_record_kebabCaseNames() {
        assertThat(names).containsExactly("rank.example.lease-ttl", "rank.example.store",
                "rank.example.trust-advertised-host", "rank.example.commands");
    }

    @Test
    void problemWith_durationWithoutUnit_asksForOne() {
        assertThat(SettingRules.problemWith(setting("rank.example.lease-ttl"), "10"))
                .hasValue("a duration needs a unit, such as 10s or 10ms (units: ns, us, ms, s, m, h, d)");
        assertThat(SettingRules.problemWith(setting("rank.example.lease-ttl"), "10s")).isEmpty();
        assertThat(SettingRules.problemWith(setting("rank.example.lease-ttl"), "PT10S")).isEmpty();
    }

    @Test
    void problemWith_enumValueNotAllowed_listsTheAllowedOnes() {
        assertThat(SettingRules.problemWith(setting("rank.example.store"), "mongo")).hasValue("allowed values: memory, redis");
        assertThat(SettingRules.problemWith(setting("rank.example.store"), "Redis")).isEmpty();
    }

    @Test
    void isKnown_relaxedAndIndexedForms() {
        assertThat(SettingRules.isKnown("rank.example.lease.ttl", names)).isTrue();
        assertThat(SettingRules.isKnown("rank.example.commands[0]", names)).isTrue();
        assertThat(SettingRules.isKnown("rank.example.lease-tll", names)).isFalse();
    }

    @Test
    void closest_typo_nearestName_farOff_none() {
        assertThat(SettingRules.closest("rank.example.lease-tll", names)).hasValue("rank.example.lease-ttl");
        assertThat(SettingRules.closest("rank.example.something-else", names)).isEmpty();
    }
}
