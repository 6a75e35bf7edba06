package dev.rankcluster.model;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What each app checks in the text of its {@code rank.*} settings before Spring binds them, where binding alone
 * would mislead: a duration without a unit (Spring reads {@code 10} as 10 ms), an enum value not allowed (Spring
 * names the Java constant, not the choices), a mistyped name (Spring ignores it). Plain Java, so that each app's
 * start-up check stays a thin adapter and both apps answer alike.
 */
public final class SettingRules {

    static final String UNITS = "ns, us, ms, s, m, h, d";

    /** One setting: its full kebab-case name and the Java type it binds to. */
    public record Setting(String name, Class<?> type) {
    }

    private final List<Setting> settings;

    private SettingRules(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    /** The settings of a {@code @ConfigurationProperties} record bound under {@code prefix}. */
    public static SettingRules of(String prefix, Class<? extends Record> properties) {
        return new SettingRules(Arrays.stream(properties.getRecordComponents())
                .map(component -> new Setting(prefix + "." + kebabCase(component), component.getType()))
                .toList());
    }

    public List<Setting> settings() {
        return settings;
    }

    /** What is wrong with {@code value} for {@code setting}, as a sentence saying what is allowed; empty if fine. */
    public static Optional<String> problemWith(Setting setting, String value) {
        String text = value.strip();
        if (setting.type() == Duration.class && text.matches("-?\\d+")) {
            return Optional.of("a duration needs a unit, such as %ss or %sms (units: %s)".formatted(text, text, UNITS));
        }
        if (setting.type().isEnum()) {
            List<String> allowed = Arrays.stream(setting.type().getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT)).toList();
            if (allowed.stream().noneMatch(choice -> relaxed(choice).equals(relaxed(text)))) {
                return Optional.of("allowed values: " + String.join(", ", allowed));
            }
        }
        if ((setting.type() == boolean.class || setting.type() == Boolean.class)
                && !text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            return Optional.of("allowed values: true, false");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code name} (as Spring lists it: {@code rank.server.lease-ttl}, {@code rank.server.lease.ttl} from
     * {@code RANK_SERVER_LEASE_TTL}, {@code rank.client.commands[0]}) is one of {@code known}.
     */
    public static boolean isKnown(String name, Collection<String> known) {
        String relaxedName = relaxed(withoutIndex(name));
        return known.stream().anyMatch(k -> relaxed(k).equals(relaxedName));
    }

    /** The known name nearest to a mistyped one, if it is near enough to be what was meant. */
    public static Optional<String> closest(String name, Collection<String> known) {
        String relaxedName = relaxed(withoutIndex(name));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(relaxedName, relaxed(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= 3 ? Optional.of(best) : Optional.empty();
    }

    private static String kebabCase(RecordComponent component) {
        return component.getName().chars().mapToObj(c -> Character.isUpperCase(c)
                        ? "-" + Character.toLowerCase((char) c) : String.valueOf((char) c))
                .collect(Collectors.joining());
    }

    private static String withoutIndex(String name) {
        int bracket = name.indexOf('[');
        return bracket < 0 ? name : name.substring(0, bracket);
    }

    /** Spring's relaxed binding: case, dashes, dots within a name and underscores do not matter. */
    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-._]", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
