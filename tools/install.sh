#!/bin/sh
# tools/install.sh (make install): install the built programs, the admin
# CLI, the example configs, ready configs for the installed paths, and an
# empty data directory.
#
#   install.sh DESTDIR PREFIX CGIDIR BINDIR DATADIR SHAREDIR
#
# Layout (make's defaults; PREFIX=/usr/local):
#   CGIDIR   $PREFIX/lib/hacgi/cgi-bin  the CGI programs (0755)
#   BINDIR   $PREFIX/bin                hacgi-manage (0755)
#   SHAREDIR $PREFIX/share/hacgi        httpd.conf.example,
#            httpd-fastcgi.conf.example, lighttpd.conf.example
#            (placeholders), and filled in for the paths above:
#            apache2-site.conf (a site for a stock Apache, CGI),
#            apache2-fastcgi-site.conf (the same, FastCGI responders
#            under mod_fcgid), lighttpd.conf + hacgi-lighttpd.service (a lighttpd
#            of its own, run by systemd as the web server user, pid file
#            in /run/hacgi, logs in /var/log/hacgi), README.md
#   DATADIR  /var/lib/hacgi             the data directory: created empty,
#            mode 0700, owned by the web server user (WWW_USER, default
#            www-data) when we are root and that user exists, else by us;
#            an existing one is left as it is, but a link (the programs
#            never follow one) or something that is not a folder is
#            refused before anything is installed, and a folder other
#            users can write is made 0700 (the programs refuse it)
# Every path is prefixed with DESTDIR (staged installs, packages); the
# generated configs name the final paths, without DESTDIR.
set -eu

[ $# -eq 6 ] || {
	echo "usage: install.sh DESTDIR PREFIX CGIDIR BINDIR DATADIR SHAREDIR" >&2
	exit 2
}
destdir=$1 prefix=$2 cgidir=$3 bindir=$4 datadir=$5 sharedir=$6
top=$(cd "$(dirname "$0")/.." && pwd)
www_user=${WWW_USER:-www-data}

die() {
	echo "install.sh: $*" >&2
	exit 1
}

for d in "$prefix" "$cgidir" "$bindir" "$datadir" "$sharedir"; do
	case $d in
	/*) ;;
	*) die "not an absolute path: '$d'" ;;
	esac
done

# programs: the names of the CGI programs (one per cgi-bin/*.c).
programs() {
	for src in "$top"/cgi-bin/*.c; do
		name=${src##*/}
		printf '%s\n' "${name%.c}"
	done
}

# replace SRC DEST: install SRC as DEST (0755) by a rename, so that a
# server running DEST meanwhile (an upgrade in place) runs the old or the
# new program, never a half-copied one.
replace() {
	install -m 0755 "$1" "$2.new.$$"
	mv -f "$2.new.$$" "$2"
}

install_programs() {
	install -d -m 0755 "$destdir$cgidir" "$destdir$bindir"
	for p in $(programs); do
		[ -x "$top/cgi-bin/$p" ] || die "cgi-bin/$p is not built (make all)"
	done
	[ -x "$top/bin/hacgi-manage" ] || die "bin/hacgi-manage is not built"
	for p in $(programs); do
		replace "$top/cgi-bin/$p" "$destdir$cgidir/$p"
	done
	replace "$top/bin/hacgi-manage" "$destdir$bindir/hacgi-manage"
}

# owner: "USER:GROUP" for the data directory, or "" (keep ours).
owner() {
	[ "$(id -u)" = 0 ] || return 0
	id "$www_user" >/dev/null 2>&1 || return 0
	printf '%s:%s\n' "$www_user" "$(id -gn "$www_user")"
}

# check_datadir: an existing data directory must be a folder, not a link
# to one: refuse before anything is installed.
check_datadir() {
	d=$destdir$datadir
	if [ -L "$d" ]; then
		die "$d is a link: the programs refuse to follow it; set DATADIR to the folder itself ($(readlink "$d"))"
	fi
	if [ -e "$d" ] && [ ! -d "$d" ]; then
		die "$d exists and is not a folder"
	fi
}

# mode_of PATH: its permission bits in octal (e.g. 700).
mode_of() {
	stat -c %a "$1"
}

install_datadir() {
	d=$destdir$datadir
	if [ -d "$d" ]; then
		m=$(mode_of "$d")
		# group or others may write (octal digits 2, 3, 6, 7)
		case $m in
		*[2367]? | *[2367])
			chmod 0700 "$d"
			echo "install.sh: $d had mode $m (other users could write in it, and the programs refuse that): now 0700"
			;;
		esac
		echo "install.sh: $d exists: left as it is"
		return 0
	fi
	install -d -m 0755 "$(dirname "$d")"
	mkdir -m 0700 "$d"
	o=$(owner)
	if [ -n "$o" ]; then
		chown "$o" "$d"
	fi
	echo "install.sh: data directory $d (0700, owner ${o:-$(id -un)})"
}

install_configs() {
	s=$destdir$sharedir
	install -d -m 0755 "$s"
	install -m 0644 "$top/httpd.conf.example" \
	    "$top/httpd-fastcgi.conf.example" "$top/lighttpd.conf.example" \
	    "$top/README.md" "$s/"
	sh "$top/tools/genconf-apache.sh" --site --cgi-bin "$cgidir" \
	    --data-dir "$datadir" --out "$s/apache2-site.conf"
	sh "$top/tools/genconf-apache.sh" --site --fastcgi --cgi-bin "$cgidir" \
	    --data-dir "$datadir" --out "$s/apache2-fastcgi-site.conf"
	sh "$top/tools/genconf.sh" --cgi-bin "$cgidir" --data-dir "$datadir" \
	    --pid-file /run/hacgi/lighttpd.pid \
	    --error-log /var/log/hacgi/lighttpd.log \
	    --program-log /var/log/hacgi/programs.log \
	    --out "$s/lighttpd.conf"
	lighttpd=$(command -v lighttpd 2>/dev/null || echo /usr/sbin/lighttpd)
	sed -e "s|@LIGHTTPD@|$lighttpd|" -e "s|@SHAREDIR@|$sharedir|" \
	    -e "s|@USER@|$www_user|g" \
	    "$top/tools/hacgi-lighttpd.service.in" > "$s/hacgi-lighttpd.service"
	chmod 0644 "$s/apache2-site.conf" "$s/apache2-fastcgi-site.conf" \
	    "$s/lighttpd.conf" "$s/hacgi-lighttpd.service"
}

check_datadir
install_programs
install_configs
install_datadir
echo "install.sh: programs in $destdir$cgidir, hacgi-manage in $destdir$bindir, configs in $destdir$sharedir"
