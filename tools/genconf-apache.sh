#!/bin/sh
# tools/genconf-apache.sh: write an Apache 2.4 config serving both hacgi
# APIs from tools/routes.tsv (the table tools/genconf.sh turns into the
# lighttpd config).  `--example` writes the committed httpd.conf.example:
#	sh tools/genconf-apache.sh --example > httpd.conf.example
# Without --example the same text is written with the values filled in;
# `--from FILE` fills in FILE (an httpd.conf.example) instead of
# generating it, which is what the tests serve (tools/serve.sh).
#
# What the generated config does, and why:
#   - two VirtualHosts, one per API, each on 127.0.0.1:PORT only;
#   - ScriptAliasMatch per route (mod_alias, mod_cgid; no mod_rewrite):
#     the first matching regex names the program.  Apache matches the
#     decoded, normalised path; the programs route again from the
#     original REQUEST_URI (which Apache keeps unchanged, query string
#     included) and exec the right sibling when they differ, so a routing
#     difference costs one exec, never a wrong answer.  The table's
#     regexes get "(?s)", so that the catch-all also matches paths
#     holding a decoded newline;
#   - the programs' directory is run, never read: SetHandler cgi-script;
#     every other directory is denied; DATA_DIR is never under a served
#     path (DocumentRoot is the programs' directory);
#   - SetEnv, in the programs' <Directory> only: DATA_DIR,
#     SERVICE_DOWN_TIME and, when given, POLICY_FILE, AUTH_URI, API_HOST
#     and the Keystone settings (HACGI_AUTH, HACGI_MANAGE,
#     HACGI_KEYSTONE_*, HACGI_*_TIME; SPEC 6).
#     Apache passes request headers as HTTP_* (HTTP_X_AUTH_TOKEN,
#     HTTP_OPENSTACK_API_VERSION), except names holding "_";
#   - SetEnvIfNoCase (mod_setenvif), in the programs' <Directory>: Apache
#     passes no header whose name holds anything but letters, digits and
#     "-", so X_Auth_Token never reaches a program; but lighttpd passes
#     it as HTTP_X_AUTH_TOKEN, where the programs would take it for
#     X-Auth-Token.  The programs refuse such a request (400) under both
#     servers: here Apache sets HACGI_VARIANT_X_AUTH_TOKEN when one comes;
#   - AllowEncodedSlashes NoDecode: a %2F in a path reaches the programs
#     (Apache answers 404 itself otherwise);
#   - LimitRequestBody 2 MiB: bodies up to it reach the programs, which
#     answer 413 themselves above 114688 bytes (SPEC 2.5); Apache answers
#     its own 413 above 2 MiB;
#   - mod_headers puts back the Content-Type Apache removes from a 204
#     (Instance-HA port only: SPEC 2.6);
#   - mod_reqtimeout, in each VirtualHost: a client gets 10 s for the
#     request line and headers (one more second per 500 bytes sent, up
#     to 20 s), and 20 s for the body (one more second per 500 bytes,
#     no cap); Timeout 30 bounds every other wait (a read or a write
#     stalled for 30 s, a program silent for 30 s).  Without them a few
#     hundred connections that send a header line now and then hold
#     every worker (slowloris: tests/sec_slowloris.bats).  The --site
#     config needs the module (Debian enables it: a2enmod reqtimeout);
#   - MaxRanges none: a Range header never turns a JSON answer into a 206;
#     TraceEnable off (Apache answers TRACE itself, with a 405);
#     ServerTokens Prod, ServerSignature Off.
# With --fastcgi (committed as httpd-fastcgi.conf.example) the programs
# run as FastCGI responders under mod_fcgid instead of mod_cgid: Apache
# starts each program with a listening socket as its fd 0, FCGID_PROCS
# of them at most per program, and starts one again when it dies (the
# same model as lighttpd's bin-path; mod_proxy_fcgi would need the
# responders started and restarted by something else).  AliasMatch
# instead of ScriptAliasMatch (which forces mod_cgid's handler),
# SetHandler fcgid-script; FcgidMaxRequestLen lets bodies up to 2 MiB
# through (its default, 128 KiB, would answer 500 below the programs'
# 413).
set -eu

