#!/bin/sh
# tools/cost.sh (make bench-cost; make bench runs it after tools/bench.sh):
# what one request of every endpoint costs in instructions, system calls
# and peak RSS, run directly with a CGI environment, at 100 and at
# 100,000 records of each kind, with the ratio (tools/cost.py says how).
# A bounded request that grows by more than 10% fails the run.  Then the
# start-up table: a few O(1) requests against a statically linked hello
# CGI, in instructions and in CPU time per run.
#
# Environment: COST_SIZES (100,100000), COST_CHECK (1.1), COST_START_RUNS
# (200), TMPDIR (where the data sets are built: 100,000 records of each
# kind take about 4 GB and 1 M inodes on ext4).  Arguments go to cost.py
# (--only REGEX, --keep, ...).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
for t in valgrind strace cc python3; do
	command -v "$t" >/dev/null || {
		echo "cost.sh: $t is not installed (make deps)" >&2
		exit 1
	}
done
exec python3 "$top/tools/cost.py" --sizes "${COST_SIZES:-100,100000}" \
    --check "${COST_CHECK:-1.1}" --start-runs "${COST_START_RUNS:-200}" "$@"
