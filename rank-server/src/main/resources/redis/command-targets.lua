-- ARGV: sender id, token hash, target id ('' for every lower rank), pause threshold ms
-- Answers 'targets', epoch, sender rank, sender entry, rank of the first target, then each target's entry and
-- delivery key (hex)
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
        table.insert(answer, redis.call('HGET', member_key(entry_id(entry)), 'key'))
    end
    return answer
end
local target = redis.call('HMGET', member_key(target_id), 'entry', 'key')
if not target[1] then
    return { 'unknown-target' }
end
local target_rank = redis.call('ZRANK', RANKING, target[1])
if target_rank <= sender_rank then
    return { 'rank-violation', target_rank, sender_rank }
end
table.insert(answer, target_rank)
table.insert(answer, target[1])
table.insert(answer, target[2])
return answer
