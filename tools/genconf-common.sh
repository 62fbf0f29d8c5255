# shellcheck shell=sh
# shellcheck disable=SC2034,SC2154 # variables shared with the sourcing script
# tools/genconf-common.sh: what tools/genconf.sh (lighttpd) and
# tools/genconf-apache.sh (Apache) share: the command line, the checks of
# the values both take, the routing table, the output file.  Sourced
# (". tools/genconf-common.sh") after $top is set, never run.  POSIX sh.
# Sources tools/routes.sh; sets routes (the default table) and tab.
#
#   genconf_options FLAGS VALUES ARGS...
#	Parses ARGS.  FLAGS and VALUES are space-separated words
#	"--option=variable": a flag sets its variable to 1, a value option
#	sets it to the next argument.  Anything else calls usage (the
#	sourcing script's).
#   genconf_check
#	Dies unless $ha_port and $volume_port are two different numbers,
#	$cgi_bin and $data_dir are set, and they and $policy_file (when
#	set) are absolute paths.
#   genconf_routes
#	Reads (and checks) the table $routes into $ha_routes and $vol_routes
#	("REGEX<TAB>BINARY" lines); exits on a bad table.
#   spelled_headers, header_var NAME
#	The request headers the programs read whose names hold a "-",
#	and the CGI variable of one without its HTTP_ (X_AUTH_TOKEN): both
#	configs tell the programs when one came spelled otherwise
#	(X_Auth_Token), which they refuse (README "Security model").
#   genconf_write CHECK
#	Writes what emit prints to $out, or to standard output when $out is
#	empty.  $out is replaced whole (a temp file renamed), after CHECK TMP
#	succeeded on the temp file.

. "$top/tools/routes.sh"
routes=$top/tools/routes.tsv
tab=$(printf '\t')

spelled_headers="X-Auth-Token OpenStack-API-Version"

header_var() {
	printf '%s\n' "$1" | tr 'a-z-' 'A-Z_'
}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

genconf_options() {
	_gc_flags=$1 _gc_values=$2
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--*) ;;
		*) usage ;;
		esac
		# shellcheck disable=SC2086 # the words, split
		if _gc_var=$(genconf_lookup "$1" $_gc_flags); then
			eval "$_gc_var=1"
			shift
			continue
		fi
		[ $# -ge 2 ] || usage
		# shellcheck disable=SC2086
		_gc_var=$(genconf_lookup "$1" $_gc_values) || usage
		eval "$_gc_var=\$2"
		shift 2
	done
}

# genconf_lookup OPTION WORDS...: the variable of OPTION among WORDS.
genconf_lookup() {
	_gc_opt=$1
	shift
	for _gc_w; do
		if [ "${_gc_w%%=*}" = "$_gc_opt" ]; then
			printf '%s\n' "${_gc_w#*=}"
			return 0
		fi
	done
	return 1
}

genconf_check() {
	for p in "$ha_port" "$volume_port"; do
		case $p in
		''|*[!0-9]*) die "bad port: '$p'" ;;
		esac
	done
	[ "$ha_port" != "$volume_port" ] || die "both APIs on port $ha_port"
	[ -n "$cgi_bin" ] || die "--cgi-bin is required"
	[ -n "$data_dir" ] || die "--data-dir is required"
	# Relative to what?  The programs run in a directory the server
	# chooses, and refuse a relative DATA_DIR or POLICY_FILE (500).
	for p in "$cgi_bin" "$data_dir" ${policy_file:+"$policy_file"}; do
		case $p in
		/*) ;;
		*) die "not an absolute path: '$p'" ;;
		esac
	done
}

# The Keystone settings (SPEC 2.2.1), which both configs pass on.
genconf_check_auth() {
	case $auth in
	''|local|keystone) ;;
	*) die "bad --auth: '$auth' (local, keystone)" ;;
	esac
	for v in "$cache_time" "$invalid_time" "$ks_timeout" "$ks_connect"; do
		case $v in
		*[!0-9]*) die "bad number of seconds: '$v'" ;;
		esac
	done
	for p in ${manage:+"$manage"} ${ks_conf:+"$ks_conf"}; do
		case $p in
		/*) ;;
		*) die "not an absolute path: '$p'" ;;
		esac
	done
}

# Read here, not in emit: emit may run in a pipeline (a subshell, where
# exit would not stop us), and a bad table must stop us before any output.
genconf_routes() {
	ha_routes=$(routes_read "$routes" ha) || exit 1
	vol_routes=$(routes_read "$routes" volume) || exit 1
}

genconf_write() {
	if [ -z "$out" ]; then
		emit
		return
	fi
	# a new file of a name nobody could guess or make first (mktemp:
	# O_EXCL), with the mode a plain redirection would have given it
	tmp=$(mktemp "$out.tmp.XXXXXXXXXX") || die "cannot write next to $out"
	trap 'rm -f "$tmp"' EXIT
	chmod "$(printf '%o' $((0666 & ~0$(umask))))" "$tmp"
	emit > "$tmp"
	"$1" "$tmp"
	mv -f "$tmp" "$out"
	trap - EXIT
}
