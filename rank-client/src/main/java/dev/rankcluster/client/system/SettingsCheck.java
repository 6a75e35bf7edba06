package dev.rankcluster.client.system;

import dev.rankcluster.model.SettingRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The rank client's settings check at start-up (registered in {@code META-INF/spring.factories}): a bad value
 * stops the client with Boot's failure analysis naming the property, the value and what is allowed; a mistyped
 * {@code rank.*} name is warned about. Plain code, no Bean Validation: see {@link RankClientProperties}.
 */
public class SettingsCheck extends StartupSettingsCheck {

    static final String SERVER_URL = "rank.client.server-url";

    public SettingsCheck() {
        super(List.of(SettingRules.of("rank.client", RankClientProperties.class),
                SettingRules.of("rank.cluster", ClusterProperties.class)));
    }

    /** A bad server URL would otherwise only show when the first call fails, or never. */
    @Override
    void checkMore(ConfigurableEnvironment environment) {
        checkPort(environment, "rank.client.advertised-port");
        rawValue(environment, SERVER_URL).ifPresent(value -> {
            for (String url : value.split(",")) {
                if (!isServerUrl(url.strip())) {
                    throw new InvalidConfigurationPropertyValueException(SERVER_URL, value, ("'%s' is not a server "
                            + "URL: each needs http or https, a host and, if any, a port from 1 to 65535, such as "
                            + "http://localhost:8080 (several: comma-separated)").formatted(url.strip()));
                }
            }
        });
    }

    static boolean isServerUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
