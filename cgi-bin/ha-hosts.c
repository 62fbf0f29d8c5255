/* cgi-bin/ha-hosts.c: /v1/segments/{segment_id}/hosts, list and create
 * (SPEC 4.5). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
#include "ha/filter.h"
#include "ha/input.h"
#include "ha/layout.h"
#include "ha/list.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "http/app.h"

static int	host_list_h(struct req *, struct resp *);
static int	host_create_h(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_HOSTS, "GET", host_list_h, "os_masakari_api:os-hosts:index",
	    NULL, 0 },
	{ EP_HA_HOSTS, "POST", host_create_h,
	    "os_masakari_api:os-hosts:create", input_host_create, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-hosts", handlers, NELEM(handlers));
}

/* Load the segment of the path, or answer 404/500 (NULL). */
static cJSON *
host_segment(struct req *rq, struct resp *rs, const struct store *st)
{
	cJSON	*seg;
	int	 err;

	if ((seg = segment_load(st, rq->m.arg[0], &err)) == NULL) {
		if (err)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 404, "No failover segment with id %s.",
			    rq->m.arg[0]);
	}
	return seg;
}

/* The views of the segment's hosts that pass the filters. */
static cJSON *
host_rows(const struct store *st, const cJSON *seg,
    const struct ha_host_filter *f, int *err)
{
	const cJSON	*h;
	cJSON		*recs, *rows;

	if ((recs = host_list(st, json_str(seg, "uuid"), err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(h, recs)
		if (filter_host(f, h))
			cJSON_AddItemToArray(rows, host_view(h, seg));
	cJSON_Delete(recs);
	return rows;
}

/* SPEC 4.2 step 5: the marker is looked up among the hosts of every
 * segment; only then are they all read. */
static cJSON *
host_marker_rows(const struct list_query *lq, const struct store *st,
    int *err)
{
	const cJSON	*h;
	cJSON		*recs, *rows;

	*err = 0;
	if (lq->marker == NULL)
		return NULL;
	if ((recs = host_all(st, err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(h, recs)
		cJSON_AddItemToArray(rows, host_row(h));
	cJSON_Delete(recs);
	return rows;
}

static int
host_list_page(struct req *rq, struct resp *rs, const struct store *st,
    const cJSON *seg, const struct list_query *lq,
    const struct ha_host_filter *f)
{
	cJSON	*rows = NULL, *all = NULL, *page = NULL;
	int	 err, rc = -1;

	if ((rows = host_rows(st, seg, f, &err)) == NULL ||
	    ((all = host_marker_rows(lq, st, &err)) == NULL && err)) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if (list_page(rq, rs, &list_hosts, lq, rows, all ? all : rows,
	    &page) == -1)
		goto out;
	list_answer(rs, "hosts", page, NULL);
	rc = 0;
out:
	cJSON_Delete(page);
	cJSON_Delete(all);
	cJSON_Delete(rows);
	return rc;
}

/* SPEC 4.5 GET: limit, segment lookup, boolean filters, then 4.2. */
static int
host_list_h(struct req *rq, struct resp *rs)
{
	struct store		 st;
	struct list_query	 lq;
	struct ha_host_filter	 f;
	struct buf		 msg;
	cJSON			*seg = NULL;
	int			 rc = -1;

	if (list_query(rq, rs, &lq) == -1)
		return -1;
	buf_init(&msg);
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((seg = host_segment(rq, rs, &st)) == NULL)
		goto out;
	if (input_host_filter(rq, &f, &msg) == -1) {
		fault_raw(rs, 400, buf_str(&msg));
		goto out;
	}
	rc = host_list_page(rq, rs, &st, seg, &lq, &f);
out:
	buf_free(&msg);
	cJSON_Delete(seg);
	store_close(&st);
	return rc;
}

/* A new record from a body that passed the schema. */
static cJSON *
host_record(const struct ha_host_in *in, long long id, const char *uuid,
    const char *seg)
{
	cJSON	*rec = cJSON_CreateObject();
	char	 now[27];

	clock_now(now, 1);
	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", in->name);
	cJSON_AddStringToObject(rec, "failover_segment_id", seg);
	cJSON_AddStringToObject(rec, "type", in->type);
	cJSON_AddBoolToObject(rec, "reserved", in->reserved == 1);
	cJSON_AddStringToObject(rec, "control_attributes",
	    in->control_attributes);
	cJSON_AddBoolToObject(rec, "on_maintenance", in->on_maintenance == 1);
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
	return rec;
}

/* SPEC 4.5 POST after policy: segment lookup, then the name. */
static int
host_create_checks(struct req *rq, struct resp *rs, const struct store *st,
    cJSON **seg, const char *name)
{
	cJSON	*other;
	int	 err;

	if ((*seg = host_segment(rq, rs, st)) == NULL)
		return -1;
	if ((other = host_by_name(st, name, &err)) != NULL || err) {
		cJSON_Delete(other);
		return err ? fault(rs, 500, GENERIC_500) : fault(rs, 409,
		    "Host with name %s already exists.", name);
	}
	return 0;
}

static void
host_answer(struct resp *rs, int status, const cJSON *rec, const cJSON *seg)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, "host", host_view(rec, seg));
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
}

static int
host_create_h(struct req *rq, struct resp *rs)
{
	struct store	 st;
	const struct ha_host_in *in = input_host(rq);
	cJSON		*seg = NULL, *rec = NULL;
	char		 uuid[37];
	long long	 id;
	int		 rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if (host_create_checks(rq, rs, &st, &seg, in->name) == -1)
		goto out;
	store_uuid_new(uuid);
	if (ha_dirs(&st) == -1 ||
	    (id = store_next_id(&st, HA_COUNTERS, "host")) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rec = host_record(in, id, uuid, json_str(seg, "uuid"));
	if (host_create(&st, rec) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	host_answer(rs, 201, rec, seg);
	rc = 0;
out:
	cJSON_Delete(rec);
	cJSON_Delete(seg);
	store_close(&st);
	return rc;
}
