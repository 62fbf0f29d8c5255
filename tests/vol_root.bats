#!/usr/bin/env bats
# The Volume version documents, /healthcheck, /v3 and the text 404 of
# every other path (SPEC 2.1, 2.8, 3.0, 3.1).
load helpers
load vol_fixtures

VERSIONS='{"versions": [{"id": "v3.0", "status": "CURRENT", "version": "3.70", "min_version": "3.0", "updated": "2022-08-31T00:00:00Z", "links": [{"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"}, {"rel": "self", "href": "http://HOST/v3/"}], "media-types": [{"base": "application/json", "type": "application/vnd.openstack.volume+json;version=3"}]}]}'
PLAIN_404=$'404 Not Found\n\nThe resource could not be found.\n\n   '
GENERIC_400='The server could not comply with the request since it is either malformed or otherwise incorrect.'

versions() {
	printf '%s' "${VERSIONS/HOST/127.0.0.1:$VOLUME_PORT}"
}

@test "GET / answers 300 with the version list and needs no token" {
	TOKEN= vapi GET /
	assert_equal "$code" 300
	assert_equal "$output" "$(versions)"
	assert_header Content-Type application/json
	assert_header OpenStack-API-Version "volume 3.0"
	assert_header Vary OpenStack-API-Version
	[[ $(header X-Openstack-Request-Id) =~ ^req-[0-9a-f-]{36}$ ]]
	assert_equal "$(header X-Compute-Request-Id)" "$(header X-Openstack-Request-Id)"
}

@test "GET / builds the self link from the Host header" {
	vapi GET / "" -H 'Host: volume.example:8776'
	assert_equal "$code" 300
	assert_equal "$(json '.versions[0].links[1].href')" http://volume.example:8776/v3/
}

@test "GET / answers application/json even when Accept prefers the vnd type" {
	vapi GET / "" -H 'Accept: application/vnd.openstack.volume+json;version=3'
	assert_equal "$code" 300
	assert_header Content-Type application/json
}

@test "GET / echoes the requested microversion" {
	vapi GET / "" -H 'OpenStack-API-Version: volume latest'
	assert_equal "$code" 300
	assert_header OpenStack-API-Version "volume 3.70"
}

@test "GET / with an unsupported microversion answers 406" {
	vapi GET / "" -H 'OpenStack-API-Version: volume 9.9'
	assert_equal "$code" 406
	assert_output '{"computeFault": {"code": 406, "message": "Version 9.9 is not supported by the API. Minimum is 3.0 and maximum is 3.70."}}'
	assert_header OpenStack-API-Version "volume 9.9"
}

@test "GET / with a malformed microversion answers 400 without version headers" {
	vapi GET / "" -H 'OpenStack-API-Version: volume 3.07'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "API Version String 3.07 is of invalid format. Must be of format MajorNum.MinorNum."
	refute_header OpenStack-API-Version
}

@test "HEAD / answers 300 with the headers of the list and no body" {
	vapi HEAD /
	assert_equal "$code" 300
	# Apache drops a CGI's Content-Length on HEAD; lighttpd passes it on
	[[ ${HACGI_SERVER_KIND:-lighttpd} != lighttpd ]] ||
		assert_header Content-Length "$(versions | wc -c)"
	assert_header Content-Type application/json
	assert_header OpenStack-API-Version "volume 3.0"
}

@test "POST / with a JSON body answers 400 generic" {
	vapi POST / '{}'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "$GENERIC_400"
	assert_header OpenStack-API-Version "volume 3.0"
}

@test "POST / with a body that is not JSON answers 400 Malformed request body" {
	vapi POST / 'not json'
	assert_equal "$code" 400
	assert_equal "$(json .badRequest.message)" "Malformed request body"
}

@test "POST / with a text/plain body answers 415" {
	CTYPE=text/plain vapi POST / '{}'
	assert_equal "$code" 415
	assert_output '{"badMediaType": {"code": 415, "message": "Unsupported Content-Type"}}'
}

@test "OPTIONS / answers 200 empty without a Content-Type" {
	vapi OPTIONS /
	assert_equal "$code" 200
	assert_output ''
	refute_header Content-Type
	refute_header X-Compute-Request-Id
}

@test "GET /healthcheck answers OK as text without a token" {
	TOKEN= vapi GET /healthcheck
	assert_equal "$code" 200
	assert_output OK
	assert_header Content-Type 'text/plain; charset=UTF-8'
	refute_header OpenStack-API-Version
	refute_header X-Compute-Request-Id
}

