/* lib/segment.c: failover segments on disk (layout in segment.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "notification.h"
#include "segment.h"
#include "util.h"

int
ha_dirs(const struct store *st)
{
	static const char *const dirs[] = {
		"ha", "ha/segments", "ha/names", "ha/hosts",
		"ha/notifications",
	};
	size_t	 i;

	for (i = 0; i < NELEM(dirs); i++)
		if (store_mkdir(st, dirs[i]) == -1)
			return -1;
	return 0;
}

void
ha_name_path(char out[96], char kind, const char *name)
{
	char	 hex[65];

	store_sha256_hex(name, hex);
	snprintf(out, 96, "ha/names/%c-%s.json", kind, hex);
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
segment_view(const cJSON *rec)
{
	cJSON	*v = cJSON_Duplicate(rec, 1);

	cJSON_AddNullToObject(v, "deleted_at");
	cJSON_AddFalseToObject(v, "deleted");
	return v;
}

struct scan {
	const struct store	*st;
	const char		*dir;
	cJSON			*out;
	int			 err;
};

static int
segment_scan_one(const char *name, void *arg)
{
	struct scan	*sc = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, name);
	if ((rec = store_read(sc->st, rel, &err)) == NULL) {
		sc->err |= err;
		return err ? -1 : 0;
	}
	cJSON_AddItemToArray(sc->out, rec);
	return 0;
}

cJSON *
segment_all(const struct store *st, int *err)
{
	struct scan	 sc = { st, "ha/segments", cJSON_CreateArray(), 0 };

	if (store_scan(st, sc.dir, segment_scan_one, &sc) != 0 || sc.err) {
		cJSON_Delete(sc.out);
		*err = 1;
		return NULL;
	}
	*err = 0;
	return sc.out;
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
	u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "uuid"));
	if (u != NULL && (rec = segment_load(st, u, &err)) != NULL) {
		n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec,
		    "name"));
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

/*
 * ha/active.json may hold more than the active notifications: an entry is
 * added before its record and removed after it (notification.h), so a
 * crash or a failed write can leave one behind.  The record decides.
 * 1, 0, or -1 on a storage error.
 */
static int
segment_notif_active(const struct store *st, const char *nuuid)
{
	cJSON	*n;
	int	 err, rc;

	if ((n = notification_load(st, nuuid, &err)) == NULL)
		return err ? -1 : 0;
	rc = notification_active(cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(n, "status")));
	cJSON_Delete(n);
	return rc;
}

/* SPEC 1.3: in use when a notification in new/running/error comes from a
 * current host of the segment.  Costs O(active notifications). */
int
segment_in_use(const struct store *st, const char *uuid)
{
	const cJSON	*a;
	cJSON		*act;
	char		 rel[PATH_MAX];
	int		 err, used = 0;

	if ((act = store_read(st, HA_ACTIVE, &err)) == NULL)
		return err ? -1 : 0;
	cJSON_ArrayForEach(a, act) {
		if (!cJSON_IsString(a) || !store_uuid_ok(a->valuestring))
			continue;
		snprintf(rel, sizeof(rel), "ha/hosts/%s/%s.json", uuid,
		    a->valuestring);
		if (store_exists(st, rel) &&
		    (used = segment_notif_active(st, a->string)) != 0)
			break;
	}
	cJSON_Delete(act);
	return used;
}

struct cascade {
	const struct store	*st;
	const char		*seg;
	int			 err;
};

/* The record first, then its name index entry (an entry left behind is
 * stale and ignored; a record without its entry could be named twice). */
static int
segment_remove_host(const char *file, void *arg)
{
	struct cascade	*c = arg;
	char		 rel[PATH_MAX], nrel[96];
	cJSON		*h;
	const char	*name;
	int		 err;

	snprintf(rel, sizeof(rel), "ha/hosts/%s/%s", c->seg, file);
	if ((h = store_read(c->st, rel, &err)) == NULL && err) {
		c->err = 1;
		return -1;
	}
	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h,
	    "name"));
	if (store_remove(c->st, rel) == -1)
		c->err = 1;
	else if (name != NULL) {
		ha_name_path(nrel, 'h', name);
		(void)store_remove(c->st, nrel);
	}
	cJSON_Delete(h);
	return c->err ? -1 : 0;
}

/*
 * Hosts go first, the segment last: a crash part-way leaves a segment
 * with fewer hosts, never a host without its segment.  Readers hold the
 * shared lock, so none sees the steps.
 */
int
segment_remove(const struct store *st, const cJSON *rec)
{
	const char	*uuid, *name;
	char		 rel[96];
	struct cascade	 c;

	uuid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec,
	    "uuid"));
	name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec,
	    "name"));
	if (uuid == NULL || name == NULL || !store_uuid_ok(uuid))
		return -1;
	c.st = st;
	c.seg = uuid;
	c.err = 0;
	snprintf(rel, sizeof(rel), "ha/hosts/%s", uuid);
	if (store_scan(st, rel, segment_remove_host, &c) != 0 || c.err ||
	    store_rmdir(st, rel) == -1)
		return -1;
	snprintf(rel, sizeof(rel), "ha/segments/%s.json", uuid);
	if (store_remove(st, rel) == -1)
		return -1;
	(void)segment_name_del(st, name);	/* done: a stale entry is ignored */
	return 0;
}
