#!/bin/sh
# tools/genconf.sh: write a lighttpd (1.4.69) config serving both hacgi APIs
# from tools/routes.tsv.  Used by tools/run.sh, tools/bench.sh and the
# tests; `--example` writes the committed lighttpd.conf.example:
#	sh tools/genconf.sh --example > lighttpd.conf.example
#
# What the generated config does, and why:
#   - both ports bound to 127.0.0.1 only;
#   - url.rewrite-once per port: every request goes to /cgi-bin/NAME with
#     its query string (${qsa}); the programs read the original request
#     from REQUEST_URI, which lighttpd keeps unchanged;
#   - /cgi-bin/ is an alias of the binaries directory, run by mod_cgi; any
#     other URL is denied, so no file (and never DATA_DIR) is served;
#   - setenv.add-environment passes DATA_DIR and, when given,
#     SERVICE_DOWN_TIME, POLICY_FILE, AUTH_URI, API_HOST and the Keystone
#     settings (HACGI_AUTH, HACGI_MANAGE, HACGI_KEYSTONE_*, HACGI_*_TIME;
#     SPEC 6) (the programs get no other environment: no PATH either);
#   - server.max-request-size lets bodies up to 2 MiB reach the programs,
#     which answer 413 themselves above 114688 bytes (SPEC 2.5);
#   - no Server header, and no Range handling of program output (a Range
#     request header would turn a JSON answer into a 206 fragment);
#   - server.http-parseopts: see the comment in the output;
#   - HACGI_HEADERS_SENT: see spellings() below.
# With --fastcgi the programs run as FastCGI responders instead of one
# process per request: mod_fastcgi starts each program (bin-path) with a
# listening socket in --socket-dir as its fd 0, --fastcgi-procs of them
# per program, and starts one again when it dies; requests reach them
# rewritten as above, with the same environment (README "FastCGI").
set -eu

