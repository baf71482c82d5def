-- GET the URL given to wrk; with MF_TOKEN set, as that user ("Authorization: Bearer <token>").
-- Used for the /health baseline, GET /users/me and GET /things?...
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.method = "GET"
local token = os.getenv("MF_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
