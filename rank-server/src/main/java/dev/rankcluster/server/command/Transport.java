package dev.rankcluster.server.command;

import java.util.Locale;

/** How a delivery reached (or failed to reach) its member. */
public enum Transport {
    /** Pushed on the member's session. */
    SESSION,
    /** Posted to the member's {@code /api/v1/commands}. */
    HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
