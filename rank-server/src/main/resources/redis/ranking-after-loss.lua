-- ARGV: the epoch this server's copy had reached when it found that Redis lost changes (a failover to a replica
-- that lagged, a Redis restarted empty). Moves the epoch past it, so that the epochs watchers see never step back,
-- then answers the whole ranking as ranking.lua does.
local seen = tonumber(ARGV[1])
if current_epoch() <= seen then
    local epoch = seen + 1
    redis.call('SET', EPOCH, epoch)
    redis.call('SET', HISTORY, redis.sha1hex(current_history() .. ' ' .. epoch .. ' lost'))
    redis.call('PUBLISH', CHANGES, 'lost ' .. epoch) -- the other servers read the ranking again at once
end
local answer = { current_epoch(), current_history() }
for _, value in ipairs(redis.call('ZRANGE', RANKING, 0, -1, 'WITHSCORES')) do
    table.insert(answer, value)
end
return answer
