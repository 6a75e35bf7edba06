// Wires the dashboard: events update plain data at once, the DOM follows at most once per animation frame.
import {ChangeLog} from './change-log.js';
import {CommandFlow} from './command-flow.js';
import {followEvents} from './event-stream.js';
import {enableRemoval} from './member-removal.js';
import {RankingModel} from './ranking-model.js';
import {RankingTable} from './ranking-table.js';
import {RateChart} from './rate-chart.js';

const byId = id => document.getElementById(id);

const model = new RankingModel();
const table = new RankingTable(byId('ranking-rows'), byId('no-members'), byId('ranking-scroll'));
const flow = new CommandFlow(byId('command-flow'), byId('no-commands'));
const changes = new ChangeLog(byId('changes'), 6);
const chart = new RateChart(byId('rate-chart'));
const connection = byId('connection');
// A long table costs a layout per render: it is redrawn at most a few times a second, however fast events come.
const LONG_TABLE = 200;
const LONG_TABLE_RENDER_GAP_MS = 250;
let frameRequested = false;
let lastRender = 0;
let wasLive = false;

function scheduleRender() {
    if (frameRequested) {
        return;
    }
    frameRequested = true;
    const wait = model.members.length > LONG_TABLE ? lastRender + LONG_TABLE_RENDER_GAP_MS - performance.now() : 0;
    if (wait > 0) {
        setTimeout(() => requestAnimationFrame(render), wait);
    } else {
        requestAnimationFrame(render);
    }
}

function render() {
    frameRequested = false;
    lastRender = performance.now();
    table.render(model, Date.now());
    flow.render();
    changes.render();
    byId('epoch').textContent = model.epoch ?? '–';
    byId('member-count').textContent = model.epoch === null ? '–' : model.members.length;
    byId('command-count').textContent = flow.total;
}

function showState(state) {
    if (connection.dataset.state === state) {
        return;
    }
    connection.dataset.state = state;
    connection.textContent = state === 'live' ? 'Live' : 'Disconnected — reconnecting…';
    document.body.classList.toggle('offline', state !== 'live');
    byId('offline-banner').hidden = state === 'live';
    if (state === 'live' && wasLive) {
        changes.note('reconnected to the events stream', 'snapshot', Date.now());
    } else if (state !== 'live' && wasLive) {
        changes.note('events stream lost: reconnecting', 'offline', Date.now());
    }
    wasLive ||= state === 'live';
    if (state === 'live') {
        readSessions();
    }
    scheduleRender();
}

// Session events missed while the stream was down are not replayed, and a ranking event says who is on a session
// only as of its change: on every (re)connect the members' current marks are read once.
function readSessions() {
    const asOf = model.sessionEvents;
    fetch('api/v1/members').then(response => response.json()).then(ranking => {
        if (model.applySessionsRead(ranking, asOf)) {
            scheduleRender();
        }
    }).catch(() => {
        // The events stream shows the connection state; the marks follow the session events meanwhile.
    });
}

followEvents('api/v1/events', {
    onRanking(event) {
        const change = model.apply(event);
        if (change) {
            changes.add(change, Date.now());
            scheduleRender();
        }
    },
    onCommand(event) {
        flow.add(event, Date.now());
        chart.addDeliveries(event.delivered);
        scheduleRender();
    },
    onSession(event) {
        const marked = model.applySession(event);
        if (changes.session(event, Date.now()) || marked) {
            scheduleRender();
        }
    },
    onState: showState,
});

enableRemoval({rows: byId('ranking-rows'), tokenInput: byId('admin-token'), message: byId('removal-message')});
byId('operator').addEventListener('submit', event => event.preventDefault());

// Remove buttons only where the server can honour them; "last heard" only where the server knows every heartbeat.
let followLastHeard = false;
fetch('api/v1/dashboard').then(response => response.json()).then(settings => {
    byId('operator').hidden = !settings.adminRemoval;
    document.body.classList.toggle('removal-off', !settings.adminRemoval);
    followLastHeard = settings.lastHeard;
    document.body.classList.toggle('heard-off', !settings.lastHeard);
    readLastHeard();
}).catch(() => document.body.classList.add('removal-off', 'heard-off'));

function readLastHeard() {
    if (!followLastHeard || document.hidden) {
        return;
    }
    fetch('api/v1/dashboard/last-heard').then(response => response.json())
        .then(answer => table.lastHeard(answer, Date.now()))
        .catch(() => {
            // The events stream shows the connection state; the next read will tell.
        });
}
setInterval(readLastHeard, 2000);

setInterval(() => {
    const now = Date.now();
    chart.sample(now, model.members.length);
    if (!document.hidden) {
        table.tick(now);
        chart.draw();
    }
}, 1000);
chart.draw();
