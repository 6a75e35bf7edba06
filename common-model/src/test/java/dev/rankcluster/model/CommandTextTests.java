package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTextTests {

    @ParameterizedTest
    @ValueSource(strings = {"a", "flush-cache", "restart now", "café ☕", "日本語"})
    void problemWith_printableCommand_none(String command) {
        assertThat(CommandText.problemWith(command)).isEmpty();
    }

    @Test
    void problemWith_exactly256Characters_none() {
        assertThat(CommandText.problemWith("x".repeat(256))).isEmpty();
        assertThat(CommandText.problemWith("☕".repeat(256))).isEmpty();
    }

    @Test
    void problemWith_257Characters_tooLong() {
        assertThat(CommandText.problemWith("x".repeat(257))).hasValueSatisfying(
                detail -> assertThat(detail).contains("at most 256").contains("257"));
    }

    @Test
    void problemWith_nullOrEmpty_none() {
        assertThat(CommandText.problemWith(null)).isPresent();
        assertThat(CommandText.problemWith("")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "tab\there", "nul\u0000", "bell\u0007", "del\u007f", "zw\u200b", "ls\u2028"})
    void problemWith_controlOrInvisibleCharacter_refused(String command) {
        assertThat(CommandText.problemWith(command)).hasValueSatisfying(
                detail -> assertThat(detail).contains("printable"));
    }
}
