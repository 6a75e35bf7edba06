package dev.rankcluster.model;

import java.util.Locale;

/** Why the ranking changed; the lower-case name is what events and logs show. */
public enum ChangeReason {
    SNAPSHOT, JOINED, LEFT, EXPIRED, UNREACHABLE, REMOVED,
    /** Its session broke and nothing answered at its address: the process is gone. */
    DISCONNECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
