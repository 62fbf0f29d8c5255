#!/bin/sh
# tests/keystone.sh: a throwaway Keystone (Debian's keystone package) on
# 127.0.0.1 for tests/keystone*.bats: SQLite and fernet keys in DIR,
# served by uWSGI (a dependency of the package), stopped by its PID.
#
#   keystone.sh start DIR HA_URL VOLUME_URL
#	A new Keystone in DIR on a free port: keystone.conf, db_sync,
#	fernet and credential keys, bootstrap (user admin), then
#	tests/clients/ks_setup.py (projects, users, roles, the catalog of
#	both hacgi APIs).  Writes DIR/state (KS_PORT, KS_URL, KS_PROJECT,
#	KS_OTHER_PROJECT, KS_PASSWORD, KS_ADMIN_PASSWORD,
#	KS_SERVICE_PASSWORD: hacgi's own user) and DIR/env
#	(KEYSTONE_PID, which tests/run.sh stops too).  Logs: DIR/setup.log,
#	DIR/keystone.log (uWSGI's request lines and Keystone's log).
#   keystone.sh run DIR [EXPIRATION]
#	Serve DIR's Keystone again on its port (after stop), optionally
#	with tokens that live EXPIRATION seconds.
#   keystone.sh stop DIR
#	Stop the uWSGI recorded in DIR/env, by that PID only.
#
# From bats, close fd 3 for the call (keystone.sh start ... 3>&-).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/serve-common.sh"

# conf DIR PORT EXPIRATION: DIR/keystone.conf.  The password hash
# rounds are bcrypt's minimum: every login hashes, and tests log in
# often.
conf() {
	cat > "$1/keystone.conf" <<EOF
[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///$1/keystone.db
[token]
provider = fernet
expiration = $3
[fernet_tokens]
key_repository = $1/fernet-keys
[credential]
key_repository = $1/credential-keys
[identity]
password_hash_rounds = 4
EOF
}

# serve DIR PORT: uWSGI in the background, DIR/env written; 0 once it
# answers, 1 otherwise.  Four workers, each with its own SQLite
# connections (lazy-apps): a client that keeps its connection to one
# worker open (HTTP keep-alive) must not stall the validations of the
# others.  Every descriptor but 0-2 is closed first (bats waits for its
# own to close).
serve() {
	python3 -c 'import os, sys
os.closerange(3, 65536)
os.execvp(sys.argv[1], sys.argv[1:])' \
	    uwsgi --http11-socket "127.0.0.1:$2" --plugins python3 \
	    --wsgi-file /usr/bin/keystone-wsgi-public --processes 4 \
	    --threads 1 --lazy-apps --master --die-on-term --need-app \
	    --env "OS_KEYSTONE_CONFIG_FILES=$1/keystone.conf" \
	    </dev/null >>"$1/keystone.log" 2>&1 &
	echo "KEYSTONE_PID=$!" > "$1/env"
	i=0
	while [ $i -lt 600 ]; do
		serve_alive "$!" || break
		curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$2/v3" &&
			return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "keystone.sh: Keystone did not start; $1/keystone.log:" >&2
	tail -n 20 "$1/keystone.log" >&2
	stop "$1"
	return 1
}

manage() {
	keystone-manage --config-file "$dir/keystone.conf" "$@" \
	    >>"$dir/setup.log" 2>&1 ||
		die "keystone-manage $1 failed; see $dir/setup.log"
}

start() {
	[ $# -eq 3 ] || die "usage: keystone.sh start DIR HA_URL VOLUME_URL"
	mkdir -p "$1"
	dir=$(cd "$1" && pwd)
	[ ! -f "$dir/env" ] || die "$dir/env exists: is Keystone running?"
	# shellcheck disable=SC2046 # two port numbers
	set -- "$@" $(serve_free_ports)
	port=$4
	conf "$dir" "$port" 3600
	manage db_sync
	manage fernet_setup --keystone-user "$(id -un)" \
	    --keystone-group "$(id -gn)"
	manage credential_setup --keystone-user "$(id -un)" \
	    --keystone-group "$(id -gn)"
	manage bootstrap --bootstrap-password admin-pw \
	    --bootstrap-public-url "http://127.0.0.1:$port/v3" \
	    --bootstrap-region-id RegionOne
	# WAL: Keystone leaves a read transaction open between requests,
	# which in SQLite's default mode makes the next write fail
	# ("database is locked")
	python3 -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' \
	    "$dir/keystone.db"
	serve "$dir" "$port" || exit 1
	# whatever fails from here stops it again
	trap 'stop "$dir"' EXIT
	{
		echo "KS_PORT=$port"
		echo "KS_URL=http://127.0.0.1:$port/v3"
		echo "KS_PASSWORD=user-pw"
		echo "KS_ADMIN_PASSWORD=admin-pw"
		echo "KS_SERVICE_PASSWORD=svc-Secret-4f7e1b"
		/usr/bin/python3 "$top/tests/clients/ks_setup.py" \
		    "http://127.0.0.1:$port/v3" admin-pw "$2" "$3" user-pw \
		    svc-Secret-4f7e1b \
		    2>>"$dir/setup.log" || die "ks_setup.py failed; see" \
		    "$dir/setup.log"
	} > "$dir/state"
	trap - EXIT
}

run() {
	[ $# -ge 1 ] || die "usage: keystone.sh run DIR [EXPIRATION]"
	dir=$(cd "$1" && pwd)
	port=$(sed -n 's/^KS_PORT=//p' "$dir/state")
	conf "$dir" "$port" "${2:-3600}"
	serve "$dir" "$port"
}

stop() {
	[ $# -eq 1 ] || die "usage: keystone.sh stop DIR"
	[ -d "$1" ] || return 0
	dir=$(cd "$1" && pwd)
	# only our own uWSGI: its command line names our config
	serve_stop "$dir" KEYSTONE_PID "OS_KEYSTONE_CONFIG_FILES=$dir/" 50
}

serve_main "start run stop" "$@"
