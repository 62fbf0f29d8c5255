# shellcheck shell=sh
# tools/routes.sh: read tools/routes.tsv, for the config generators
# (tools/genconf.sh: lighttpd, tools/genconf-apache.sh: Apache).  Sourced
# (". tools/routes.sh"), never run.  POSIX sh.
#
#   routes_read FILE API
#	Prints one line "REGEX<TAB>BINARY" per route of API ("ha" or
#	"volume") in table order, after checking every line of FILE (not
#	only API's): 3 TAB-separated columns, a known api, a regex anchored
#	with ^...$ holding no double quote and no "(?", a binary name of
#	[a-z0-9-].  Exits the shell with a message naming FILE on a bad
#	line, or when API has no route.

routes_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

routes_read() {
	_rt_file=$1 _rt_api=$2 _rt_n=0
	_rt_tab=$(printf '\t')
	[ -r "$_rt_file" ] || routes_die "cannot read $_rt_file"
	# Checked first, whole: a pipeline would run the loop in a subshell,
	# where exit only ends the subshell.
	_rt_out=$(routes_check "$_rt_file" "$_rt_api") || exit 1
	_rt_n=$(printf '%s' "$_rt_out" | grep -c . || true)
	[ "$_rt_n" -gt 0 ] || routes_die "$_rt_file: no route for api '$_rt_api'"
	printf '%s\n' "$_rt_out"
}

# routes_check FILE API: the body of routes_read, in a subshell.
routes_check() {
	while IFS=$_rt_tab read -r api re bin rest; do
		case $api in ''|'#'*) continue ;; esac
		[ -n "$re" ] && [ -n "$bin" ] && [ -z "$rest" ] ||
			routes_die "$1: want 3 TAB-separated columns: $api $re"
		case $api in
		ha|volume) ;;
		*) routes_die "$1: unknown api '$api'" ;;
		esac
		case $re in
		*\"*|*'(?'*) routes_die "$1: unsupported regex: $re" ;;
		'^'*'$') ;;
		*) routes_die "$1: regex not anchored with ^...\$: $re" ;;
		esac
		case $bin in
		''|*[!a-z0-9-]*) routes_die "$1: bad binary name: $bin" ;;
		esac
		[ "$api" != "$2" ] || printf '%s\t%s\n' "$re" "$bin"
	done < "$1"
}
