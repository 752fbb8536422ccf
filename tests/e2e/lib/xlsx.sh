# Reading an .xlsx file back in the end-to-end tests (sourced after assert.sh): a workbook is a zip
# of XML, read here with unzip and awk. Only what acvtrack's workbooks use is understood: shared
# strings, numbers and booleans, one <t> per shared string.

# xlsx_sheets FILE: the sheet names in workbook order, one a line.
xlsx_sheets() {
  unzip -p "$1" xl/workbook.xml | tr '<' '\n' | sed -n 's/^sheet name="\([^"]*\)".*/\1/p' |
    xlsx_unescape
}

xlsx_unescape() {
  sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'
}

# xlsx_sheet_xml FILE NAME: the XML of the sheet called NAME (found through the workbook's
# relationships, not guessed from its position).
xlsx_sheet_xml() {
  rid=$(unzip -p "$1" xl/workbook.xml | tr '<' '\n' |
    awk -v name="$2" 'index($0, "sheet name=\"" name "\"") == 1 {
      match($0, /r:id="[^"]*"/); print substr($0, RSTART + 6, RLENGTH - 7) }')
  [ -n "$rid" ] || fail "$1 has no sheet '$2' (sheets: $(xlsx_sheets "$1" | tr '\n' ','))"
  target=$(unzip -p "$1" xl/_rels/workbook.xml.rels | tr '<' '\n' |
    awk -v id="$rid" 'index($0, "Id=\"" id "\"") {
      match($0, /Target="[^"]*"/); print substr($0, RSTART + 8, RLENGTH - 9) }')
  unzip -p "$1" "xl/$target"
}

# xlsx_cell FILE SHEET REF: the cell as TYPE:VALUE, TYPE n (number), s (text, shared string
# resolved and unescaped) or b (boolean 0/1); "empty" for a cell without a value, "none" for a
# cell not written.
xlsx_cell() {
  raw=$(xlsx_sheet_xml "$1" "$2" | tr '<' '\n' | awk -v ref="$3" '
    /^c / { incell = index($0, "c r=\"" ref "\"") == 1; type = "n"
            if (incell && match($0, / t="[a-z]+"/)) type = substr($0, RSTART + 4, RLENGTH - 5)
            if (incell && $0 ~ /\/>$/) { print "empty"; found = 1; exit }
            next }
    incell && /^v>/ { print type ":" substr($0, 3); found = 1; exit }
    incell && /^\/c>/ { print "empty"; found = 1; exit }
    END { if (!found) print "none" }')
  case "$raw" in
    s:*)
      unzip -p "$1" xl/sharedStrings.xml | tr '<' '\n' | awk -v k="${raw#s:}" '
        /^si>/ { n++ } n == k + 1 && /^t[ >]/ { sub(/^t[^>]*>/, ""); print; exit }' |
        xlsx_unescape | sed 's/^/s:/' ;;
    *) printf '%s\n' "$raw" ;;
  esac
}

# expect_cell FILE SHEET REF EXPECTED
expect_cell() {
  got=$(xlsx_cell "$1" "$2" "$3")
  [ "$got" = "$4" ] || fail "$1: sheet '$2' cell $3 is '$got', expected '$4'"
}

# expect_frozen_header FILE SHEET: the first row is frozen (a pane split below row 1).
expect_frozen_header() {
  xlsx_sheet_xml "$1" "$2" | grep -q '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' ||
    fail "$1: sheet '$2' has no frozen header row"
}

# xlsx_row_of FILE SHEET COLUMN TEXT: the number of the first row whose cell in COLUMN (a letter)
# is the text TEXT; empty when there is none.
xlsx_row_of() {
  k=$(unzip -p "$1" xl/sharedStrings.xml | tr '<' '\n' | xlsx_unescape | awk -v text="$4" '
    /^si>/ { n++ } /^t[ >]/ { sub(/^t[^>]*>/, ""); if ($0 == text) { print n - 1; exit } }')
  [ -n "$k" ] || return 0
  xlsx_sheet_xml "$1" "$2" | tr '<' '\n' | awk -v col="$3" -v k="$k" '
    /^c / { cell = ""; if (match($0, /^c r="[A-Z]+[0-9]+"/)) cell = substr($0, 6, RLENGTH - 6)
            shared = $0 ~ / t="s"/; next }
    /^v>/ && shared && substr($0, 3) == k && cell ~ ("^" col "[0-9]+$") {
      sub(/^[A-Z]+/, "", cell); print cell; exit }'
}
