-- ARGV: member id, 'delivered' or 'failed', max consecutive failed deliveries
local id, outcome, max_failed = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('EXISTS', member_key(id)) == 0 then
    return 0
end
if outcome == 'delivered' then
    redis.call('HSET', member_key(id), 'failed', 0)
elseif redis.call('HINCRBY', member_key(id), 'failed', 1) >= max_failed then
    remove_member(id, 'unreachable')
end
return 0
