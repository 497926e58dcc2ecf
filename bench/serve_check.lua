-- wrk script for `make bench-serve` (bench/serve_load.py): POSTs one TOML profile
-- (TICHECK_PROFILE) to /api/check on every connection for wrk's duration, counts the answers by
-- status class, and prints one machine-readable line for the driver: `RESULT {json}`.

local profile = os.getenv("TICHECK_PROFILE")

local file = assert(io.open(profile, "rb"))
wrk.method = "POST"
wrk.path = os.getenv("TICHECK_PATH") or "/api/check"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/toml"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  answered = 0
  ok = 0
  client_errors = 0
  unavailable = 0
  server_errors = 0
end

function response(status, headers, body)
  answered = answered + 1
  if status < 400 then
    ok = ok + 1
  elseif status == 503 then
    unavailable = unavailable + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    client_errors = client_errors + 1
  end
end

function done(summary, latency, requests)
  local counts = { ok = 0, client_errors = 0, unavailable = 0, server_errors = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(counts) do
      counts[key] = counts[key] + (thread:get(key) or 0)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.6f, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "ok": %d, "client_errors": %d, "unavailable": %d, "server_errors": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, counts.ok, counts.client_errors, counts.unavailable, counts.server_errors,
    errors.connect, errors.read, errors.write, errors.timeout))
end
