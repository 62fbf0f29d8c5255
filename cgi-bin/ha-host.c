/* cgi-bin/ha-host.c: /v1/segments/{segment_id}/hosts/{host_id}, show,
 * update, delete (SPEC 4.5). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
#include "ha/input.h"
#include "ha/layout.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "http/app.h"

static int	host_show(struct req *, struct resp *);
static int	host_update(struct req *, struct resp *);
static int	host_delete(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_HOST, "GET", host_show, "os_masakari_api:os-hosts:detail",
	    NULL, 0 },
	{ EP_HA_HOST, "PUT", host_update, "os_masakari_api:os-hosts:update",
	    input_host_update, 0 },
	{ EP_HA_HOST, "DELETE", host_delete,
	    "os_masakari_api:os-hosts:delete", NULL, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-host", handlers, NELEM(handlers));
}

/* The host of the path in the segment of the path, or 404/500 (NULL).
 * Only the canonical uuid can match, as the reference's SQL lookup. */
static cJSON *
host_lookup(struct req *rq, struct resp *rs, const struct store *st)
{
	cJSON	*rec;
	int	 err;

	if ((rec = host_load(st, rq->m.arg[0], rq->m.arg[1], &err)) == NULL) {
		if (err)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 404, "Host '%s' under failover_segment '%s' "
			    "could not be found.", rq->m.arg[1], rq->m.arg[0]);
	}
	return rec;
}

/* The host's segment, read for the view (host_load() found a host, so
 * its segment exists).  NULL after a 500. */
static cJSON *
host_segment(struct resp *rs, const struct store *st, const cJSON *rec)
{
	cJSON	*seg;
	int	 err;

	if ((seg = segment_load(st, json_str(rec, "failover_segment_id"),
	    &err)) == NULL)
		fault(rs, 500, GENERIC_500);
	return seg;
}

static void
host_reply(struct resp *rs, int status, const cJSON *rec, const cJSON *seg)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, "host", host_view(rec, seg));
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
}

static int
host_answer(struct resp *rs, int status, const struct store *st,
    const cJSON *rec)
{
	cJSON	*seg;

	if ((seg = host_segment(rs, st, rec)) == NULL)
		return -1;
	host_reply(rs, status, rec, seg);
	cJSON_Delete(seg);
	return 0;
}

/* SPEC 4.5 GET: not uuid-like -> "No host with id H.", then the lookup
 * (the segment is not checked on its own). */
static int
host_show(struct req *rq, struct resp *rs)
{
	struct store	 st;
	cJSON		*rec = NULL;
	char		 canon[37];
	int		 rc = -1;

	if (valid_uuid_like(rq->m.arg[1], canon) == -1)
		return fault(rs, 404, "No host with id %s.", rq->m.arg[1]);
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((rec = host_lookup(rq, rs, &st)) == NULL)
		goto out;
	rc = host_answer(rs, 200, &st, rec);
out:
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}

/* 409 while the host's segment is in use (SPEC 1.3); verb "updated" or
 * "deleted". */
static int
host_in_use(struct resp *rs, const struct store *st, const cJSON *rec,
    const char *verb)
{
	int	 r;

	if ((r = segment_in_use(st, json_str(rec, "failover_segment_id")))
	    == 0)
		return 0;
	if (r == -1)
		return fault(rs, 500, GENERIC_500);
	return fault(rs, 409, "Host %s can't be %s as it is in-use to process "
	    "notifications.", json_str(rec, "uuid"), verb);
}

/* A name held by another host -> 409. */
static int
host_name_free(struct resp *rs, const struct store *st, const cJSON *rec,
    const char *name)
{
	cJSON	*other;
	int	 err, taken;

	if (name == NULL)
		return 0;
	if ((other = host_by_name(st, name, &err)) == NULL)
		return err ? fault(rs, 500, GENERIC_500) : 0;
	taken = strcmp(json_str(other, "uuid"), json_str(rec, "uuid")) != 0;
	cJSON_Delete(other);
	return taken ? fault(rs, 409, "Host with name %s already exists.",
	    name) : 0;
}

static int
host_set(cJSON *rec, const char *key, const char *v)
{
	return v != NULL && json_replace_changed(rec, key,
	    cJSON_CreateString(v));
}

static int
host_flag(cJSON *rec, const char *key, int v)
{
	return v != -1 && json_replace_changed(rec, key, cJSON_CreateBool(v));
}

static int
host_apply(cJSON *rec, const struct ha_host_in *in)
{
	int	 changed = 0;

	changed |= host_set(rec, "name", in->name);
	changed |= host_set(rec, "type", in->type);
	changed |= host_set(rec, "control_attributes", in->control_attributes);
	changed |= host_flag(rec, "reserved", in->reserved);
	changed |= host_flag(rec, "on_maintenance", in->on_maintenance);
	return changed;
}

/* SPEC 4.5 PUT after policy: lookup, in use, name; then write. */
static int
host_update(struct req *rq, struct resp *rs)
{
	struct store	 st;
	const struct ha_host_in *in = input_host(rq);
	cJSON		*rec = NULL, *seg = NULL;
	char		*oldname = NULL, now[27];
	int		 rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	/* everything the answer needs is read before the write: a failed
	 * read after it would answer 500 for a change that was made */
	if ((rec = host_lookup(rq, rs, &st)) == NULL ||
	    host_in_use(rs, &st, rec, "updated") == -1 ||
	    host_name_free(rs, &st, rec, in->name) == -1 ||
	    (seg = host_segment(rs, &st, rec)) == NULL)
		goto out;
	oldname = xstrdup(json_str(rec, "name"));
	if (host_apply(rec, in)) {
		clock_now(now, 1);
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "updated_at",
		    cJSON_CreateString(now));
		if (host_save(&st, rec, oldname) == -1) {
			fault(rs, 500, GENERIC_500);
			goto out;
		}
	}
	host_reply(rs, 200, rec, seg);
	rc = 0;
out:
	free(oldname);
	cJSON_Delete(seg);
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}

static int
host_delete(struct req *rq, struct resp *rs)
{
	struct store	 st;
	cJSON		*rec = NULL;
	int		 rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((rec = host_lookup(rq, rs, &st)) == NULL ||
	    host_in_use(rs, &st, rec, "deleted") == -1)
		goto out;
	if (host_remove(&st, rec) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	resp_empty(rs, 204, "application/json");
	rc = 0;
out:
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}
