package dev.rankcluster.systemtests;

import java.net.URI;
import java.util.List;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;

/** The rank server under test: its process and the parts of its HTTP API the tests read. */
record RankServer(JavaProcess process, int port, JsonHttp http) {

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Ranking ranking() {
        return http.get(uri("/api/v1/members"), Ranking.class);
    }

    /**
     * The ranking as every server on one store shares it: whether a member is on a session is each server's own
     * view (a member's session is with one server), so it is left out.
     */
    Ranking sharedRanking() {
        Ranking ranking = ranking();
        return new Ranking(ranking.epoch(), ranking.members().stream().map(member -> member.withSession(false)).toList());
    }

    /** Member addresses by rank: index i holds rank i. */
    List<String> addresses() {
        return addressesOf(ranking());
    }

    /** The addresses of {@code ranking} by rank. Fails unless its ranks are exactly 0..n-1. */
    static List<String> addressesOf(Ranking ranking) {
        var members = ranking.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).rank() != i) {
                throw new IllegalStateException("ranks are not dense 0..%d: %s".formatted(members.size() - 1, members));
            }
        }
        return members.stream().map(RankedMember::address).toList();
    }

    boolean isHealthy() {
        try {
            return http.status(uri("/actuator/health")) == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    ServerEvents subscribeToEvents() {
        return ServerEvents.subscribe(http, uri("/api/v1/events"));
    }
}
