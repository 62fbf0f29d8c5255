#!/bin/sh
# tools/run.sh (make run): serve both APIs with lighttpd on 127.0.0.1, in
# the foreground, from the built tree (SPEC 6), until interrupted.
#
# Run by a normal user, it serves as that user, data in ./data, its config,
# logs and kept admin token in ./run.  Run by root, it serves as RUN_USER
# (www-data), as a deployment would: lighttpd binds as root and then
# drops to RUN_USER; the data directory is /var/lib/hacgi (the install's),
# owned by RUN_USER; RUN_DIR is /var/lib/hacgi-run, with a copy of the
# programs that RUN_USER can read (a clone under /root is out of its
# reach) and the logs in RUN_DIR/log, which RUN_USER writes.
#
# Environment: VOLUME_PORT (8776), HA_PORT (15868), DATA_DIR, RUN_DIR (not
# inside DATA_DIR), RUN_USER (root only; default www-data),
# SERVICE_DOWN_TIME, POLICY_FILE, AUTH_URI (passed to the programs when
# set); HACGI_AUTH=keystone (Keystone tokens: the credentials file in
# DATA_DIR/keystone.conf, README "Keystone"; the programs run the
# hacgi-manage of this run as the validator); ADMIN_TOKEN and ADMIN_PROJECT register that admin token;
# otherwise the admin token kept in RUN_DIR/admin-token (for this
# DATA_DIR) is used again, or a new one made and kept there;
# NEW_ADMIN_TOKEN=1 revokes the kept one and makes a new one.
# FASTCGI=1 (make run FASTCGI=1): the programs run as FastCGI responders,
# FASTCGI_PROCS (2) per program, their sockets in RUN_DIR/fcgi (README
# "FastCGI").
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "run.sh: $*" >&2
	exit 1
}

# absolute PATH: PATH made absolute against the current directory.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "${1#./}" ;;
	esac
}

