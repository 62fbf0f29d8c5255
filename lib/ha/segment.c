/* lib/ha/segment.c: failover segments on disk (layout in layout.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/util.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/notifidx.h"
#include "ha/segment.h"

enum op_rc
segment_find(const struct store *st, const char *uuid, cJSON **rec)
{
	int	 err;

	if ((*rec = segment_load(st, uuid, &err)) == NULL)
		return err ? OP_IO : OP_NOT_FOUND;
	return OP_OK;
}

cJSON *
segment_load(const struct store *st, const char *uuid, int *err)
{
	char	 rel[96];

	*err = 0;
	if (!store_uuid_ok(uuid))
		return NULL;
	snprintf(rel, sizeof(rel), "ha/segments/%s.json", uuid);
	return store_read(st, rel, err);
}

cJSON *
segment_all(const struct store *st, int *err)
{
	cJSON	*out = cJSON_CreateArray();

	if (ha_scan_docs(st, "ha/segments", out) == -1) {
		cJSON_Delete(out);
		*err = 1;
		return NULL;
	}
	*err = 0;
	return out;
}

int
segment_create(const struct store *st, const cJSON *rec)
{
	struct idx_row	 row;
	int		 kept;

	if ((kept = idx_kept(st)) == -1 || (kept && (idx_row_of(rec, "uuid",
	    &row) == -1 || idx_add(st, IDX_SEGMENTS, &row) == -1)))
		return -1;
	return segment_save(st, rec);
}

int
segment_save(const struct store *st, const cJSON *rec)
{
	char	 rel[96];

	snprintf(rel, sizeof(rel), "ha/segments/%s.json", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(rec, "uuid")));
	return store_write(st, rel, rec);
}

/*
 * The index is written before the record and removed after it, so an
 * entry can outlive a crash: it counts only while the segment it names
 * exists and still has that name.
 */
int
segment_name_owner(const struct store *st, const char *name, char uuid[37])
{
	char		 rel[96];
	cJSON		*doc, *rec = NULL;
	const char	*u, *n;
	int		 err, rc = 0;

	ha_name_path(rel, 's', name);
	if ((doc = store_read(st, rel, &err)) == NULL)
		return err ? -1 : 0;
	u = json_str(doc, "uuid");
	if (u != NULL && (rec = segment_load(st, u, &err)) != NULL) {
		n = json_str(rec, "name");
		if (n != NULL && strcmp(n, name) == 0) {
			snprintf(uuid, 37, "%s", u);
			rc = 1;
		}
	}
	if (err)
		rc = -1;
	cJSON_Delete(rec);
	cJSON_Delete(doc);
	return rc;
}

int
segment_name_set(const struct store *st, const char *name, const char *uuid)
{
	char	 rel[96];
	cJSON	*doc = cJSON_CreateObject();
	int	 rc;

	ha_name_path(rel, 's', name);
	cJSON_AddStringToObject(doc, "name", name);
	cJSON_AddStringToObject(doc, "uuid", uuid);
	rc = store_write(st, rel, doc);
	cJSON_Delete(doc);
	return rc;
}

int
segment_name_del(const struct store *st, const char *name)
{
	char	 rel[96];

	ha_name_path(rel, 's', name);
	return store_remove(st, rel);
}

struct inuse_scan {
	const struct store	*st;
	const char		*seg;
};

/* One notification (without the indexes): 1 when it is active and its
 * source host is a current host of the segment. */
static int
inuse_scan_one(const char *file, void *arg)
{
	struct inuse_scan	*sc = arg;
	char			 uuid[37], rel[160];
	cJSON			*n;
	const char		*host;
	int			 err, rc = 0;

	if (!store_uuid_name(file, uuid) ||
	    (n = notification_load(sc->st, uuid, &err)) == NULL)
		return 0;
	host = json_str(n, "source_host_uuid");
	if (notification_active(json_str(n, "status")) && host != NULL &&
	    store_uuid_ok(host)) {
		snprintf(rel, sizeof(rel), "ha/hosts/%s/%s.json", sc->seg,
		    host);
		rc = store_exists(sc->st, rel);
	}
	cJSON_Delete(n);
	return rc;
}

/* SPEC 1.3: in use when a notification in new/running/error comes from a
 * current host of the segment.  The segment's active entries
 * (notifidx.h), or every notification without the indexes. */
