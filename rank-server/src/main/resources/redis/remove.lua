-- ARGV: member id, 'member' (it leaves, proving its lease), 'operator' (removed by an admin) or 'disconnected'
-- (its session broke and nothing answers at its address; only while the token still holds the lease), token hash,
-- pause threshold ms
local id, by, token_hash, pause_threshold = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local stored_hash = redis.call('HGET', member_key(id), 'token')
if not stored_hash then
    return { 'gone' }
end
if by == 'operator' then
    return { 'removed', remove_member(id, 'removed') }
end
if lease_lapsed(id, now_ms(), pause_threshold) then
    remove_member(id, 'expired')
    return { 'gone' }
end
if stored_hash ~= token_hash then
    return { 'forbidden' }
end
return { 'removed', remove_member(id, by == 'disconnected' and 'disconnected' or 'left') }
