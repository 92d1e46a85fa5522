-- make load: what diary.lua and marks.lua share (load.sh sets LOAD_SCRIPTS).

-- Numbers wrk's threads 1, 2, ... as `tid` in each thread's own state.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

-- The function wrk calls when the run ends: one line of figures for `route`.
function report(route)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    io.write(string.format(
      "route %s: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, non-2xx %d, socket errors %d\n",
      route, summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  end
end
