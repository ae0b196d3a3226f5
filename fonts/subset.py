#!/usr/bin/env python3
"""Regenerates the bundled font subsets in this directory (see README.md).

    apt-get install fonts-noto-core fonts-noto-mono          # Noto Sans 2.004, Noto Sans Mono 2.006
    python3 -m venv /tmp/ftvenv && /tmp/ftvenv/bin/pip install fonttools==4.68.0
    /tmp/ftvenv/bin/pip download --no-deps -d /tmp/mgx manimgx-fonts==2026.9.26.post1
    (cd /tmp/mgx && unzip -o manimgx_fonts-*.whl 'manimgx_fonts/NotoEmoji*')
    /tmp/ftvenv/bin/python fonts/subset.py --noto /usr/share/fonts/truetype/noto \\
        --emoji '/tmp/mgx/manimgx_fonts/NotoEmoji[wght].ttf'

The same inputs give the same bytes.
"""
import argparse
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = os.path.dirname(os.path.abspath(__file__))

# Text faces (Regular, Bold): every Latin letter incl. Vietnamese and the
# African/Sámi/Romanian extensions, IPA and spacing modifiers, combining marks,
# Greek, Cyrillic with its supplement, general punctuation, super/subscripts,
# currency signs, letterlike symbols, number forms, a few arrows and maths
# signs, Latin ligatures and U+FFFD (the mark for a character nothing draws).
TEXT = ("U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-052F,"
        "U+1E00-1EFF,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2150-218F,"
        "U+2190-2199,U+2212,U+2215,U+2219,U+221E,U+2248,U+2260,U+2264-2265,"
        "U+2C60-2C7F,U+A720-A7FF,U+FB00-FB06,U+FFFC-FFFD")
# Mono (references, IBAN, barcode digits): European Latin as before.
MONO = ("U+0020-007E,U+00A0-017F,U+0192,U+0218-021B,U+02C6-02C7,U+02C9,U+02D8-02DD,"
        "U+1E9E,U+2002-200A,U+2010-2015,U+2018-201E,U+2020-2022,U+2026,U+202F,U+2030,"
        "U+2032-2033,U+2039-203A,U+2044,U+20AC,U+2116,U+2122,U+2212")
# Emoji (monochrome Noto Emoji at weight 400): every emoji and pictograph it
# has, with the invisible joiners and selectors of emoji sequences (ZWJ,
# VS15/VS16, keycap, tags), but not the ASCII keycap bases the text faces draw.
EMOJI = ("U+00A9,U+00AE,U+200D,U+203C,U+2049,U+20E3,U+2122-3299,U+FE0E-FE0F,"
         "U+1F000-1FAFF,U+E0020-E007F")


def run(src, out, unicodes, font_number=0):
    opts = subset.Options()
    opts.hinting = False
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "DSIG", "gasp", "STAT", "vhea", "vmtx"]
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.recalc_bounds = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.name_languages = [0x409]
    font = src if isinstance(src, TTFont) else subset.load_font(src, opts, dontLoadGlyphNames=True)
    s = subset.Subsetter(opts)
    s.populate(unicodes=subset.parse_unicodes(unicodes))
    s.subset(font)
    subset.save_font(font, os.path.join(OUT, out), opts)
    print(f"{out}: {len(font.getBestCmap())} characters, {os.path.getsize(os.path.join(OUT, out))} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--noto", default="/usr/share/fonts/truetype/noto")
    ap.add_argument("--emoji", required=True, help="NotoEmoji[wght].ttf (variable)")
    a = ap.parse_args()
    for face in ("NotoSans-Regular", "NotoSans-Bold"):
        run(os.path.join(a.noto, face + ".ttf"), face + ".subset.ttf", TEXT)
    run(os.path.join(a.noto, "NotoSansMono-Regular.ttf"), "NotoSansMono-Regular.subset.ttf", MONO)
    emoji = instancer.instantiateVariableFont(TTFont(a.emoji), {"wght": 400})
    run(emoji, "NotoEmoji-Regular.subset.ttf", EMOJI)


if __name__ == "__main__":
    sys.exit(main())
