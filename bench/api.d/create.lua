-- POST /api/v1/video/create with the same tiny spec every time: each request is a new job (no
-- Idempotency-Key), which the render cache completes without rendering. BENCH_SPEC holds the JSON body.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
wrk.method = "POST"
wrk.body = os.getenv("BENCH_SPEC")
wrk.headers["Content-Type"] = "application/json"
