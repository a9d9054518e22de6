-- PATCH /api/v2/connections/{id} of a random seeded id (bodies rotate, see patch_request in common.lua).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local ids

function init(args)
  seed_random()
  ids = load_ids()
end

function request()
  return patch_request(ids[math.random(#ids)])
end