int
segment_in_use(const struct store *st, const char *uuid)
{
	struct inuse_scan	 sc = { st, uuid };

	switch (idx_kept(st)) {
	case 1:
		return nidx_in_use(st, uuid);
	case 0:
		if (!store_uuid_ok(uuid))
			return 0;
		return store_scan(st, "ha/notifications", inuse_scan_one,
		    &sc);
	default:
		return -1;
	}
}

/*
 * The commit point: once the record is under ha/tombstones, the delete
 * is done (segment.h).  What the purge cannot finish now is left for
 * segment_sweep(), so the answer does not depend on it.
 */
int
segment_remove(const struct store *st, const cJSON *rec)
{
	const char	*uuid;
	char		 from[96], to[96];

	uuid = json_str(rec, "uuid");
	if (uuid == NULL || !store_uuid_ok(uuid))
		return -1;
	snprintf(from, sizeof(from), "ha/segments/%s.json", uuid);
	snprintf(to, sizeof(to), "%s/%s.json", HA_TOMBSTONES, uuid);
	if (store_mkdir(st, HA_TOMBSTONES) == -1 ||
	    store_rename(st, from, to) == -1)
		return -1;
	(void)segment_purge(st, uuid);
	return 0;
}

/* The index entry first, then the record: a record left behind keeps
 * its name for the next purge. */
static int
segment_purge_host(const char *rel, const char *file, void *arg)
{
	const struct store	*st = arg;
	cJSON			*h;
	const char		*name, *uuid;
	int			 err, rc = 0;

	(void)file;
	if ((h = store_read(st, rel, &err)) == NULL)
		return err ? -1 : 0;
	name = json_str(h, "name");
	uuid = json_str(h, "uuid");
	if (name != NULL && uuid != NULL)
		rc = ha_name_drop(st, 'h', name, uuid);
	if (rc == 0)
		rc = store_remove(st, rel);
	cJSON_Delete(h);
	return rc;
}

/* The segment's rows in the indexes: its id row, its hosts' index, its
 * active entries (index.h, notifidx.h). */
static int
segment_purge_index(const struct store *st, const cJSON *rec)
{
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	const char	*uuid = json_str(rec, "uuid");
	char		 rel[96];

	idx_hosts_dir(rel, uuid);
	if (store_rmtree(st, rel) == -1)
		return -1;
	snprintf(rel, sizeof(rel), "%s/%s", IDX_ACTIVE, uuid);
	if (store_rmtree(st, rel) == -1)
		return -1;
	return cJSON_IsNumber(id) ? idx_del(st, IDX_SEGMENTS,
	    (long long)id->valuedouble) : 0;
}

int
segment_purge(const struct store *st, const char *uuid)
{
	char		 tomb[96], rel[96];
	cJSON		*rec;
	const char	*name;
	int		 err, rc = -1;

	if (!store_uuid_ok(uuid))
		return -1;
	snprintf(tomb, sizeof(tomb), "%s/%s.json", HA_TOMBSTONES, uuid);
	if ((rec = store_read(st, tomb, &err)) == NULL)
		return -1;
	snprintf(rel, sizeof(rel), "ha/segments/%s.json", uuid);
	switch (store_exists(st, rel)) {
	case 0:
		break;
	case 1:
		log_warn("store %s/%s: the segment exists: not purged",
		    st->dir, tomb);
		/* FALLTHROUGH */
	default:
		goto out;
	}
	name = json_str(rec, "name");
	snprintf(rel, sizeof(rel), "ha/hosts/%s", uuid);
	if (ha_scan(st, rel, segment_purge_host, (void *)st) != 0 ||
	    store_rmdir(st, rel) == -1 ||
	    (name != NULL && ha_name_drop(st, 's', name, uuid) == -1) ||
	    segment_purge_index(st, rec) == -1)
		goto out;
	rc = store_remove(st, tomb);
out:
	cJSON_Delete(rec);
	return rc;
}

struct sweep {
	const struct store	*st;
	int			 err;
};

static int
segment_sweep_one(const char *file, void *arg)
{
	struct sweep	*sw = arg;
	char		 uuid[37];

	if (!store_uuid_name(file, uuid))
		return 0;
	if (segment_purge(sw->st, uuid) == -1)
		sw->err = 1;
	return 0;	/* the others may still be purged */
}

int
segment_sweep(const struct store *st)
{
	struct sweep	 sw = { st, 0 };

	if (store_scan(st, HA_TOMBSTONES, segment_sweep_one, &sw) != 0)
		return -1;
	return sw.err ? -1 : 0;
}