usage() {
	cat >&2 <<'EOF'
usage: genconf-apache.sh [options]
  --ha-port N             Instance-HA port (15868)
  --volume-port N         Volume port (8776)
  --cgi-bin DIR           directory holding the CGI binaries (required)
  --data-dir DIR          DATA_DIR passed to the programs (required)
  --run-dir DIR           ServerRoot: pid file, cgid socket, mutexes
                          (required, unless --site)
  --log-dir DIR           error.log (also the programs' stderr) and
                          access.log (required, unless --site)
  --modules DIR           Apache modules (/usr/lib/apache2/modules)
  --user USER             User and Group the programs run as when Apache
  --group GROUP           is started by root (www-data); --user '' omits
                          both lines
  --service-down-time S   SERVICE_DOWN_TIME for the programs (60)
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
  --site                  only the Listen lines and the two VirtualHosts,
                          for a stock Apache (Debian: sites-available/)
  --from FILE             fill in FILE instead of generating the text
  --routes FILE           routing table (default: tools/routes.tsv)
  --out FILE              output file (default: standard output)
  --fastcgi               the programs as FastCGI responders (mod_fcgid)
  --example               placeholders instead of values
EOF
	exit 2
}

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/genconf-common.sh"

ha_port=15868 volume_port=8776 modules=/usr/lib/apache2/modules
user=www-data group=www-data down_time=60
cgi_bin='' data_dir='' run_dir='' log_dir='' policy_file='' auth_uri=''
api_host='' site='' from='' out='' example='' fastcgi='' auth='' manage=''
ks_conf='' cache_time='' invalid_time='' ks_timeout='' ks_connect=''

genconf_options '--example=example --site=site --fastcgi=fastcgi' '--ha-port=ha_port
    --volume-port=volume_port --cgi-bin=cgi_bin --data-dir=data_dir
    --run-dir=run_dir --log-dir=log_dir --modules=modules --user=user
    --group=group --service-down-time=down_time --policy-file=policy_file
    --auth-uri=auth_uri --api-host=api_host --from=from --routes=routes
    --out=out --auth=auth --manage=manage --keystone-conf=ks_conf
    --token-cache-time=cache_time --invalid-token-cache-time=invalid_time
    --keystone-timeout=ks_timeout --keystone-connect-timeout=ks_connect' \
    "$@"

check_values() {
	genconf_check
	if [ -z "$site" ]; then
		[ -n "$run_dir" ] || die "--run-dir is required"
		[ -n "$log_dir" ] || die "--log-dir is required"
	fi
	case $down_time in
	''|*[!0-9]*) die "bad --service-down-time: '$down_time'" ;;
	esac
	[ -n "$group" ] || group=$user
	genconf_check_auth
	# Values go between "..." in the config (where Apache reads \ and
	# ${...}) and into sed replacements: refuse what would need escaping.
	for v in "$cgi_bin" "$data_dir" "$run_dir" "$log_dir" "$modules" \
	    "$user" "$group" "$policy_file" "$auth_uri" "$api_host" \
	    "$manage" "$ks_conf"; do
		case $v in
		*[\"\\\$\|\&@]*|*'
'*) die "unsupported character in '$v'" ;;
		esac
	done
	paths=$cgi_bin$data_dir$run_dir$log_dir$modules
	case $paths$policy_file$manage$ks_conf in
	*' '*) die "paths with spaces are not supported" ;;
	esac
}

# routes API: one ScriptAliasMatch (FastCGI: AliasMatch) per route of
# API, in table order.
routes() {
	alias=ScriptAliasMatch
	[ -z "$fastcgi" ] || alias=AliasMatch
	if [ "$1" = ha ]; then set -- "$ha_routes"; else set -- "$vol_routes"; fi
	printf '%s\n' "$1" | while IFS=$tab read -r re bin; do
		printf '\t%s "(?s)%s" "@CGI_BIN@/%s"\n' "$alias" "$re" "$bin"
	done
}

