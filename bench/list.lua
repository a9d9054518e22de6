-- GET /api/v2/connections?per_page=50&page=N (plain array) for a random full page of the seeded set.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local requests = {}

function init(args)
  seed_random()
  local headers = auth_headers()
  local pages = math.max(1, math.floor(#load_ids() / 50))
  for page = 0, pages - 1 do
    requests[#requests + 1] = wrk.format("GET", "/api/v2/connections?per_page=50&page=" .. page, headers)
  end
end

function request()
  return requests[math.random(#requests)]
end
