/* cgi-bin/ha-root.c: the Instance-HA version documents, extensions and
 * every path no other program serves (SPEC 4.1). */
#include <string.h>

#include "base/util.h"
#include "http/app.h"
#include "http/mv.h"

static int	ha_versions(struct req *, struct resp *);
static int	ha_choices(struct req *, struct resp *);
static int	ha_version(struct req *, struct resp *);
static int	ha_extensions(struct req *, struct resp *);
static int	ha_extension(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_ROOT, NULL, ha_versions, NULL, NULL, 0 },
	{ EP_HA_CHOICES, NULL, ha_choices, NULL, NULL, 0 },
	{ EP_HA_VERSION, "GET", ha_version, NULL, NULL, 0 },
	{ EP_HA_EXTENSIONS, "GET", ha_extensions,
	    "os_masakari_api:extensions:index", NULL, 0 },
	{ EP_HA_EXTENSION, "GET", ha_extension,
	    "os_masakari_api:extensions:detail", NULL, 0 },
};

static const struct ext {
	const char	*name, *alias, *description;
} exts[] = {
	{ "Extensions", "extensions", "Extension information." },
	{ "Notifications", "notifications", "Notifications support." },
	{ "Hosts", "os-hosts", "Hosts controller" },
	{ "Segments", "segments", "Segments Extension." },
	{ "Versions", "versions", "API Version information." },
};

int
main(void)
{
	return app_main(API_HA, "ha-root", handlers, NELEM(handlers));
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

static void
add_media_types(cJSON *v)
{
	cJSON	*mt = cJSON_AddArrayToObject(v, "media-types"), *m;

	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "base", "application/json");
	cJSON_AddStringToObject(m, "type",
	    "application/vnd.openstack.masakari+json;version=1");
	cJSON_AddItemToArray(mt, m);
}

/* The head of every version document: id, status, version, ... */
static cJSON *
version_head(int full)
{
	cJSON		*v = cJSON_CreateObject();
	struct mv	 min = mv_min(API_HA), max = mv_max(API_HA);
	char		 t[24];

	cJSON_AddStringToObject(v, "id", "v1.0");
	cJSON_AddStringToObject(v, "status", "CURRENT");
	if (full) {
		mv_format(&max, t);
		cJSON_AddStringToObject(v, "version", t);
		mv_format(&min, t);
		cJSON_AddStringToObject(v, "min_version", t);
		cJSON_AddStringToObject(v, "updated", "2016-07-01T11:33:21Z");
	}
	return v;
}

static void
self_href(struct buf *b, const struct req *rq, const char *tail)
{
	buf_printf(b, "http://%s/v1/%s", rq->host, tail);
}

static int
ha_versions(struct req *rq, struct resp *rs)
{
	cJSON		*doc = cJSON_CreateObject(), *v;
	struct buf	 href;

	buf_init(&href);
	self_href(&href, rq, "");
	v = version_head(1);
	add_link(cJSON_AddArrayToObject(v, "links"), "self", NULL,
	    buf_str(&href));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "versions"), v);
	resp_json(rs, 200, doc);
	resp_no_version(rs);
	cJSON_Delete(doc);
	buf_free(&href);
	return 0;
}

/* Any other path outside /v1: 300, self = /v1/ + the trimmed path. */
static int
ha_choices(struct req *rq, struct resp *rs)
{
	cJSON		*doc = cJSON_CreateObject(), *v;
	struct buf	 href;
	const char	*p = rq->path;
	size_t		 n;

	while (*p == '/')
		p++;
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	buf_init(&href);
	buf_printf(&href, "http://%s/v1/%.*s", rq->host, (int)n, p);
	v = version_head(0);
	add_link(cJSON_AddArrayToObject(v, "links"), "self", NULL,
	    buf_str(&href));
	add_media_types(v);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "choices"), v);
	resp_json(rs, 300, doc);
	resp_no_version(rs);
	cJSON_Delete(doc);
	buf_free(&href);
	return 0;
}

static int
ha_version(struct req *rq, struct resp *rs)
{
	cJSON		*doc = cJSON_CreateObject(), *v, *links;
	struct buf	 href;

	buf_init(&href);
	self_href(&href, rq, "");
	v = version_head(1);
	links = cJSON_AddArrayToObject(v, "links");
	add_link(links, "self", NULL, buf_str(&href));
	add_link(links, "describedby", "text/html",
	    "https://docs.openstack.org/");
	add_media_types(v);
	cJSON_AddItemToObject(doc, "version", v);
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	buf_free(&href);
	return 0;
}

static cJSON *
ext_view(const struct ext *e)
{
	cJSON	*v = cJSON_CreateObject();

	cJSON_AddStringToObject(v, "name", e->name);
	cJSON_AddStringToObject(v, "alias", e->alias);
	cJSON_AddStringToObject(v, "description", e->description);
	cJSON_AddStringToObject(v, "namespace", "");
	cJSON_AddStringToObject(v, "updated", "");
	cJSON_AddArrayToObject(v, "links");
	return v;
}

static int
ha_extensions(struct req *rq, struct resp *rs)
{
	cJSON	*doc = cJSON_CreateObject(), *arr;
	size_t	 i;

	(void)rq;
	arr = cJSON_AddArrayToObject(doc, "extensions");
	for (i = 0; i < NELEM(exts); i++)
		cJSON_AddItemToArray(arr, ext_view(&exts[i]));
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	return 0;
}

static int
ha_extension(struct req *rq, struct resp *rs)
{
	cJSON	*doc;
	size_t	 i;

	for (i = 0; i < NELEM(exts); i++) {
		if (strcmp(exts[i].alias, rq->m.arg[0]) != 0)
			continue;
		doc = cJSON_CreateObject();
		cJSON_AddItemToObject(doc, "extension", ext_view(&exts[i]));
		resp_json(rs, 200, doc);
		cJSON_Delete(doc);
		return 0;
	}
	return fault(rs, 404, GENERIC_404);
}
