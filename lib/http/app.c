/* lib/http/app.c: one request, start to end (SPEC 2.1). */
#include <ctype.h>
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
#include "http/fcgi.h"
#include "http/version.h"

/*
 * The web server picks a binary by path; if the table in route.c says
 * another one serves this path (a server rewrite that normalised the
 * path differently), that one answers the untouched request: a CGI
 * program execs it, a FastCGI responder runs it as a CGI child
 * (lib/http/fcgi.c).  0: ours; 1: answered; -1: failed (logged).
 */
static int
app_handoff(const struct req *rq, const char *self)
{
	char	 exe[PATH_MAX], *slash;
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
	return rq->io->handoff(rq->io, exe) == -1 ? -1 : 1;
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

/* SPEC 2.2.1: the 401 of keystone mode names Keystone (AUTH_URI, else
 * the credentials file's URI). */
static void
app_unauthorized(struct req *rq, struct resp *rs)
{
	if (rq->ks.mode == KS_KEYSTONE && rq->auth_uri == NULL)
		rq->auth_uri = rq->auth_uri_owned = ks_auth_uri(rq->data_dir,
		    &rq->ks);
	resp_unauthorized(rs, rq);
}

/* SPEC 2.2: 401 without a valid token; a token store that cannot be
 * read is the server's fault (SPEC 2.7: 500), not the client's.  In
 * keystone mode (SPEC 2.2.1), Keystone not answering is a 503. */
static int
app_auth(struct req *rq, struct resp *rs)
{
	int	 rc;

	if (app_paths_ok(rq, rs) == -1)
		return -1;
	if (rq->ks.mode == KS_BADMODE) {
		log_warn("HACGI_AUTH %s: neither local nor keystone",
		    rq->ks.mode_text);
		return fault(rs, 500, GENERIC_500);
	}
	if (rq->ks.mode == KS_KEYSTONE)
		rc = ks_lookup(&rq->auth, rq->data_dir, &rq->ks, rq->token,
		    rq->reqid);
	else
		rc = auth_lookup(&rq->auth, rq->data_dir, rq->token);
	switch (rc) {
	case 0:
		return 0;
	case -2:
		return fault(rs, 500, GENERIC_500);
	case -3:
		resp_webob(rs, rq, 503);
		return -1;
	default:
		app_unauthorized(rq, rs);
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

/*
 * The order of checks of each API (SPEC 2.1) is a table of steps, run
 * in order on the request.  A step returns 0 to go on, anything else
 * once the answer is set (a fault's -1, or 1 for a success answered
 * early).  The steps both APIs take are shared; the table is the order.
 */
struct app_ctx {
	struct req		*rq;
	struct resp		*rs;
	const struct handler	*hs;	/* the program's handler table */
	size_t			 n;
	const struct handler	*h;	/* the handler of the request */
};

typedef int	(*app_step)(struct app_ctx *);

#define APP_DONE	1	/* answered: no further step */

/* ---- the shared steps ---- */

/* SPEC 2.1 step 2 */
static int
step_body_size(struct app_ctx *c)
{
	return app_body_size(c->rq, c->rs);
}

/* SPEC 2.1 step 3 */
static int
step_auth(struct app_ctx *c)
{
	return app_auth(c->rq, c->rs);
}

static int
step_version(struct app_ctx *c)
{
	return version_negotiate(c->rq, c->rs);
}

/* The handler's checks before policy (Instance-HA: the body into its
 * typed struct; Volume: what a handler checks first). */
static int
step_pre(struct app_ctx *c)
{
	return c->h->pre != NULL ? c->h->pre(c->rq, c->rs) : 0;
}

/* Policy, then the handler: the last step. */
static int
step_call(struct app_ctx *c)
{
	app_call(c->rq, c->rs, c->h);
	return APP_DONE;
}

static int
project_ok(const struct req *rq)
{
	return !rq->m.has_project || strcmp(rq->m.project,
	    rq->auth.project) == 0;
}

/* ---- Instance-HA (the version app is a handler) ---- */

/* Not an API path: the handler, if any, answers with no request id. */
static int
ha_plain(struct app_ctx *c)
{
	if (c->rq->m.api_path)
		return 0;
	resp_ids(c->rs, 0);
	if ((c->h = app_find(c->rq, c->hs, c->n)) != NULL)
		c->h->fn(c->rq, c->rs);
	return APP_DONE;
}

static int
ha_route(struct app_ctx *c)
{
	return c->rq->m.ep == EP_NONE ? fault(c->rs, 404, GENERIC_404) : 0;
}

static int
ha_options(struct app_ctx *c)
{
	if (!req_is(c->rq, "OPTIONS"))
		return 0;
	resp_empty(c->rs, 200, NULL);
	resp_ids(c->rs, 0);
	app_allow(c->rs, c->rq, c->hs, c->n);
	return APP_DONE;
}

static int
ha_method(struct app_ctx *c)
{
	char	 lower[16];

	if ((c->h = app_find(c->rq, c->hs, c->n)) != NULL)
		return 0;
	app_allow(c->rs, c->rq, c->hs, c->n);
	resp_head(c->rs, req_is(c->rq, "HEAD"));
	return fault(c->rs, 405, "The request method: '%s' with action: "
	    "'%s' is not allowed on this resource", c->rq->method,
	    app_action(c->rq, lower));
}

static int
ha_ctype(struct app_ctx *c)
{
	if (c->rq->ctype != NULL && !app_ctype_ok(API_HA, c->rq->ctype))
		return fault(c->rs, 415, "Unsupported Content-Type");
	return 0;
}

/* POST and PUT: the body, read and parsed */
static int
ha_body(struct app_ctx *c)
{
	if (!req_is(c->rq, "POST") && !req_is(c->rq, "PUT"))
		return 0;
	if (app_read_body(c->rq, c->rs) == -1)
		return -1;
	return app_parse_body(c->rq, c->rs);
}

static int
ha_project(struct app_ctx *c)
{
	if (project_ok(c->rq))
		return 0;
	return fault(c->rs, 400, "Malformed request URL: URL's project_id "
	    "'%s' doesn't match Context's project_id '%s'",
	    c->rq->m.project, c->rq->auth.project);
}

/* Instance-HA, SPEC 2.1 steps 2-11. */
static const app_step ha_steps[] = {
	ha_plain, step_body_size, step_auth, ha_route, ha_options,
	step_version, ha_method, ha_ctype, ha_body, ha_project, step_pre,
	step_call,
};

/* ---- Volume ---- */

/* Volume text 404 (SPEC 2.1 step 4): HEAD and OPTIONS are special. */
static int
vol_noroute(struct req *rq, struct resp *rs)
{
	if (req_is(rq, "OPTIONS")) {
		resp_empty(rs, 200, NULL);
		return APP_DONE;
	}
	resp_webob(rs, rq, 404);
	if (req_is(rq, "HEAD"))
		resp_empty(rs, 404, "text/html; charset=UTF-8");
	return APP_DONE;
}

/* The handler is looked up first; not an API path: it answers, or the
 * text 404. */
static int
vol_plain(struct app_ctx *c)
{
	c->h = app_find(c->rq, c->hs, c->n);
	if (c->rq->m.api_path)
		return 0;
	if (c->h == NULL)
		return vol_noroute(c->rq, c->rs);
	c->h->fn(c->rq, c->rs);
	return APP_DONE;
}

static int
vol_route(struct app_ctx *c)
{
	return c->h == NULL ? vol_noroute(c->rq, c->rs) : 0;
}

/* /v3 and /v3/ (H_RAW) do their own checks; the others answer with
 * both request ids from here on. */
static int
vol_raw(struct app_ctx *c)
{
	if (c->h->flags & H_RAW) {
		c->h->fn(c->rq, c->rs);
		return APP_DONE;
	}
	resp_ids(c->rs, RESP_REQID | RESP_COMPUTEID);
	return 0;
}

static int
vol_read(struct app_ctx *c)
{
	return app_read_body(c->rq, c->rs);
}

static int
vol_ctype(struct app_ctx *c)
{
	if (c->rq->bodylen > 0 && (c->rq->ctype == NULL ||
	    !app_ctype_ok(API_VOLUME, c->rq->ctype)))
		return fault(c->rs, 415, "Unsupported Content-Type");
	return 0;
}

/* routed but unimplemented */
static int
vol_unimplemented(struct app_ctx *c)
{
	return c->h->fn == NULL ? fault(c->rs, 404, GENERIC_404) : 0;
}

static int
vol_parse(struct app_ctx *c)
{
	return c->rq->bodylen > 0 ? app_parse_body(c->rq, c->rs) : 0;
}

static int
vol_project(struct app_ctx *c)
{
	return project_ok(c->rq) ? 0 : fault(c->rs, 400,
	    "Malformed request url");
}

static int
vol_min37(struct app_ctx *c)
{
	if ((c->h->flags & H_MIN37) && !mv_ge(&c->rq->mv, 3, 7))
		return fault(c->rs, 404, GENERIC_404);
	return 0;
}

/* a body where the handler takes none, or none where it needs one */
static int
vol_body(struct app_ctx *c)
{
	unsigned	 fl = c->h->flags;

	if ((c->rq->json != NULL && !(fl & H_BODY)) ||
	    (c->rq->json == NULL && (fl & H_NEEDBODY)))
		return fault(c->rs, 400, GENERIC_400);
	return 0;
}

/* Volume, SPEC 2.1 steps 2-11. */
static const app_step vol_steps[] = {
	vol_plain, step_body_size, step_auth, vol_route, vol_raw,
	step_version, vol_read, vol_ctype, vol_unimplemented, vol_parse,
	vol_project, vol_min37, vol_body, step_pre, step_call,
};

/* The API's steps in order, until one answers. */
static void
app_steps(struct req *rq, struct resp *rs, const struct handler *hs,
    size_t n)
{
	struct app_ctx	 c = { rq, rs, hs, n, NULL };
	const app_step	*steps = rq->api == API_HA ? ha_steps : vol_steps;
	size_t		 nsteps = rq->api == API_HA ? NELEM(ha_steps) :
			    NELEM(vol_steps);
	size_t		 i;

	resp_ids(rs, RESP_REQID);
	for (i = 0; i < nsteps; i++)
		if (steps[i](&c) != 0)
			return;
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
 * One request, start to end, from io.  Everything it holds is in rq and
 * rs, initialised here and freed before the return; nothing else
 * outlives it (docs/DESIGN.md, "One request"), so a process may call
 * this once per request.  start runs on each request, first; the log
 * level it may set is reset to INFO when the request ends.
 */
static void
app_run_io(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start, struct reqio *io)
{
	struct req	 rq;
	struct resp	 rs;
	int		 handed;

	req_init_io(&rq, api, io);
	if (start != NULL)
		start(&rq, self);
	route_match(api, rq.path, rq.method, &rq.m);
	resp_init(&rs, api);
	if ((handed = app_handoff(&rq, self)) == -1)
		fault(&rs, 500, GENERIC_500);
	else if (handed != 1 && app_request_ok(&rq, &rs) == 0)
		app_steps(&rq, &rs, hs, n);
	if (handed != 1) {
		/* before the answer: a server may stop reading stderr
		 * after it */
		log_debug("%s %s: %d", rq.method, rq.path, resp_status(&rs));
		resp_send(&rs, &rq);
	}
	resp_free(&rs);
	req_free(&rq);
	log_setlevel(LOG_INFO);
}

void
app_run_with(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start)
{
	app_run_io(api, self, hs, n, start, req_cgi_io());
}

void
app_run(enum api api, const char *self, const struct handler *hs, size_t n)
{
	app_run_with(api, self, hs, n, NULL);
}

/*
 * A responder (lib/http/fcgi.h) answers the requests its server sends
 * until the server closes the socket or stops it (SIGTERM, SIGUSR1),
 * each exactly as a CGI process would; else one CGI request.
 */
static int
app_serve(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start)
{
	struct fcgi	*f;
	struct reqio	*io;

	if (!fcgi_responder()) {
		app_run_with(api, self, hs, n, start);
		return 0;
	}
	if ((f = fcgi_new()) == NULL)
		return 1;
	while ((io = fcgi_accept(f)) != NULL) {
		app_run_io(api, self, hs, n, start, io);
		fcgi_finish(f);
	}
	fcgi_free(f);
	return 0;
}

int
app_main(enum api api, const char *self, const struct handler *hs, size_t n)
{
	return app_serve(api, self, hs, n, NULL);
}

int
app_main_with(enum api api, const char *self, const struct handler *hs,
    size_t n, app_start_fn start)
{
	return app_serve(api, self, hs, n, start);
}
