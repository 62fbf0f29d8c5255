/* lib/http/app.c: one request, start to end (SPEC 2.1). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/app.h"
#include "http/version.h"

/*
 * The web server picks a binary by path; if the table in route.c says
 * another one serves this path (a server rewrite that normalised the
 * path differently), run that one with the untouched request.
 */
static int
app_handoff(const struct req *rq, const char *self)
{
	char	 exe[PATH_MAX], *slash;
	char	*argv[2];
	ssize_t	 n;

	if (rq->m.binary == NULL || strcmp(rq->m.binary, self) == 0)
		return 0;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 64)) <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	snprintf(slash + 1, sizeof(exe) - (size_t)(slash + 1 - exe), "%s",
	    rq->m.binary);
	argv[0] = exe;
	argv[1] = NULL;
	fflush(stdout);
	execv(exe, argv);
	log_warn("handoff %s: exec: %s", exe, strerror(errno));
	return -1;
}

static const struct handler *
app_find(const struct req *rq, const struct handler *h, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (h[i].ep == rq->m.ep && (h[i].method == NULL ||
		    req_is(rq, h[i].method)))
			return &h[i];
	return NULL;
}

/*
 * SPEC 2.8: the Allow header of an OPTIONS or a 405 lists the methods of
 * the handlers of the endpoint, in table order.  The program that runs is
 * the one serving the endpoint (app_handoff()), so its table is the
 * whole list.
 */
static void
app_allow(struct resp *rs, const struct req *rq, const struct handler *h,
    size_t n)
{
	struct buf	 allow;
	size_t		 i;

	buf_init(&allow);
	for (i = 0; i < n; i++) {
		if (h[i].ep != rq->m.ep || h[i].method == NULL)
			continue;
		buf_printf(&allow, "%s%s", allow.len > 0 ? ", " : "",
		    h[i].method);
	}
	resp_header(rs, "Allow", "%s", buf_str(&allow));
	buf_free(&allow);
}

/* Content-Type compared on type/subtype only (SPEC 2.5). */
static int
ctype_is(const char *ct, const char *want)
{
	size_t	 n = strcspn(ct, ";");

	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	return n == strlen(want) && strncmp(ct, want, n) == 0;
}

int
app_ctype_ok(enum api api, const char *ct)
{
	if (ctype_is(ct, "application/json"))
		return 1;
	if (api == API_HA)
		return ctype_is(ct, "application/vnd.openstack.masakari+json")
		    || ctype_is(ct, "text/plain");
	return ctype_is(ct, "application/vnd.openstack.volume+json");
}

/* The body, or a fault: a short body is the client's (400), a read
 * error the server's (500, SPEC 2.7). */
static int
app_read_body(struct req *rq, struct resp *rs)
{
	switch (req_read_body(rq)) {
	case 0:
		return 0;
	case -2:
		return fault(rs, 500, GENERIC_500);
	default:
		return fault(rs, 400, "Malformed request body");
	}
}

static int
app_parse_body(struct req *rq, struct resp *rs)
{
	int	 bad = 0;

	if (rq->api == API_HA && rq->bodylen == 0) {	/* SPEC 2.5: null */
		rq->json = cJSON_CreateNull();
		return 0;
	}
	if (!utf8_valid(rq->body, rq->bodylen) ||
	    (rq->json = json_parse(rq->body, rq->bodylen, &bad)) == NULL)
		return fault(rs, 400, "Malformed request body");
	return 0;
}

static int
app_call(struct req *rq, struct resp *rs, const struct handler *h)
{
	int	 ok;

	if (h->rule != NULL && (ok = auth_allows(&rq->auth, rq->data_dir,
	    rq->policy_file, h->rule)) != 1)
		return ok == -1 ? fault(rs, 500, GENERIC_500) : fault(rs, 403,
		    "Policy doesn't allow %s to be performed.", h->rule);
	return h->fn(rq, rs);
}

/* SPEC 2.1 step 2: 413 on the body's size.  A body without CONTENT_LENGTH
 * (chunked, from Apache) is read first, up to the limit, to learn it. */
static int
app_body_size(struct req *rq, struct resp *rs)
{
	if (rq->chunked && req_read_body(rq) == -2)
		return fault(rs, 500, GENERIC_500);
	if (rq->clen > REQ_BODY_MAX) {
		resp_webob(rs, rq, 413);
		return -1;
	}
	if (rq->clen_bad)	/* RFC 3875 4.1.2: digits only */
		return fault(rs, 400, GENERIC_400);
	return 0;
}

/*
 * DATA_DIR and POLICY_FILE must be absolute.  A relative one would be
 * relative to the working directory the server gives a CGI program (its
 * own folder, under both servers), and the policy was even read from
 * "/" (DATA_DIR ./data: /data/policy.json, a file anyone who can write
 * /data controls).  The generated configs always set absolute paths; the
 * compiled-in default DATA_DIR may be relative (./data) or not.  Checked
 * before the first file is opened: a 500 (SPEC 2.7), the reason logged.
 */
