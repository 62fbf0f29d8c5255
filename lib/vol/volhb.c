/* lib/vol/volhb.c: a heartbeat (SPEC 3.7, volume.h): the service and,
 * when it names a new one, its cluster, under the limits the caller set
 * (struct vol_hb).  Expects the exclusive lock (store_open(.., VOL_LOCK,
 * STORE_WRITE)). */
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "vol/volint.h"
#include "vol/volume.h"

/* The cluster (name, binary), or NULL (*err set on a storage error);
 * with create, a missing one is made and committed (*made = 1). */
static cJSON *
cluster_of(const struct store *st, const char *name, const char *binary,
    int create, int *made, int *err)
{
	cJSON	*c;

	*made = 0;
	if ((c = vol_cluster_get(st, name, binary, err)) != NULL || *err ||
	    !create)
		return c;
	if ((c = vol_cluster_new(st, name, binary, NULL)) == NULL ||
	    vol_cluster_put(st, c) == -1) {
		cJSON_Delete(c);
		*err = 1;
		return NULL;
	}
	*made = 1;
	return c;
}

static void
add_str(cJSON *o, const char *key, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void
set_str(cJSON *o, const char *key, const char *v)
{
	cJSON	*n = v != NULL ? cJSON_CreateString(v) : cJSON_CreateNull();

	if (!cJSON_ReplaceItemInObjectCaseSensitive(o, key, n)) {
		cJSON_Delete(n);
		add_str(o, key, v);
	}
}

static int
count_one(const char *name, void *arg)
{
	(void)name;
	(*(long *)arg)++;
	return 0;
}

/* Does v (NULL: unchanged) change rec's key? */
static int
changes(const cJSON *rec, const char *key, const char *v)
{
	const char	*cur = json_str(rec, key);

	return v != NULL && (cur == NULL || strcmp(cur, v) != 0);
}

/* May this heartbeat go ahead: 0 or a VOL_HB_* error.  Counting the
 * services reads vol/services once; only a new service pays for it (the
 * record files are up to date: vol_svc_get settled the journal). */
static int
hb_allowed(const struct store *st, const struct vol_hb *hb, const cJSON *old)
{
	long	 n = 0;

	if (old != NULL)
		return hb->fixed && (changes(old, "cluster", hb->cluster) ||
		    changes(old, "zone", hb->zone)) ? VOL_HB_MOVE : 0;
	if (hb->max_services <= 0)
		return 0;
	if (store_scan(st, VOL_SVC_DIR, count_one, &n) != 0)
		return VOL_HB_ERROR;
	if (n < hb->max_services)
		return 0;
	log_warn("store %s: %ld services, the limit: no new one", st->dir, n);
	return VOL_HB_FULL;
}

/*
 * Two commits when the cluster is new: the cluster first, so that no
 * reader ever sees a service of a missing cluster.  A cluster without
 * members is a legal state (hacgi-manage cluster set makes them too);
 * after a failed service write the new cluster is removed again, so a
 * 500 leaves things as they were unless the process dies in between.
 * Everything the answer needs (the service and its cluster) is in hand
 * before the service's commit.
 */
int
vol_heartbeat(const struct store *st, const struct vol_hb *hb, cJSON **recp,
    cJSON **clp)
{
	cJSON		*old, *rec = NULL, *cl = NULL;
	const char	*name;
	char		 now[27];
	int		 err, made = 0, rc;

	*recp = NULL;
	if (vol_dirs(st) == -1 || ((old = vol_svc_get(st, hb->host,
	    hb->binary, &err)) == NULL && err))
		return VOL_HB_ERROR;
	if ((rc = hb_allowed(st, hb, old)) != 0) {
		cJSON_Delete(old);
		return rc;
	}
	rec = old != NULL ? cJSON_Duplicate(old, 1) :
	    vol_svc_new(st, hb->host, hb->binary, hb->created_at);
	name = hb->cluster != NULL ? hb->cluster : json_str(old, "cluster");
	if (rec == NULL || (name != NULL && (cl = cluster_of(st, name,
	    hb->binary, hb->cluster != NULL, &made, &err)) == NULL && err))
		goto fail;
	clock_format(clock_now_us(), now);
	set_str(rec, "heartbeat", hb->at == NULL ? now : *hb->at == '\0' ?
	    NULL : hb->at);
	if (hb->cluster != NULL)
		set_str(rec, "cluster", hb->cluster);
	if (hb->zone != NULL)
		set_str(rec, "zone", hb->zone);
	if (vol_svc_replace(st, old, rec) == -1)
		goto fail;
	cJSON_Delete(old);
	*recp = rec;
	if (clp != NULL)
		*clp = cl;
	else
		cJSON_Delete(cl);
	return 0;
fail:
	if (made && vol_cluster_remove(st, cl) == -1)
		log_warn("store %s: cluster %s kept without its service",
		    st->dir, name);
	cJSON_Delete(cl);
	cJSON_Delete(rec);
	cJSON_Delete(old);
	return VOL_HB_ERROR;
}
