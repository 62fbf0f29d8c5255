#!/usr/bin/env bats
# make install / make uninstall (tools/install.sh, tools/uninstall.sh),
# and the installed tree serving: tests/deploy_smoke.bats run again with
# HACGI_CGI_BIN and HACGI_MANAGE pointing into it, under lighttpd and
# under Apache.
load helpers

setup_file() {
	export STAGE=$BATS_FILE_TMPDIR/stage
	# make install in a copy of the tree: PREFIX=/usr compiles other
	# defaults in (hacgi-manage's path), and a rebuild in $TOP would
	# relink the programs under the suites running beside this one
	export SRC=$BATS_FILE_TMPDIR/src
	mkdir -p "$SRC"
	tar -C "$TOP" --exclude=./tests/logs -cf - . | tar -C "$SRC" -xf -
	make -s -C "$SRC" install DESTDIR="$STAGE" PREFIX=/usr \
	    >"$BATS_FILE_TMPDIR/install.out" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/install.out" >&2
		return 1
	}
}

# smoke KIND [BATS-ARGS]: tests/deploy_smoke.bats in a clean environment
# (none of this suite's server variables), served from the staged tree.
smoke() {
	local kind=$1 path
	shift
	# without bats' own directories, which hold a bats of their own
	path=$(tr : '\n' <<<"$PATH" | grep -v bats-core | paste -sd :)
	run env -i PATH="$path" HOME="${HOME:-/root}" LANG=C.UTF-8 \
	    HACGI_CGI_BIN="$STAGE/usr/lib/hacgi/cgi-bin" \
	    HACGI_MANAGE="$STAGE/usr/bin/hacgi-manage" \
	    HACGI_SERVER_KIND="$kind" \
	    bats --tap "$@" "$TOP/tests/deploy_smoke.bats" 3>&-
	grep '^not ok' <<<"$output" >&3 || true
}

@test "make install puts the programs, hacgi-manage and the configs under DESTDIR" {
	local p
	for p in "$TOP"/cgi-bin/*.c; do
		p=${p##*/}
		assert_file_executable "$STAGE/usr/lib/hacgi/cgi-bin/${p%.c}"
	done
	assert_file_executable "$STAGE/usr/bin/hacgi-manage"
	for p in httpd.conf.example httpd-fastcgi.conf.example \
	    lighttpd.conf.example apache2-site.conf apache2-fastcgi-site.conf \
	    lighttpd.conf hacgi-lighttpd.service README.md; do
		assert_file_exists "$STAGE/usr/share/hacgi/$p"
		assert_equal "$(stat -c %a "$STAGE/usr/share/hacgi/$p")" 644
	done
	cmp "$TOP/httpd.conf.example" "$STAGE/usr/share/hacgi/httpd.conf.example"
	cmp "$TOP/httpd-fastcgi.conf.example" \
	    "$STAGE/usr/share/hacgi/httpd-fastcgi.conf.example"
	# nothing but these
	run find "$STAGE/usr" -type f
	assert_equal "${#lines[@]}" "$(( $(ls "$TOP"/cgi-bin/*.c | wc -l) + 9 ))"
}

@test "make install creates an empty data directory, 0700, owned by www-data when root" {
	local d=$STAGE/var/lib/hacgi want
	assert_dir_exists "$d"
	assert_equal "$(stat -c %a "$d")" 700
	run ls -A "$d"
	assert_output ''
	want=$(id -un)
	if [[ $(id -u) == 0 ]] && id www-data >/dev/null 2>&1; then
		want=www-data
	fi
	assert_equal "$(stat -c %U "$d")" "$want"
}

@test "the installed configs name the installed paths and pass the servers' checks" {
	local s=$STAGE/usr/share/hacgi
	run grep -c 'ScriptAliasMatch .* "/usr/lib/hacgi/cgi-bin/[a-z-]*"$' \
	    "$s/apache2-site.conf"
	assert_equal "$output" "$(grep -v '^#' "$TOP/tools/routes.tsv" | grep -c .)"
	assert grep -q 'SetEnv DATA_DIR "/var/lib/hacgi"' "$s/apache2-site.conf"
	assert_equal "$(grep -c 'RequestReadTimeout header=' "$s/apache2-site.conf")" 2
	assert grep -q '"DATA_DIR" => "/var/lib/hacgi"' "$s/lighttpd.conf"
	assert grep -q "ExecStart=.*lighttpd -D -f /usr/share/hacgi/lighttpd.conf" \
	    "$s/hacgi-lighttpd.service"
	refute grep -q "$STAGE" "$s/apache2-site.conf" "$s/lighttpd.conf" \
	    "$s/hacgi-lighttpd.service"
	run lighttpd -tt -f "$s/lighttpd.conf"
	assert_success
}