static int
app_paths_ok(const struct req *rq, struct resp *rs)
{
	if (rq->data_dir[0] != '/') {
		log_warn("DATA_DIR %s: not an absolute path (set DATA_DIR in "
		    "the web server config)", rq->data_dir);
		return fault(rs, 500, GENERIC_500);
	}
	if (rq->policy_file != NULL && rq->policy_file[0] != '/') {
		log_warn("POLICY_FILE %s: not an absolute path",
		    rq->policy_file);
		return fault(rs, 500, GENERIC_500);
	}
	return 0;
}

/* SPEC 2.2: 401 without a valid token; a token store that cannot be
 * read is the server's fault (SPEC 2.7: 500), not the client's. */
static int
app_auth(struct req *rq, struct resp *rs)
{
	if (app_paths_ok(rq, rs) == -1)
		return -1;
	switch (auth_lookup(&rq->auth, rq->data_dir, rq->token)) {
	case 0:
		return 0;
	case -2:
		return fault(rs, 500, GENERIC_500);
	default:
		resp_unauthorized(rs, rq);
		return -1;
	}
}

/* SPEC 2.8: the action named in an Instance-HA 405; lower is room for
 * an unknown method's lower-case name. */
static const char *
app_action(const struct req *rq, char lower[16])
{
	size_t		 i;
	enum ep		 ep = rq->m.ep;

	if (ep == EP_HA_SEGMENT_ACTION || ep == EP_HA_NOTIFICATION_ACTION)
		return "action";
	if (req_is(rq, "GET"))
		return ep == EP_HA_SEGMENTS || ep == EP_HA_HOSTS ||
		    ep == EP_HA_NOTIFICATIONS || ep == EP_HA_VERSIONS ||
		    ep == EP_HA_EXTENSIONS ? "index" : "show";
	if (req_is(rq, "POST"))
		return "create";
	if (req_is(rq, "PUT"))
		return "update";
	if (req_is(rq, "DELETE"))
		return "delete";
	for (i = 0; i + 1 < 16 && rq->method[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)rq->method[i]);
	lower[i] = '\0';
	return lower;
}

/* Instance-HA, SPEC 2.1 steps 2-11 (the version app is a handler). */
static void
app_ha(struct req *rq, struct resp *rs, const struct handler *hs, size_t n)
{
	const struct handler	*h;
	char			 lower[16];
	int			 write;

	write = req_is(rq, "POST") || req_is(rq, "PUT");
	resp_ids(rs, RESP_REQID);
	if (!rq->m.api_path) {
		resp_ids(rs, 0);
		if ((h = app_find(rq, hs, n)) != NULL)
			h->fn(rq, rs);
		return;
	}
	if (app_body_size(rq, rs) == -1 || app_auth(rq, rs) == -1)
		return;
	if (rq->m.ep == EP_NONE) {
		fault(rs, 404, GENERIC_404);
		return;
	}
	if (req_is(rq, "OPTIONS")) {
		resp_empty(rs, 200, NULL);
		resp_ids(rs, 0);
		app_allow(rs, rq, hs, n);
		return;
	}
	if (version_negotiate(rq, rs) == -1)
		return;
	if ((h = app_find(rq, hs, n)) == NULL) {
		app_allow(rs, rq, hs, n);
		resp_head(rs, req_is(rq, "HEAD"));
		fault(rs, 405, "The request method: '%s' with action: '%s' is "
		    "not allowed on this resource", rq->method,
		    app_action(rq, lower));
		return;
	}
	if (rq->ctype != NULL && !app_ctype_ok(API_HA, rq->ctype)) {
		fault(rs, 415, "Unsupported Content-Type");
		return;
	}
	if (write && app_read_body(rq, rs) == -1)
		return;
	if (write && app_parse_body(rq, rs) == -1)
		return;
	if (rq->m.has_project && strcmp(rq->m.project, rq->auth.project) != 0) {
		fault(rs, 400, "Malformed request URL: URL's project_id '%s' "
		    "doesn't match Context's project_id '%s'", rq->m.project,
		    rq->auth.project);
		return;
	}
	if (h->pre != NULL && h->pre(rq, rs) == -1)
		return;
	app_call(rq, rs, h);
}

/* Volume text 404 (SPEC 2.1 step 4): HEAD and OPTIONS are special. */
static void
app_vol_noroute(struct req *rq, struct resp *rs)
{
	if (req_is(rq, "OPTIONS")) {
		resp_empty(rs, 200, NULL);
		return;
	}
	resp_webob(rs, rq, 404);
	if (req_is(rq, "HEAD"))
		resp_empty(rs, 404, "text/html; charset=UTF-8");
}

