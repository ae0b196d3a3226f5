#!/bin/sh
# Regenerates the bundled font subsets in this directory from Debian's
# fonts-noto-core (20201225-1: Noto Sans 2.004, Noto Sans Mono 2.006).
#
#   apt-get install fonts-noto-core
#   python3 -m venv /tmp/ftvenv && /tmp/ftvenv/bin/pip install fonttools   # 4.68.0 used
#   PYFTSUBSET=/tmp/ftvenv/bin/pyftsubset sh fonts/subset.sh
#
# The repertoire is European Latin for invoices: ASCII, Latin-1 Supplement,
# Latin Extended-A, a few Latin Extended-B letters (ƒ, Ș ș Ț ț), spacing
# accents, the typographic spaces (U+2002..U+200A, incl. thin space U+2009),
# narrow no-break space U+202F, dashes, quotes, bullets, ellipsis, per mille,
# primes, guillemets, fraction slash, euro, numero, trade mark and minus
# (minus only where the face has one; Noto Sans 2.004 has none, Noto Sans Mono has it).
# Hinting is dropped (PDF viewers hint themselves, and it is ~40 % of glyf),
# as are the OpenType layout tables (the PDF backend does no shaping) and glyph
# names. The name table keeps copyright (0), names (1-6) and licence (13, 14).
set -eu
SRC=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
OUT=$(dirname "$0")
PYFTSUBSET=${PYFTSUBSET:-pyftsubset}
UNICODES="U+0020-007E,U+00A0-017F,U+0192,U+0218-021B,U+02C6-02C7,U+02C9,U+02D8-02DD,\
U+1E9E,U+2002-200A,U+2010-2015,U+2018-201E,U+2020-2022,U+2026,U+202F,U+2030,\
U+2032-2033,U+2039-203A,U+2044,U+20AC,U+2116,U+2122,U+2212"

for face in NotoSans-Regular NotoSans-Bold NotoSansMono-Regular; do
  "$PYFTSUBSET" "$SRC/$face.ttf" \
    --unicodes="$UNICODES" \
    --output-file="$OUT/$face.subset.ttf" \
    --no-hinting \
    --layout-features='' \
    --drop-tables+=GSUB,GPOS,GDEF,DSIG,gasp \
    --no-glyph-names \
    --notdef-outline \
    --recalc-bounds \
    --name-IDs=0,1,2,3,4,5,6,13,14 \
    --name-languages=0x409
done
ls -l "$OUT"/*.subset.ttf
