-- ARGV: lease TTL ms, pause threshold ms, then the member id and token hash of each lease to renew.
-- Answers three values per lease, in the order asked: 'renewed', rank, epoch; or 'gone' or 'forbidden', -1, -1.
-- Each lease is judged as renew.lua judges one, one after the other: a lapsed lease is removed as expired,
-- and the ranks answered after that count without it.
local ttl, pause_threshold = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = now_ms()
local answers = {}
for i = 3, #ARGV, 2 do
    local status, rank, epoch = renew_lease(ARGV[i], ARGV[i + 1], ttl, now, pause_threshold)
    answers[#answers + 1] = status
    answers[#answers + 1] = rank or -1
    answers[#answers + 1] = epoch or -1
end
return answers
