#!/usr/bin/env bats
# The real clients from Debian against the Volume API: cinder
# (python3-cinderclient) and openstack (python3-openstackclient).
#
# Working flags: admin_token auth needs the endpoint with the project id
# and, for cinder, --os-project-id as well (else it stops with "You must
# provide a project_id or project_name").
load helpers
load vol_fixtures

setup() {
	reset_data
	vol_fixture
}

cin() {
	run cinder --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$VOLUME_URL/v3/$PROJECT" --os-project-id "$PROJECT" \
	    --os-volume-api-version "${MV:-3.7}" "$@"
}

osc() {
	run openstack --os-auth-type admin_token --os-token "$TOKEN" \
	    --os-endpoint "$VOLUME_URL/v3/$PROJECT" \
	    --os-volume-api-version "${MV:-3.7}" "$@"
}

# row CELLS...: a table row "| a | b | ... |" with exactly these cells.
row() {
	local r='^\|' c
	for c in "$@"; do
		r+=" +${c//./\\.} +\|"
	done
	assert_line --regexp "$r\$"
}

@test "cinder cluster-list prints every cluster with its state and status" {
	cin cluster-list
	assert_success
	assert_line --regexp '^\| Name +\| Binary +\| State +\| Status +\|$'
	row c1@lvm cinder-volume up enabled
	row c1@lvm cinder-backup up enabled
	row c2 cinder-volume up enabled
	row c3@ceph cinder-volume up disabled
	row empty@nfs cinder-volume down enabled
	row 'pool@be#p1' cinder-volume up enabled
}

@test "cinder cluster-list --detailed prints the host counts" {
	cin cluster-list --detailed
	assert_success
	assert_line --regexp '\| Num Hosts +\| Num Down Hosts +\| Last Heartbeat'
	assert_line --regexp '^\| c2 +\| cinder-volume +\| up +\| enabled +\| 2 +\| 1 +\| [0-9-]{10}T[0-9:.]{15} +\| - +\| 2024-01-02T10:00:00.000000 +\| 2024-03-01T08:30:00.000000 +\|$'
	assert_line --regexp '^\| c1@lvm +\| cinder-volume +\| up +\| enabled +\| 2 +\| 0 +\|'
	assert_line --regexp '^\| c3@ceph +\| cinder-volume +\| up +\| disabled +\| 1 +\| 0 +\| .* \| maint +\|'
	assert_line --regexp '^\| empty@nfs +\| cinder-volume +\| down +\| enabled +\| 0 +\| 0 +\| +\| - +\|'
}

@test "cinder cluster-list filters on the server" {
	cin cluster-list --binary cinder-backup
	assert_success
	row c1@lvm cinder-backup up enabled
	refute_output --partial cinder-volume
	cin cluster-list --is-up false
	row empty@nfs cinder-volume down enabled
	refute_output --partial c2
}

@test "cinder cluster-show prints one cluster" {
	cin cluster-show c2
	assert_success
	row name c2
	row num_hosts 2
	row num_down_hosts 1
	row state up
	row created_at 2024-01-02T10:00:00.000000
}

@test "cinder cluster-show at 3.26 prints the replication fields" {
	MV=3.26 cin cluster-show c2
	assert_success
	row replication_status failed-over
	row frozen True
	row active_backend_id b1
}

@test "cinder cluster-show of an unknown cluster prints the 404 message" {
	cin cluster-show nope
	assert_failure
	assert_output --partial "ERROR: Cluster {'binary': 'cinder-volume', 'name': 'nope'} could not be found. (HTTP 404)"
}

@test "cinder cluster-disable --reason disables the cluster" {
	cin cluster-disable --reason 'planned work' c2
	assert_success
	row status disabled
	row disabled_reason 'planned work'
	vapi37 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | .status + "/" + .disabled_reason')" "disabled/planned work"
}

@test "cinder cluster-enable enables the cluster and clears the reason" {
	cin cluster-enable c3@ceph
	assert_success
	row status enabled
	row disabled_reason None
	vapi37 GET "$P/clusters/c3@ceph"
	assert_equal "$(json .cluster.status)" enabled
}

@test "cinder service-list prints every service with cluster and state" {
	cin service-list
	assert_success
	assert_line --regexp '^\| Binary +\| Host +\| Zone +\| Status +\| State +\| Updated_at +\| Cluster +\| Disabled Reason +\|$'
	assert_line --regexp '^\| cinder-volume +\| n2@lvm +\| nova +\| enabled +\| down +\| [0-9T:.-]+ +\| c2 +\| - +\|$'
	assert_line --regexp '^\| cinder-volume +\| h3@ceph +\| az2 +\| enabled +\| up +\| [0-9T:.-]+ +\| c3@ceph +\| - +\|$'
	assert_line --regexp '^\| cinder-volume +\| lone@lvm +\| nova +\| disabled +\| down +\| [0-9T:.-]+ +\| - +\| gone +\|$'
	assert_line --regexp '^\| cinder-scheduler +\| ctl1 +\| nova +\| enabled +\| up +\|'
}

