-- Deletes one Grid stream's frames and metadata at once (docs/redis.md). Runs atomically, so an append either lands
-- wholly before (and is deleted) or wholly after (and starts a new stream at sequence 0).
-- KEYS[1]  grid:{s:<tenant>:<stream>}:frames
-- KEYS[2]  grid:{s:<tenant>:<stream>}:meta
-- Returns 1 when the stream existed, else 0.
local existed = redis.call('EXISTS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return existed
