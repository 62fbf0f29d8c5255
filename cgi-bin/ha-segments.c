/* cgi-bin/ha-segments.c: /v1/segments, list and create (SPEC 4.4). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/list.h"
#include "ha/input.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "http/app.h"

static int	seg_list(struct req *, struct resp *);
static int	seg_create(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_SEGMENTS, "GET", seg_list, "os_masakari_api:segments:index",
	    NULL, 0 },
	{ EP_HA_SEGMENTS, "POST", seg_create,
	    "os_masakari_api:segments:create", input_segment_create, 0 },
};

static const char *const seg_columns[] = {
	"id", "uuid", "name", "service_type", "description",
	"recovery_method", "enabled", "created_at", "updated_at",
	"deleted_at", "deleted", NULL,
};

static const struct list_kind seg_kind = { seg_columns, "uuid" };

int
main(void)
{
	return app_main(API_HA, "ha-segments", handlers, NELEM(handlers));
}

/* Divergence 4: a boolean spelling or a number equal to 1 or 0; any
 * other value matches nothing (-1). */
static int
seg_enabled_filter(const char *v)
{
	cJSON	*s = cJSON_CreateString(v);
	char	*end;
	double	 d;
	int	 b, rc;

	rc = valid_bool(s, &b);
	cJSON_Delete(s);
	if (rc == 0)
		return b;
	d = strtod(v, &end);
	if (*v != '\0' && *end == '\0' && (d == 1 || d == 0))
		return d == 1;
	return -1;
}

static int
seg_match(const cJSON *seg, const struct req *rq)
{
	static const char *const exact[] = {
		"recovery_method", "service_type",
	};
	const char	*v;
	size_t		 i;
	int		 want;

	for (i = 0; i < NELEM(exact); i++) {
		if ((v = req_query(rq, exact[i])) == NULL)
			continue;
		if (strcmp(v, cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(seg, exact[i]))) != 0)
			return 0;
	}
	if ((v = req_query(rq, "enabled")) != NULL) {
		want = seg_enabled_filter(v);
		if (want == -1 || want != cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(seg, "enabled")))
			return 0;
	}
	return 1;
}

static int
seg_list(struct req *rq, struct resp *rs)
{
	struct store	 st;
	cJSON		*all = NULL, *rows = NULL, *page = NULL, *s, *next;
	long long	 limit;
	int		 err, rc = -1;

	if (list_limit(rq, rs, &limit) == -1)
		return -1;
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1 ||
	    (all = segment_all(&st, &err)) == NULL) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rows = cJSON_CreateArray();
	for (s = all->child; s != NULL; s = next) {
		next = s->next;
		if (seg_match(s, rq))
			cJSON_AddItemReferenceToArray(rows, s);
	}
	if (list_page(rq, rs, &seg_kind, limit, rows, all, &page) == -1)
		goto out;
	list_answer(rs, "segments", page, segment_view);
	rc = 0;
out:
	cJSON_Delete(page);
	cJSON_Delete(rows);
	cJSON_Delete(all);
	store_close(&st);
	return rc;
}

/* A new record from a body that passed the schema. */
static cJSON *
seg_record(const struct ha_segment_in *in, long long id, const char *uuid)
{
	cJSON		*rec = cJSON_CreateObject();
	char		 now[27];

	clock_now(now, 1);
	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", in->name);
	cJSON_AddStringToObject(rec, "service_type", in->service_type);
	cJSON_AddBoolToObject(rec, "enabled", in->enabled != 0);
	if (in->description.s != NULL)
		cJSON_AddStringToObject(rec, "description",
		    in->description.s);
	else
		cJSON_AddNullToObject(rec, "description");
	cJSON_AddStringToObject(rec, "recovery_method", in->recovery_method);
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
	return rec;
}

static int
seg_create(struct req *rq, struct resp *rs)
{
	struct store	 st;
	const struct ha_segment_in *in = input_segment(rq);
	cJSON		*rec = NULL, *doc;
	const char	*name = in->name;
	char		 uuid[37], other[37];
	long long	 id;
	int		 taken, rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1 ||
	    ha_dirs(&st) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	(void)segment_sweep(&st);	/* unfinished deletes; invisible */
	if ((taken = segment_name_owner(&st, name, other)) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if (taken) {
		fault(rs, 409, "Failover segment with name %s already exists.",
		    name);
		goto out;
	}
	store_uuid_new(uuid);
	if ((id = store_next_id(&st, HA_COUNTERS, "segment")) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rec = seg_record(in, id, uuid);
	if (segment_name_set(&st, name, uuid) == -1 ||
	    segment_save(&st, rec) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "segment", segment_view(rec));
	resp_json(rs, 201, doc);
	cJSON_Delete(doc);
	rc = 0;
out:
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}
