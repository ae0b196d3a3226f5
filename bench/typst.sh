#!/usr/bin/env bash
# Compares a cold `kravia-invoice render` of the one-page NO B2B fixture with
# `typst compile` of the same invoice (bench/invoice.typ, same fonts), both as
# new processes timed by hyperfine, and prints the ratio of the medians.
#
# Uses the `typst` CLI when it is on PATH; otherwise the `typst` Python
# package (pip install typst: the same compiler as a module), for which the
# process start includes Python, so it also times a warm in-process compile
# and compares that with criterion's `render/all/one_page`
# (target/criterion, after `cargo bench --bench render`).
# Without either, it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

have_cli=0; have_py=0
command -v typst >/dev/null && have_cli=1
python3 -c "import typst" 2>/dev/null && have_py=1
if [ $have_cli = 0 ] && [ $have_py = 0 ]; then
    echo "bench/typst.sh: typst is not installed (neither the typst CLI nor the Python package 'typst'); skipping."
    echo "  cargo install --locked typst-cli   or   pip install typst"
    exit 0
fi
command -v hyperfine >/dev/null || { echo "bench/typst.sh: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }

BIN=${KRAVIA_BIN:-target/release/kravia-invoice}
[ -z "${KRAVIA_BIN:-}" ] && cargo build --release --quiet
BIN=$(realpath "$BIN")
F=tests/fixtures/pub_ok_no_b2b_three_rates
OUT=${TMPDIR:-/tmp}/kravia-bench-typst
mkdir -p "$OUT"
RUNS=${RUNS:-50}
ROOT=$(pwd)

ours="$BIN render --transaction $F/transaction.json --session $F/session.json --brand $F/brand.toml --output $OUT/kravia.pdf"
if [ $have_cli = 1 ]; then
    theirs="typst compile --ignore-system-fonts --font-path $ROOT/fonts --root $ROOT --creation-timestamp 1780185600 $ROOT/bench/invoice.typ $OUT/typst.pdf"
    label="typst compile ($(typst --version))"
else
    cat > "$OUT/typst_once.py" <<PY
import typst
typst.compile("$ROOT/bench/invoice.typ", output="$OUT/typst.pdf", root="$ROOT", font_paths=["$ROOT/fonts"], ignore_system_fonts=True)
PY
    theirs="python3 $OUT/typst_once.py"
    baseline="python3 -c 'import typst'"
    label="typst $(python3 -c 'import importlib.metadata as m; print(m.version("typst"))') (Python package, new process incl. Python start)"
fi

echo "machine: $(nproc) cores, $(uname -sr)"
extra=()
[ -n "${baseline:-}" ] && extra=(-n python-import-typst "$baseline")
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/typst.json" -n kravia-invoice "$ours" -n typst "$theirs" "${extra[@]}"
python3 - "$OUT/typst.json" "$label" "$OUT" <<'PY'
import json, os, statistics, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {k: statistics.median(v["times"]) * 1000 for k, v in res.items()}
out = sys.argv[3]
print(f"kravia-invoice render (cold process): median {med['kravia-invoice']:.2f} ms, "
      f"{os.path.getsize(os.path.join(out, 'kravia.pdf'))} bytes")
print(f"{sys.argv[2]}: median {med['typst']:.2f} ms, "
      f"{os.path.getsize(os.path.join(out, 'typst.pdf'))} bytes")
print(f"ratio (typst / kravia-invoice, cold process): {med['typst'] / med['kravia-invoice']:.1f}x")
if "python-import-typst" in med:
    own = med["typst"] - med["python-import-typst"]
    print(f"  of which Python start + import: {med['python-import-typst']:.2f} ms; "
          f"typst's own part {own:.2f} ms, ratio {own / med['kravia-invoice']:.1f}x")
PY

if [ $have_py = 1 ]; then
    python3 - "$ROOT" "$OUT" <<'PY'
import json, os, statistics, sys, time
import typst
root, out = sys.argv[1], sys.argv[2]
c = typst.Compiler(os.path.join(root, "bench/invoice.typ"), root=root,
                   font_paths=[os.path.join(root, "fonts")], ignore_system_fonts=True)
# A new invoice number each time, as in a batch: a warm compiler may not
# reuse the previous document whole.
for i in range(5):
    c.compile(sys_inputs={"number": f"WARM-{i:06d}"})
ts = []
for i in range(100):
    t = time.perf_counter()
    c.compile(sys_inputs={"number": f"KJ65C-{i:06d}"})
    ts.append((time.perf_counter() - t) * 1000)
warm = statistics.median(ts)
print(f"typst warm in-process compile, a new invoice number each time: median {warm:.2f} ms (100 runs)")
est = os.path.join(root, "target/criterion/render/all/one_page/new/estimates.json")
if os.path.exists(est):
    ours = json.load(open(est))["median"]["point_estimate"] / 1e6
    print(f"kravia-invoice verify+layout+PDF in-process (criterion render/all/one_page): median {ours:.3f} ms")
    print(f"ratio (typst / kravia-invoice, warm in-process): {warm / ours:.0f}x")
else:
    print("(run `cargo bench --bench render` for the in-process ratio)")
PY
fi
