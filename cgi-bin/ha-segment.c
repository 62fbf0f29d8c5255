/* cgi-bin/ha-segment.c: /v1/segments/{id}, show, update, delete
 * (SPEC 4.4). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/input.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "http/app.h"

static int	seg_show(struct req *, struct resp *);
static int	seg_update(struct req *, struct resp *);
static int	seg_delete(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_SEGMENT, "GET", seg_show, "os_masakari_api:segments:detail",
	    NULL, 0 },
	{ EP_HA_SEGMENT, "PUT", seg_update,
	    "os_masakari_api:segments:update", input_segment_update, 0 },
	{ EP_HA_SEGMENT, "DELETE", seg_delete,
	    "os_masakari_api:segments:delete", NULL, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-segment", handlers, NELEM(handlers));
}

/* Load the segment of the path, or answer 404/500 (-1). */
static cJSON *
seg_lookup(struct req *rq, struct resp *rs, const struct store *st)
{
	cJSON	*rec;
	int	 err;

	if ((rec = segment_load(st, rq->m.arg[0], &err)) == NULL) {
		if (err)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 404, "No failover segment with id %s.",
			    rq->m.arg[0]);
	}
	return rec;
}

static void
seg_answer(struct resp *rs, int status, const cJSON *rec)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, "segment", segment_view(rec));
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
}

static int
seg_show(struct req *rq, struct resp *rs)
{
	struct store	 st;
	cJSON		*rec = NULL;
	int		 rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((rec = seg_lookup(rq, rs, &st)) == NULL)
		goto out;
	seg_answer(rs, 200, rec);
	rc = 0;
out:
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}

static int
seg_set(cJSON *rec, const char *key, const char *v)
{
	return v != NULL && json_replace_changed(rec, key,
	    cJSON_CreateString(v));
}

static int
seg_apply(cJSON *rec, const struct ha_segment_in *in)
{
	int	 changed = 0;

	changed |= seg_set(rec, "name", in->name);
	changed |= seg_set(rec, "service_type", in->service_type);
	if (in->description.set)
		changed |= json_replace_changed(rec, "description",
		    in->description.s != NULL ?
		    cJSON_CreateString(in->description.s) : cJSON_CreateNull());
	changed |= seg_set(rec, "recovery_method", in->recovery_method);
	if (in->enabled != -1)	/* divergence 3 */
		changed |= json_replace_changed(rec, "enabled",
		    cJSON_CreateBool(in->enabled));
	return changed;
}

/* SPEC 4.4: lookup, in use, name taken; then write. */
static int
seg_update_checks(struct resp *rs, const struct store *st, const cJSON *rec,
    const char *name)
{
	const char	*uuid;
	char		 other[37];
	int		 r;

	uuid = json_str(rec, "uuid");
	if ((r = segment_in_use(st, uuid)) != 0)
		return r == -1 ? fault(rs, 500, GENERIC_500) : fault(rs, 409,
		    "Failover segment %s can't be updated as it is in-use to "
		    "process notifications.", uuid);
	if (name == NULL)
		return 0;
	if ((r = segment_name_owner(st, name, other)) == -1)
		return fault(rs, 500, GENERIC_500);
	if (r == 1 && strcmp(other, uuid) != 0)
		return fault(rs, 409, "Failover segment with name %s already "
		    "exists.", name);
	return 0;
}

static int
seg_store(const struct store *st, cJSON *rec, const char *oldname)
{
	const char	*name, *uuid;
	char		 now[27];

	name = json_str(rec, "name");
	uuid = json_str(rec, "uuid");
	clock_now(now, 1);
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "updated_at",
	    cJSON_CreateString(now));
	if (strcmp(name, oldname) != 0 &&
	    segment_name_set(st, name, uuid) == -1)
		return -1;
	if (segment_save(st, rec) == -1)
		return -1;
	/* renamed: an old entry left behind is stale and ignored */
	if (strcmp(name, oldname) != 0)
		(void)segment_name_del(st, oldname);
	return 0;
}

static int
seg_update(struct req *rq, struct resp *rs)
{
	struct store	 st;
	const struct ha_segment_in *in = input_segment(rq);
	cJSON		*rec = NULL;
	char		*oldname = NULL;
	int		 rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((rec = seg_lookup(rq, rs, &st)) == NULL ||
	    seg_update_checks(rs, &st, rec, in->name) == -1)
		goto out;
	oldname = xstrdup(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(rec, "name")));
	if (seg_apply(rec, in) && seg_store(&st, rec, oldname) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	seg_answer(rs, 200, rec);
	rc = 0;
out:
	free(oldname);
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}

static int
seg_delete(struct req *rq, struct resp *rs)
{
	struct store	 st;
	cJSON		*rec = NULL;
	const char	*uuid;
	int		 r, rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	(void)segment_sweep(&st);	/* unfinished deletes; invisible */
	if ((rec = seg_lookup(rq, rs, &st)) == NULL)
		goto out;
	uuid = json_str(rec, "uuid");
	if ((r = segment_in_use(&st, uuid)) != 0) {
		if (r == -1)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 409, "Failover segment (%s) can't be deleted "
			    "as it is in-use to process notifications.", uuid);
		goto out;
	}
	if (segment_remove(&st, rec) == -1) {
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