@test "cinder cluster-list below 3.7 is refused by the client itself" {
	MV=3.6 cin cluster-list
	assert_output --partial "invalid choice: 'cluster-list'"
}

@test "openstack block storage cluster list prints the clusters" {
	osc block storage cluster list -f value
	assert_success
	assert_line 'c1@lvm cinder-volume up enabled'
	assert_line 'c2 cinder-volume up enabled'
	assert_line 'c3@ceph cinder-volume up disabled'
	assert_line 'empty@nfs cinder-volume down enabled'
	assert_line 'c1@lvm cinder-backup up enabled'
	assert_equal "${#lines[@]}" 6
}

@test "openstack block storage cluster list --long prints the host counts" {
	osc block storage cluster list --long -f json
	assert_success
	assert_equal "$(jq -r '.[] | select(.Name == "c2") | "\(.["Num Hosts"]) \(.["Num Down Hosts"]) \(.["Created At"])"' <<<"$output")" "2 1 2024-01-02T10:00:00.000000"
	assert_equal "$(jq -r '.[] | select(.Name == "empty@nfs") | "\(.State) \(.["Num Hosts"])"' <<<"$output")" "down 0"
}

@test "openstack block storage cluster show prints one cluster" {
	MV=3.26 osc block storage cluster show c2 -f json
	assert_success
	assert_equal "$(jq -r '"\(.Name) \(.State) \(.Hosts) \(.["Down Hosts"]) \(.["Replication Status"]) \(.Frozen) \(.["Active Backend ID"])"' <<<"$output")" \
	    "c2 up 2 1 failed-over true b1"
}

@test "openstack block storage cluster show of an unknown cluster fails with the message" {
	osc block storage cluster show nope
	assert_failure
	assert_output --partial "Cluster {'binary': 'cinder-volume', 'name': 'nope'} could not be found. (HTTP 404)"
}

@test "openstack block storage cluster set --disable disables the cluster" {
	osc block storage cluster set --disable --disable-reason 'osc maint' c2
	# python-openstackclient 6.0.0 returns the cluster from a plain
	# Command: cliff prints it as a tuple and exits 1.  The request
	# itself succeeded, as the printed cluster and the API show.
	assert_output --partial "('c2', 'cinder-volume', 'up', 'disabled', 'osc maint'"
	vapi37 GET "$P/clusters/c2"
	assert_equal "$(json '.cluster | .status + "/" + .disabled_reason')" "disabled/osc maint"
}

@test "openstack block storage cluster set --enable enables the cluster" {
	osc block storage cluster set --enable c3@ceph
	assert_output --partial "('c3@ceph', 'cinder-volume', 'up', 'enabled', None"
	vapi37 GET "$P/clusters/c3@ceph"
	assert_equal "$(json .cluster.status)" enabled
}

@test "openstack block storage cluster set --binary picks the binary" {
	osc block storage cluster set --disable --binary cinder-backup c1@lvm
	vapi37 GET "$P/clusters/c1@lvm?binary=cinder-backup"
	assert_equal "$(json .cluster.status)" disabled
	vapi37 GET "$P/clusters/c1@lvm"
	assert_equal "$(json .cluster.status)" enabled
}

@test "openstack volume service list prints every service" {
	osc volume service list -f value -c Binary -c Host -c Zone -c Status -c State
	assert_success
	assert_line 'cinder-volume h1@lvm nova enabled up'
	assert_line 'cinder-volume n2@lvm nova enabled down'
	assert_line 'cinder-volume h3@ceph az2 enabled up'
	assert_line 'cinder-volume lone@lvm nova disabled down'
	assert_line 'cinder-scheduler ctl1 nova enabled up'
	assert_equal "${#lines[@]}" 9
}

# ---- the os-services actions (issue 13) ----

@test "cinder service-disable --reason disables the service with the reason" {
	cin service-disable h1@lvm cinder-volume --reason 'disk swap'
	assert_success
	assert_line --regexp '^\| Host +\| Binary +\| Status +\| Disabled Reason +\|$'
	row h1@lvm cinder-volume disabled 'disk swap'
	cin service-list --host h1@lvm
	assert_line --regexp '^\| cinder-volume +\| h1@lvm +\| nova +\| disabled +\| up +\| [0-9T:.-]+ +\| c1@lvm +\| disk swap +\|$'
}

@test "cinder service-disable without --reason disables the service" {
	cin service-disable ctl1 cinder-scheduler
	assert_success
	row ctl1 cinder-scheduler disabled
	cin service-list --binary cinder-scheduler
	assert_line --regexp '^\| cinder-scheduler +\| ctl1 +\| nova +\| disabled +\| up +\|'
}

