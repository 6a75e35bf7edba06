-- ARGV: member id, commands per second. Answers 0 when the command may go, else the ms until one may.
-- A token bucket per member that holds one second's worth and refills continuously on Redis's clock,
-- so the limit holds whichever server a member's commands go through.
local key = 'rank:rate:' .. ARGV[1]
local per_second = tonumber(ARGV[2])
local now = now_ms()
local bucket = redis.call('HMGET', key, 'tokens', 'at')
local tokens = per_second
if bucket[1] then
    tokens = math.min(per_second, tonumber(bucket[1]) + (now - tonumber(bucket[2])) * per_second / 1000)
end
local wait = 0
if tokens >= 1 then
    tokens = tokens - 1
else
    wait = math.ceil((1 - tokens) * 1000 / per_second)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', key, 1000) -- idle for a second, the bucket is full again: nothing left to keep
return { wait }
