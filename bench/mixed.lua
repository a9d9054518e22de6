-- 90/10 mix: 90% GET by random id, 10% PATCH of a random id.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local ids
local gets = {}

function init(args)
  seed_random()
  ids = load_ids()
  local headers = auth_headers()
  for _, id in ipairs(ids) do
    gets[#gets + 1] = wrk.format("GET", "/api/v2/connections/" .. id, headers)
  end
end

function request()
  if math.random(10) == 1 then
    return patch_request(ids[math.random(#ids)])
  end
  return gets[math.random(#gets)]
end
