/* cgi-bin/vol-root.c: the Volume version documents, /healthcheck, and
 * every path no other program serves (SPEC 2.8, 3.0, 3.1). */
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "http/app.h"
#include "http/mv.h"
#include "http/version.h"
#include "vol/vollog.h"

static int	vr_root(struct req *, struct resp *);
static int	vr_health(struct req *, struct resp *);
static int	vr_v3(struct req *, struct resp *);
static int	vr_v3slash(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_ROOT, NULL, vr_root, NULL, NULL, 0 },
	{ EP_VOL_HEALTH, NULL, vr_health, NULL, NULL, 0 },
	{ EP_VOL_V3, NULL, vr_v3, NULL, NULL, H_RAW },
	{ EP_VOL_V3SLASH, NULL, vr_v3slash, NULL, NULL, H_RAW },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-root", handlers,
	    NELEM(handlers), vollog_start);
}

/* SPEC 2.1: OPTIONS on any path is 200, empty, no Content-Type. */
static int
vr_options(struct req *rq, struct resp *rs)
{
	if (!req_is(rq, "OPTIONS"))
		return 0;
	resp_empty(rs, 200, NULL);
	resp_ids(rs, RESP_REQID);
	return 1;
}

static void
add_link(cJSON *links, const char *rel, const char *type, const char *href)
{
	cJSON	*l = cJSON_CreateObject();

	cJSON_AddStringToObject(l, "rel", rel);
	if (type != NULL)
		cJSON_AddStringToObject(l, "type", type);
	cJSON_AddStringToObject(l, "href", href);
	cJSON_AddItemToArray(links, l);
}

static cJSON *
version_doc(const struct req *rq)
{
	cJSON		*doc = cJSON_CreateObject(), *v, *links, *mt, *m;
	struct buf	 href;
	struct mv	 min = mv_min(API_VOLUME), max = mv_max(API_VOLUME);
	char		 t[24];

	v = cJSON_CreateObject();
	cJSON_AddStringToObject(v, "id", "v3.0");
	cJSON_AddStringToObject(v, "status", "CURRENT");
	mv_format(&max, t);
	cJSON_AddStringToObject(v, "version", t);
	mv_format(&min, t);
	cJSON_AddStringToObject(v, "min_version", t);
	cJSON_AddStringToObject(v, "updated", "2022-08-31T00:00:00Z");
	links = cJSON_AddArrayToObject(v, "links");
	add_link(links, "describedby", "text/html",
	    "https://docs.openstack.org/");
	buf_init(&href);
	buf_printf(&href, "http://%s/v3/", rq->host);
	add_link(links, "self", NULL, buf_str(&href));
	buf_free(&href);
	mt = cJSON_AddArrayToObject(v, "media-types");
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "base", "application/json");
	cJSON_AddStringToObject(m, "type",
	    "application/vnd.openstack.volume+json;version=3");
	cJSON_AddItemToArray(mt, m);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "versions"), v);
	return doc;
}

/* A version document takes no body: 415, Malformed, else 400 (SPEC 3.1). */
static int
vr_body_checks(struct req *rq, struct resp *rs)
{
	int	 r = req_read_body(rq), bad;
	cJSON	*j;

	if (r < 0)	/* short, or stdin unreadable */
		return fault(rs, 500, GENERIC_500);
	if (r == 0 && rq->bodylen == 0)
		return 0;
	if (rq->ctype == NULL || !app_ctype_ok(API_VOLUME, rq->ctype))
		return fault(rs, 415, "Unsupported Content-Type");
	if (r == 1 || (j = json_parse(rq->body, rq->bodylen, &bad)) == NULL)
		return fault(rs, 400, "Malformed request body");
	cJSON_Delete(j);
	return fault(rs, 400, GENERIC_400);
}

/* "/" (300) and "/v3/" (200): the same list, always application/json. */
static int
vr_versions(struct req *rq, struct resp *rs, int status)
{
	cJSON	*doc;

	if (vr_options(rq, rs))
		return 0;
	resp_ids(rs, RESP_REQID | RESP_COMPUTEID);
	if (version_negotiate(rq, rs) == -1 || vr_body_checks(rq, rs) == -1)
		return -1;
	doc = version_doc(rq);
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
	rq->m.json_suffix = 1;	/* the reference never answers the vnd type */
	resp_head(rs, req_is(rq, "HEAD"));
	return 0;
}

static int
vr_root(struct req *rq, struct resp *rs)
{
	return vr_versions(rq, rs, 300);
}

static int
vr_v3slash(struct req *rq, struct resp *rs)
{
	return vr_versions(rq, rs, 200);
}

static int
vr_health(struct req *rq, struct resp *rs)
{
	if (vr_options(rq, rs))
		return 0;
	if (req_is(rq, "HEAD")) {
		resp_empty(rs, 204, "text/plain; charset=UTF-8");
		return 0;
	}
	resp_text(rs, 200, "text/plain; charset=UTF-8", "OK");
	return 0;
}

static int
vr_v3(struct req *rq, struct resp *rs)
{
	if (vr_options(rq, rs))
		return 0;
	resp_empty(rs, 302, "text/plain; charset=utf8");
	resp_header(rs, "Location", "http://%s/v3/", rq->host);
	return 0;
}
