#!/bin/sh
# tools/fuzz.sh (make fuzz): build the libFuzzer harnesses of tests/fuzz/
# with clang -fsanitize=fuzzer,address,undefined and run each one.
#
#   sh tools/fuzz.sh [--quick] [--merge] [HARNESS...]
#
#   (default)  each harness runs FUZZ_TIME seconds (default 60) on a work
#              copy of its stored corpus (tests/fuzz/corpus/NAME/)
#   --quick    each harness runs FUZZ_QUICK seconds (default 5): what the
#              test suite runs (tests/fuzz.bats)
#   --merge    afterwards, merge what the runs found into the stored
#              corpus (libFuzzer -merge=1: only inputs adding coverage)
#
# Environment: FUZZ_OUT (build and work directory, default
# ${TMPDIR:-/tmp}/hacgi-fuzz.N, N a checksum of the tree's path),
# FUZZ_TIME, FUZZ_QUICK, FUZZ_JOBS (parallel harnesses, default 1), CC
# (default clang).  Exit status 0 when no harness
# found a crash, a leak, undefined behaviour or a broken invariant; else 1,
# with the input that did it kept in $FUZZ_OUT/crashes/NAME/.
# The last line is "fuzz: N harnesses, N executions, N failed".
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
# one work directory per source tree: two trees never share one
treeid=$(printf %s "$top" | cksum | cut -d" " -f1)
out=${FUZZ_OUT:-${TMPDIR:-/tmp}/hacgi-fuzz.$treeid}
cc=${CC:-clang}
secs=${FUZZ_TIME:-60}
merge=
all="req valid mv query auth volj"
while [ $# -gt 0 ]; do
	case $1 in
	--quick) secs=${FUZZ_QUICK:-5} ;;
	--merge) merge=1 ;;
	-*) echo "usage: fuzz.sh [--quick] [--merge] [HARNESS...]" >&2
	    exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] && all=$*

command -v "$cc" >/dev/null || { echo "fuzz.sh: no $cc" >&2; exit 1; }
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# shellcheck disable=SC2089 # \" is the C string literal's own quote
cflags="-g -O1 -fno-omit-frame-pointer $san -std=c99 -Wall -Wextra
-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DDATA_DIR_DEFAULT=\"/nonexistent\"
-I$top/lib -I$top/third_party -I$top/tests/fuzz
$(pkg-config --cflags libsodium)"
libs="$(pkg-config --libs uuid libsodium) -lfcgi -lm"

# The library, once per source change: objects built with the fuzzer's
# coverage instrumentation (no main).  Every layer the programs link
# (lib/admin/ is hacgi-manage's only); an object is named after its
# folder too, so that two folders may hold the same file name.
mkdir -p "$out/obj" "$out/bin" "$out/crashes"
objs=
for src in "$top"/lib/base/*.c "$top"/lib/http/*.c "$top"/lib/ha/*.c \
    "$top"/lib/vol/*.c "$top/third_party/cjson/cJSON.c" \
    "$top/tests/fuzz/fuzz_common.c"; do
	o=$out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .c).o
	# shellcheck disable=SC2086,SC2090 # word splitting wanted
	if [ ! -f "$o" ] || [ -n "$(find "$src" -newer "$o")" ] ||
	    [ -n "$(find "$top/lib" "$top/tests/fuzz" -name '*.h' -newer "$o")" ]
	then
		$cc $cflags -fsanitize=fuzzer-no-link -c -o "$o" "$src"
	fi
	objs="$objs $o"
done

fail=0 execs=0 n=0
for h in $all; do
	src=$top/tests/fuzz/fuzz_$h.c
	[ -f "$src" ] || { echo "fuzz.sh: no harness $src" >&2; exit 2; }
	bin=$out/bin/fuzz_$h
	# shellcheck disable=SC2086,SC2090 # word splitting wanted
	$cc $cflags -fsanitize=fuzzer -o "$bin" "$src" $objs $libs
	work=$out/corpus/$h
	mkdir -p "$work" "$out/crashes/$h"
	[ -d "$top/tests/fuzz/corpus/$h" ] &&
	    cp -p "$top/tests/fuzz/corpus/$h"/* "$work"/ 2>/dev/null || true
	dict=
	[ -f "$top/tests/fuzz/$h.dict" ] && dict=-dict=$top/tests/fuzz/$h.dict
	log=$out/fuzz_$h.log
	# close_fd_mask=3: the programs' answers and logs go nowhere; crash
	# reports still reach the log.  The leak check is on (ASan default).
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    "$bin" $dict -max_total_time="$secs" -max_len=8192 -timeout=10 \
	    -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
	    -artifact_prefix="$out/crashes/$h/" "$work" >"$log" 2>&1; then
		res=ok
	else
		res=FAILED
		fail=$((fail + 1))
	fi
	e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	execs=$((execs + ${e:-0}))
	n=$((n + 1))
	echo "fuzz_$h: $res, ${e:-0} executions in ${secs}s (log $log)"
	if [ $res = FAILED ]; then
		grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' \
		    "$log" | head -n 12 >&2 || true
	fi
	if [ -n "$merge" ] && [ $res = ok ]; then
		mkdir -p "$top/tests/fuzz/corpus/$h"
		"$bin" -merge=1 -close_fd_mask=3 "$top/tests/fuzz/corpus/$h" \
		    "$work" >/dev/null 2>&1
	fi
done
echo "fuzz: $n harnesses, $execs executions, $fail failed"
[ "$fail" -eq 0 ]