header() {
	cat <<'EOF'
# Apache 2.4 config for hacgi, generated by tools/genconf-apache.sh from
# tools/routes.tsv: change those, not this file.
#
# Replace the placeholders: @HA_PORT@ (Instance-HA API, 15868),
# @VOLUME_PORT@ (Volume API, 8776), @CGI_BIN@ (directory of the built
# programs), @DATA_DIR@ (the data directory: mode 0700, owned by @USER@,
# outside any served path), @SERVICE_DOWN_TIME@ (seconds, 60), @RUN_DIR@
# (pid file, cgid socket, mutexes), @LOG_DIR@ (error.log, access.log),
# @MODULES@ (/usr/lib/apache2/modules on Debian), @USER@ and @GROUP@
# (www-data on Debian; ignored unless Apache is started by root).
# Optional: uncomment the POLICY_FILE (default $DATA_DIR/policy.json),
# AUTH_URI (default http://<Host header>/) and API_HOST (the Volume API's
# host in os-services get-log; default: the host name) lines.
# Or let tools/genconf-apache.sh fill them in (see its --help).
# Then: apache2 -DFOREGROUND -f /path/to/httpd.conf  (httpd elsewhere)
#
# For a stock Debian Apache, use `tools/genconf-apache.sh --site ...`
# as /etc/apache2/sites-available/hacgi.conf instead (README.md).

ServerRoot "@RUN_DIR@"
PidFile "@RUN_DIR@/httpd.pid"
Mutex file:@RUN_DIR@ default
ErrorLog "@LOG_DIR@/error.log"
LogLevel warn
CustomLog "@LOG_DIR@/access.log" "%h %l %u %t \"%r\" %>s %b %D"

# The programs run as this user, which owns @DATA_DIR@.
User @USER@
Group @GROUP@

LoadModule mpm_event_module "@MODULES@/mod_mpm_event.so"
LoadModule authz_core_module "@MODULES@/mod_authz_core.so"
LoadModule alias_module "@MODULES@/mod_alias.so"
LoadModule env_module "@MODULES@/mod_env.so"
LoadModule headers_module "@MODULES@/mod_headers.so"
LoadModule setenvif_module "@MODULES@/mod_setenvif.so"
EOF
	if [ -n "$fastcgi" ]; then
		cat <<'EOF'
LoadModule fcgid_module "@MODULES@/mod_fcgid.so"
LoadModule reqtimeout_module "@MODULES@/mod_reqtimeout.so"
FcgidIPCDir "@RUN_DIR@/fcgid"
FcgidProcessTableFile "@RUN_DIR@/fcgid_shm"
EOF
	else
		cat <<'EOF'
LoadModule cgid_module "@MODULES@/mod_cgid.so"
LoadModule reqtimeout_module "@MODULES@/mod_reqtimeout.so"
ScriptSock "@RUN_DIR@/cgid.sock"
EOF
	fi
	cat <<'EOF'

ServerName 127.0.0.1
ServerTokens Prod
ServerSignature Off
TraceEnable off

# Nothing is served but what the VirtualHosts below route to a program.
<Directory />
	AllowOverride None
	Options None
	Require all denied
</Directory>
EOF
}

