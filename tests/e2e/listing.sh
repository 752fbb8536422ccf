#!/bin/sh
# `acvtrack indicators` aligns its columns by display width, not bytes: `–` (3 bytes), `µ` and
# `³` (2 bytes each), Thai and decomposed Vietnamese (combining marks take no column) and CJK
# (two columns each) pad like ASCII; a long unit wraps at a space instead of being cut, and a
# word wider than the column widens it.
set -eu
. "$(dirname "$0")/lib/assert.sh"

# The shipped framework: the ID column is 9 wide (EC.MSME.1), DIR 13 (higher_to_cap), UNIT 14
# (its limit), SDG 16 (its limit), each followed by two spaces, so every name starts at display
# column 66 (9 + 2 + 4 + 2 + 13 + 2 + 14 + 2 + 16 + 2). 'score 0–100' is 11 columns in 13 bytes and
# 'µg/m³' 5 columns in 7 bytes: both are padded to 14 columns like '%'.
ok indicators
printf '%s\n' "$OUT" >list.txt
expect_equal "header" "$(head -1 list.txt)" \
  "ID         CORE  DIR            UNIT            SDG               NAME"
expect_line list.txt "PS.DRR.4   yes   higher         score 0–100     11.b.2,1.5.4,     Local DRR strategy implementation (UNDRR Scorecard, 0-100)"
expect_line list.txt "                                                13.1.3"
expect_line list.txt "PS.DRR.5   yes   higher         %                                 Population covered by multi-hazard early warning (%)"
expect_line list.txt "SC.ENV.1   yes   lower          µg/m³           11.6.2            Annual mean PM2.5, population-weighted (ug/m3)"
expect_line list.txt "EC.MSME.5  no    higher_to_cap  %               5.5.2             Women-owned/led share of MSMEs (%)"
# 'guest-nights per 100 residents' (30) does not fit 14 columns: it wraps at spaces
expect_line list.txt "CN.REG.2   no    higher         guest-nights                      ASEAN visitor guest-nights per 100 residents"
expect_line list.txt "                                per 100"
expect_line list.txt "                                residents"
expect_err "86 of 86 indicators"
# 86 indicators, each on a line that starts with its id, plus the header
expect_equal "indicator lines" "$(grep -c '^[A-Z][A-Z]*\.[A-Z]*\.[0-9]' list.txt)" 86

# A framework whose units are in several scripts. UNIT is 19 wide: 'disability-adjusted' is one
# word wider than the limit of 14, so the column widens to it rather than cutting it; 'ครัวเรือน'
# is 7 columns (9 code points, two of them vowel marks above), 'người' 5 whether decomposed or
# not, '人/km²' 6 (人 is wide). SDG is 16 (the limit; 11.b.2,1.5.4,13.1.3 is 19 and wraps after a
# comma). Every name starts at display column 64 = 9 + 2 + 4 + 2 + 6 + 2 + 19 + 2 + 16 + 2.
ok --framework "$ACV_SOURCE/tests/fixtures/framework/listing" indicators
vi_decomposed=$(printf 'ngu\314\233o\314\233\314\200i')
expect_out "ID         CORE  DIR     UNIT                 SDG               NAME
EC.MSME.1  yes   higher  %                    8.3.1             Plain ASCII unit
EC.MSME.2  yes   higher  score 0–100          11.b.2,1.5.4,     En dash unit
                                              13.1.3
EC.MSME.3  yes   higher  µg/m³                                  Micro sign unit
EC.MSME.4  yes   higher  ครัวเรือน              1.4.1             Thai unit
EC.MSME.5  no    higher  $vi_decomposed                                  Vietnamese decomposed unit
EC.MSME.6  no    higher  người/km²                              Vietnamese precomposed unit
EC.MSME.7  no    higher  人/km²                                 Wide character unit
EC.MSME.8  no    higher  guest-nights per                       Long unit wraps at spaces
                         100 residents
EC.MSME.9  no    higher  disability-adjusted                    A word wider than the column widens it"
expect_err "9 of 9 indicators"

# the filters still apply, and the columns fit the rows shown: the core indicators are
# EC.MSME.1-4, whose widest unit is 'score 0–100' (11 columns)
ok --framework "$ACV_SOURCE/tests/fixtures/framework/listing" indicators --core
expect_out "ID         CORE  DIR     UNIT         SDG               NAME
EC.MSME.1  yes   higher  %            8.3.1             Plain ASCII unit
EC.MSME.2  yes   higher  score 0–100  11.b.2,1.5.4,     En dash unit
                                      13.1.3
EC.MSME.3  yes   higher  µg/m³                          Micro sign unit
EC.MSME.4  yes   higher  ครัวเรือน      1.4.1             Thai unit"
expect_err "4 of 9 indicators"

echo "listing: ok"
