// The ranking as this page knows it, built from `ranking` events. Pure data: the table renders it later,
// at most once per frame, so a burst of events costs one DOM update.
import {describeReason} from './format.js';

/** How long a session mark waits for the `ranking` event that lists its member. */
const PENDING_SESSION_MS = 60000;

export class RankingModel {

    constructor(clock = Date.now) {
        this.clock = clock;
        this.epoch = null;
        /** Entries in rank order. */
        this.members = [];
        this.byId = new Map();
        /** Ids whose row must be redrawn; the table drains it. */
        this.dirty = new Set();
        /** `session` events seen so far: a mark records the count when an event set it. */
        this.sessionEvents = 0;
        /** Session marks of members not listed yet, by id: {session, sessionSetBy, at}. */
        this.pendingSessions = new Map();
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
                // A ranking event's mark is as old as its change; a mark that came before the member's row is newer.
                const pending = this.pendingSessions.get(member.id);
                this.pendingSessions.delete(member.id);
                entry = {
                    id: member.id,
                    address: member.address,
                    rank: member.rank,
                    joinedAt: Date.parse(member.joinedAt),
                    // Before this page saw it, a member may have held its rank for longer: only a lower bound is known.
                    rankSince: now,
                    rankSinceExact: !fresh,
                    change: fresh ? null : {kind: 'joined', text: 'joined', at: now},
                    session: pending ? pending.session : member.session === true,
                    sessionSetBy: pending ? pending.sessionSetBy : 0,
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
        for (const [id, pending] of this.pendingSessions) {
            if (now - pending.at > PENDING_SESSION_MS) {
                this.pendingSessions.delete(id);
            }
        }
        return {
            epoch: event.epoch, reason: event.reason, address: event.address, size: members.length,
            first, restarted, previousEpoch, promoted, departed, joinedRank,
        };
    }

    /**
     * Applies one `session` event. Ranking events say who is on a session only as of their change, so once a
     * member is listed its mark follows these events. Returns whether a listed member's mark changed.
     */
    applySession(event) {
        this.sessionEvents++;
        return this.mark(event.memberId, event.open, this.sessionEvents);
    }

    /**
     * Takes the marks of a `GET api/v1/members` answer, asked for when `asOf` session events had been seen: the
     * events stream does not replay the session events it missed while it was down. A later event's mark stays.
     */
    applySessionsRead(ranking, asOf) {
        let changed = false;
        for (const member of ranking.members) {
            const known = this.byId.get(member.id) ?? this.pendingSessions.get(member.id);
            if (!known || known.sessionSetBy <= asOf) {
                changed = this.mark(member.id, member.session === true, asOf) || changed;
            }
        }
        return changed;
    }

    /** Sets a member's mark, as new as `setBy` session events. */
    mark(id, session, setBy) {
        const entry = this.byId.get(id);
        if (!entry) {
            // Its `ranking` event may still be on the way: the mark waits for the row.
            this.pendingSessions.set(id, {session, sessionSetBy: setBy, at: this.clock()});
            return false;
        }
        entry.sessionSetBy = setBy;
        if (entry.session === session) {
            return false;
        }
        entry.session = session;
        this.dirty.add(id);
        return true;
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
