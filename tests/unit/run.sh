#!/bin/sh
# tests/unit/run.sh: build and run the C unit tests (tests/unit/test_*.c)
# against the archives of lib/; the last line is "N passed, N failed".
#
# When the library does not build (other modules of lib/ in progress), the
# tests are linked with the sources of lib/ (but the admin CLI) instead.
# SANITIZE=1 builds with -fsanitize=address,undefined.
cd "$(dirname "$0")/../.." || exit 1

CC=${CC:-cc}
OUT=${UNIT_OUT:-$(mktemp -d)}
WARN="-std=c99 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes
-Wwrite-strings -Wshadow -Wformat=2 -Wno-format-nonliteral"
CPP="-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib -Ithird_party
-Itests/unit"
# lib/http/req.c's, when the sources are linked (the Makefile's DATADIR)
DEF='-DDATA_DIR_DEFAULT="/var/lib/hacgi"'
# as the Makefile; warnings are fatal except under the sanitizers, whose
# instrumentation makes GCC warn about correct code
CFL="-O2 -g -Werror"
[ -n "$SANITIZE" ] &&
    CFL="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"
LIBS="-luuid -lsodium -lfcgi -lm"
OWN=$(ls lib/base/*.c lib/http/*.c lib/ha/*.c lib/vol/*.c \
    third_party/cjson/cJSON.c 2>/dev/null)
# upper layers first, as the Makefile links
ARCHIVES="lib/ha/libha.a lib/vol/libvol.a lib/http/libhttp.a
lib/base/libbase.a"

# shellcheck disable=SC2086
if [ -z "$SANITIZE" ] &&
    make -s $ARCHIVES WERROR=-Werror >"$OUT/make.log" 2>&1; then
	LINK=$ARCHIVES
else
	[ -z "$SANITIZE" ] &&
	    echo "run.sh: the archives of lib/ do not build; using" $OWN >&2
	LINK=$OWN
fi

# counts LINE: p and f from "N passed, N failed" (empty if not that)
counts() {
	p=$(echo "$1" | sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p')
	f=$(echo "$1" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p')
}

pass=0
fail=0
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	if ! $CC $WARN $CPP "$DEF" $CFL -o "$OUT/$name" "$src" $LINK $LIBS
	then
		echo "$name: build failed" >&2
		fail=$((fail + 1))
		continue
	fi
	res=$("$OUT/$name" 2>&2)
	rc=$?
	echo "$name: $res"
	counts "$res"
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	[ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
done

# The corpus check: every POST/PUT body of the Instance-HA reference
# (tests/unit/corpus_valid.py; CORPUS_VERBOSE=1 lists the skipped records).
CORPUS=tests/reference/masakari/corpus.jsonl
if [ -x /usr/bin/python3 ] && [ -x "$OUT/test_valid" ] && [ -f "$CORPUS" ]
then
	res=$(/usr/bin/python3 tests/unit/corpus_valid.py "$OUT/test_valid" \
	    "$CORPUS")
	if [ -n "$CORPUS_VERBOSE" ]; then
		echo "$res" | sed '$d'
	else
		echo "$res" | sed '$d' | grep -v '^skip '
	fi
	last=$(echo "$res" | tail -n 1)
	echo "corpus_valid: $last"
	counts "$last"
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-1}))
fi

# The differential check against jsonschema and iso8601 themselves, when
# this machine has them (python3-jsonschema, python3-iso8601).
if [ -x "$OUT/test_valid" ] &&
    /usr/bin/python3 -c 'import jsonschema, iso8601' 2>/dev/null; then
	res=$(/usr/bin/python3 tests/unit/diff_valid.py "$OUT/test_valid" \
	    tests/reference/masakari/description-pattern-repr.txt 1 5000)
	echo "$res" | sed '$d' | head -n 40
	last=$(echo "$res" | tail -n 1)
	echo "diff_valid: $last"
	# one test: thousands of random cases would drown the other counts
	counts "$last"
	if [ "${f:-1}" -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
else
	echo "diff_valid: skipped (no python3-jsonschema/python3-iso8601)"
fi

[ -z "$UNIT_OUT" ] && rm -rf "$OUT"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
