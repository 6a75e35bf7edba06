package dev.rankcluster.server.session;

/** A delivery's session closed before the member acknowledged it, or before it could be sent. */
public final class SessionLost extends RuntimeException {

    SessionLost(String why) {
        super(why, null, false, false);
    }
}
