-- ARGV: member id, token hash, lease TTL ms, pause threshold ms
local id, token_hash, ttl, pause_threshold = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
return { renew_lease(id, token_hash, ttl, now_ms(), pause_threshold) }
