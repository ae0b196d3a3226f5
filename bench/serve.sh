#!/usr/bin/env bash
# Load benchmark of `kravia-invoice serve`: the one-page NO B2B fixture POSTed
# to /v1/render over 64 keep-alive connections, while /usr/bin/time -v
# measures the server's peak RSS. Two kinds of load:
#
#   bench/serve.sh                    # closed loop (wrk): as fast as the server
#                                     # answers; gives the most renders/s
#   RATE=1000 bench/serve.sh          # open loop (oha): 1,000 requests/s sent on
#                                     # schedule whatever the answers do, latency
#                                     # counted from the scheduled send time
#                                     # (--latency-correction): the p99 at a load
#   MODE=repeat bench/serve.sh        # the same invoice again (render + archive lookup)
#   DB=postgres://postgres@127.0.0.1:55432/postgres bench/serve.sh   # PostgreSQL
#   DURATION=30s CONNECTIONS=64 THREADS=2 bench/serve.sh
#
# MODE=fresh (default): every request carries a new invoice number, so each
# one is a real render and a new durable archive commit (grouped). With
# PostgreSQL a new database is created for the run (and left for inspection).
#
# Tools: Debian's `wrk` and `time` (installed with apt-get when missing);
# `oha` (https://github.com/hatoo/oha, `cargo install oha`) for RATE=.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wrk /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench/serve.sh: installing wrk and time (apt-get)" >&2
        apt-get install -y -qq wrk time >/dev/null
    fi
done
if [ -n "${RATE:-}" ] && ! command -v oha >/dev/null; then
    echo "bench/serve.sh: RATE= needs oha: cargo install oha" >&2
    exit 2
fi
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

# body.json: the envelope with @@NUM@@ for the invoice number (wrk's script
# fills it in); with RATE=, lines.ndjson: one envelope per line, each with its
# own number (MODE=fresh), enough for the warm-up and the run.
# The lines go to /dev/shm when there is one: ~200 MB written to disk just
# before the run would be flushed during it, beside the archive's syncs.
SECONDS_RUN=${DURATION%s}
LINES_DIR=$OUT
[ -d /dev/shm ] && LINES_DIR=$(mktemp -d /dev/shm/kravia-bench.XXXXXX)
trap 'case "$LINES_DIR" in /dev/shm/*) rm -rf "$LINES_DIR";; esac' EXIT
python3 - "$F" "$OUT" "$MODE" "${RATE:-0}" "$SECONDS_RUN" "$LINES_DIR" <<'PY'
import json, sys
d, out, mode, rate, seconds, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
tx = open(f"{d}/transaction.json").read()
session = json.load(open(f"{d}/session.json"))
env = {"transaction": json.loads(tx.replace("KJ65C-190025", "@@NUM@@")), "session": session}
open(f"{out}/body.json", "w").write(json.dumps(env))
if rate:
    line = json.dumps(env, separators=(",", ":"))
    with open(f"{lines}/lines.ndjson", "w") as f:
        for i in range(int(rate * (seconds + 5) * 1.2)):
            number = f"R-{i:09d}" if mode == "fresh" else "KJ65C-190025"
            f.write(line.replace("@@NUM@@", number) + "\n")
PY

if [ -n "${DB:-}" ]; then
    case "$DB" in
        postgres://*|postgresql://*)
            name="kravia_bench_$(date +%s)"
            psql "$DB" -qAtc "CREATE DATABASE $name" >/dev/null
            # A new database is ~300 files for the next checkpoint to sync,
            # and earlier runs leave WAL behind: checkpoint now, so the run
            # measures the archive's own writes (its checkpoints included).
            psql "$DB" -qAtc "CHECKPOINT" >/dev/null
            DBURL="${DB%/*}/$name" ;;
        *) DBURL="$DB" ;;
    esac
else
    DBURL="sqlite://$OUT/bench.sqlite"
fi
export KRAVIA_INVOICE_API_KEY=bench-key

# Start with nothing left to write back from earlier runs or the set-up.
sync
echo "machine: $(nproc) cores, $(uname -sr); mode=$MODE db=${DBURL%%://*} connections=$CONNECTIONS duration=$DURATION load=${RATE:+open loop at $RATE/s (oha)}${RATE:-closed loop (wrk, $THREADS threads)}"
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
if [ -z "${RATE:-}" ]; then
    BODY_TEMPLATE="$OUT/body.json" MODE=$MODE PREFIX=M wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
        --latency -s bench/serve_render.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
    RESULT=$(grep -E "^RESULT" "$OUT/wrk.txt")
else
    oha --no-tui --output-format json -z "$DURATION" -c "$CONNECTIONS" -q "$RATE" --latency-correction \
        -m POST -H "Authorization: Bearer $KRAVIA_INVOICE_API_KEY" -H "Content-Type: application/json" \
        -Z "$LINES_DIR/lines.ndjson" "http://127.0.0.1:$PORT/v1/render" >"$OUT/oha.json"
    RESULT=$(python3 - "$OUT/oha.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
ok = codes.get("200", 0)
errors = dict(r.get("errorDistribution", {}))
# Requests still in flight when the duration ends are cut off by oha.
cut = errors.pop("aborted due to deadline", 0)
print("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p99.9_ms=%.2f max_ms=%.2f non200=%d errors=%d cut_at_end=%d" % (
    sum(codes.values()), s["total"], s["requestsPerSec"], p["p50"] * 1e3, p["p90"] * 1e3,
    p["p99"] * 1e3, p["p99.9"] * 1e3, s["slowest"] * 1e3, sum(codes.values()) - ok,
    sum(errors.values()), cut))
PY
)
fi

curl -s -H "Authorization: Bearer $KRAVIA_INVOICE_API_KEY" "http://127.0.0.1:$PORT/metrics" \
    | grep -E '^kravia_(archive|render_seconds_(sum|count))' || true
SERVER=$(pgrep -P "$TIMEPID" || true)
[ -n "$SERVER" ] && kill -TERM "$SERVER"
wait "$TIMEPID" || true
echo "server: $(grep -E 'Maximum resident' "$OUT/time.txt" | sed 's/^\s*//')"
echo "$RESULT"
