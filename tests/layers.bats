#!/usr/bin/env bats
# tests/layers.bats: the include layers of lib/ (tools/layers.sh,
# HACKING.md "Layers"), and that no CGI program links the admin CLI.

load helpers

# tree DIR: a copy of the tree's sources that tools/layers.sh reads.
tree() {
	mkdir -p "$1"
	cp -R "$TOP/lib" "$TOP/cgi-bin" "$TOP/bin" "$1"/
}

# layers_with FILE LINE: the copy, with LINE added to FILE, checked.
layers_with() {
	local t=$BATS_TEST_TMPDIR/tree
	tree "$t"
	printf '%s\n' "$2" >> "$t/$1"
	run sh "$TOP/tools/layers.sh" "$t"
}

@test "the tree keeps its layers and has no include circle" {
	run sh "$TOP/tools/layers.sh"
	assert_success
	assert_output ''
}

@test "base including http is refused, naming the include" {
	layers_with lib/base/json.c '#include "http/req.h"'
	assert_failure 1
	assert_output --partial \
	    'lib/base/json.c:'
	assert_output --partial \
	    '#include "http/req.h": base/ may include only base'
}

@test "http including the Instance-HA model is refused" {
	layers_with lib/http/app.c '#include "ha/segment.h"'
	assert_failure 1
	assert_output --partial '#include "ha/segment.h": http/ may include'
}

@test "ha and vol never include each other" {
	layers_with lib/ha/host.h '#include "vol/volume.h"'
	assert_failure 1
	assert_output --partial '#include "vol/volume.h": ha/ may include'
	layers_with lib/vol/volcheck.c '#include "ha/valid.h"'
	assert_failure 1
	assert_output --partial '#include "ha/valid.h": vol/ may include'
}

@test "a CGI program including the admin CLI is refused" {
	layers_with cgi-bin/ha-root.c '#include "admin/fsck.h"'
	assert_failure 1
	assert_output --partial \
	    '#include "admin/fsck.h": only lib/admin/ and bin/ include'
}

@test "an include without its folder is refused" {
	layers_with lib/ha/list.c '#include "util.h"'
	assert_failure 1
	assert_output --partial '#include "util.h": name the folder'
}

@test "an include circle is refused, naming its modules" {
	layers_with lib/ha/notification.c '#include "ha/segment.h"'
	assert_failure 1
	assert_output --partial 'include circle: '
	assert_output --partial 'lib/ha/notification'
	assert_output --partial 'lib/ha/segment'
}

@test "a handler setting a struct resp field is refused" {
	layers_with cgi-bin/ha-segment.c '	rs->status = 204;'
	assert_failure 1
	assert_output --regexp \
	    'cgi-bin/ha-segment.c:[0-9]+: a struct resp or struct store field'
}

@test "a handler priming a struct store field is refused" {
	layers_with cgi-bin/vol-clusters.c '	st.lockfd = -1;'
	assert_failure 1
	assert_output --partial 'cgi-bin/vol-clusters.c:'
	assert_output --partial 'use resp_*(), store_init()'
}

@test "a handler calling a storage primitive is refused" {
	layers_with cgi-bin/ha-segment.c \
	    '	(void)segment_load(&st, id, &err);'
	assert_failure 1
	assert_output --regexp \
	    'cgi-bin/ha-segment.c:[0-9]+: a storage primitive in a handler'
	layers_with cgi-bin/ha-hosts.c \
	    '	if (store_open(&st, d, "ha", 0) == -1)'
	assert_failure 1
	assert_output --partial 'cgi-bin/ha-hosts.c:'
}

@test "a Volume handler calling a storage primitive is refused" {
	local f
	for f in vol-cluster vol-clusters vol-heartbeat vol-services; do
		layers_with "cgi-bin/$f.c" \
		    '	(void)vol_load(&st, VOL_CLUSTERS, &db);'
		assert_failure 1
		assert_output --regexp \
		    "cgi-bin/$f.c:[0-9]+: a storage primitive in a handler"
	done
}

@test "a handler calling a domain operation or a view is not a primitive" {
	layers_with cgi-bin/ha-segment.c \
	    '	ha_segment_get(d, id, &rec); view_segment(rec);'
	assert_success
}

@test "a forbidden include fails the build" {
	local t=$BATS_TEST_TMPDIR/tree
	tree "$t"
	mkdir -p "$t/tools"
	cp "$TOP/Makefile" "$t"/
	cp "$TOP/tools/layers.sh" "$t/tools"/
	rm -f "$t/lib/.layers.ok" "$t"/lib/*/*.[oa]
	echo '#include "vol/volume.h"' >> "$t/lib/base/util.h"
	run make -s -C "$t" all
	assert_failure
	assert_output --partial '#include "vol/volume.h": base/ may include'
	refute [ -e "$t/lib/base/libbase.a" ]
}

@test "no CGI program holds a symbol defined only in lib/admin" {
	local admin=$TOP/lib/admin/libadmin.a others only p hits
	[[ -f $admin ]] || fail "$admin is not built (make all)"
	others=$BATS_TEST_TMPDIR/others
	only=$BATS_TEST_TMPDIR/admin-only
	nm -g --defined-only "$TOP"/lib/{base,http,ha,vol}/*.a |
	    awk 'NF == 3 { print $3 }' | sort -u > "$others"
	nm -g --defined-only "$admin" | awk 'NF == 3 { print $3 }' |
	    sort -u | comm -23 - "$others" > "$only"
	# the check must have something to look for
	assert [ "$(wc -l < "$only")" -gt 10 ]
	grep -qx fsck_run "$only"
	for p in "$TOP"/cgi-bin/*; do
		[[ -x $p && $p != *.c ]] || continue
		hits=$(nm "$p" | awk '{ print $NF }' | sort -u |
		    comm -12 - "$only")
		[[ -z $hits ]] || fail "${p##*/} holds $hits"
	done
}
