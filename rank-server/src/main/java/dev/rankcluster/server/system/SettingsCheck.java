package dev.rankcluster.server.system;

import dev.rankcluster.model.SettingRules;
import java.util.List;

/**
 * The rank server's settings check at start-up (registered in {@code META-INF/spring.factories}): a bad value
 * stops the server with Boot's failure analysis naming the property, the value and what is allowed; a mistyped
 * {@code rank.*} name is warned about.
 */
public class SettingsCheck extends StartupSettingsCheck {

    public SettingsCheck() {
        super(List.of(SettingRules.of("rank.server", RankServerProperties.class),
                SettingRules.of("rank.cluster", ClusterProperties.class)));
    }
}
