-- Shared by every scenario script (wrk loads a script into each thread's Lua state and into the main one).
-- Environment (set by run.sh): CONNECTIONS_API_TOKEN, BENCH_IDS (one id a line), BENCH_DATA (directory of
-- post_bodies.txt and patch_options.txt), BENCH_RUN (a tag that makes created names unique across runs).

local token = os.getenv("CONNECTIONS_API_TOKEN") or ""

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

function auth_headers(extra)
  local headers = { ["Authorization"] = "Bearer " .. token }
  for k, v in pairs(extra or {}) do headers[k] = v end
  return headers
end

-- wrk gives every thread the same Lua state seed; setup() numbers the threads so that each
-- draws its own ids and makes its own names.
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function seed_random()
  math.randomseed((tid or 0) * 1000003 + os.time())
end

function load_ids()
  return read_lines(os.getenv("BENCH_IDS"))
end

-- PATCH bodies, in turn: a display name, the metadata, and a whole new `options` (as Terraform sends
-- it). Every one changes the stored state, so each is a real durable write.
local patch_options
local patch_count = 0
local json_headers
function patch_request(id)
  if not patch_options then
    patch_options = read_lines(os.getenv("BENCH_DATA") .. "/patch_options.txt")
    json_headers = auth_headers({ ["Content-Type"] = "application/json" })
  end
  patch_count = patch_count + 1
  local tag = tostring(tid or 0) .. "-" .. tostring(patch_count)
  local kind = patch_count % 3
  local body
  if kind == 0 then
    body = '{"display_name":"Acme customers ' .. tag .. '"}'
  elseif kind == 1 then
    body = '{"metadata":{"team":"identity","env":"prod","rev":"' .. tag .. '"}}'
  else
    body = '{"display_name":"Acme ' .. tag .. '","options":' .. patch_options[patch_count % #patch_options + 1] .. '}'
  end
  return wrk.format("PATCH", "/api/v2/connections/" .. id, json_headers, body)
end

-- One machine-readable line for run.sh; latencies in microseconds. `non2xx` is wrk's count of
-- responses with status >= 400 (nothing here answers 3xx).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,' ..
    '"max_us":%.0f,"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
