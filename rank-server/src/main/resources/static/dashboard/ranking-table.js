// Draws the RankingModel as table rows keyed by member id: a member keeps its <tr> for life, rows are
// moved rather than rebuilt, and only rows whose member changed are rewritten.
import {formatAge} from './format.js';

const HIGHLIGHT_MS = 2500;

export class RankingTable {

    constructor(tbody, emptyNote) {
        this.tbody = tbody;
        this.emptyNote = emptyNote;
        this.rows = new Map();
    }

    render(model, now) {
        for (const [id, row] of this.rows) {
            if (!model.byId.has(id)) {
                row.tr.remove();
                this.rows.delete(id);
            }
        }
        // Walk the wanted order once; a row already in place costs nothing, others move in front of the cursor.
        let cursor = this.tbody.firstElementChild;
        for (const entry of model.members) {
            let row = this.rows.get(entry.id);
            if (!row) {
                row = createRow(entry);
                this.rows.set(entry.id, row);
            }
            if (row.tr === cursor) {
                cursor = cursor.nextElementSibling;
            } else {
                this.tbody.insertBefore(row.tr, cursor);
            }
            if (model.dirty.has(entry.id)) {
                fill(row, entry, now);
            }
        }
        model.dirty.clear();
        this.emptyNote.hidden = model.members.length > 0;
    }

    /** Advances the age columns; called about once a second. */
    tick(now) {
        for (const row of this.rows.values()) {
            updateAges(row, now);
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
    const change = cell(tr, 'td', 'change');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'remove';
    button.dataset.remove = entry.id;
    button.textContent = 'Remove';
    cell(tr, 'td', 'action').append(button);
    return {tr, rank, address, joined, held, change, button, entry, shownChangeAt: null, joinedText: '', heldText: ''};
}

function cell(tr, tag, className) {
    const element = document.createElement(tag);
    element.className = className;
    tr.append(element);
    return element;
}

function fill(row, entry, now) {
    row.entry = entry;
    row.rank.textContent = entry.rank;
    row.address.textContent = entry.address;
    row.button.setAttribute('aria-label', `Remove ${entry.address}`);
    row.tr.dataset.rank = entry.rank;
    const change = entry.change;
    row.change.textContent = change ? change.text : '';
    row.change.dataset.kind = change ? change.kind : '';
    if (change && change.at !== row.shownChangeAt && now - change.at < HIGHLIGHT_MS) {
        row.shownChangeAt = change.at;
        // The Web Animations API restarts cleanly on every change, without forcing a layout per row.
        row.tr.animate([{backgroundColor: flashColor(change.kind)}, {backgroundColor: 'transparent'}],
            {duration: HIGHLIGHT_MS, easing: 'ease-out'});
    }
    updateAges(row, now);
}

const flashColors = new Map();

function flashColor(kind) {
    if (!flashColors.has(kind)) {
        const color = getComputedStyle(document.documentElement).getPropertyValue(`--flash-${kind}`).trim();
        flashColors.set(kind, color || 'transparent');
    }
    return flashColors.get(kind);
}

function updateAges(row, now) {
    const entry = row.entry;
    const joinedText = formatAge(now - entry.joinedAt);
    if (joinedText !== row.joinedText) {
        row.joinedText = joinedText;
        row.joined.textContent = joinedText;
    }
    const heldText = (entry.rankSinceExact ? '' : '≥ ') + formatAge(now - entry.rankSince);
    if (heldText !== row.heldText) {
        row.heldText = heldText;
        row.held.textContent = heldText;
    }
}
