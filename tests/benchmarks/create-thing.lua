-- POST /things as the user of MF_TOKEN; every request names its thing differently.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local token = os.getenv("MF_TOKEN")
local counter = 0
local prefix = tostring(math.random(1, 1e9))

function request()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, string.format('{"type":"device","name":"wrk-%s-%d","metadata":{"bench":true}}', prefix, counter))
end
