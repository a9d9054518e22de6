-- GET /api/v2/connections/{id} for a random seeded id. Requests are formatted once in init().
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local requests = {}

function init(args)
  seed_random()
  local headers = auth_headers()
  for _, id in ipairs(load_ids()) do
    requests[#requests + 1] = wrk.format("GET", "/api/v2/connections/" .. id, headers)
  end
end

function request()
  return requests[math.random(#requests)]
end
