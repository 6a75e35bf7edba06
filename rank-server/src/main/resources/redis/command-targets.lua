-- ARGV: sender id, token hash, target id ('' for every lower rank), pause threshold ms
-- Answers 'targets', epoch, sender rank, sender entry, rank of the first target, target entries...
local sender_id, token_hash, target_id, pause_threshold = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local sender = redis.call('HMGET', member_key(sender_id), 'entry', 'token')
if not sender[1] then
    return { 'gone' }
end
if lease_lapsed(sender_id, now_ms(), pause_threshold) then
    remove_member(sender_id, 'expired')
    return { 'gone' }
end
if sender[2] ~= token_hash then
    return { 'forbidden' }
end
local sender_rank = redis.call('ZRANK', RANKING, sender[1])
local answer = { 'targets', current_epoch(), sender_rank, sender[1] }
if target_id == '' then
    table.insert(answer, sender_rank + 1)
    for _, entry in ipairs(redis.call('ZRANGE', RANKING, sender_rank + 1, -1)) do
        table.insert(answer, entry)
    end
    return answer
end
local target = redis.call('HGET', member_key(target_id), 'entry')
if not target then
    return { 'unknown-target' }
end
local target_rank = redis.call('ZRANK', RANKING, target)
if target_rank <= sender_rank then
    return { 'rank-violation', target_rank, sender_rank }
end
table.insert(answer, target_rank)
table.insert(answer, target)
return answer
