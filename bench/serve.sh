#!/usr/bin/env bash
# Load benchmark of `kravia-invoice serve`: wrk (Debian's `wrk`) POSTs the
# one-page NO B2B fixture to /v1/render over 64 keep-alive connections, while
# /usr/bin/time -v measures the server's peak RSS.
#
#   bench/serve.sh                    # SQLite, fresh invoice numbers, 20 s
#   MODE=repeat bench/serve.sh        # the same invoice again (render + archive lookup)
#   DB=postgres://postgres@127.0.0.1:55432/postgres bench/serve.sh   # PostgreSQL
#   DURATION=30s CONNECTIONS=64 THREADS=2 bench/serve.sh
#   RATE=1000 bench/serve.sh          # offered load of about 1,000 requests/s
#                                     # (each connection pauses between requests)
#
# MODE=fresh (default): every request carries a new invoice number, so each
# one is a real render and a new durable archive commit (grouped). With
# PostgreSQL a new database is created for the run (and left for inspection).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wrk /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench/serve.sh: installing wrk and time (apt-get)" >&2
        apt-get install -y -qq wrk time >/dev/null
    fi
done
BIN=${KRAVIA_BIN:-target/release/kravia-invoice}
if [ -z "${KRAVIA_BIN:-}" ]; then
    cargo build --release --quiet
fi
BIN=$(realpath "$BIN")
MODE=${MODE:-fresh}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18480}
OUT=${TMPDIR:-/tmp}/kravia-bench-serve
rm -rf "$OUT" && mkdir -p "$OUT"
F=tests/fixtures/pub_ok_no_b2b_three_rates

python3 - "$F" "$OUT/body.json" <<'PY'
import json, sys
d, out = sys.argv[1], sys.argv[2]
tx = open(f"{d}/transaction.json").read().replace("KJ65C-190025", "@@NUM@@")
env = {"transaction": json.loads(tx), "session": json.load(open(f"{d}/session.json"))}
open(out, "w").write(json.dumps(env))
PY

if [ -n "${DB:-}" ]; then
    case "$DB" in
        postgres://*|postgresql://*)
            name="kravia_bench_$(date +%s)"
            psql "$DB" -qAtc "CREATE DATABASE $name" >/dev/null
            DBURL="${DB%/*}/$name" ;;
        *) DBURL="$DB" ;;
    esac
else
    DBURL="sqlite://$OUT/bench.sqlite"
fi
export KRAVIA_INVOICE_API_KEY=bench-key

echo "machine: $(nproc) cores, $(uname -sr); mode=$MODE db=${DBURL%%://*} connections=$CONNECTIONS threads=$THREADS duration=$DURATION rate=${RATE:-closed loop}"
/usr/bin/time -v -o "$OUT/time.txt" "$BIN" serve --listen "127.0.0.1:$PORT" \
    --brand "$F/brand.toml" --db "$DBURL" 2>"$OUT/serve.log" &
TIMEPID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$OUT/serve.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "listening on" "$OUT/serve.log" || { cat "$OUT/serve.log"; exit 1; }

# Warm up (fonts, pools), then measure.
BODY_TEMPLATE="$OUT/body.json" MODE=$MODE PREFIX=W wrk -t"$THREADS" -c"$CONNECTIONS" -d3s \
    -s bench/serve_render.lua "http://127.0.0.1:$PORT" >/dev/null
BODY_TEMPLATE="$OUT/body.json" MODE=$MODE PREFIX=M RATE=${RATE:-} CONNECTIONS=$CONNECTIONS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    --latency -s bench/serve_render.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"

curl -s -H "Authorization: Bearer $KRAVIA_INVOICE_API_KEY" "http://127.0.0.1:$PORT/metrics" \
    | grep -E '^kravia_(archive|render_seconds_(sum|count))' || true
SERVER=$(pgrep -P "$TIMEPID" || true)
[ -n "$SERVER" ] && kill -TERM "$SERVER"
wait "$TIMEPID" || true
echo "server: $(grep -E 'Maximum resident' "$OUT/time.txt" | sed 's/^\s*//')"
grep -E "^RESULT" "$OUT/wrk.txt"
