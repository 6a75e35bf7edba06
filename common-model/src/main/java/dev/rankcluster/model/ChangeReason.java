package dev.rankcluster.model;

import java.util.Locale;

/** Why the ranking changed; the lower-case name is what events and logs show. */
public enum ChangeReason {
    SNAPSHOT, JOINED, LEFT, EXPIRED, UNREACHABLE, REMOVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
