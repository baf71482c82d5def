-- POST /tokens with MF_EMAIL / MF_PASSWORD: every request verifies an Argon2id hash.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("MF_EMAIL"), os.getenv("MF_PASSWORD"))
