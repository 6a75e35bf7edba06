// Keeps one EventSource on the server's events stream. The browser reconnects by itself (sending
// Last-Event-ID, so missed ranking changes are replayed); when it gives up for good, for example after
// an error answer from a proxy, a new stream is opened with a growing delay.

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 10000;

export function followEvents(url, {onRanking, onCommand, onSession, onState}) {
    let retryMs = FIRST_RETRY_MS;

    function open() {
        const source = new EventSource(url);
        source.addEventListener('open', () => {
            retryMs = FIRST_RETRY_MS;
            onState('live');
        });
        source.addEventListener('ranking', event => deliver(onRanking, event));
        source.addEventListener('command', event => deliver(onCommand, event));
        source.addEventListener('session', event => deliver(onSession, event));
        source.addEventListener('error', () => {
            onState('reconnecting');
            if (source.readyState === EventSource.CLOSED) {
                setTimeout(open, retryMs);
                retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
            }
        });
    }

    open();
}

function deliver(handler, event) {
    let data;
    try {
        data = JSON.parse(event.data);
    } catch (malformed) {
        console.warn('Ignoring an event whose data is not JSON', event.type, malformed);
        return;
    }
    handler(data);
}
