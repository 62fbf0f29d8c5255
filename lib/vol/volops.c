/* lib/vol/volops.c: the Volume domain operations on clusters and services
 * (volops.h): the lock, the lookups and the storage steps that the
 * vol-cluster, vol-clusters, vol-services and vol-heartbeat handlers
 * used to do themselves. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/store.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volops.h"

/* Every service and cluster under the shared lock, to fn. */
static enum op_rc
read_all(const char *data_dir, int down_time, volop_db_fn fn, void *arg)
{
	struct store	 st;
	struct vol_db	 db;
	enum op_rc	 rc = OP_IO;

	memset(&db, 0, sizeof(db));
	if (store_open(&st, data_dir, VOL_LOCK, STORE_READ) == 0 &&
	    vol_load(&st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0 &&
	    vol_derive(&db, down_time) == 0 && fn(&db, arg) == 0)
		rc = OP_OK;
	vol_free(&db);
	store_close(&st);
	return rc;
}

enum op_rc
volop_clusters_list(const char *data_dir, int down_time, volop_db_fn fn,
    void *arg)
{
	return read_all(data_dir, down_time, fn, arg);
}

enum op_rc
volop_services_list(const char *data_dir, int down_time, volop_db_fn fn,
    void *arg)
{
	return read_all(data_dir, down_time, fn, arg);
}

/* The first cluster matching name and binary (SPEC 3.2) and its
 * services, through the name index (volume.h), or from everything when
 * there is none: OK and *i, NOT_FOUND, IO. */
static enum op_rc
cl_find(const struct store *st, struct vol_db *db, const char *name,
    const char *binary, int down_time, long *i)
{
	int	 ix;

	if ((ix = vol_load_cluster(st, name, binary, db)) == -1 ||
	    (ix == 0 && vol_load(st, VOL_SERVICES | VOL_CLUSTERS, db) == -1) ||
	    vol_derive(db, down_time) == -1)
		return OP_IO;
	if ((*i = vol_cluster_find(db, name, binary)) < 0)
		return OP_NOT_FOUND;
	return OP_OK;
}

enum op_rc
volop_cluster_show(const char *data_dir, const char *name,
    const char *binary, int down_time, volop_cl_fn fn, void *arg)
{
	struct store	 st;
	struct vol_db	 db;
	enum op_rc	 rc = OP_IO;
	long		 i;

	memset(&db, 0, sizeof(db));
	if (store_open(&st, data_dir, VOL_LOCK, STORE_READ) == 0 &&
	    (rc = cl_find(&st, &db, name, binary, down_time, &i)) == OP_OK &&
	    fn(&db.cl[i], arg) == -1)
		rc = OP_IO;
	vol_free(&db);
	store_close(&st);
	return rc;
}

struct able {
	const struct volop_able	*ch;
	int			 down_time;
	volop_cl_fn		 fn;
	void			*arg;
};

static void
able_change(cJSON *rec, const void *arg)
{
	const struct volop_able	*ch = arg;
	char			 now[27];

	clock_format(clock_now_us(), now);
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "disabled",
	    cJSON_CreateBool(ch->disable));
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "disabled_reason",
	    vol_str_or_null(ch->reason));
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "updated_at",
	    cJSON_CreateString(now));
}

/* Change the record file of c (exclusive lock held); fn gets the changed
 * record.  0 or -1. */
static int
cl_apply(const struct store *st, const struct vol_cluster *c,
    const struct able *a)
{
	struct vol_db	 one;
	cJSON		*rec;
	char		*name = xstrndup(c->name.p, c->name.n);
	char		*binary = xstrndup(c->binary.p, c->binary.n);
	int		 rc = -1;

	memset(&one, 0, sizeof(one));
	if ((rec = vol_cluster_update(st, name, binary, able_change,
	    a->ch)) != NULL && vol_load_records(&one, NULL, rec) == 0 &&
	    one.ncl == 1) {
		one.cl[0].up = c->up;	/* services are untouched */
		rc = a->fn(&one.cl[0], a->arg);
	}
	vol_free(&one);
	cJSON_Delete(rec);
	free(name);
	free(binary);
	return rc;
}

static enum op_rc
able_pass(const struct store *st, int write, void *arg, struct buf *m)
{
	const struct able	*a = arg;
	struct vol_db		 db;
	enum op_rc		 rc;
	long			 i = -1;

	(void)m;
	memset(&db, 0, sizeof(db));
	if ((rc = cl_find(st, &db, a->ch->name, a->ch->binary, a->down_time,
	    &i)) == OP_OK && write && cl_apply(st, &db.cl[i], a) == -1)
		rc = OP_IO;
	vol_free(&db);
	return rc;
}

/* Found under the shared lock first: a request that changes nothing
 * (404) leaves DATA_DIR untouched (volint.h, the two passes). */
enum op_rc
volop_cluster_able(const char *data_dir, const struct volop_able *ch,
    int down_time, volop_cl_fn fn, void *arg)
{
	struct able	 a = { ch, down_time, fn, arg };

	return vol_two_passes(data_dir, able_pass, &a, NULL);
}

enum op_rc
volop_heartbeat(const char *data_dir, const struct vol_hb *hb, cJSON **rec,
    cJSON **cl)
{
	struct store	 st;
	enum op_rc	 rc;

	*rec = *cl = NULL;
	if (store_open(&st, data_dir, VOL_LOCK, STORE_WRITE) == -1) {
		store_close(&st);
		return OP_IO;
	}
	switch (vol_heartbeat(&st, hb, rec, cl)) {
	case 0:
		rc = OP_OK;
		break;
	case VOL_HB_MOVE:
		rc = OP_NOT_ALLOWED;
		break;
	case VOL_HB_FULL:
		rc = OP_FULL;
		break;
	default:
		rc = OP_IO;
	}
	store_close(&st);
	return rc;
}
