-- The whole ranking at one epoch: epoch, history, then entry and join sequence of every member by rank.
local answer = { current_epoch(), current_history() }
for _, value in ipairs(redis.call('ZRANGE', RANKING, 0, -1, 'WITHSCORES')) do
    table.insert(answer, value)
end
return answer