@test "HEAD /healthcheck answers 204" {
	vapi HEAD /healthcheck
	assert_equal "$code" 204
}

@test "GET /v3 redirects to /v3/" {
	vapi GET /v3
	assert_equal "$code" 302
	assert_header Location "http://127.0.0.1:$VOLUME_PORT/v3/"
	assert_header Content-Type 'text/plain; charset=utf8'
	refute_header OpenStack-API-Version
	refute_header X-Compute-Request-Id
	assert_output ''
}

@test "GET /v3 without a token answers the keystone 401" {
	TOKEN= vapi GET /v3
	assert_equal "$code" 401
	assert_output '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}'
	assert_header WWW-Authenticate "Keystone uri=\"http://127.0.0.1:$VOLUME_PORT/\""
}

@test "GET /v3/ answers 200 with the version list" {
	vapi GET /v3/ "" -H 'OpenStack-API-Version: volume 3.7'
	assert_equal "$code" 200
	assert_equal "$output" "$(versions)"
	assert_header OpenStack-API-Version "volume 3.7"
}

@test "GET /v3/ with an unknown token answers 401" {
	TOKEN=nope vapi GET /v3/
	assert_equal "$code" 401
	refute_header OpenStack-API-Version
}

@test "GET /v3/ with a member token answers the list (any valid token)" {
	TOKEN=$MEMBER_TOKEN vapi GET /v3/
	assert_equal "$code" 200
}

@test "PUT /v3/ with a body over 114688 bytes answers the webob 413" {
	head -c 114689 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/big"
	vapi PUT /v3/ "@$BATS_TEST_TMPDIR/big"
	assert_equal "$code" 413
	assert_output --partial 'Request is too large. Larger than max_request_body_size (114688).'
}

@test "GET /v2/ answers the plain-text 404 without Accept" {
	vapi GET /v2/ "" -H 'Accept:'
	assert_equal "$code" 404
	assert_equal "$output" "$PLAIN_404"
	assert_header Content-Type 'text/plain; charset=UTF-8'
	refute_header X-Compute-Request-Id
}

@test "GET /v2/ answers the HTML 404 page to a browser" {
	vapi GET /v2/ "" -H 'Accept: text/html'
	assert_equal "$code" 404
	assert_header Content-Type 'text/html; charset=UTF-8'
	assert_output --partial '<title>404 Not Found</title>'
}

@test "GET /v2/ answers the webob JSON 404 to a JSON client" {
	vapi GET /v2/ "" -H 'Accept: application/json'
	assert_equal "$code" 404
	assert_equal "$(json .title)" "Not Found"
	assert_equal "$(json .code)" "404 Not Found"
}

@test "GET /v3/P/ is no route: text 404" {
	vapi GET "$P/" "" -H 'Accept:'
	assert_equal "$code" 404
	assert_equal "$output" "$PLAIN_404"
}

@test "HEAD on an unknown path answers 404 text/html with no body" {
	vapi HEAD /foo/bar
	assert_equal "$code" 404
	assert_header Content-Type 'text/html; charset=UTF-8'
}

@test "dot-segments and encoded slashes do not escape the routing" {
	local p
	for p in '/v3/../v3/' '/%2e%2e/v3/' '/v3/%2e%2e/clusters' "$P/clusters/..%2f..%2fFORMAT/x"; do
		vapi GET "$p" "" -H 'Accept:'
		# Apache refuses a path above the root itself (its HTML 400)
		if [[ $code == 400 && ${HACGI_SERVER_KIND:-lighttpd} == apache ]]; then
			assert_equal "$(header Content-Type)" 'text/html; charset=iso-8859-1'
			continue
		fi
		assert_equal "$code" 404
		assert_header Content-Type 'text/plain; charset=UTF-8'
	done
}

@test "an empty OpenStack-API-Version header answers 400 generic (program run directly)" {
	# lighttpd drops header lines with an empty value; the program itself
	# must still refuse one (SPEC 2.4).
	run env -i REQUEST_METHOD=GET REQUEST_URI="$P/clusters" \
	    HTTP_HOST=h HTTP_X_AUTH_TOKEN="$ADMIN_TOKEN" \
	    HTTP_OPENSTACK_API_VERSION= DATA_DIR="$DATA_DIR" \
	    "$HACGI_CGI_BIN/vol-clusters"
	assert_success
	assert_line --index 0 $'Status: 400 Bad Request\r'
	assert_output --partial "\"message\": \"$GENERIC_400\""
	refute_output --partial 'OpenStack-API-Version'
}
