-- wrk script for bench/serve.sh: POST /v1/render with the one-page NO B2B
-- fixture in a closed loop. MODE=fresh gives every request its own invoice
-- number (a real render and a new archive row each time); MODE=repeat posts
-- the same invoice (a real render, then the archive answers "existing": no
-- write). No `response` hook, so wrk does not hand every PDF to Lua; answers
-- other than 2xx/3xx are counted in summary.errors.status.
local template, key, mode, prefix
local counter = 0
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
end

function init(args)
  local f = assert(io.open(os.getenv("BODY_TEMPLATE"), "rb"))
  template = f:read("*a")
  f:close()
  key = os.getenv("KRAVIA_INVOICE_API_KEY") or ""
  mode = os.getenv("MODE") or "fresh"
  prefix = os.getenv("PREFIX") or "B"
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

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
