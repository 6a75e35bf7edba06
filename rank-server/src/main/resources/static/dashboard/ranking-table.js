// Draws the RankingModel as table rows keyed by member id: a member keeps its <tr> for life, rows are
// moved rather than rebuilt, and only rows whose member changed are rewritten. Rows in view are rewritten
// at once; the others (a promotion at the top of a thousand members changes them all) catch up when the
// browser is idle, and ticking ages and highlights are kept to rows in view.
import {formatAge} from './format.js';

const HIGHLIGHT_MS = 2500;
const CATCH_UP_WITHIN_MS = 1000;

export class RankingTable {

    constructor(tbody, emptyNote, scroller) {
        this.tbody = tbody;
        this.emptyNote = emptyNote;
        this.rows = new Map();
        this.rowOfTr = new WeakMap();
        this.visible = new Set();
        this.stale = new Set();
        this.catchUpScheduled = false;
        /** Milliseconds since each member was last heard from, as of `at`; null when the server does not say. */
        this.heard = null;
        this.observer = new IntersectionObserver(entries => this.visibilityChanged(entries),
            {root: scroller, rootMargin: '200px 0px'});
    }

    render(model, now) {
        for (const [id, row] of this.rows) {
            if (!model.byId.has(id)) {
                this.observer.unobserve(row.tr);
                this.visible.delete(row);
                this.stale.delete(row);
                row.tr.remove();
                this.rows.delete(id);
            }
        }
        // Walk the wanted order once; a row already in place costs nothing, others move in front of the cursor.
        let cursor = this.tbody.firstElementChild;
        for (const entry of model.members) {
            let row = this.rows.get(entry.id);
            if (!row) {
                // Ages and the highlight follow when the observer first reports the row's visibility.
                row = createRow(entry);
                fill(row);
                this.rows.set(entry.id, row);
                this.rowOfTr.set(row.tr, row);
                this.observer.observe(row.tr);
            } else if (model.dirty.has(entry.id)) {
                row.entry = entry;
                if (this.visible.has(row)) {
                    this.stale.delete(row);
                    fill(row);
                    updateAges(row, now, this.heard);
                    highlight(row, now);
                } else {
                    this.stale.add(row);
                }
            }
            if (row.tr === cursor) {
                cursor = cursor.nextElementSibling;
            } else {
                this.tbody.insertBefore(row.tr, cursor);
            }
        }
        model.dirty.clear();
        this.emptyNote.hidden = model.members.length > 0;
        this.scheduleCatchUp();
    }

    scheduleCatchUp() {
        if (this.stale.size > 0 && !this.catchUpScheduled) {
            this.catchUpScheduled = true;
            requestIdleCallback(deadline => this.catchUp(deadline), {timeout: CATCH_UP_WITHIN_MS});
        }
    }

    catchUp(deadline) {
        this.catchUpScheduled = false;
        const now = Date.now();
        for (const row of this.stale) {
            if (deadline.timeRemaining() < 1 && !deadline.didTimeout) {
                break;
            }
            this.stale.delete(row);
            fill(row);
        }
        this.scheduleCatchUp();
    }

    /** Advances the age columns of the rows in view; called about once a second. */
    tick(now) {
        for (const row of this.visible) {
            updateAges(row, now, this.heard);
        }
    }

    /** Takes the server's "last heard" ages: {members: {id: ms}, leaseTtlMs}, read at `now`. */
    lastHeard(answer, now) {
        this.heard = {ages: answer.members, staleAfter: answer.leaseTtlMs / 3, at: now};
        this.tick(now);
    }

    visibilityChanged(entries) {
        const now = Date.now();
        for (const {target, isIntersecting} of entries) {
            const row = this.rowOfTr.get(target);
            if (!row) {
                continue;
            }
            if (isIntersecting) {
                this.visible.add(row);
                if (this.stale.delete(row)) {
                    fill(row);
                }
                updateAges(row, now, this.heard);
                highlight(row, now);
            } else {
                this.visible.delete(row);
            }
        }
    }
}

