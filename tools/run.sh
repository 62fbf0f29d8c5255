#!/bin/sh
# tools/run.sh (make run): serve both APIs with lighttpd on 127.0.0.1, in
# the foreground, from the built tree (SPEC 6).
#
# Environment: VOLUME_PORT (8776), HA_PORT (15868), DATA_DIR (./data),
# SERVICE_DOWN_TIME, POLICY_FILE, AUTH_URI (passed to the programs when
# set), ADMIN_TOKEN and ADMIN_PROJECT (registered as the admin token;
# generated and printed when unset), RUN_DIR (./run: generated config,
# pid file and logs; never inside DATA_DIR).
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

VOLUME_PORT=${VOLUME_PORT:-8776}
HA_PORT=${HA_PORT:-15868}
DATA_DIR=$(absolute "${DATA_DIR:-./data}")
RUN_DIR=$(absolute "${RUN_DIR:-$top/run}")
manage=$top/bin/hacgi-manage

command -v lighttpd >/dev/null || die "lighttpd not installed (make deps)"
[ -x "$manage" ] || die "$manage is not built (make all)"
[ -d "$top/cgi-bin" ] || die "no $top/cgi-bin"

if [ ! -d "$DATA_DIR" ]; then
	mkdir -p "$(dirname "$DATA_DIR")"
	mkdir -m 0700 "$DATA_DIR"
fi
DATA_DIR=$(cd "$DATA_DIR" && pwd -P)
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd -P)
case $RUN_DIR/ in
"$DATA_DIR"/*) die "RUN_DIR ($RUN_DIR) must not be inside DATA_DIR" ;;
esac

generated=
if [ -z "${ADMIN_TOKEN:-}" ]; then
	ADMIN_TOKEN=$(randhex 20)
	generated=1
fi
ADMIN_PROJECT=${ADMIN_PROJECT:-$(randhex 16)}

# A token given by the user may already be registered (an earlier run):
# register it again, replacing the old entry.
if ! "$manage" --data-dir "$DATA_DIR" token create --user admin \
    --project "$ADMIN_PROJECT" --roles admin --token "$ADMIN_TOKEN" \
    >/dev/null; then
	[ -z "$generated" ] || die "could not register the admin token"
	"$manage" --data-dir "$DATA_DIR" token revoke "$ADMIN_TOKEN" \
	    >/dev/null 2>&1 || true
	"$manage" --data-dir "$DATA_DIR" token create --user admin \
	    --project "$ADMIN_PROJECT" --roles admin --token "$ADMIN_TOKEN" \
	    >/dev/null || die "could not register the admin token"
fi

conf=$RUN_DIR/lighttpd.conf
sh "$top/tools/genconf.sh" --out "$conf" \
    --ha-port "$HA_PORT" --volume-port "$VOLUME_PORT" \
    --cgi-bin "$top/cgi-bin" --data-dir "$DATA_DIR" \
    --pid-file "$RUN_DIR/lighttpd.pid" \
    --error-log "$RUN_DIR/lighttpd-error.log" \
    --program-log "$RUN_DIR/hacgi.log" \
    --access-log "$RUN_DIR/access.log" \
    ${SERVICE_DOWN_TIME:+--service-down-time "$SERVICE_DOWN_TIME"} \
    ${POLICY_FILE:+--policy-file "$POLICY_FILE"} \
    ${AUTH_URI:+--auth-uri "$AUTH_URI"}
lighttpd -tt -f "$conf" >/dev/null || die "lighttpd rejects $conf"

ha=http://127.0.0.1:$HA_PORT
vol=http://127.0.0.1:$VOLUME_PORT
cat <<EOF
hacgi: Instance-HA API $ha/v1   Volume API $vol/v3
hacgi: data $DATA_DIR
hacgi: logs $RUN_DIR/hacgi.log (programs), lighttpd-error.log, access.log
hacgi: admin token $ADMIN_TOKEN  project $ADMIN_PROJECT

  curl -s -H "X-Auth-Token: $ADMIN_TOKEN" $ha/v1/segments

  openstack --os-auth-type admin_token --os-token $ADMIN_TOKEN \\
    --os-endpoint $ha/v1 segment list
  openstack --os-auth-type admin_token --os-token $ADMIN_TOKEN \\
    --os-endpoint $vol/v3/$ADMIN_PROJECT --os-volume-api-version 3.7 \\
    block storage cluster list
  cinder --os-auth-type admin_token --os-token $ADMIN_TOKEN \\
    --os-endpoint $vol/v3/$ADMIN_PROJECT --os-project-id $ADMIN_PROJECT \\
    --os-volume-api-version 3.7 cluster-list

hacgi: serving until interrupted (Ctrl-C)
EOF
exec lighttpd -D -f "$conf"
