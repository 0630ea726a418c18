-- GET of the URL given to wrk, every request the same.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