# site: what a stock Apache needs too (Listen, the programs' directory,
# the two VirtualHosts).
site() {
	cat <<'EOF'

Listen 127.0.0.1:@HA_PORT@
Listen 127.0.0.1:@VOLUME_PORT@
EOF
	[ -z "$fastcgi" ] || cat <<'EOF'

# mod_fcgid's two locks as process-shared (robust) pthread mutexes.  The
# "file" default (Debian's too) is fcntl on Linux, whose deadlock check
# takes every thread of a process for one lock owner: under load it
# fails a lock that would have been granted (EDEADLK, "can't get pipe
# mutex"), and mod_fcgid then ends the whole child process, dropping
# every connection it was serving.
Mutex pthread fcgid-pipe fcgid-proctbl
EOF
	cat <<'EOF'

# The programs are only ever run, never read.  Environment: nothing of
# Apache's own but PATH; the request headers as HTTP_*.
<Directory "@CGI_BIN@">
	AllowOverride None
	Options +ExecCGI
	SetHandler @HANDLER@
	Require all granted
	SetEnv DATA_DIR "@DATA_DIR@"
	SetEnv SERVICE_DOWN_TIME "@SERVICE_DOWN_TIME@"
	#SetEnv POLICY_FILE "@POLICY_FILE@"
	#SetEnv AUTH_URI "@AUTH_URI@"
	#SetEnv API_HOST "@API_HOST@"
	# Keystone tokens (README "Keystone", SPEC 6): uncomment, and set
	# the path of hacgi-manage, the validator the programs run.
	#SetEnv HACGI_AUTH "keystone"
	#SetEnv HACGI_MANAGE "/usr/local/bin/hacgi-manage"
	#SetEnv HACGI_KEYSTONE_CONF "@DATA_DIR@/keystone.conf"
	#SetEnv HACGI_TOKEN_CACHE_TIME "300"
	#SetEnv HACGI_INVALID_TOKEN_CACHE_TIME "10"
	#SetEnv HACGI_KEYSTONE_TIMEOUT "10"
	#SetEnv HACGI_KEYSTONE_CONNECT_TIMEOUT "3"
	# Other spellings (X_Auth_Token, X.Auth.Token) of the headers the
	# programs read: they answer 400 when one came.
EOF
	spellings
	printf '</Directory>\n'
	vhost ha "Instance-HA API (Masakari v1)" @HA_PORT@
	vhost volume "Volume API (Cinder v3)" @VOLUME_PORT@
}

# spellings: one SetEnvIfNoCase per name in $spelled_headers: a request
# header named like it, with any other character in place of each "-",
# sets HACGI_VARIANT_<its variable>.
spellings() {
	for h in $spelled_headers; do
		printf '\tSetEnvIfNoCase "^(?!%s$)%s$" "." HACGI_VARIANT_%s=1\n' \
		    "$h" "$(printf '%s\n' "$h" | sed 's/-/[^A-Za-z0-9]/g')" \
		    "$(header_var "$h")"
	done
}

# vhost API TITLE PORT
vhost() {
	cat <<EOF

# $2.
<VirtualHost 127.0.0.1:$3>
	DocumentRoot "@CGI_BIN@"
	AllowEncodedSlashes NoDecode
	LimitRequestBody 2097152
	# Slow clients: see the top of tools/genconf-apache.sh.
	Timeout 30
	RequestReadTimeout header=10-20,MinRate=500 body=20,MinRate=500
	MaxRanges none
	TraceEnable off
	ServerSignature Off
EOF
	[ "$1" != ha ] || cat <<'EOF'
	# Apache drops the Content-Type of a 204; Instance-HA 204s carry
	# application/json (SPEC 2.6), and only they exist on this port.
	Header always set Content-Type application/json "expr=%{REQUEST_STATUS} == 204"
EOF
	cat <<'EOF'
	# A stock Apache's own handlers (Debian: /server-status) never
	# answer here: every path runs a program.
	<Location "/">
		SetHandler @HANDLER@
	</Location>
EOF
	[ -z "$fastcgi" ] || cat <<'EOF'
	# The responders (mod_fcgid): bodies up to LimitRequestBody reach
	# them; at most two per program on a 2-core machine; one silent
	# for 30 s is given up on.
	FcgidMaxRequestLen 2097152
	FcgidMaxProcessesPerClass 2
	FcgidMinProcessesPerClass 1
	FcgidIOTimeout 30
EOF
	routes "$1"
	printf '</VirtualHost>\n'
}

