-- ARGV: address, id for a new member, token hash, lease TTL ms, max members, joinedAt ms, pause threshold ms,
--       delivery key (hex)
local address, new_id, token_hash, delivery_key = ARGV[1], ARGV[2], ARGV[3], ARGV[8]
local ttl, max_members, joined_at, pause_threshold = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local now = now_ms()

local existing = redis.call('HGET', ADDRESSES, address)
if existing then
    if not lease_lapsed(existing, now, pause_threshold) then
        -- The latest registrant of an address owns its lease: the old token and delivery key stop working.
        redis.call('HSET', member_key(existing), 'token', token_hash, 'key', delivery_key)
        grant_lease(existing, ttl, now)
        local entry = redis.call('HGET', member_key(existing), 'entry')
        return { 'renewed', existing, redis.call('ZRANK', RANKING, entry), current_epoch() }
    end
    remove_member(existing, 'expired')
end
if redis.call('ZCARD', RANKING) >= max_members then
    return { 'full' }
end
local sequence = redis.call('INCR', SEQUENCE)
local entry = new_id .. ' ' .. joined_at .. ' ' .. address
redis.call('HSET', member_key(new_id), 'entry', entry, 'address', address, 'joinedAt', joined_at,
        'sequence', sequence, 'token', token_hash, 'key', delivery_key, 'failed', 0)
redis.call('HSET', ADDRESSES, address, new_id)
redis.call('ZADD', RANKING, sequence, entry)
grant_lease(new_id, ttl, now)
local epoch = record_change('joined', sequence, new_id, joined_at, address)
return { 'created', new_id, redis.call('ZRANK', RANKING, entry), epoch }
