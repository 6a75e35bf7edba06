-- ARGV: lease TTL ms, pause threshold ms, most members to look at in one sweep
-- Answers epoch and history, how many leases got a fresh TTL, and the gap in the sweeps that made it (-1: no sweep before).
-- Removal is decided here, atomically: only a member that is still there and whose lease key is really gone,
-- so concurrent sweeps by several servers remove each member once.
local ttl, pause_threshold, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local running = sweeps_running(now, pause_threshold)
local swept = redis.call('GET', SWEPT_AT)
redis.call('SET', SWEPT_AT, now)
if not running then
    -- No server swept for a while, so no member could renew either: one fresh TTL for every lease,
    -- as a single server gives after its own pause. Only members that really stopped heartbeating lapse later.
    local renewed = 0
    for _, entry in ipairs(redis.call('ZRANGE', RANKING, 0, -1)) do
        grant_lease(string.match(entry, '^%S+'), ttl, now)
        renewed = renewed + 1
    end
    return { current_epoch(), current_history(), renewed, swept and now - tonumber(swept) or -1 }
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, limit)) do
    local left = redis.call('PTTL', lease_key(id))
    if left >= 0 then
        redis.call('ZADD', DEADLINES, now + math.max(left, 1), id)
    elseif redis.call('EXISTS', member_key(id)) == 1 then
        remove_member(id, 'expired')
    else
        redis.call('ZREM', DEADLINES, id)
    end
end
return { current_epoch(), current_history(), 0, 0 }