example() {
	handler=cgi-script
	[ -z "$fastcgi" ] || handler=fcgid-script
	example_text | sed "s|@HANDLER@|$handler|"
}

example_text() {
	if [ -n "$from" ]; then
		[ -r "$from" ] || die "cannot read $from"
		cat "$from"
	elif [ -n "$site" ]; then
		runner=cgid
		[ -z "$fastcgi" ] || runner=fcgid
		printf '%s\n' \
		    '# Apache 2.4 site for hacgi, generated by tools/genconf-apache.sh' \
		    "# --site from tools/routes.tsv.  Needs mod_$runner, mod_alias," \
		    '# mod_env, mod_headers, mod_reqtimeout, mod_setenvif (Debian:' \
		    "# a2enmod $runner headers reqtimeout setenvif)."
		site
	else
		header
		site
	fi
}

# setenv_sed NAME VALUE: the sed expression that uncomments the
# example's "#SetEnv NAME ..." line with VALUE in it.  Keystone's lines
# hold defaults, not placeholders, and a --from file may have them set.
setenv_sed() {
	printf 's|^\\([[:space:]]*\\)#*\\(SetEnv %s\\) "[^"]*"$|\\1\\2 "%s"|\n' \
	    "$1" "$2"
}

# fill: the example on stdin, placeholders replaced by the values.
fill() {
	set -- -e "s|@HA_PORT@|$ha_port|g" \
	    -e "s|@VOLUME_PORT@|$volume_port|g" \
	    -e "s|@CGI_BIN@|$cgi_bin|g" -e "s|@DATA_DIR@|$data_dir|g" \
	    -e "s|@RUN_DIR@|$run_dir|g" -e "s|@LOG_DIR@|$log_dir|g" \
	    -e "s|@MODULES@|$modules|g" \
	    -e "s|@SERVICE_DOWN_TIME@|$down_time|g"
	if [ -n "$user" ]; then
		set -- "$@" -e "s|@USER@|$user|g" -e "s|@GROUP@|$group|g"
	else
		set -- "$@" -e '/^User @USER@$/d' -e '/^Group @GROUP@$/d'
	fi
	[ -z "$policy_file" ] || set -- "$@" \
	    -e "s|#\\(SetEnv POLICY_FILE\\) \"@POLICY_FILE@\"|\\1 \"$policy_file\"|"
	[ -z "$auth_uri" ] || set -- "$@" \
	    -e "s|#\\(SetEnv AUTH_URI\\) \"@AUTH_URI@\"|\\1 \"$auth_uri\"|"
	[ -z "$api_host" ] || set -- "$@" \
	    -e "s|#\\(SetEnv API_HOST\\) \"@API_HOST@\"|\\1 \"$api_host\"|"
	for w in HACGI_AUTH=auth HACGI_MANAGE=manage \
	    HACGI_KEYSTONE_CONF=ks_conf HACGI_TOKEN_CACHE_TIME=cache_time \
	    HACGI_INVALID_TOKEN_CACHE_TIME=invalid_time \
	    HACGI_KEYSTONE_TIMEOUT=ks_timeout \
	    HACGI_KEYSTONE_CONNECT_TIMEOUT=ks_connect; do
		eval "v=\$${w#*=}"
		[ -z "$v" ] || set -- "$@" -e "$(setenv_sed "${w%%=*}" "$v")"
	done
	sed "$@"
}

emit() {
	if [ -n "$example" ]; then
		example
	else
		example | fill
	fi
}

[ -n "$example" ] || check_values
[ -n "$from" ] || genconf_routes
[ -z "$from" ] || [ -z "$example" ] || die "--from and --example exclude each other"

# filled FILE: an unfilled placeholder means a broken --from file.
filled() {
	if [ -z "$example" ] && grep -v '^[[:space:]]*#' "$1" | grep -q '@[A-Z_]*@'; then
		die "placeholders left in $out"
	fi
}

genconf_write filled
