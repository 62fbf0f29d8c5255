/* cgi-bin/ha-hosts.c: /v1/segments/{segment_id}/hosts, list and create
 * (SPEC 4.5). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
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

static const char *const host_columns[] = {
	"id", "uuid", "name", "failover_segment_id", "type",
	"control_attributes", "reserved", "on_maintenance", "created_at",
	"updated_at", "deleted_at", "deleted", NULL,
};

static const struct list_kind host_kind = { host_columns, "uuid" };

/* The boolean filters, in the order they are checked. */
static const char *const host_bool_keys[] = { "on_maintenance", "reserved" };

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

/* SPEC 4.5: on_maintenance, then reserved, as oslo bool_from_string
 * (strict); want[i] = -1 when the filter is absent. */
static int
host_bool_filters(struct req *rq, struct resp *rs, int want[2])
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < NELEM(host_bool_keys); i++) {
		want[i] = -1;
		if ((v = req_query(rq, host_bool_keys[i])) == NULL)
			continue;
		if (valid_bool_query(v, &want[i]) == -1)
			return fault(rs, 400, "Invalid value for %s: "
			    "Unrecognized value '%s', acceptable values are: "
			    "'0', '1', 'f', 'false', 'n', 'no', 'off', 'on', "
			    "'t', 'true', 'y', 'yes'", host_bool_keys[i], v);
	}
	return 0;
}

/* The filters: type (exact) and the booleans; name and
 * control_attributes are ignored, as by the reference. */
static int
host_match(const struct req *rq, const cJSON *rec, const int want[2])
{
	const char	*v, *t;
	size_t		 i;

	if ((v = req_query(rq, "type")) != NULL &&
	    ((t = json_str(rec, "type")) == NULL || strcmp(v, t) != 0))
		return 0;
	for (i = 0; i < NELEM(host_bool_keys); i++)
		if (want[i] != -1 && want[i] != cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(rec, host_bool_keys[i])))
			return 0;
	return 1;
}

/* The views of the segment's hosts that pass the filters. */
static cJSON *
host_rows(struct req *rq, const struct store *st, const cJSON *seg,
    const int want[2], int *err)
{
	const cJSON	*h;
	cJSON		*recs, *rows;

	if ((recs = host_list(st, json_str(seg, "uuid"), err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(h, recs)
		if (host_match(rq, h, want))
			cJSON_AddItemToArray(rows, host_view(h, seg));
	cJSON_Delete(recs);
	return rows;
}

/* SPEC 4.2 step 5: the marker is looked up among the hosts of every
 * segment; only then are they all read. */
static cJSON *
host_marker_rows(struct req *rq, const struct store *st, int *err)
{
	const cJSON	*h;
	cJSON		*recs, *rows;

	*err = 0;
	if (req_query(rq, "marker") == NULL)
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
    const cJSON *seg, long long limit, int want[2])
{
	cJSON	*rows = NULL, *all = NULL, *page = NULL;
	int	 err, rc = -1;

	if ((rows = host_rows(rq, st, seg, want, &err)) == NULL ||
	    ((all = host_marker_rows(rq, st, &err)) == NULL && err)) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if (list_page(rq, rs, &host_kind, limit, rows, all ? all : rows,
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
	struct store	 st;
	cJSON		*seg = NULL;
	long long	 limit;
	int		 want[2], rc = -1;

	if (list_limit(rq, rs, &limit) == -1)
		return -1;
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((seg = host_segment(rq, rs, &st)) == NULL ||
	    host_bool_filters(rq, rs, want) == -1)
		goto out;
	rc = host_list_page(rq, rs, &st, seg, limit, want);
out:
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
