#!/usr/bin/env bash
# Times `kravia-invoice batch` on N one-page invoices streamed from NDJSON and
# checks the output: every input rendered, a sample of the PDFs valid.
#
#   bench/batch.sh            # 10,000 invoices
#   bench/batch.sh 2000       # fewer
#   BROKEN=1 bench/batch.sh   # 1 % broken lines: they must be reported, the rest rendered
#   JOBS=2 bench/batch.sh     # --jobs (default: all cores)
#
# Needs python3, GNU time (/usr/bin/time; `apt-get install time`) and qpdf.
# The wall time and peak RSS come from `/usr/bin/time -v`.
set -euo pipefail

N=${1:-10000}
BROKEN=${BROKEN:-0}
SAMPLE=${SAMPLE:-200}
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/time ]; then
    echo "bench/batch.sh: GNU time is missing; installing it (apt-get install time)" >&2
    apt-get install -y -qq time >/dev/null
fi
command -v qpdf >/dev/null || { echo "bench/batch.sh: qpdf is missing (apt-get install qpdf)" >&2; exit 1; }

BIN=${KRAVIA_BIN:-target/release/kravia-invoice}
if [ -z "${KRAVIA_BIN:-}" ]; then
    cargo build --release --quiet
fi

WORK=${WORK:-${TMPDIR:-/tmp}/kravia-bench-batch}
mkdir -p "$WORK"
INPUT="$WORK/invoices-$N-$BROKEN.ndjson"
if [ ! -s "$INPUT" ]; then
    python3 bench/gen_ndjson.py "$N" --broken "$BROKEN" > "$INPUT"
fi
OUT="$WORK/out"
rm -rf "$OUT"
sync

JOBS_ARG=()
[ -n "${JOBS:-}" ] && JOBS_ARG=(--jobs "$JOBS")

echo "machine: $(nproc) cores, $(uname -sr)"
echo "input:   $INPUT ($N invoices, $BROKEN % broken, $(du -h "$INPUT" | cut -f1))"
set +e
/usr/bin/time -v "$BIN" batch --input "$INPUT" \
    --brand tests/fixtures/pub_ok_no_b2b_three_rates/brand.toml \
    --out-dir "$OUT" --json "${JOBS_ARG[@]}" > "$WORK/summary.json" 2> "$WORK/time.txt"
status=$?
set -e

wall=$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}')
rss=$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')
user=$(grep 'User time' "$WORK/time.txt" | awk '{print $NF}')
sys=$(grep 'System time' "$WORK/time.txt" | awk '{print $NF}')
cpu=$(grep 'Percent of CPU' "$WORK/time.txt" | awk '{print $NF}')
echo "exit:    $status"
echo "wall:    $wall (user $user s, sys $sys s, CPU $cpu)"
echo "peak RSS: $((rss / 1024)) MB ($rss KB)"

python3 - "$WORK/summary.json" "$N" "$BROKEN" "$status" <<'PY'
import json, sys
path, n, broken, status = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
s = json.load(open(path))
print(f"summary: {s['rendered']} rendered, {s['failed']} failed, {s['skipped']} skipped")
assert len(s["results"]) == n, f"{len(s['results'])} results for {n} inputs"
failed = [r for r in s["results"] if not r["ok"]]
if broken == 0:
    assert s["failed"] == 0 and status == 0, failed[:3]
else:
    assert status == 2 and failed, "broken lines must be reported (exit 2)"
    for r in failed[:6]:
        print("  ", r["input"], [e["code"] for e in r["errors"]])
    assert all(r["errors"] and all(e["code"] for e in r["errors"]) for r in failed)
assert s["rendered"] + s["failed"] == n
PY

# Every rendered file exists; a sample spread over the run passes qpdf --check.
count=$(find "$OUT" -name '*.pdf' | wc -l)
echo "files:   $count PDFs in $OUT ($(du -sh "$OUT" | cut -f1))"
bad=0
checked=0
step=$(( count / SAMPLE > 0 ? count / SAMPLE : 1 ))
while read -r f; do
    if ! qpdf --check "$f" >/dev/null 2>&1; then
        echo "INVALID: $f" >&2
        bad=$((bad + 1))
    fi
    checked=$((checked + 1))
done < <(find "$OUT" -name '*.pdf' | sort | awk -v s="$step" 'NR % s == 1 || s == 1')
echo "qpdf --check: $checked sampled, $bad invalid"
[ "$bad" -eq 0 ]
