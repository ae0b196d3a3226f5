#!/usr/bin/env python3
"""Write N one-page invoices as NDJSON for `kravia-invoice batch`.

Each line is {"transaction": …, "session": …}, built from the one-page NO B2B
fixture (tests/fixtures/pub_ok_no_b2b_three_rates) with a unique invoice number
(KJ65C-000000, KJ65C-000001, …) in the transaction's metadata and in every event.

    bench/gen_ndjson.py 10000 > /tmp/invoices.ndjson
    bench/gen_ndjson.py 10000 --broken 1 > /tmp/invoices-1pct-broken.ndjson

--broken P makes P % of the lines bad, in turn: a truncated JSON line, a line
VAT amount off by 5 øre (vat_mismatch), an invalid KID (invalid_kid). Which
lines are broken is printed to stderr.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "tests", "fixtures", "pub_ok_no_b2b_three_rates")
NUMBER = "KJ65C-190025"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="how many invoices")
    ap.add_argument("--broken", type=float, default=0.0, help="percent of broken lines")
    ap.add_argument("--prefix", default="KJ65C", help="invoice number prefix")
    args = ap.parse_args()

    with open(os.path.join(FIXTURE, "transaction.json"), encoding="utf-8") as f:
        tx = json.load(f)
    with open(os.path.join(FIXTURE, "session.json"), encoding="utf-8") as f:
        session = json.load(f)
    assert tx["metadata"]["kravia:invoice_number"] == NUMBER

    def line(doc_tx, doc_session):
        return json.dumps({"transaction": doc_tx, "session": doc_session},
                          ensure_ascii=False, separators=(",", ":"))

    good = line(tx, session)
    assert good.count(NUMBER) == 3, "the invoice number is in the metadata and two events"

    bad_vat_session = json.loads(json.dumps(session))
    bad_vat_session["order"]["items"][1]["vat_amount"] += 5
    bad_vat_tx = json.loads(json.dumps(tx))
    bad_vat_tx["items"][1]["vat_amount"] += 5
    bad_vat = line(bad_vat_tx, bad_vat_session)
    bad_kid_tx = json.loads(json.dumps(tx))
    bad_kid_tx["metadata"]["kravia:payment_details:kid"] = "003075434964"
    bad_kid = line(bad_kid_tx, session)

    every = int(round(100.0 / args.broken)) if args.broken > 0 else 0
    out = sys.stdout
    kinds = 0
    broken = []
    for i in range(args.n):
        number = f"{args.prefix}-{i:06d}"
        if every and i % every == every - 1:
            kind = kinds % 3
            kinds += 1
            if kind == 0:
                text = good.replace(NUMBER, number)[: len(good) // 2]
                broken.append((i + 1, "malformed"))
            elif kind == 1:
                text = bad_vat.replace(NUMBER, number)
                broken.append((i + 1, "vat_mismatch"))
            else:
                text = bad_kid.replace(NUMBER, number)
                broken.append((i + 1, "invalid_kid"))
        else:
            text = good.replace(NUMBER, number)
        out.write(text)
        out.write("\n")
    if broken:
        print(f"{len(broken)} broken lines: " + ", ".join(f"line {n} {k}" for n, k in broken[:10])
              + (" …" if len(broken) > 10 else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
