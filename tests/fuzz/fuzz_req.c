/*
 * tests/fuzz/fuzz_req.c: one whole request through the pipeline of
 * lib/http/app.c (req_init, route_match, the checks of SPEC 2.1: 413, 401,
 * route, microversion, 405, 415, body parse, project id, schema, policy)
 * with stand-in handlers that validate bodies and page lists, then
 * resp_send().
 *
 * Input: "K=VALUE" lines, an empty line, then the body.  K: P api ("vol"
 * for the Volume API, else Instance-HA), M REQUEST_METHOD, U REQUEST_URI,
 * C CONTENT_TYPE, L CONTENT_LENGTH (default: the body's length), V
 * OpenStack-API-Version, A Accept, H Host, T X-Auth-Token (default
 * "admin:admin"; "-" = none), X Proxy (httpoxy: must change nothing),
 * Q QUERY_STRING, I PATH_INFO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "ha/input.h"
#include "ha/list.h"
#include "ha/valid.h"
#include "http/app.h"
#include "fuzz.h"

static cJSON	*rows;

static int
h_doc(struct req *rq, struct resp *rs)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "path", rq->path);
	if (rq->m.arg[0] != NULL)
		cJSON_AddStringToObject(doc, "arg0", rq->m.arg[0]);
	if (rq->m.arg[1] != NULL)
		cJSON_AddStringToObject(doc, "arg1", rq->m.arg[1]);
	if (rq->json != NULL)
		cJSON_AddItemToObject(doc, "body",
		    cJSON_Duplicate(rq->json, 1));
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	return 0;
}

static int
h_list(struct req *rq, struct resp *rs)
{
	struct list_query lq;
	cJSON		*page = NULL, *doc;

	if (list_query(rq, rs, &list_segments, &lq) == -1)
		return -1;
	if (list_page(rq, rs, &list_segments, &lq, rows, rows, &page) == -1) {
		cJSON_Delete(page);	/* the programs free it too */
		return -1;
	}
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "segments", page);
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	return 0;
}

/* The notification body as the real program takes it: the schema
 * before policy, the payload after. */
static int
h_notif_pre(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	if (input_notification_create(rq, rs) == -1)
		return -1;
	buf_init(&msg);
	return app_invalid(rs, valid_notification_payload(
	    input_notification(rq), &msg), &msg);
}

#define SEG(m)	"os_masakari_api:segments:" m
#define HOST(m)	"os_masakari_api:os-hosts:" m
#define NOTI(m)	"os_masakari_api:notifications:" m

static const struct handler ha_handlers[] = {
	{ EP_HA_ROOT, NULL, h_doc, NULL, NULL, 0 },
	{ EP_HA_CHOICES, NULL, h_doc, NULL, NULL, 0 },
	{ EP_HA_VERSION, "GET", h_doc, NULL, NULL, 0 },
	{ EP_HA_EXTENSIONS, "GET", h_doc,
	    "os_masakari_api:extensions:index", NULL, 0 },
	{ EP_HA_EXTENSION, "GET", h_doc,
	    "os_masakari_api:extensions:detail", NULL, 0 },
	{ EP_HA_SEGMENTS, "GET", h_list, SEG("index"), NULL, 0 },
	{ EP_HA_SEGMENTS, "POST", h_doc, SEG("create"), input_segment_create,
	    0 },
	{ EP_HA_SEGMENT, "GET", h_doc, SEG("detail"), NULL, 0 },
	{ EP_HA_SEGMENT, "PUT", h_doc, SEG("update"), input_segment_update,
	    0 },
	{ EP_HA_SEGMENT, "DELETE", h_doc, SEG("delete"), NULL, 0 },
	{ EP_HA_HOSTS, "GET", h_list, HOST("index"), NULL, 0 },
	{ EP_HA_HOSTS, "POST", h_doc, HOST("create"), input_host_create, 0 },
	{ EP_HA_HOST, "GET", h_doc, HOST("detail"), NULL, 0 },
	{ EP_HA_HOST, "PUT", h_doc, HOST("update"), input_host_update, 0 },
	{ EP_HA_HOST, "DELETE", h_doc, HOST("delete"), NULL, 0 },
	{ EP_HA_NOTIFICATIONS, "GET", h_list, NOTI("index"), NULL, 0 },
	{ EP_HA_NOTIFICATIONS, "POST", h_doc, NOTI("create"), h_notif_pre,
	    0 },
	{ EP_HA_NOTIFICATION, "GET", h_doc, NOTI("detail"), NULL, 0 },
};