/* Volume, SPEC 2.1 steps 5-11 for a routed request. */
static int
app_vol_checks(struct req *rq, struct resp *rs, const struct handler *h)
{
	if (version_negotiate(rq, rs) == -1)
		return -1;
	if (app_read_body(rq, rs) == -1)
		return -1;
	if (rq->bodylen > 0 && (rq->ctype == NULL ||
	    !app_ctype_ok(API_VOLUME, rq->ctype)))
		return fault(rs, 415, "Unsupported Content-Type");
	if (h->fn == NULL)
		return fault(rs, 404, GENERIC_404);
	if (rq->bodylen > 0 && app_parse_body(rq, rs) == -1)
		return -1;
	if (rq->m.has_project && strcmp(rq->m.project, rq->auth.project) != 0)
		return fault(rs, 400, "Malformed request url");
	if ((h->flags & H_MIN37) && !mv_ge(&rq->mv, 3, 7))
		return fault(rs, 404, GENERIC_404);
	if ((rq->json != NULL && !(h->flags & H_BODY)) ||
	    (rq->json == NULL && (h->flags & H_NEEDBODY)))
		return fault(rs, 400, GENERIC_400);
	return 0;
}

static void
app_vol(struct req *rq, struct resp *rs, const struct handler *hs, size_t n)
{
	const struct handler	*h;

	resp_ids(rs, RESP_REQID);
	h = app_find(rq, hs, n);
	if (!rq->m.api_path) {
		if (h != NULL)
			h->fn(rq, rs);
		else
			app_vol_noroute(rq, rs);
		return;
	}
	if (app_body_size(rq, rs) == -1 || app_auth(rq, rs) == -1)
		return;
	if (h == NULL)
		return app_vol_noroute(rq, rs);
	if (h->flags & H_RAW) {	/* /v3 and /v3/: their own checks */
		h->fn(rq, rs);
		return;
	}
	resp_ids(rs, RESP_REQID | RESP_COMPUTEID);
	if (app_vol_checks(rq, rs, h) == -1)
		return;
	if (h->pre != NULL && h->pre(rq, rs) == -1)
		return;
	app_call(rq, rs, h);
}

int
app_invalid(struct resp *rs, int rc, struct buf *msg)
{
	if (rc == -1)
		fault_raw(rs, 400, buf_str(msg));
	buf_free(msg);
	return rc;
}

/*
 * What no server and no handler may act on, refused before anything else
 * (400, data untouched): a %00 in the path or the query, which the C
 * strings the programs act on would cut short (DELETE /v1/segments/S%00/
 * hosts/H is no segment delete; Apache answers a %00 in the path with
 * its own 404 before any program runs); a header read here sent under
 * another spelling (X_Auth_Token: see req.c), which lighttpd would pass
 * as X-Auth-Token.
 */
static int
app_request_ok(const struct req *rq, struct resp *rs)
{
	resp_ids(rs, rq->api == API_VOLUME || rq->m.api_path ? RESP_REQID :
	    0);
	if (rq->path_nul)
		return fault(rs, 400, "Malformed request URL: the path holds "
		    "a NUL character (%%00).");
	if (rq->query_nul)
		return fault(rs, 400, "Malformed request URL: the query "
		    "string holds a NUL character (%%00).");
	if (rq->misspelt != NULL)
		return fault(rs, 400, "Another spelling of the header %s "
		    "(with '_' or another character for '-') is not "
		    "accepted.", rq->misspelt);
	return 0;
}

/*
 * One request, start to end.  Everything it holds is in rq and rs,
 * initialised here and freed before the return; nothing else outlives
 * it (docs/DESIGN.md, "One request"), so a process may call this once
 * per request.  start runs on each request, first; the log level it
 * may set is reset to INFO when the request ends.
 */
void
app_run_with(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start)
{
	struct req	 rq;
	struct resp	 rs;

	req_init(&rq, api);
	if (start != NULL)
		start(&rq, self);
	route_match(api, rq.path, rq.method, &rq.m);
	resp_init(&rs, api);
	if (app_handoff(&rq, self) == -1)
		fault(&rs, 500, GENERIC_500);
	else if (app_request_ok(&rq, &rs) == -1)
		;
	else if (api == API_HA)
		app_ha(&rq, &rs, hs, n);
	else
		app_vol(&rq, &rs, hs, n);
	/* before the answer: a server may stop reading stderr after it */
	log_debug("%s %s: %d", rq.method, rq.path, resp_status(&rs));
	resp_send(&rs, &rq);
	resp_free(&rs);
	req_free(&rq);
	log_setlevel(LOG_INFO);
}

void
app_run(enum api api, const char *self, const struct handler *hs, size_t n)
{
	app_run_with(api, self, hs, n, NULL);
}

int
app_main(enum api api, const char *self, const struct handler *hs, size_t n)
{
	app_run(api, self, hs, n);
	return 0;
}

int
app_main_with(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start)
{
	app_run_with(api, self, hs, n, start);
	return 0;
}
