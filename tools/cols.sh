#!/bin/sh
# tools/cols.sh [FILE...]: the lines of C sources wider than 80 columns
# (a tab to the next multiple of 8, STYLE 25), as FILE:LINE: N columns.
# Default: every *.c and *.h of lib/, cgi-bin/, bin/ and tests/.  Exits
# 1 when there is one, 0 otherwise.
set -eu

cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # no blanks in the names of this tree
	set -- $(find lib cgi-bin bin tests -name '*.[ch]' -type f |
	    LC_ALL=C sort)
fi
awk '
{
	w = 0
	n = length($0)
	for (i = 1; i <= n; i++)
		w = substr($0, i, 1) == "\t" ? w + 8 - w % 8 : w + 1
	if (w > 80) {
		printf "%s:%d: %d columns\n", FILENAME, FNR, w
		bad++
	}
}
END { exit bad > 0 }' "$@"
