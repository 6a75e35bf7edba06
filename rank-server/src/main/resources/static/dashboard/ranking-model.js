// The ranking as this page knows it, built from `ranking` events. Pure data: the table renders it later,
// at most once per frame, so a burst of events costs one DOM update.
import {describeReason} from './format.js';

export class RankingModel {

    constructor(clock = Date.now) {
        this.clock = clock;
        this.epoch = null;
        /** Entries in rank order. */
        this.members = [];
        this.byId = new Map();
        /** Ids whose row must be redrawn; the table drains it. */
        this.dirty = new Set();
    }

    /**
     * Applies one `ranking` event (always a full ranking) and returns what changed, or null when the
     * event is one this page already has (a replay overlapping what it saw).
     */
    apply(event) {
        const first = this.epoch === null;
        if (!first && event.epoch <= this.epoch && event.reason !== 'snapshot') {
            return null;
        }
        // With the memory store a restarted server counts epochs from 0 again: its snapshot replaces everything.
        const restarted = !first && event.epoch < this.epoch;
        const fresh = first || restarted;
        const now = this.clock();
        const why = event.address && event.reason !== 'snapshot'
            ? ` · ${event.address} ${describeReason(event.reason)}` : '';
        const byId = new Map();
        const members = [];
        let promoted = 0;
        let joinedRank = null;
        for (const member of event.members) {
            let entry = fresh ? undefined : this.byId.get(member.id);
            if (!entry) {
                entry = {
                    id: member.id,
                    address: member.address,
                    rank: member.rank,
                    joinedAt: Date.parse(member.joinedAt),
                    // Before this page saw it, a member may have held its rank for longer: only a lower bound is known.
                    rankSince: now,
                    rankSinceExact: !fresh,
                    change: fresh ? null : {kind: 'joined', text: 'joined', at: now},
                };
                if (!fresh) {
                    joinedRank = member.rank;
                }
                this.dirty.add(entry.id);
            } else if (entry.rank !== member.rank) {
                const up = member.rank < entry.rank;
                entry.change = {kind: up ? 'promoted' : 'demoted', text: `${up ? '↑' : '↓'} from ${entry.rank}${why}`, at: now};
                entry.rank = member.rank;
                entry.rankSince = now;
                entry.rankSinceExact = true;
                promoted += up ? 1 : 0;
                this.dirty.add(entry.id);
            }
            if (entry.address !== member.address) {
                entry.address = member.address;
                this.dirty.add(entry.id);
            }
            byId.set(entry.id, entry);
            members.push(entry);
        }
        const departed = fresh ? 0 : countMissing(this.byId, byId);
        const previousEpoch = this.epoch;
        this.byId = byId;
        this.members = members;
        this.epoch = event.epoch;
        return {
            epoch: event.epoch, reason: event.reason, address: event.address, size: members.length,
            first, restarted, previousEpoch, promoted, departed, joinedRank,
        };
    }
}

function countMissing(before, after) {
    let missing = 0;
    for (const id of before.keys()) {
        if (!after.has(id)) {
            missing++;
        }
    }
    return missing;
}
