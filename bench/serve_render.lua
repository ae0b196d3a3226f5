-- wrk script for bench/serve.sh: POST /v1/render with the one-page NO B2B
-- fixture. MODE=fresh gives every request its own invoice number (a real
-- render and a new archive row each time); MODE=repeat posts the same invoice
-- (a real render, then the archive answers "existing": no write).
local template, key, mode, prefix
local pause_ms = 0
local counter = 0
local errors = 0
local next_id = 0
local threads = {}

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("BODY_TEMPLATE"), "rb"))
  template = f:read("*a")
  f:close()
  key = os.getenv("KRAVIA_INVOICE_API_KEY") or ""
  mode = os.getenv("MODE") or "fresh"
  prefix = os.getenv("PREFIX") or "B"
  -- RATE (requests/s over all CONNECTIONS): each connection waits on
  -- average CONNECTIONS/RATE s between its requests, so the offered load is
  -- about RATE instead of as fast as the server answers (a closed loop).
  local rate = tonumber(os.getenv("RATE") or "")
  local conns = tonumber(os.getenv("CONNECTIONS") or "")
  if rate and conns and rate > 0 then
    pause_ms = conns * 1000 / rate
    math.randomseed(os.time() + tid * 7919)
  end
end

function delay()
  if pause_ms <= 0 then
    return 0
  end
  -- Exponentially distributed pauses (random arrivals): connections do not
  -- fall into step and send in bursts.
  return math.floor(-math.log(1 - math.random()) * pause_ms)
end

function request()
  local number
  if mode == "fresh" then
    counter = counter + 1
    number = string.format("%s%02d-%08d", prefix, tid, counter)
  else
    number = "KJ65C-190025"
  end
  local body = (template:gsub("@@NUM@@", number))
  return wrk.format("POST", "/v1/render", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key,
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("errors") or 0)
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