usage() {
	cat >&2 <<'EOF'
usage: genconf.sh [options]
  --ha-port N             Instance-HA port (15868)
  --volume-port N         Volume port (8776)
  --cgi-bin DIR           directory holding the CGI binaries (required)
  --data-dir DIR          DATA_DIR passed to the programs (required)
  --pid-file FILE         server.pid-file (required)
  --error-log FILE        server.errorlog (required)
  --program-log FILE      server.breakagelog: the programs' stderr (default:
                          lighttpd's own stderr; must differ from --error-log)
  --access-log FILE       also load mod_accesslog, logging there
  --out FILE              output file (default: standard output)
  --docroot DIR           server.document-root (default: the --cgi-bin
                          directory; nothing is served from it)
  --upload-dir DIR        server.upload-dirs (large bodies spill there)
  --user NAME             server.username/groupname: lighttpd started as
                          root binds, opens its logs, then serves as NAME
                          (NAME's primary group)
  --service-down-time S   SERVICE_DOWN_TIME for the programs
  --policy-file FILE      POLICY_FILE for the programs
  --auth-uri URI          AUTH_URI for the programs
  --api-host NAME         API_HOST for the programs (the Volume API's host
                          in os-services get-log; default: the host name)
  --auth MODE             HACGI_AUTH: local (default) or keystone
  --manage FILE           HACGI_MANAGE: hacgi-manage, the Keystone validator
  --keystone-conf FILE    HACGI_KEYSTONE_CONF (default DATA_DIR/keystone.conf)
  --token-cache-time S    HACGI_TOKEN_CACHE_TIME (300)
  --invalid-token-cache-time S
                          HACGI_INVALID_TOKEN_CACHE_TIME (10)
  --keystone-timeout S    HACGI_KEYSTONE_TIMEOUT (10)
  --keystone-connect-timeout S
                          HACGI_KEYSTONE_CONNECT_TIMEOUT (3)
  --routes FILE           routing table (default: tools/routes.tsv)
  --fastcgi               run the programs as FastCGI responders
  --socket-dir DIR        their sockets (required with --fastcgi)
  --fastcgi-procs N       responders per program (1)
  --example               placeholders instead of values
EOF
	exit 2
}

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/genconf-common.sh"
ha_port=15868
volume_port=8776
cgi_bin='' data_dir='' out='' pid_file='' error_log='' program_log='' access_log=''
docroot='' upload_dir='' down_time='' policy_file='' auth_uri='' example=''
user='' api_host='' fastcgi='' socket_dir='' procs=1 auth='' manage=''
ks_conf='' cache_time='' invalid_time='' ks_timeout='' ks_connect=''

genconf_options '--example=example --fastcgi=fastcgi' '--ha-port=ha_port
    --volume-port=volume_port --cgi-bin=cgi_bin --data-dir=data_dir
    --pid-file=pid_file --error-log=error_log --program-log=program_log
    --access-log=access_log --out=out --docroot=docroot
    --upload-dir=upload_dir --service-down-time=down_time --user=user
    --policy-file=policy_file --auth-uri=auth_uri --api-host=api_host
    --routes=routes --socket-dir=socket_dir --fastcgi-procs=procs
    --auth=auth --manage=manage --keystone-conf=ks_conf
    --token-cache-time=cache_time --invalid-token-cache-time=invalid_time
    --keystone-timeout=ks_timeout --keystone-connect-timeout=ks_connect' \
    "$@"

if [ -n "$example" ]; then
	ha_port=@HA_PORT@ volume_port=@VOLUME_PORT@ cgi_bin=@CGI_BIN@
	data_dir=@DATA_DIR@ pid_file=@PID_FILE@ error_log=@ERROR_LOG@
	program_log=@PROGRAM_LOG@
	down_time=@SERVICE_DOWN_TIME@ socket_dir=@SOCKET_DIR@
	docroot='' access_log='' upload_dir='' policy_file='' auth_uri=''
	user='' api_host=''
else
	genconf_check
	[ -n "$pid_file" ] || die "--pid-file is required"
	[ -n "$error_log" ] || die "--error-log is required"
	# lighttpd ignores a breakagelog equal to the errorlog.
	[ "$program_log" != "$error_log" ] ||
		die "--program-log must differ from --error-log"
	case $down_time in
	*[!0-9]*) die "bad --service-down-time: '$down_time'" ;;
	esac
	case $procs in
	''|*[!0-9]*|0) die "bad --fastcgi-procs: '$procs'" ;;
	esac
	if [ -n "$fastcgi" ]; then
		case $socket_dir in
		/*) ;;
		*) die "--fastcgi needs an absolute --socket-dir" ;;
		esac
	fi
	genconf_check_auth
fi
[ -n "$docroot" ] || docroot=$cgi_bin
genconf_routes

# Values go between "..." in the config; refuse what would need escaping.
for v in "$cgi_bin" "$data_dir" "$pid_file" "$error_log" "$program_log" \
    "$access_log" "$docroot" "$upload_dir" "$policy_file" "$auth_uri" \
    "$user" "$api_host" "$socket_dir" "$manage" "$ks_conf"; do
	case $v in
	*[\"\\\$]*) die "unsupported character in '$v'" ;;
	esac
done

# rewrites ROUTES: the url.rewrite-once list of one port (ROUTES: its
# lines of the table, as genconf_routes reads them).  lighttpd matches
# the request target including its query string, so a table regex ^R$
# becomes ^R(?:\?|$), with [^/] narrowed to [^/?]; ${qsa} then appends the
# original query string to /cgi-bin/NAME.  The table is read (and checked)
# by tools/routes.sh, as for the Apache config.
rewrites() {
	printf '\turl.rewrite-once = (\n'
	while IFS=$tab read -r re bin; do
		re=$(printf '%s\n' "${re%\$}" | sed 's|\[^/\]|[^/?]|g')
		printf '\t\t"%s(?:\\?|$)" => "/cgi-bin/%s${qsa}",\n' "$re" "$bin"
	done <<EOF
$1
EOF
	printf '\t)\n'
}

env_line() {
	[ -z "$2" ] || printf '\t"%s" => "%s",\n' "$1" "$2"
}

# sent_tree INDENT SENT HEADER...: nested conditionals that set
# HACGI_HEADERS_SENT to SENT plus those of the HEADERs the request
# carries under that very spelling (any case).  Each level runs in a
# subshell: POSIX sh has no local variables.
sent_tree() {
	if [ $# -eq 2 ]; then
		printf '%ssetenv.set-environment = ( "HACGI_HEADERS_SENT" => "%s" )\n' \
		    "$1" "${2# }"
		return
	fi
	_st_in=$1 _st_sent=$2 _st_h=$3
	shift 3
	printf '%s$REQUEST_HEADER["%s"] == "" {\n' "$_st_in" "$_st_h"
	(sent_tree "$_st_in	" "$_st_sent" "$@")
	printf '%s} else {\n' "$_st_in"
	(sent_tree "$_st_in	" "$_st_sent $_st_h" "$@")
	printf '%s}\n' "$_st_in"
}

# spellings: lighttpd passes a request header to a program as HTTP_ and
# its name with every character but letters and digits turned into "_":
# X_Auth_Token, X.Auth.Token and X-Auth-Token all become
# HTTP_X_AUTH_TOKEN (twice, when two of them come: getenv takes the
# first).  A proxy that filters X-Auth-Token would let a token through.
# The programs refuse a variable they read that appears twice, or whose
# "-" spelling is missing from HACGI_HEADERS_SENT (set here, where the
# header names are still known).
spellings() {
	cat <<'EOF'

# Which of the headers the programs read came spelled with "-" (and not
# as X_Auth_Token or X.Auth.Token, which lighttpd passes as the same
# variable): the programs refuse the others (400).
EOF
	# shellcheck disable=SC2086 # the names, split
	sent_tree '' '' $spelled_headers
}

# programs: the programs the table names, each once, the longest names
# first (mod_fastcgi takes the first key that prefixes the path).
programs() {
	printf '%s\n%s\n' "$ha_routes" "$vol_routes" | cut -f 2 | sort -u |
	    awk '{ print length($0), $0 }' | sort -k1,1nr -k2 | cut -d ' ' -f 2
}

# handlers: how /cgi-bin/NAME runs: mod_cgi, or (--fastcgi) one
# mod_fastcgi backend per program.
handlers() {
	if [ -z "$fastcgi" ]; then
		printf '\tcgi.assign = ( "" => "" )\n'
		printf '\tcgi.execute-x-only = "enable"\n'
		return
	fi
	printf '\tfastcgi.server = (\n'
	for p in $(programs); do
		cat <<EOF
		"/cgi-bin/$p" => ((
			"socket" => "$socket_dir/$p.sock",
			"bin-path" => "$cgi_bin/$p",
			"max-procs" => $procs,
			"bin-copy-environment" => ( "TZ" ),
			"check-local" => "disable",
		)),
EOF
	done
	printf '\t)\n'
}

placeholders() {
	[ -n "$example" ] || return 0
	cat <<'EOF'
#
# Replace the placeholders: @HA_PORT@ (Instance-HA API, 15868),
# @VOLUME_PORT@ (Volume API, 8776), @CGI_BIN@ (directory of the built
# programs), @DATA_DIR@ (the data directory: mode 0700, outside any served
# path), @SERVICE_DOWN_TIME@ (seconds, 60), @PID_FILE@, @ERROR_LOG@ and
# @PROGRAM_LOG@ (the programs' stderr; a file other than @ERROR_LOG@).
# Optional in setenv.add-environment: "POLICY_FILE" (default
# $DATA_DIR/policy.json), "AUTH_URI" (default http://<Host header>/) and
# "API_HOST" (the Volume API's host in os-services get-log; default: the
# host name).  Keystone tokens (README "Keystone"): "HACGI_AUTH" =>
# "keystone", "HACGI_MANAGE" (hacgi-manage), and optionally
# "HACGI_KEYSTONE_CONF", "HACGI_TOKEN_CACHE_TIME",
# "HACGI_INVALID_TOKEN_CACHE_TIME", "HACGI_KEYSTONE_TIMEOUT",
# "HACGI_KEYSTONE_CONNECT_TIMEOUT".
# Then: lighttpd -D -f lighttpd.conf
EOF
}

emit() {
	modules='"mod_access", "mod_alias", "mod_rewrite", "mod_setenv", "mod_cgi"'
	[ -z "$fastcgi" ] || modules=${modules%\"mod_cgi\"}'"mod_fastcgi"'
	extra=
	if [ -n "$program_log" ]; then
		extra="server.breakagelog = \"$program_log\""
	fi
	if [ -n "$access_log" ]; then
		modules="$modules, \"mod_accesslog\""
		extra="${extra:+$extra
}accesslog.filename = \"$access_log\""
	fi
	if [ -n "$upload_dir" ]; then
		extra="${extra:+$extra
}server.upload-dirs = ( \"$upload_dir\" )"
	fi
	if [ -n "$user" ]; then
		group=$(id -gn "$user") || die "no user '$user'"
		extra="${extra:+$extra
}server.username = \"$user\"
server.groupname = \"$group\""
	fi
	printf '%s\n' \
	    '# lighttpd config for hacgi, generated by tools/genconf.sh from' \
	    '# tools/routes.tsv: change those, not this file.'
	placeholders
	cat <<EOF

server.modules = ( $modules )

server.bind = "127.0.0.1"
server.port = $ha_port
server.use-ipv6 = "disable"
server.document-root = "$docroot"
server.pid-file = "$pid_file"
server.errorlog = "$error_log"
${extra:+$extra
}server.tag = ""
server.range-requests = "disable"

# The programs must see bodies up to ~1 MiB to answer 413 (limit 114688
# bytes) themselves.  In KiB; lighttpd answers 413 above it.
server.max-request-size = 2048

# Let every request reach the programs: they answer from the original
# REQUEST_URI, which lighttpd never changes.  URL normalisation stays on
# (it only shapes the string the rewrite rules see, and turns raw bytes
# that are not UTF-8 into %XX, which PCRE needs), but control characters,
# %00 and invalid UTF-8 are not refused here (paths decode as Latin-1,
# SPEC 2.8; the programs answer a %00 with a 400), and GET may carry a
# body (SPEC 2.1).  QUERY_STRING is the normalised query; parse the query
# from REQUEST_URI.
server.http-parseopts = (
	"method-get-body" => "enable",
	"url-ctrls-reject" => "disable",
	"url-invalid-utf8-reject" => "disable",
)

setenv.add-environment = (
EOF
	env_line DATA_DIR "$data_dir"
	env_line SERVICE_DOWN_TIME "$down_time"
	env_line POLICY_FILE "$policy_file"
	env_line AUTH_URI "$auth_uri"
	env_line API_HOST "$api_host"
	env_line HACGI_AUTH "$auth"
	env_line HACGI_MANAGE "$manage"
	env_line HACGI_KEYSTONE_CONF "$ks_conf"
	env_line HACGI_TOKEN_CACHE_TIME "$cache_time"
	env_line HACGI_INVALID_TOKEN_CACHE_TIME "$invalid_time"
	env_line HACGI_KEYSTONE_TIMEOUT "$ks_timeout"
	env_line HACGI_KEYSTONE_CONNECT_TIMEOUT "$ks_connect"
	printf ')\n'
	spellings
	cat <<EOF

alias.url = ( "/cgi-bin/" => "$cgi_bin/" )

# Every request is rewritten to /cgi-bin/NAME below; nothing else (a
# static file, a directory listing) is ever served.
\$HTTP["url"] =~ "^/cgi-bin/[a-z0-9-]+\$" {
EOF
	handlers
	cat <<EOF
} else {
	url.access-deny = ( "" )
}

# Instance-HA API (Masakari v1).
\$SERVER["socket"] == "127.0.0.1:$ha_port" {
EOF
	rewrites "$ha_routes"
	cat <<EOF
}

# Volume API (Cinder v3).
\$SERVER["socket"] == "127.0.0.1:$volume_port" {
EOF
	rewrites "$vol_routes"
	printf '}\n'
}

genconf_write :
