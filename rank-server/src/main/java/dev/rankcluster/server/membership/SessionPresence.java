package dev.rankcluster.server.membership;

/** Whether a member is on a session with this server: what listings and events show beside its rank. */
public interface SessionPresence {

    boolean isOnSession(String memberId);
}
