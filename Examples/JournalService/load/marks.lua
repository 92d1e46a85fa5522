-- make load: teachers recording marks on the lessons of the last five
-- school days (the seed's marks.txt: token, lesson, subject, student).
-- Run with one connection a thread (-t N -c N), so that each answer
-- belongs to the request just sent: every request's event id is written
-- ("- id") before it goes, every answer after ("status id body"), to
-- marks-<thread>.answers, which journal-load check reads.
local dir = os.getenv("LOAD_RUN")
local pace = tonumber(os.getenv("LOAD_MARK_DELAY_MS") or "45")
local targets = {}
local out, last, count

dofile(os.getenv("LOAD_SCRIPTS") .. "/common.lua")

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  for line in io.lines(dir .. "/marks.txt") do
    local token, lesson, subject, student = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    targets[#targets + 1] = { token, lesson, subject, student }
  end
  out = io.open(dir .. "/marks-" .. tid .. ".answers", "w")
  out:setvbuf("line")
  count = 0
end

local function hex(digits)
  local s = ""
  for _ = 1, digits / 4 do s = s .. string.format("%04x", math.random(0, 65535)) end
  return s
end

-- A random (version 4) UUID: the command's event id, its idempotency key.
local function uuid()
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(4):sub(2) .. "-a" .. hex(4):sub(2) .. "-" .. hex(12)
end

function delay()
  return pace
end

function request()
  count = count + 1
  local t = targets[math.random(#targets)]
  last = uuid()
  out:write("- ", last, "\n")
  local body = string.format(
    '{"eventId":"%s","occurredAt":"%s","markRecorded":{"markId":"W-%d-%d","studentId":"%s","lessonId":"%s",'
      .. '"subjectId":"%s","value":{"numeric":%d},"weight":1,"workKind":"WORK_KIND_CLASSWORK"}}',
    last, os.date("!%Y-%m-%dT%H:%M:%SZ"), tid, count, t[4], t[2], t[3], math.random(2, 5))
  return wrk.format("POST", "/v1/marks",
    { ["Authorization"] = "Bearer " .. t[1], ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  out:write(status, " ", last, " ", (body:gsub("\n", " ")), "\n")
end

done = report("POST /v1/marks")
