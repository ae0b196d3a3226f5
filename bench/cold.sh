#!/usr/bin/env bash
# Wall time of a cold `kravia-invoice render` process (start, parse, verify,
# layout, PDF, atomic write, exit) on the one-page NO B2B fixture, with
# hyperfine (`apt-get install hyperfine`).
#
#   bench/cold.sh              # hyperfine's summary, plus the median
#   RUNS=500 bench/cold.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
    echo "bench/cold.sh: hyperfine is missing; installing it (apt-get install hyperfine)" >&2
    apt-get install -y -qq hyperfine >/dev/null
fi
BIN=${KRAVIA_BIN:-target/release/kravia-invoice}
if [ -z "${KRAVIA_BIN:-}" ]; then
    cargo build --release --quiet
fi
BIN=$(realpath "$BIN")
F=tests/fixtures/pub_ok_no_b2b_three_rates
OUT=${TMPDIR:-/tmp}/kravia-bench-cold
mkdir -p "$OUT"
RUNS=${RUNS:-200}

echo "machine: $(nproc) cores, $(uname -sr)"
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$OUT/cold.json" \
    "$BIN render --transaction $F/transaction.json --session $F/session.json --brand $F/brand.toml --output $OUT/invoice.pdf"
python3 - "$OUT/cold.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = sorted(r["times"])
print(f"cold render: median {statistics.median(t) * 1000:.2f} ms, "
      f"min {t[0] * 1000:.2f} ms, mean {r['mean'] * 1000:.2f} ms over {len(t)} runs")
PY
ls -l "$OUT/invoice.pdf" | awk '{print "PDF size: " $5 " bytes"}'