# randhex N: N random bytes as lower-case hex.
randhex() {
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# as_user CMD...: CMD as the user who serves.
as_user() {
	if [ -n "$user" ]; then
		runuser -u "$user" -- "$@"
	else
		"$@"
	fi
}

# manage ARGS...: hacgi-manage on DATA_DIR, as the user who serves.
manage() {
	as_user "$manage" --data-dir "$DATA_DIR" "$@"
}

VOLUME_PORT=${VOLUME_PORT:-8776}
HA_PORT=${HA_PORT:-15868}
manage=$top/bin/hacgi-manage
user=
if [ "$(id -u)" = 0 ]; then
	user=${RUN_USER:-www-data}
	id -u "$user" >/dev/null 2>&1 || die "no user '$user' (RUN_USER)"
	[ "$(id -u "$user")" != 0 ] || die "RUN_USER must not be root"
	DATA_DIR=$(absolute "${DATA_DIR:-/var/lib/hacgi}")
	RUN_DIR=$(absolute "${RUN_DIR:-/var/lib/hacgi-run}")
else
	DATA_DIR=$(absolute "${DATA_DIR:-$top/data}")
	RUN_DIR=$(absolute "${RUN_DIR:-$top/run}")
fi

command -v lighttpd >/dev/null || die "lighttpd not installed (make deps)"
[ -x "$manage" ] || die "$manage is not built (make all)"
[ -d "$top/cgi-bin" ] || die "no $top/cgi-bin"

if [ ! -d "$DATA_DIR" ]; then
	mkdir -p "$(dirname "$DATA_DIR")"
	mkdir -m 0700 "$DATA_DIR"
	[ -z "$user" ] || chown "$user:$(id -gn "$user")" "$DATA_DIR"
fi
DATA_DIR=$(cd "$DATA_DIR" && pwd -P)
# The tracked data/ comes out of git 0755, its .gitkeep 0644: tighten
# them as fsck wants, if they are ours.
if [ -O "$DATA_DIR" ]; then
	chmod 0700 "$DATA_DIR"
	[ ! -f "$DATA_DIR/.gitkeep" ] || chmod 0600 "$DATA_DIR/.gitkeep"
fi
if [ -n "$user" ]; then
	as_user test -r "$DATA_DIR" -a -w "$DATA_DIR" -a -x "$DATA_DIR" ||
	    die "$user cannot use $DATA_DIR (a folder on its way is closed" \
	    "to it?): choose DATA_DIR, or chown -R $user $DATA_DIR"
	owner=$(stat -c %U "$DATA_DIR")
	[ "$owner" = "$user" ] || {
		echo "run.sh: $DATA_DIR belongs to $owner: giving it to $user"
		chown -R "$user:$(id -gn "$user")" "$DATA_DIR"
	}
elif [ ! -O "$DATA_DIR" ]; then
	die "$DATA_DIR belongs to $(stat -c %U "$DATA_DIR"), not to you" \
	    "(an earlier make run as root?): as root, chown -R $(id -un)" \
	    "$DATA_DIR, or choose another DATA_DIR"
fi

mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd -P)
case $RUN_DIR/ in
"$DATA_DIR"/*) die "RUN_DIR ($RUN_DIR) must not be inside DATA_DIR" ;;
esac
cgi=$top/cgi-bin
log=$RUN_DIR
upload=
if [ -n "$user" ]; then
	# What RUN_USER reads (root's, refreshed each run) and writes.
	chmod 0755 "$RUN_DIR"
	rm -rf "${RUN_DIR:?}/cgi-bin" "${RUN_DIR:?}/bin"
	mkdir -m 0755 "$RUN_DIR/cgi-bin" "$RUN_DIR/bin"
	for f in "$top"/cgi-bin/*; do
		[ -x "$f" ] && [ -f "$f" ] && cp "$f" "$RUN_DIR/cgi-bin/"
	done
	cp "$manage" "$RUN_DIR/bin/"
	manage=$RUN_DIR/bin/hacgi-manage
	cgi=$RUN_DIR/cgi-bin
	log=$RUN_DIR/log
	upload=$RUN_DIR/upload
	mkdir -p "$log" "$upload"
	chown "$user" "$log" "$upload"
	chmod 0700 "$log" "$upload"
else
	chmod 0700 "$RUN_DIR"
fi

# The admin token: given, kept from an earlier run on this DATA_DIR, or
# new (and then kept).  RUN_DIR/admin-token: DATA_DIR, token, project.
kept=$RUN_DIR/admin-token
how="given by ADMIN_TOKEN"
if [ -z "${ADMIN_TOKEN:-}" ]; then
	old_dir='' old_token='' old_project=''
	if [ -f "$kept" ]; then
		read -r old_dir old_token old_project < "$kept" || true
	fi
	if [ "$old_dir" = "$DATA_DIR" ] && [ -n "$old_token" ] &&
	    [ -z "${NEW_ADMIN_TOKEN:-}" ]; then
		ADMIN_TOKEN=$old_token
		ADMIN_PROJECT=${ADMIN_PROJECT:-$old_project}
		how="kept in $kept, the same every run"
	else
		if [ "$old_dir" = "$DATA_DIR" ] && [ -n "$old_token" ]; then
			manage token revoke "$old_token" >/dev/null 2>&1 ||
			    true
			echo "run.sh: revoked the admin token kept in $kept"
		fi
		ADMIN_TOKEN=$(randhex 20)
		how="new, kept in $kept for the next runs"
	fi
	how="$how; NEW_ADMIN_TOKEN=1 make run replaces it"
fi
ADMIN_PROJECT=${ADMIN_PROJECT:-$(randhex 16)}

# Register it; an earlier run may have registered it already (perhaps
# with another project): register it again, replacing the old entry.
if ! manage token create --user admin --project "$ADMIN_PROJECT" \
    --roles admin --token "$ADMIN_TOKEN" >/dev/null 2>&1; then
	manage token revoke "$ADMIN_TOKEN" >/dev/null 2>&1 || true
	manage token create --user admin --project "$ADMIN_PROJECT" \
	    --roles admin --token "$ADMIN_TOKEN" >/dev/null ||
	    die "could not register the admin token"
fi
if [ "$how" != "given by ADMIN_TOKEN" ]; then
	(umask 077 && printf '%s %s %s\n' "$DATA_DIR" "$ADMIN_TOKEN" \
	    "$ADMIN_PROJECT" > "$kept.tmp") && mv "$kept.tmp" "$kept"
fi

# FastCGI: the responders' sockets, in a folder of the serving user's.
set --
if [ -n "${FASTCGI:-}" ]; then
	rm -rf "${RUN_DIR:?}/fcgi"
	mkdir -m 0700 "$RUN_DIR/fcgi"
	[ -z "$user" ] || chown "$user" "$RUN_DIR/fcgi"
	set -- --fastcgi --socket-dir "$RUN_DIR/fcgi" \
	    --fastcgi-procs "${FASTCGI_PROCS:-2}"
fi

conf=$RUN_DIR/lighttpd.conf
sh "$top/tools/genconf.sh" --out "$conf" "$@" \
    --ha-port "$HA_PORT" --volume-port "$VOLUME_PORT" \
    --cgi-bin "$cgi" --data-dir "$DATA_DIR" \
    --pid-file "$log/lighttpd.pid" \
    --error-log "$log/lighttpd-error.log" \
    --program-log "$log/hacgi.log" \
    --access-log "$log/access.log" \
    ${user:+--upload-dir "$upload" --user "$user"} \
    ${SERVICE_DOWN_TIME:+--service-down-time "$SERVICE_DOWN_TIME"} \
    ${POLICY_FILE:+--policy-file "$(absolute "$POLICY_FILE")"} \
    ${AUTH_URI:+--auth-uri "$AUTH_URI"} \
    ${HACGI_AUTH:+--auth "$HACGI_AUTH" --manage "$manage"}
lighttpd -tt -f "$conf" >/dev/null || die "lighttpd rejects $conf"

as=${user:-$(id -un)}
mng="$manage --data-dir $DATA_DIR"
[ -z "$user" ] || mng="runuser -u $user -- $mng"
cat <<EOF
hacgi: Instance-HA API http://127.0.0.1:$HA_PORT/v1
hacgi: Volume API      http://127.0.0.1:$VOLUME_PORT/v3
hacgi: serving as $as; data $DATA_DIR${FASTCGI:+; programs as FastCGI responders}
hacgi: logs $log/hacgi.log (programs), lighttpd-error.log, access.log
hacgi: admin token $ADMIN_TOKEN ($how)
hacgi: its project $ADMIN_PROJECT

In another terminal, for the README's commands:

  HA=http://127.0.0.1:$HA_PORT VOL=http://127.0.0.1:$VOLUME_PORT
  T=$ADMIN_TOKEN P=$ADMIN_PROJECT
  M="$mng"

  curl -s -w '\\n' -H "X-Auth-Token: \$T" \$HA/v1/segments
  openstack --os-auth-type admin_token --os-token \$T \\
      --os-endpoint \$HA/v1 segment create seg1 auto COMPUTE
  \$M service heartbeat --host host1@lvm --binary cinder-volume --cluster cluster1@lvm
  cinder --os-auth-type admin_token --os-token \$T \\
      --os-endpoint \$VOL/v3/\$P --os-project-id \$P \\
      --os-volume-api-version 3.7 cluster-list

hacgi: serving until interrupted (Ctrl-C)
EOF
exec lighttpd -D -f "$conf"