@test "cinder service-enable enables the service" {
	cin service-enable lone@lvm cinder-volume
	assert_success
	row lone@lvm cinder-volume enabled
	cin service-list --host lone@lvm
	assert_line --regexp '^\| cinder-volume +\| lone@lvm +\| nova +\| enabled +\| down +\| [0-9T:.-]+ +\| - +\| gone +\|$'
}

@test "cinder service-disable of an unknown service prints the 404 message" {
	cin service-disable nope cinder-volume
	assert_failure
	assert_output --partial 'ERROR: Service cinder-volume could not be found on host nope. (HTTP 404)'
}

@test "a disabled member leaves cinder cluster-list --detailed as it was" {
	cin service-disable h2@lvm cinder-volume --reason r
	assert_success
	cin cluster-list --detailed
	assert_line --regexp '^\| c1@lvm +\| cinder-volume +\| up +\| enabled +\| 2 +\| 0 +\| [0-9T:.-]+ +\| - +\| [0-9T:.-]+ +\| +\|$'
}

@test "cinder freeze-host and thaw-host freeze and thaw the host's cluster" {
	cin freeze-host h1@lvm
	assert_success
	MV=3.26 cin cluster-show c1@lvm
	row frozen True
	cin thaw-host h2@lvm
	assert_success
	MV=3.26 cin cluster-show c1@lvm
	row frozen False
	assert_equal "$(vapi37 GET "$P/os-services?host=h1@lvm"; json '.services[0].frozen')" false
}

@test "cinder freeze-host of a frozen cluster prints cinder's message" {
	cin freeze-host n1@lvm
	assert_failure
	assert_output --partial 'ERROR: Invalid input received: frozen in c2 must be False to failover. (HTTP 400)'
}

@test "cinder failover-host starts a failover; cluster-list --detailed and service-list show it" {
	cin failover-host pool@be --backend_id s1
	assert_success
	cin cluster-list --detailed
	assert_success
	assert_line --regexp '^\| pool@be#p1 +\| cinder-volume +\| up +\| enabled +\| 1 +\| 0 +\| [0-9T:.-]+ +\| - +\| 2024-01-06T10:00:00.000000 +\| [0-9T:.-]+ +\|$'
	MV=3.26 cin cluster-show 'pool@be#p1'
	row replication_status failing-over
	vapi37 GET "$P/os-services?host=pool@be"
	assert_equal "$(json '.services[0].replication_status')" failing-over
	run manage service failover-complete --host pool@be --backend-id s1
	assert_success
	MV=3.26 cin cluster-show 'pool@be#p1'
	row replication_status failed-over
	row active_backend_id s1
}

@test "cinder service-set-log and service-get-log (3.32) set and show the API's levels" {
	MV=3.32 cin service-set-log DEBUG --binary cinder-api --prefix cinder.api.contrib.services
	assert_success
	MV=3.32 cin service-get-log --binary cinder-api --prefix cinder.api.contrib.s
	assert_success
	assert_line --regexp '^\| Binary +\| Host +\| Prefix +\| Level +\|$'
	row cinder-api "$(hostname)" cinder.api.contrib.services DEBUG
	row cinder-api "$(hostname)" cinder.api.contrib.snapshot_actions INFO
	MV=3.32 cin service-set-log info
	assert_success
	MV=3.32 cin service-get-log --binary cinder-api --prefix cinder.api.contrib.services
	row cinder-api "$(hostname)" cinder.api.contrib.services INFO
}

@test "cinder service-get-log reports the levels given to volume services" {
	MV=3.32 cin service-set-log WARNING --binary cinder-volume --server c1@lvm --prefix cinder.volume
	assert_success
	MV=3.32 cin service-get-log --binary cinder-volume --server c1@lvm
	assert_success
	row cinder-volume h1@lvm cinder.volume WARNING
	row cinder-volume h2@lvm cinder.volume WARNING
	refute_output --partial n1@lvm
}

@test "cinder service-set-log below 3.32 is refused by the client itself" {
	MV=3.31 cin service-set-log DEBUG
	assert_failure
	assert_output --partial "invalid choice: 'service-set-log'"
}

@test "openstack volume service set --disable --disable-reason disables the service" {
	osc volume service set --disable --disable-reason 'osc work' h3@ceph cinder-volume
	assert_success
	cin service-list --host h3@ceph
	assert_line --regexp '^\| cinder-volume +\| h3@ceph +\| az2 +\| disabled +\| up +\| [0-9T:.-]+ +\| c3@ceph +\| osc work +\|$'
	cin cluster-list --detailed
	assert_line --regexp '^\| c3@ceph +\| cinder-volume +\| up +\| disabled +\| 1 +\| 0 +\| .* \| maint +\|'
}

@test "openstack volume service set --enable enables the service" {
	osc volume service set --enable lone@lvm cinder-volume
	assert_success
	osc volume service list --host lone@lvm -f value -c Host -c Status
	assert_output 'lone@lvm enabled'
}
