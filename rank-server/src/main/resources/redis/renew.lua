-- ARGV: member id, token hash, lease TTL ms, pause threshold ms
local id, token_hash, ttl, pause_threshold = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
local member = redis.call('HMGET', member_key(id), 'entry', 'token')
if not member[1] then
    return { 'gone' }
end
if lease_lapsed(id, now, pause_threshold) then
    remove_member(id, 'expired')
    return { 'gone' }
end
-- Comparing digests: timing can at most tell how much of a guess's digest matches, which says nothing of the token.
if member[2] ~= token_hash then
    return { 'forbidden' }
end
grant_lease(id, ttl, now)
return { 'renewed', redis.call('ZRANK', RANKING, member[1]), current_epoch() }
