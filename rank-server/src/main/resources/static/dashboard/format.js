// Small text helpers shared by the dashboard's views.

/** "7s", "3m 04s", "2h 05m", "3d 04h": short and stable in width while it ticks. */
export function formatAge(millis) {
    const seconds = Math.max(0, Math.floor(millis / 1000));
    if (seconds < 60) {
        return `${seconds}s`;
    }
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
        return `${minutes}m ${pad(seconds % 60)}s`;
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 24) {
        return `${hours}h ${pad(minutes % 60)}m`;
    }
    return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** Wall-clock time of day, e.g. "14:03:27". */
export function formatClock(millis) {
    return new Date(millis).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false});
}

/** How the page words a change reason: the wire names, except that "removed" is always an operator's act. */
export function describeReason(reason) {
    return reason === 'removed' ? 'removed by admin' : reason;
}

export function plural(count, one, many = `${one}s`) {
    return `${count} ${count === 1 ? one : many}`;
}

function pad(value) {
    return String(value).padStart(2, '0');
}
