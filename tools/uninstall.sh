#!/bin/sh
# tools/uninstall.sh (make uninstall): remove what tools/install.sh
# installed.  The data directory stays, unless PURGE=1
# (make uninstall PURGE=1), which deletes it and everything in it.
#
#   uninstall.sh DESTDIR PREFIX CGIDIR BINDIR DATADIR SHAREDIR
set -eu

[ $# -eq 6 ] || {
	echo "usage: uninstall.sh DESTDIR PREFIX CGIDIR BINDIR DATADIR SHAREDIR" >&2
	exit 2
}
destdir=$1 cgidir=$3 bindir=$4 datadir=$5 sharedir=$6
top=$(cd "$(dirname "$0")/.." && pwd)

for src in "$top"/cgi-bin/*.c; do
	name=${src##*/}
	rm -f "$destdir$cgidir/${name%.c}"
done
rm -f "$destdir$bindir/hacgi-manage"
for f in httpd.conf.example httpd-fastcgi.conf.example \
    lighttpd.conf.example README.md apache2-site.conf \
    apache2-fastcgi-site.conf lighttpd.conf hacgi-lighttpd.service; do
	rm -f "$destdir$sharedir/$f"
done
# The directories, when nothing else is left in them: CGIDIR and its
# parent (PREFIX/lib/hacgi), SHAREDIR.
for d in "$destdir$cgidir" "$(dirname "$destdir$cgidir")" \
    "$destdir$sharedir"; do
	case ${d##*/} in
	hacgi|cgi-bin) rmdir "$d" 2>/dev/null || true ;;
	esac
done

if [ "${PURGE:-}" = 1 ]; then
	rm -rf "$destdir$datadir"
	echo "uninstall.sh: removed the data directory $destdir$datadir"
elif [ -d "$destdir$datadir" ]; then
	echo "uninstall.sh: left the data directory $destdir$datadir (PURGE=1 removes it)"
fi
