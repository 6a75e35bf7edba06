// A short list of the latest ranking changes and why they happened, newest first.
import {describeReason, formatClock, plural} from './format.js';

export class ChangeLog {

    constructor(list, limit = 8) {
        this.list = list;
        this.limit = limit;
        this.pending = [];
    }

    /** Queues the summary that RankingModel.apply returned. */
    add(change, now) {
        this.pending.push({text: describe(change), kind: kindOf(change), at: now, epoch: change.epoch});
        if (this.pending.length > this.limit) {
            this.pending.shift();
        }
    }

    /** Notes something that is not a ranking change, such as the stream dropping. */
    note(text, kind, now) {
        this.pending.push({text, kind, at: now, epoch: null});
        if (this.pending.length > this.limit) {
            this.pending.shift();
        }
    }

    /**
     * Notes a session that closed unexpectedly (the connection broke, an admin dropped it, a bad frame) and
     * returns whether it did: a member leaving, replaced or removed closes its session too, which says nothing new.
     */
    session(event, now) {
        const text = sessionCloses.get(event.cause);
        if (event.open || !text) {
            return false;
        }
        this.note(`${event.address} ${text}`, 'session', now);
        return true;
    }

    render() {
        for (const {text, kind, at, epoch} of this.pending) {
            const item = document.createElement('li');
            item.dataset.kind = kind;
            const when = document.createElement('time');
            when.dateTime = new Date(at).toISOString();
            when.textContent = formatClock(at);
            const label = document.createElement('span');
            label.className = 'epoch';
            label.textContent = epoch === null ? '' : `epoch ${epoch}`;
            const what = document.createElement('span');
            what.className = 'what';
            what.textContent = text;
            item.append(when, label, what);
            this.list.prepend(item);
        }
        this.pending = [];
        while (this.list.childElementCount > this.limit) {
            this.list.lastElementChild.remove();
        }
    }
}

const sessionCloses = new Map([
    ['dropped', 'lost its session'],
    ['operator', 'session dropped by admin'],
    ['invalid-frame', 'session closed: invalid frame'],
]);

function describe(change) {
    if (change.first) {
        return `connected: ${plural(change.size, 'member')}`;
    }
    if (change.restarted) {
        return `server restarted (epoch went back from ${change.previousEpoch}): fresh snapshot, ${plural(change.size, 'member')}`;
    }
    if (change.reason === 'snapshot') {
        return `resynchronised after reconnecting: ${plural(change.size, 'member')}`;
    }
    if (change.reason === 'joined') {
        return `${change.address} joined at rank ${change.joinedRank ?? change.size - 1}`;
    }
    const promoted = change.promoted > 0 ? ` · ${plural(change.promoted, 'member')} promoted` : '';
    return `${change.address} ${describeReason(change.reason)}${promoted}`;
}

function kindOf(change) {
    if (change.first || change.restarted || change.reason === 'snapshot') {
        return 'snapshot';
    }
    return change.reason;
}
