package dev.rankcluster.server.session;

import dev.rankcluster.model.SessionProtocol;
import java.util.Locale;

/** Why a session ended: what the close code, the {@code session} event and the metrics say. */
public enum CloseCause {
    /** The member unregistered. */
    LEFT(SessionProtocol.LEFT),
    /** This server is shutting down. */
    SHUTDOWN(SessionProtocol.SHUTDOWN),
    /** An operator dropped it; the member is probed like one whose connection broke. */
    OPERATOR(SessionProtocol.DROPPED_BY_OPERATOR),
    INVALID_FRAME(SessionProtocol.INVALID_FRAME),
    /** A newer session or registration took over. */
    REPLACED(SessionProtocol.REPLACED),
    /** The member is no longer registered. */
    GONE(SessionProtocol.GONE),
    /** The connection broke, or the member closed it, without unregistering. */
    DROPPED(1006);

    private final int code;

    CloseCause(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the member may be dead: its address is probed. */
    boolean needsProbe() {
        return this == DROPPED || this == OPERATOR;
    }
}
