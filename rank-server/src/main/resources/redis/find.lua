-- ARGV: member id. Answers its entry, rank and the epoch, or nothing.
local entry = redis.call('HGET', member_key(ARGV[1]), 'entry')
if not entry then
    return {}
end
return { entry, redis.call('ZRANK', RANKING, entry), current_epoch() }
