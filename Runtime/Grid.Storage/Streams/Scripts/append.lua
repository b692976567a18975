#!lua
-- Appends frames to one Grid stream, atomically (docs/redis.md, "The append script"). The shebang (Redis 7) makes the
-- server refuse the whole call up front when it is over maxmemory, rather than at the script's first write.
-- KEYS[1]  grid:{s:<tenant>:<stream>}:frames   Redis Stream, entry id <seq>-1, fields v (model version), t (Unix ms), f (frame)
-- KEYS[2]  grid:{s:<tenant>:<stream>}:meta     hash: created, updated, frames, bytes, last_seq, width, height, mv:<version>
-- ARGV[1]  now, Unix ms
-- ARGV[2]  channel to publish the highest stored sequence number on; '' publishes nothing
-- ARGV[3..] six per frame: sequence ('' = last + 1, 0 for a new stream), model version, width, height, frame bytes,
--          reference: the sequence the frame was coded against ('' for a self-contained frame)
-- Returns one {status, sequence, a, b} per frame, every element a string:
--   stored              a = model version, b = frame bytes
--   duplicate           a = model version, b = frame bytes of the frame stored earlier under this sequence
--   dimension_mismatch  a = width, b = height of the stream
--   out_of_order        a = the stream's last sequence
--   exhausted           a = the stream's last sequence (no sequence above it is in the accepted range)
--   reference_changed   a = the stream's last sequence ('' for none): an inter frame's reference is no longer the
--                       stream's last frame (another appender stored one meanwhile), so it would not decode; nothing written
--
-- Sequence numbers are compared as decimal strings: Lua numbers are doubles and would round values above 2^53.
-- The client sends canonical decimals (no sign, no leading zeros), so shorter means smaller.

local frames, meta = KEYS[1], KEYS[2]
local now, channel = ARGV[1], ARGV[2]
-- The highest accepted sequence number: 2^53 - 1 (Grid.Contracts.Api.StreamSequences.Max), so last + 1 never overflows.
local MAX_SEQUENCE = '9007199254740991'

local function seq_le(a, b)
  if #a ~= #b then
    return #a < #b
  end
  for i = 1, #a do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return true
end

local function seq_next(s)
  local i = #s
  while i > 0 and string.sub(s, i, i) == '9' do
    i = i - 1
  end
  if i == 0 then
    return '1' .. string.rep('0', #s)
  end
  return string.sub(s, 1, i - 1) .. string.char(string.byte(s, i) + 1) .. string.rep('0', #s - i)
end

local function stored_entry(seq)
  local hit = redis.call('XRANGE', frames, seq .. '-1', seq .. '-1')
  if #hit == 0 then
    return nil
  end
  local fields = hit[1][2]
  local version, frame = '', ''
  for j = 1, #fields, 2 do
    if fields[j] == 'v' then
      version = fields[j + 1]
    elseif fields[j] == 'f' then
      frame = fields[j + 1]
    end
  end
  return { version, tostring(#frame) }
end

local state = redis.call('HMGET', meta, 'last_seq', 'width', 'height')
local last, width, height = state[1], state[2], state[3]
local results = {}
local published = nil

for base = 3, #ARGV, 6 do
  local seq, version, w, h, frame, ref = ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 3], ARGV[base + 4], ARGV[base + 5]
  local result
  if seq == '' then
    if last then
      seq = seq_next(last)
    else
      seq = '0'
    end
  end
  local duplicate = last and seq_le(seq, last) and stored_entry(seq)
  if not seq_le(seq, MAX_SEQUENCE) then
    result = { 'exhausted', last, last, '' }
  elseif duplicate then
    result = { 'duplicate', seq, duplicate[1], duplicate[2] }
  elseif width and (w ~= width or h ~= height) then
    result = { 'dimension_mismatch', seq, width, height }
  elseif last and seq_le(seq, last) then
    result = { 'out_of_order', seq, last, '' }
  elseif ref ~= '' and ref ~= last then
    result = { 'reference_changed', seq, last or '', '' }
  else
    redis.call('XADD', frames, seq .. '-1', 'v', version, 't', now, 'f', frame)
    if not last then
      redis.call('HSET', meta, 'created', now, 'width', w, 'height', h)
      width, height = w, h
    end
    redis.call('HSET', meta, 'updated', now, 'last_seq', seq)
    redis.call('HINCRBY', meta, 'frames', 1)
    redis.call('HINCRBY', meta, 'bytes', #frame)
    redis.call('HINCRBY', meta, 'mv:' .. version, 1)
    last = seq
    published = seq
    result = { 'stored', seq, version, tostring(#frame) }
  end
  results[#results + 1] = result
end

if published and channel ~= '' then
  redis.call('PUBLISH', channel, published)
end
return results
