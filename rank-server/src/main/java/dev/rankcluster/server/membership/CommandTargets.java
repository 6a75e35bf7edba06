package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;
import java.util.List;

/** An authenticated sender and the members its command goes to, all read at one epoch. */
public record CommandTargets(RankedMember sender, long epoch, List<RankedMember> targets) {

    public CommandTargets {
        targets = List.copyOf(targets);
    }
}
