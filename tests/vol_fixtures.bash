# tests/vol_fixtures.bash: Volume API fixtures (`load vol_fixtures` after
# `load helpers`).
#
#   vol_fixture          a small cluster world, loaded with hacgi-manage:
#     c1@lvm/cinder-volume     h1@lvm, h2@lvm (fresh)           up, 2 hosts
#     c2/cinder-volume         n1@lvm (fresh), n2@lvm (1 h old)  up, 1 down,
#                              failed-over, frozen, backend b1
#     c3@ceph/cinder-volume    disabled "maint", h3@ceph (fresh, zone az2)
#     empty@nfs/cinder-volume  no members                        down
#     c1@lvm/cinder-backup     bk1 (fresh)                       up
#     pool@be#p1/cinder-volume pool@be (fresh), replication enabled
#     plus ctl1/cinder-scheduler (no cluster) and lone@lvm/cinder-volume
#     (no cluster, 2 h old, disabled "gone")
#   vapi37 METHOD PATH [BODY [ARGS]]   vapi at microversion 3.7
#   vapi326 METHOD PATH [BODY [ARGS]]  vapi at microversion 3.26
#   data_snapshot        a digest of every file and folder under DATA_DIR
#   ago N                the time N seconds ago, YYYY-MM-DDTHH:MM:SS.ffffff

P=/v3/0123456789abcdef0123456789abcdef

ago() {
	date -u -d "-$1 sec" +%Y-%m-%dT%H:%M:%S.%6N
}

vol_fixture() {
	local old
	old=$(ago 3600)
	manage cluster set c1@lvm --created-at 2024-01-01T10:00:00
	manage cluster set c2 --replication-status failed-over --frozen true \
	    --active-backend-id b1 --created-at 2024-01-02T10:00:00 \
	    --updated-at 2024-03-01T08:30:00
	manage cluster set c3@ceph --disabled --reason maint \
	    --created-at 2024-01-03T10:00:00 --updated-at 2024-02-01T12:00:00
	manage cluster set empty@nfs --created-at 2024-01-04T10:00:00
	manage cluster set c1@lvm --binary cinder-backup \
	    --created-at 2024-01-05T10:00:00
	manage cluster set 'pool@be#p1' --replication-status enabled \
	    --created-at 2024-01-06T10:00:00
	manage service heartbeat --host h1@lvm --binary cinder-volume --cluster c1@lvm
	manage service heartbeat --host h2@lvm --binary cinder-volume --cluster c1@lvm
	manage service heartbeat --host n1@lvm --binary cinder-volume --cluster c2
	manage service heartbeat --host n2@lvm --binary cinder-volume --cluster c2 --at "$old"
	manage service heartbeat --host h3@ceph --binary cinder-volume --cluster c3@ceph --zone az2
	manage service heartbeat --host bk1 --binary cinder-backup --cluster c1@lvm
	manage service heartbeat --host pool@be --binary cinder-volume --cluster 'pool@be#p1'
	manage service heartbeat --host ctl1 --binary cinder-scheduler
	manage service heartbeat --host lone@lvm --binary cinder-volume --at "$old" \
	    --created-at 2024-01-01T09:00:00
	manage service set --host lone@lvm --binary cinder-volume --disabled --reason gone
}

vapi37() {
	local m=$1 p=$2 b=${3-}
	shift $(($# < 3 ? $# : 3))
	vapi "$m" "$p" "$b" -H 'OpenStack-API-Version: volume 3.7' "$@"
}

vapi326() {
	local m=$1 p=$2 b=${3-}
	shift $(($# < 3 ? $# : 3))
	vapi "$m" "$p" "$b" -H 'OpenStack-API-Version: volume 3.26' "$@"
}

data_snapshot() {
	(cd "$DATA_DIR" && find . -printf '%p %m %s\n' | sort &&
	    find . -type f -print0 | sort -z | xargs -0 sha256sum)
}

# refused STATUS FAULT METHOD PATH [BODY [ARGS]]: vapi37 answers STATUS
# with the JSON fault FAULT ("" for a text answer) and DATA_DIR is
# byte-for-byte as it was.
refused() {
	local status=$1 fault=$2 before after
	shift 2
	before=$(data_snapshot)
	vapi37 "$@"
	assert_equal "$code" "$status"
	if [[ -n $fault ]]; then
		assert_equal "$(json 'keys[0]')" "$fault"
		assert_equal "$(json ".$fault.code")" "$status"
	fi
	after=$(data_snapshot)
	assert_equal "$after" "$before"
}
