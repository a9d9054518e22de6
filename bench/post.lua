-- POST /api/v2/connections: seeded-style bodies with a name unique to this run, thread and request.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local templates = {}
local headers
local count = 0
local prefix

function init(args)
  seed_random()
  headers = auth_headers({ ["Content-Type"] = "application/json" })
  -- Each template holds the placeholder twice (name and realm); split it once, join per request.
  for _, body in ipairs(read_lines(os.getenv("BENCH_DATA") .. "/post_bodies.txt")) do
    local parts = {}
    local start = 1
    while true do
      local from, to = string.find(body, "NAME_PLACEHOLDER", start, true)
      if not from then break end
      parts[#parts + 1] = string.sub(body, start, from - 1)
      start = to + 1
    end
    parts[#parts + 1] = string.sub(body, start)
    templates[#templates + 1] = parts
  end
  prefix = "w" .. (os.getenv("BENCH_RUN") or "0") .. "t" .. tostring(tid or 0) .. "r" .. tostring(math.random(1000000)) .. "n"
end

function request()
  count = count + 1
  local parts = templates[count % #templates + 1]
  local body = table.concat(parts, prefix .. count)
  return wrk.format("POST", "/api/v2/connections", headers, body)
end
