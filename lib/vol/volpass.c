/*
 * lib/vol/volpass.c: how a Volume write runs (volint.h).  Its checks run
 * under the shared lock first, so that a refused or unknown request
 * leaves DATA_DIR as it was, then again under the exclusive lock (since
 * anything may have changed in between), which writes.  A write changes
 * a record file: read, copied, changed, put (one commit, its journal
 * line: volume.h).
 */
#include <stddef.h>

#include "base/log.h"
#include "vol/volint.h"
#include "vol/volume.h"

enum op_rc
vol_two_passes(const char *data_dir, vol_pass_fn fn, void *arg,
    struct buf *m)
{
	struct store	 st;
	enum op_rc	 rc = OP_OK;
	int		 pass;

	for (pass = 0; pass < 2 && rc == OP_OK; pass++) {
		if (store_open(&st, data_dir, VOL_LOCK, pass == 0 ?
		    STORE_READ : STORE_WRITE) == -1)
			return OP_IO;
		if (m != NULL)
			buf_reset(m);
		rc = fn(&st, pass, arg, m);
		store_close(&st);
	}
	return rc;
}

static cJSON *
rec_update(const struct store *st, int cluster, const char *a,
    const char *b, vol_change_fn fn, const void *arg)
{
	cJSON	*old, *rec;
	int	 err;

	old = cluster ? vol_cluster_get(st, a, b, &err) :
	    vol_svc_get(st, a, b, &err);
	if (old == NULL) {
		log_warn("%s %s: no record file", cluster ? "cluster" :
		    "service", a);
		return NULL;
	}
	rec = cJSON_Duplicate(old, 1);
	cJSON_Delete(old);
	fn(rec, arg);
	if ((cluster ? vol_cluster_put(st, rec) : vol_svc_put(st, rec)) ==
	    -1) {
		cJSON_Delete(rec);
		return NULL;
	}
	return rec;
}

cJSON *
vol_svc_update(const struct store *st, const char *host, const char *binary,
    vol_change_fn fn, const void *arg)
{
	return rec_update(st, 0, host, binary, fn, arg);
}

cJSON *
vol_cluster_update(const struct store *st, const char *name,
    const char *binary, vol_change_fn fn, const void *arg)
{
	return rec_update(st, 1, name, binary, fn, arg);
}

void
vol_set(cJSON *rec, const char *key, cJSON *v)
{
	if (!cJSON_ReplaceItemInObjectCaseSensitive(rec, key, v))
		cJSON_AddItemToObject(rec, key, v);
}

cJSON *
vol_str_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}
