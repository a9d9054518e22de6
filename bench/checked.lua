-- Runs the scenario named by BENCH_SCENARIO (post, patch, get: the files beside this one) and
-- checks every response's status: one more line, BENCH_STATUS, with the count of answers that
-- were not 2xx (wrk's own count only covers status >= 400).
dofile(os.getenv("BENCH_DIR") .. "/" .. os.getenv("BENCH_SCENARIO") .. ".lua")

local threads = {}
local scenario_setup = setup
function setup(thread)
  scenario_setup(thread)
  threads[#threads + 1] = thread
end

not_2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then not_2xx = not_2xx + 1 end
end

local scenario_done = done
function done(summary, latency, requests)
  scenario_done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_2xx") end
  io.write(string.format('BENCH_STATUS {"not_2xx":%d}\n', total))
end
