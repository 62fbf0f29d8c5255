#!/usr/bin/env bats
# The Instance-HA version documents and unknown paths (SPEC 4.1, 2.8).
load helpers

@test "GET / answers the version list without a token" {
	TOKEN= api GET /
	assert_equal "$code" 200
	assert_output "{\"versions\": [{\"id\": \"v1.0\", \"status\": \"CURRENT\", \"version\": \"1.2\", \"min_version\": \"1.0\", \"updated\": \"2016-07-01T11:33:21Z\", \"links\": [{\"rel\": \"self\", \"href\": \"http://127.0.0.1:$HA_PORT/v1/\"}]}]}"
	refute_header X-Openstack-Request-Id
	refute_header OpenStack-API-Version
}

@test "GET /v2 answers 300 choices pointing into /v1" {
	TOKEN= api GET /v2
	assert_equal "$code" 300
	assert_equal "$(json '.choices[0].links[0].href')" "http://127.0.0.1:$HA_PORT/v1/v2"
}

@test "GET /v1 answers the version document with version headers" {
	api GET /v1
	assert_equal "$code" 200
	assert_equal "$(json .version.version)" 1.2
	assert_equal "$(json '.version.links[1].rel')" describedby
	assert_header OpenStack-API-Version "masakari 1.0"
}

@test "GET /v1/ with instance-ha latest echoes 1.2" {
	api GET /v1/ '' -H 'OpenStack-API-Version: instance-ha latest'
	assert_equal "$code" 200
	assert_header OpenStack-API-Version "masakari 1.2"
}

@test "the last instance-ha item of the version header wins" {
	api GET /v1/ '' -H 'OpenStack-API-Version: instance-ha 1.1, compute 2.1, INSTANCE-HA 1.2'
	assert_header OpenStack-API-Version "masakari 1.2"
}

@test "GET /v1 without a token answers 401" {
	TOKEN= api GET /v1
	assert_equal "$code" 401
}

@test "POST /v1 answers 405 with Allow: GET" {
	api POST /v1
	assert_equal "$code" 405
	assert_header Allow GET
}

@test "GET /v1/extensions lists the five extensions" {
	api GET /v1/extensions
	assert_equal "$code" 200
	assert_equal "$(json '[.extensions[].alias] | join(",")')" "extensions,notifications,os-hosts,segments,versions"
}

@test "GET /v1/extensions/os-hosts shows one extension" {
	api GET /v1/extensions/os-hosts
	assert_equal "$(json .extension.description)" "Hosts controller"
}

@test "GET /v1/foo answers a JSON 404 without version headers" {
	api GET /v1/foo
	assert_equal "$code" 404
	assert_output '{"itemNotFound": {"code": 404, "message": "The resource could not be found."}}'
	assert_header Content-Type "application/json; charset=UTF-8"
	refute_header OpenStack-API-Version
}

@test "the programs send an empty Allow on a path that serves no method" {
	# lighttpd drops empty header lines, so this is checked by direct exec
	run env -i REQUEST_METHOD=POST REQUEST_URI=/v1/versions \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" "$HACGI_CGI_BIN/ha-root"
	assert_line --partial 'Status: 405'
	assert_line $'Allow: \r'
}

@test "a request routed to the wrong program is handed to the right one" {
	api POST /v1/segments '{"segment": {"name": "s", "recovery_method": "auto", "service_type": "COMPUTE"}}'
	run env -i REQUEST_METHOD=GET REQUEST_URI=/v1/segments \
	    HTTP_X_AUTH_TOKEN="$TOKEN" DATA_DIR="$DATA_DIR" "$HACGI_CGI_BIN/ha-root"
	assert_line --partial 'Status: 200'
	assert_output --partial '"name": "s"'
}
