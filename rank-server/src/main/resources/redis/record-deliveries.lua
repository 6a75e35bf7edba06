-- ARGV: max consecutive failed deliveries, then a member id and 'delivered' or 'failed' for each delivery of a
-- fan-out: all its outcomes in one round trip.
local max_failed = tonumber(ARGV[1])
for i = 2, #ARGV, 2 do
    local id, outcome = ARGV[i], ARGV[i + 1]
    if redis.call('EXISTS', member_key(id)) == 1 then
        if outcome == 'delivered' then
            redis.call('HSET', member_key(id), 'failed', 0)
        elseif redis.call('HINCRBY', member_key(id), 'failed', 1) >= max_failed then
            remove_member(id, 'unreachable')
        end
    end
end
return 0
