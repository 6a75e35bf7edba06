// The newest commands first, each as sender → the lower ranks it reached, bounded to `limit` entries.
import {formatClock, plural} from './format.js';

const FAILURES_SHOWN = 5;

export class CommandFlow {

    constructor(list, emptyNote, limit = 50) {
        this.list = list;
        this.emptyNote = emptyNote;
        this.limit = limit;
        this.pending = [];
        this.total = 0;
        this.deliveries = 0;
    }

    /** Queues a `command` event; only the newest `limit` can ever be shown, so older queued ones are dropped. */
    add(event, now) {
        this.total++;
        this.deliveries += event.delivered;
        this.pending.push({event, at: now});
        if (this.pending.length > this.limit) {
            this.pending.shift();
        }
    }

    render() {
        if (this.pending.length === 0) {
            return;
        }
        const fragment = document.createDocumentFragment();
        for (let i = this.pending.length - 1; i >= 0; i--) {
            fragment.append(createItem(this.pending[i].event, this.pending[i].at));
        }
        this.pending = [];
        this.list.prepend(fragment);
        while (this.list.childElementCount > this.limit) {
            this.list.lastElementChild.remove();
        }
        this.emptyNote.hidden = true;
    }
}

function createItem(event, at) {
    const failed = event.failed ?? [];
    const item = element('li', 'command');
    item.dataset.commandId = event.commandId;
    item.dataset.targets = event.targets;
    item.dataset.delivered = event.delivered;
    item.dataset.failed = failed.length;

    const route = element('p', 'route');
    route.append(
        element('span', 'sender-rank', `rank ${event.senderRank}`),
        element('span', 'sender', event.senderAddress ?? 'unknown sender'),
        element('span', 'arrow', '→'),
        element('span', 'targets', event.targets === 0 ? 'no lower ranks' : plural(event.targets, 'lower rank')));
    route.querySelector('.arrow').setAttribute('aria-label', 'sent to');
    route.querySelector('.sender-rank').title = "the sender's rank";

    const outcome = element('p', 'outcome');
    const command = element('code', 'command-text', event.command);
    command.title = event.command;
    outcome.append(command,
        element('span', 'delivered', `${event.delivered} delivered`),
        element('span', failed.length > 0 ? 'failed has-failures' : 'failed', `${failed.length} failed`),
        timeElement(at));

    item.append(route, outcome, deliveryBar(event.targets, event.delivered, failed.length));
    if (failed.length > 0) {
        const list = element('ul', 'failures');
        for (const failure of failed.slice(0, FAILURES_SHOWN)) {
            list.append(element('li', '', `${failure.address}: ${failure.reason}`));
        }
        if (failed.length > FAILURES_SHOWN) {
            list.append(element('li', 'more', `and ${failed.length - FAILURES_SHOWN} more`));
        }
        item.append(list);
    }
    return item;
}

function deliveryBar(targets, delivered, failed) {
    const bar = element('div', 'bar');
    bar.setAttribute('aria-hidden', 'true');
    if (targets > 0) {
        const ok = element('span', 'ok');
        ok.style.width = `${100 * delivered / targets}%`;
        const bad = element('span', 'bad');
        bad.style.width = `${100 * failed / targets}%`;
        bar.append(ok, bad);
    }
    return bar;
}

function timeElement(at) {
    const time = element('time', 'when', formatClock(at));
    time.dateTime = new Date(at).toISOString();
    return time;
}

function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
        node.className = className;
    }
    if (text !== undefined) {
        node.textContent = text;
    }
    return node;
}