static const struct handler vol_handlers[] = {
	{ EP_VOL_ROOT, NULL, h_doc, NULL, NULL, 0 },
	{ EP_VOL_HEALTH, NULL, h_doc, NULL, NULL, 0 },
	{ EP_VOL_V3, NULL, h_doc, NULL, NULL, H_RAW },
	{ EP_VOL_V3SLASH, NULL, h_doc, NULL, NULL, H_RAW },
	{ EP_VOL_CLUSTERS, "GET", h_doc, "clusters:get_all", NULL, H_MIN37 },
	{ EP_VOL_CLUSTERS, "POST", NULL, NULL, NULL, 0 },
	{ EP_VOL_CLUSTERS_DETAIL, "GET", h_doc, "clusters:get_all", NULL,
	    H_MIN37 },
	{ EP_VOL_CLUSTER, "GET", h_doc, "clusters:get", NULL, H_MIN37 },
	{ EP_VOL_CLUSTER, "PUT", h_doc, "clusters:update", NULL,
	    H_BODY | H_NEEDBODY | H_MIN37 },
	{ EP_VOL_CLUSTER, "DELETE", NULL, NULL, NULL, 0 },
	{ EP_VOL_SERVICES, "GET", h_doc, "volume_extension:services:index",
	    NULL, 0 },
	{ EP_VOL_HEARTBEAT, "PUT", h_doc, "hacgi:services:heartbeat", NULL,
	    H_BODY | H_NEEDBODY },
};

static void
make_rows(void)
{
	static const char *const names[] = { "b", "a", "c\n", "\xc3\xa9", "" };
	cJSON	*r;
	char	 uuid[37];
	int	 i;

	rows = cJSON_CreateArray();
	for (i = 0; i < 5; i++) {
		r = cJSON_CreateObject();
		snprintf(uuid, sizeof(uuid),
		    "00000000-0000-4000-8000-00000000000%d", i);
		cJSON_AddNumberToObject(r, "id", i + 1);
		cJSON_AddStringToObject(r, "uuid", uuid);
		cJSON_AddStringToObject(r, "name", names[i]);
		cJSON_AddStringToObject(r, "service_type", "COMPUTE");
		if (i % 2)
			cJSON_AddNullToObject(r, "description");
		else
			cJSON_AddStringToObject(r, "description", names[4 - i]);
		cJSON_AddStringToObject(r, "recovery_method", "auto");
		cJSON_AddBoolToObject(r, "enabled", i % 3 == 0);
		cJSON_AddStringToObject(r, "created_at",
		    i < 3 ? "2024-01-01T00:00:00.000000" :
		    "2023-01-01T00:00:00.000000");
		cJSON_AddNullToObject(r, "updated_at");
		cJSON_AddNullToObject(r, "deleted_at");
		cJSON_AddFalseToObject(r, "deleted");
		cJSON_AddItemToArray(rows, r);
	}
}

/* Set the CGI variables from "K=V" lines; returns the body's offset. */
static size_t
set_vars(const uint8_t *data, size_t size, enum api *api, int *have_len)
{
	static const struct { char k; const char *var; } map[] = {
		{ 'M', "REQUEST_METHOD" }, { 'U', "REQUEST_URI" },
		{ 'C', "CONTENT_TYPE" }, { 'L', "CONTENT_LENGTH" },
		{ 'V', "HTTP_OPENSTACK_API_VERSION" }, { 'A', "HTTP_ACCEPT" },
		{ 'H', "HTTP_HOST" }, { 'T', "HTTP_X_AUTH_TOKEN" },
		{ 'X', "HTTP_PROXY" }, { 'Q', "QUERY_STRING" },
		{ 'I', "PATH_INFO" },
	};
	size_t	 off = 0, end, i;
	char	*line;

	*api = API_HA;
	setenv("HTTP_X_AUTH_TOKEN", "admin:admin", 1);
	while (off < size) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);

		end = nl != NULL ? (size_t)(nl - data) : size;
		if (end == off)
			return off + 1;		/* the empty line */
		line = fuzz_str(data + off, end - off);
		if (line[0] == 'P' && line[1] == '=')
			*api = strcmp(line + 2, "vol") == 0 ? API_VOLUME :
			    API_HA;
		for (i = 0; i < NELEM(map); i++)
			if (line[0] == map[i].k && line[1] == '=') {
				if (map[i].k == 'T' && strcmp(line, "T=-") == 0)
					unsetenv(map[i].var);
				else
					setenv(map[i].var, line + 2, 1);
				*have_len |= map[i].k == 'L';
			}
		free(line);
		off = end + 1;
	}
	return size;
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 rq;
	enum api	 api;
	const char	*self;
	char		 len[32];
	size_t		 body;
	int		 have_len = 0;

	if (rows == NULL)
		make_rows();
	setenv("DATA_DIR", fuzz_data_dir(), 1);
	body = set_vars(data, size, &api, &have_len);
	if (!have_len && body < size) {
		snprintf(len, sizeof(len), "%zu", size - body);
		setenv("CONTENT_LENGTH", len, 1);
	}
	fuzz_stdin(data + body, size - body);
	/* be the program the route table names, so that nothing is exec'd */
	req_init(&rq, api);
	route_match(api, rq.path, rq.method, &rq.m);
	self = rq.m.binary;
	req_free(&rq);
	if (api == API_HA)
		app_main(api, self, ha_handlers, NELEM(ha_handlers));
	else
		app_main(api, self, vol_handlers, NELEM(vol_handlers));
	fuzz_clear_env();
	return 0;
}
