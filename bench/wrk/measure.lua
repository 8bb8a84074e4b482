-- wrk script for `make bench` (bench/bench.py runs it; see docs/PERFORMANCE.md).
-- Environment: BENCH_METHOD (GET), BENCH_BODY (for POST), BENCH_MAX_REQUESTS (per thread, 0 = no cap).
-- Headers come from wrk's -H options. At the end one line "BENCH_JSON {...}" carries the figures.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end

local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
local seen = 0

function response(status, headers, body)
  seen = seen + 1
  if max_requests > 0 and seen >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, "errors_read": %d, '
      .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "latency_mean_us": %.1f, '
      .. '"latency_p50_us": %d, "latency_p95_us": %d, "latency_p99_us": %d, "latency_max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency.mean, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
