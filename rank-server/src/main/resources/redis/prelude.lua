-- Prepended to every membership script: the key layout and the steps the scripts share.
-- Each script runs atomically, so one change of the ranking and its epoch bump are one step.
local RANKING = 'rank:ranking'     -- sorted set of 'id joinedAtMillis address', scored by join sequence
local ADDRESSES = 'rank:addresses' -- hash: address -> member id
local DEADLINES = 'rank:deadlines' -- sorted set of member ids scored by lease deadline: where reapers look
local SEQUENCE = 'rank:sequence'   -- join order counter
local EPOCH = 'rank:epoch'         -- grows by one with every change of the ranking
local HISTORY = 'rank:history'     -- SHA-1 chained over every change: same epoch and history, same ranking
local NO_HISTORY = '-'             -- the history before any change
local SWEPT_AT = 'rank:swept-at'   -- Redis time of the last lease sweep by any server
local CHANGES = 'rank:changes'     -- pub/sub: 'epoch previousHistory history reason sequence id joinedAtMillis address'

local function member_key(id)
    return 'rank:member:' .. id -- hash: entry, address, joinedAt, sequence, token (SHA-256 hex), key, failed
end

local function entry_id(entry)
    return string.match(entry, '^(%S+)') -- an entry is 'id joinedAtMillis address'
end

local function lease_key(id)
    return 'rank:lease:' .. id -- exists while the lease runs: its expiry is the lease
end

local function now_ms()
    local time = redis.call('TIME')
    return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function current_epoch()
    return tonumber(redis.call('GET', EPOCH) or '0')
end

local function current_history()
    return redis.call('GET', HISTORY) or NO_HISTORY
end

local function grant_lease(id, ttl, now)
    redis.call('SET', lease_key(id), '1', 'PX', ttl)
    redis.call('ZADD', DEADLINES, now + ttl, id)
end

-- Leases run on Redis's clock, which goes on while no server can act for the members (every server
-- paused, or Redis unreachable from all of them). A lease is judged lapsed only while some server
-- sweeps; after a gap in the sweeps reap.lua first gives every lease a fresh TTL.
local function sweeps_running(now, pause_threshold)
    local swept = redis.call('GET', SWEPT_AT)
    return swept ~= false and now - tonumber(swept) <= pause_threshold
end

local function lease_lapsed(id, now, pause_threshold)
    return redis.call('EXISTS', lease_key(id)) == 0 and sweeps_running(now, pause_threshold)
end

-- Every change of the ranking: the next epoch, the history extended by the change, and the news to every server.
-- Member ids are never reused, so a Redis that lost changes (emptied, or a replica that lagged took over)
-- reaches the epochs it had again with another history, and the servers' copies see that they are stale.
local function record_change(reason, sequence, id, joined_at, address)
    local epoch = redis.call('INCR', EPOCH)
    local change = table.concat({ epoch, reason, sequence, id, joined_at, address }, ' ')
    local previous = current_history()
    local history = redis.sha1hex(previous .. ' ' .. change)
    redis.call('SET', HISTORY, history)
    redis.call('PUBLISH', CHANGES, table.concat({ epoch, previous, history, reason, sequence, id, joined_at, address }, ' '))
    return epoch
end

local function remove_member(id, reason)
    local member = redis.call('HMGET', member_key(id), 'entry', 'address', 'sequence', 'joinedAt')
    redis.call('ZREM', RANKING, member[1])
    redis.call('HDEL', ADDRESSES, member[2])
    redis.call('DEL', member_key(id), lease_key(id))
    redis.call('ZREM', DEADLINES, id)
    return record_change(reason, member[3], id, member[4], member[2])
end

-- One member's heartbeat: 'gone' (no such member, or its lease lapsed: then it is removed as expired),
-- 'forbidden' (another token holds the lease), else 'renewed' with its rank and the epoch of that rank.
local function renew_lease(id, token_hash, ttl, now, pause_threshold)
    local member = redis.call('HMGET', member_key(id), 'entry', 'token')
    if not member[1] then
        return 'gone'
    end
    if lease_lapsed(id, now, pause_threshold) then
        remove_member(id, 'expired')
        return 'gone'
    end
    -- Comparing digests: timing can at most tell how much of a guess's digest matches, which says nothing of the token.
    if member[2] ~= token_hash then
        return 'forbidden'
    end
    grant_lease(id, ttl, now)
    return 'renewed', redis.call('ZRANK', RANKING, member[1]), current_epoch()
end
