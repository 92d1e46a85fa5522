-- make load: parents reading their children's diaries for this week.
-- Each request is a random parent's token and child, from the seed's
-- parents.txt; each connection waits LOAD_DIARY_DELAY_MS between requests,
-- so the connections (-c) set the offered rate.
local dir = os.getenv("LOAD_RUN")
local pace = tonumber(os.getenv("LOAD_DIARY_DELAY_MS") or "20")
local parents = {}
local from, to

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  for line in io.lines(dir .. "/parents.txt") do
    local token, student = line:match("^(%S+) (%S+)$")
    parents[#parents + 1] = { token, student }
  end
  local week = io.open(dir .. "/week.txt"):read("*l")
  from, to = week:match("^(%S+) (%S+)$")
end

function delay()
  return pace
end

function request()
  local p = parents[math.random(#parents)]
  return wrk.format("GET", "/v1/students/" .. p[2] .. "/diary?from=" .. from .. "&to=" .. to,
    { ["Authorization"] = "Bearer " .. p[1] })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "route GET /v1/students/{student}/diary: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, non-2xx %d, socket errors %d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
