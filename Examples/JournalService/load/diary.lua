-- make load: parents reading their children's diaries for this week.
-- Each request is a random parent's token and child, from the seed's
-- parents.txt; each connection waits LOAD_DIARY_DELAY_MS between requests,
-- so the connections (-c) set the offered rate.
local dir = os.getenv("LOAD_RUN")
local pace = tonumber(os.getenv("LOAD_DIARY_DELAY_MS") or "20")
local parents = {}
local from, to

dofile(os.getenv("LOAD_SCRIPTS") .. "/common.lua")

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

done = report("GET /v1/students/{student}/diary")
