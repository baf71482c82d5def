-- wrk script for bench-pipeline.sh: POST a 3-record SenML pack with the thing key from $MF_THING_KEY.
wrk.method = "POST"
wrk.body = '[{"bn":"urn:dev:bench:","bu":"Cel","n":"temp","v":21.5},{"n":"hum","u":"%RH","v":40.25},{"n":"door","vb":true}]'
wrk.headers["Content-Type"] = "application/senml+json"
wrk.headers["Authorization"] = os.getenv("MF_THING_KEY") or ""

-- One machine-readable line for the script (latency in microseconds).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d sockerr=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max, e.status,
    e.connect + e.read + e.write + e.timeout))
end
