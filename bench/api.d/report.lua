-- Prints one machine-readable line after a wrk run: requests/s, p50 and p99 in milliseconds, and the
-- count of failed requests (non-2xx/3xx answers, socket errors, timeouts). bench/api reads it.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