function createRow(entry) {
    const tr = document.createElement('tr');
    tr.dataset.memberId = entry.id;
    const rank = cell(tr, 'th', 'num rank');
    rank.scope = 'row';
    const address = cell(tr, 'td', 'address');
    const id = document.createElement('code');
    id.textContent = entry.id;
    id.title = entry.id;
    cell(tr, 'td', 'member-id').append(id);
    const joined = cell(tr, 'td', 'num joined');
    const held = cell(tr, 'td', 'num held');
    const heard = cell(tr, 'td', 'num heard');
    const link = document.createElement('span');
    cell(tr, 'td', 'link').append(link);
    const change = cell(tr, 'td', 'change');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'remove';
    button.dataset.remove = entry.id;
    button.textContent = 'Remove';
    cell(tr, 'td', 'action').append(button);
    return {
        tr, rank, address, joined, held, heard, link, change, button, entry,
        shownChangeAt: null, joinedText: '', heldText: '', heardText: '',
    };
}

function cell(tr, tag, className) {
    const element = document.createElement(tag);
    element.className = className;
    tr.append(element);
    return element;
}

function fill(row) {
    const entry = row.entry;
    setText(row.rank, entry.rank);
    if (setText(row.address, entry.address)) {
        row.button.setAttribute('aria-label', `Remove ${entry.address}`);
    }
    row.tr.classList.toggle('first-rank', entry.rank === 0);
    if (setText(row.link, entry.session ? 'session' : 'HTTP')) {
        // The address cell carries the mark too: a narrow window shows it there instead of the Link column.
        row.link.dataset.session = row.address.dataset.session = String(entry.session);
        row.link.title = row.address.title = entry.session
            ? 'On a session with this server: it renews its lease and takes deliveries on a WebSocket'
            : 'No session with this server: it renews its lease and takes deliveries over HTTP';
    }
    const change = entry.change;
    if (setText(row.change, change ? change.text : '')) {
        row.change.dataset.kind = change ? change.kind : '';
        row.change.title = row.change.textContent;
    }
}

function setText(element, value) {
    const text = String(value);
    if (element.textContent === text) {
        return false;
    }
    element.textContent = text;
    return true;
}

/** Flashes a row whose change is recent and not yet shown; a row scrolled into view soon after still gets it. */
function highlight(row, now) {
    const change = row.entry.change;
    if (change && change.at !== row.shownChangeAt && now - change.at < HIGHLIGHT_MS) {
        row.shownChangeAt = change.at;
        // The Web Animations API restarts cleanly on every change, without forcing a layout per row.
        row.tr.animate([{backgroundColor: flashColor(change.kind)}, {backgroundColor: 'transparent'}],
            {duration: HIGHLIGHT_MS - (now - change.at), easing: 'ease-out'});
    }
}

const flashColors = new Map();

function flashColor(kind) {
    if (!flashColors.has(kind)) {
        const color = getComputedStyle(document.documentElement).getPropertyValue(`--flash-${kind}`).trim();
        flashColors.set(kind, color || 'transparent');
    }
    return flashColors.get(kind);
}

function updateAges(row, now, heard) {
    const entry = row.entry;
    const joinedText = formatAge(now - entry.joinedAt);
    if (joinedText !== row.joinedText) {
        row.joinedText = joinedText;
        row.joined.textContent = joinedText;
    }
    // A rank held since before the page opened has no known start: a dash, not a made-up "≥ 0s".
    const heldText = entry.rankSinceExact ? formatAge(now - entry.rankSince) : '—';
    if (heldText !== row.heldText) {
        row.heldText = heldText;
        row.held.textContent = heldText;
    }
    const age = heard?.ages[entry.id];
    const heardMs = age === undefined ? null : age + (now - heard.at);
    const heardText = heardMs === null ? '' : `${formatAge(heardMs)} ago`;
    if (heardText !== row.heardText) {
        row.heardText = heardText;
        row.heard.textContent = heardText;
    }
    // Amber once a heartbeat is late: a crashed member shows it well before its lease expires.
    const stale = heardMs !== null && heardMs > heard.staleAfter;
    if (row.heard.dataset.stale !== String(stale)) {
        row.heard.dataset.stale = String(stale);
    }
}
