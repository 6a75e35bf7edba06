package dev.rankcluster.client.system;

import dev.rankcluster.model.SettingRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks the text of the settings once the environment is ready and logging runs, before any bean binds them. A
 * bad value throws Boot's {@link InvalidConfigurationPropertyValueException}, which Boot's own failure analyzer
 * reports in a few lines ("Invalid value 'mongo' for configuration property 'rank.server.store' … allowed values:
 * memory, redis") instead of a stack trace.
 */
abstract class StartupSettingsCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(StartupSettingsCheck.class);
    private static final ConfigurationPropertyName RANK = ConfigurationPropertyName.of("rank");

    private final List<SettingRules> rules;

    StartupSettingsCheck(List<SettingRules> rules) {
        this.rules = rules;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        warnAboutUnknownNames(environment);
        checkPort(environment, "server.port");
        for (SettingRules settings : rules) {
            for (SettingRules.Setting setting : settings.settings()) {
                rawValue(environment, setting.name()).ifPresent(value -> SettingRules.problemWith(setting, value)
                        .ifPresent(reason -> {
                            throw new InvalidConfigurationPropertyValueException(setting.name(), value, reason);
                        }));
            }
        }
        checkMore(environment);
    }

    /** App-specific checks beyond the rules. */
    void checkMore(ConfigurableEnvironment environment) {
    }

    /** Tomcat would fail on a port out of range with a stack trace. */
    static void checkPort(ConfigurableEnvironment environment, String name) {
        rawValue(environment, name).ifPresent(value -> {
            int port;
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException notANumber) {
                port = Integer.MIN_VALUE;
            }
            if (port < -1 || port > 65535) {
                throw new InvalidConfigurationPropertyValueException(name, value,
                        "a port is a number from 1 to 65535 (0 picks a free port)");
            }
        });
    }

    /** The value as written, from the first property source that has it. */
    static Optional<String> rawValue(ConfigurableEnvironment environment, String name) {
        ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(propertyName);
            if (property != null && property.getValue() != null) {
                return Optional.of(property.getValue().toString());
            }
        }
        return Optional.empty();
    }

    private void warnAboutUnknownNames(ConfigurableEnvironment environment) {
        List<String> known = rules.stream().flatMap(r -> r.settings().stream()).map(SettingRules.Setting::name).toList();
        Set<String> unknown = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(RANK::isAncestorOf).map(ConfigurationPropertyName::toString)
                        .filter(name -> !SettingRules.isKnown(name, known))
                        .forEach(unknown::add);
            }
        }
        for (String name : unknown) {
            log.warn("Unknown property {} is ignored{}", name, SettingRules.closest(name, known)
                    .map(candidate -> "; did you mean " + candidate + "?").orElse(""));
        }
    }
}