@test "the installed FastCGI site runs the installed programs under mod_fcgid and passes apache2 -t" {
	local s=$STAGE/usr/share/hacgi d=$BATS_TEST_TMPDIR
	run grep -c 'AliasMatch .* "/usr/lib/hacgi/cgi-bin/[a-z-]*"$' \
	    "$s/apache2-fastcgi-site.conf"
	assert_equal "$output" "$(grep -v '^#' "$TOP/tools/routes.tsv" | grep -c .)"
	assert grep -q 'SetEnv DATA_DIR "/var/lib/hacgi"' \
	    "$s/apache2-fastcgi-site.conf"
	assert grep -qx 'Mutex pthread fcgid-pipe fcgid-proctbl' \
	    "$s/apache2-fastcgi-site.conf"
	refute grep -q 'cgi-script' "$s/apache2-fastcgi-site.conf"
	refute grep -q "$STAGE" "$s/apache2-fastcgi-site.conf"
	[[ -r /usr/lib/apache2/modules/mod_fcgid.so ]] ||
	    skip "mod_fcgid (libapache2-mod-fcgid) missing"
	site_conf "$s/apache2-fastcgi-site.conf" fcgid
	run apache2 -t -f "$d/httpd.conf"
	assert_success
	assert_output --partial 'Syntax OK'
}

@test "a second make install leaves an existing data directory as it is" {
	local d=$STAGE/var/lib/hacgi
	echo '{"format": 1}' > "$d/FORMAT"
	chmod 0750 "$d"
	run make -s -C "$SRC" install DESTDIR="$STAGE" PREFIX=/usr
	assert_success
	assert_output --partial 'exists: left as it is'
	assert_file_exists "$d/FORMAT"
	assert_equal "$(stat -c %a "$d")" 750
	rm "$d/FORMAT"
	chmod 0700 "$d"
}

@test "make install refuses a data directory that is a link, and closes one others can write" {
	local u=$BATS_TEST_TMPDIR/u
	mkdir -p "$u/var/lib" "$BATS_TEST_TMPDIR/real"
	ln -s "$BATS_TEST_TMPDIR/real" "$u/var/lib/hacgi"
	run make -s -C "$SRC" install DESTDIR="$u" PREFIX=/usr
	assert_failure
	assert_output --partial "/var/lib/hacgi is a link: the programs refuse to follow it"
	assert_dir_not_exists "$u/usr/lib/hacgi"
	rm "$u/var/lib/hacgi"
	mkdir "$u/var/lib/hacgi"
	chmod 0777 "$u/var/lib/hacgi"
	run make -s -C "$SRC" install DESTDIR="$u" PREFIX=/usr
	assert_success
	assert_output --partial "/var/lib/hacgi had mode 777 (other users could write in it"
	assert_equal "$(stat -c %a "$u/var/lib/hacgi")" 700
}

@test "hacgi-manage refuses root on the web server's data directory, and works as its owner" {
	[[ $(id -u) == 0 ]] && id www-data >/dev/null 2>&1 ||
		skip "needs root and a www-data user"
	local top d
	top=$(mktemp -d)
	chmod 0755 "$top"
	d=$top/hacgi
	install -d -o www-data -g www-data -m 0700 "$d"
	run "$STAGE/usr/bin/hacgi-manage" --data-dir "$d" token list
	assert_failure
	assert_output --partial "belongs to www-data, not root: run hacgi-manage as www-data"
	run ls -A "$d"
	assert_output ''
	# (a copy: www-data cannot reach bats' temporary directories)
	install -m 0755 "$STAGE/usr/bin/hacgi-manage" "$top/hacgi-manage"
	run runuser -u www-data -- "$top/hacgi-manage" --data-dir "$d" \
	    token create --user admin --project p --roles admin --token t
	assert_success
	assert_equal "$(find "$d" ! -user www-data | wc -l)" 0
	rm -rf "$top"
}

@test "the installed tree passes the smoke suite under lighttpd" {
	smoke lighttpd
	assert_success
	assert_line --regexp '^1\.\.[0-9]+$'
	refute_line --partial 'not ok'
}

@test "the installed tree passes the smoke suite under Apache (clients aside)" {
	# The real clients already ran against the installed tree just above.
	smoke apache -f '^([^oc]|clusters)'
	assert_success
	refute_line --partial 'not ok'
	assert_line --partial 'ok 1 '
}

@test "make uninstall removes all but the data directory; PURGE=1 removes it" {
	local u=$BATS_TEST_TMPDIR/u
	make -s -C "$SRC" install DESTDIR="$u" PREFIX=/usr >/dev/null
	run make -s -C "$SRC" uninstall DESTDIR="$u" PREFIX=/usr
	assert_success
	assert_output --partial 'left the data directory'
	run find "$u" -type f
	assert_output ''
	assert_dir_not_exists "$u/usr/lib/hacgi"
	assert_dir_not_exists "$u/usr/share/hacgi"
	assert_dir_exists "$u/var/lib/hacgi"
	run make -s -C "$SRC" uninstall DESTDIR="$u" PREFIX=/usr PURGE=1
	assert_success
	assert_dir_not_exists "$u/var/lib/hacgi"
}
