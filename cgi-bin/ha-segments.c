/* cgi-bin/ha-segments.c: /v1/segments, list and create (SPEC 4.4). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/list.h"
#include "ha/filter.h"
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

int
main(void)
{
	return app_main(API_HA, "ha-segments", handlers, NELEM(handlers));
}

static int
seg_list(struct req *rq, struct resp *rs)
{
	struct store		 st;
	struct list_query	 lq;
	struct ha_segment_filter f;
	cJSON			*all = NULL, *rows = NULL, *page = NULL, *s;
	cJSON			*next;
	int			 err, rc = -1;

	if (list_query(rq, rs, &lq) == -1 ||
	    input_segment_filter(rq, rs, &f) == -1)
		return -1;
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1 ||
	    (all = segment_all(&st, &err)) == NULL) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rows = cJSON_CreateArray();
	for (s = all->child; s != NULL; s = next) {
		next = s->next;
		if (filter_segment(&f, s))
			cJSON_AddItemReferenceToArray(rows, s);
	}
	if (list_page(rq, rs, &list_segments, &lq, rows, all, &page) == -1)
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
