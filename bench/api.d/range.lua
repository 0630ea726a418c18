-- GET of 64 KiB at a random offset of the file (Range: bytes=a-b); BENCH_SIZE is the file's size.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local size = tonumber(os.getenv("BENCH_SIZE"))
local span = 65536
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + seed)
end

function request()
  local first = math.random(0, size - span)
  wrk.headers["Range"] = string.format("bytes=%d-%d", first, first + span - 1)
  return wrk.format()
end
