/* lib/admin/fsck_vol_docs.c: what fsck reads of the Volume store under
 * its lock in both modes: the counters, the orphans, the os-services log
 * levels (fsck_vol.c says how the check runs). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsck_volint.h"
#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"

/* ---- counters, orphans ---- */

static double
vol_max_seq(const struct vstate *vs)
{
	const cJSON	*r, *v;
	double		 m = 0;
	size_t		 i;

	for (i = 0; i < vs->nfv; i++) {
		v = cJSON_GetObjectItemCaseSensitive(vfile_rec(vs->fv[i]),
		    "seq");
		if (cJSON_IsNumber(v) && v->valuedouble > m)
			m = v->valuedouble;
	}
	cJSON_ArrayForEach(r, vs->live) {
		v = cJSON_GetObjectItemCaseSensitive(r, "seq");
		if (cJSON_IsNumber(v) && v->valuedouble > m)
			m = v->valuedouble;
	}
	return m;
}

static void
vol_counters(struct fsck *fk, struct vstate vs[2])
{
	cJSON		*doc, *want;
	const cJSON	*v;
	double		 m;
	int		 i, err, behind = 0;

	doc = store_read(&fk->st, "vol/counters.json", &err);
	want = cJSON_IsObject(doc) ? cJSON_Duplicate(doc, 1) :
	    cJSON_CreateObject();
	for (i = 0; i < 2; i++) {
		m = vol_max_seq(&vs[i]);
		v = cJSON_GetObjectItemCaseSensitive(want, vs[i].k->counter);
		if (m > 0 && (!cJSON_IsNumber(v) || v->valuedouble < m)) {
			behind = 1;
			cJSON_DeleteItemFromObjectCaseSensitive(want,
			    vs[i].k->counter);
			cJSON_AddNumberToObject(want, vs[i].k->counter, m);
		}
	}
	if (err || (doc != NULL && !cJSON_IsObject(doc)))
		finding(fk, L_ERROR, "vol/counters.json", fix_write, want,
		    "unreadable (rebuilt from the largest sequence numbers)");
	else if (behind)
		finding(fk, L_ERROR, "vol/counters.json", fix_write, want,
		    "behind the largest sequence number in use");
	cJSON_Delete(doc);
	cJSON_Delete(want);
}

/* "name\0binary" into b (reset): the key of a cluster. */
static void
cluster_key(struct buf *b, const char *name, const char *binary)
{
	buf_reset(b);
	buf_puts(b, name);
	buf_putc(b, '\0');
	buf_puts(b, binary);
}

/* A service in a cluster that does not exist: no write makes one (a
 * heartbeat commits its new cluster first, cluster remove refuses a
 * cluster with services); reported, cluster set or a heartbeat decides. */
static void
vol_orphans(struct fsck *fk, const struct vstate vs[2])
{
	const cJSON	*s, *c;
	const char	*cl, *bin;
	struct hmap	 have;		/* the live clusters' keys */
	struct buf	 key, keys;	/* keys: those keys, one by one */
	size_t		 at, len;
	int		 n = 0;

	hmap_init(&have);
	buf_init(&key);
	buf_init(&keys);
	cJSON_ArrayForEach(c, vs[1].live) {
		if (json_str(c, "name") == NULL ||
		    json_str(c, "binary") == NULL)
			continue;
		cluster_key(&key, json_str(c, "name"), json_str(c, "binary"));
		buf_put(&keys, key.p, key.len + 1);
	}
	/* once keys no longer grows (the map keeps pointers into it) */
	for (at = 0; at < keys.len; at += len + 1) {
		len = strlen(keys.p + at);
		len += 1 + strlen(keys.p + at + len + 1);
		hmap_put(&have, keys.p + at, len, &have);
	}
	cJSON_ArrayForEach(s, vs[0].live) {
		if ((cl = json_str(s, "cluster")) == NULL)
			continue;
		if ((bin = json_str(s, "binary")) != NULL) {
			cluster_key(&key, cl, bin);
			if (hmap_get(&have, key.p, key.len) != NULL)
				continue;
		}
		if (++n <= 5)
			finding(fk, L_ERROR, vs[0].k->journal, NULL, NULL,
			    "service (%s, %s) of a missing cluster %s "
			    "(hacgi-manage cluster set creates it)",
			    json_str(s, "host"), bin, cl);
	}
	hmap_free(&have);
	buf_free(&key);
	buf_free(&keys);
}

/* ---- the os-services log levels (vol/vollog.h) ---- */

static int
is_level(const cJSON *v)
{
	static const char *const lv[] = { "DEBUG", "INFO", "WARNING",
	    "ERROR" };
	size_t	 i;

	for (i = 0; cJSON_IsString(v) && i < NELEM(lv); i++)
		if (strcmp(v->valuestring, lv[i]) == 0)
			return 1;
	return 0;
}

/* {NAME: LEVEL} */
static int
levels_ok(const cJSON *levels)
{
	const cJSON	*e;

	if (!cJSON_IsObject(levels))
		return 0;
	cJSON_ArrayForEach(e, levels)
		if (!is_level(e))
			return 0;
	return 1;
}

/* {"services": [{"host", "binary", "levels": {PREFIX: LEVEL}}]} */
static int
svc_levels_ok(const cJSON *doc)
{
	const cJSON	*a = cJSON_GetObjectItemCaseSensitive(doc, "services");
	const cJSON	*e;

	if (!cJSON_IsObject(doc) || !cJSON_IsArray(a))
		return 0;
	cJSON_ArrayForEach(e, a)
		if (json_str(e, "host") == NULL ||
		    json_str(e, "binary") == NULL ||
		    !levels_ok(cJSON_GetObjectItemCaseSensitive(e, "levels")))
			return 0;
	return 1;
}

/*
 * Only set-log writes these, always whole and in shape.  The programs
 * take anything but an object for a storage error (set-log and get-log
 * answer 500), and show a damaged level as it is: set aside, the levels
 * are the defaults again (INFO; none kept for the services).
 */
static void
vol_levels(struct fsck *fk, const char *rel, int (*ok)(const cJSON *))
{
	cJSON	*doc;
	int	 err;

	if ((doc = store_read(&fk->st, rel, &err)) == NULL && !err)
		return;		/* no set-log yet */
	if (doc == NULL || !ok(doc))
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, "%s (set "
		    "aside, the levels are the defaults again)", doc == NULL ?
		    "unparseable" : "not the shape vol/vollog.h gives it");
	cJSON_Delete(doc);
}

/* What is read under the Volume lock whatever the mode: the counters,
 * the orphans (from the journals in memory), the log levels. */
void
vol_docs(struct fsck *fk, struct vstate vs[2])
{
	vol_counters(fk, vs);
	if (!vs[0].corrupt && !vs[1].corrupt)
		vol_orphans(fk, vs);
	check_vol_index(fk);
	vol_levels(fk, "vol/log-levels.json", levels_ok);
	vol_levels(fk, "vol/log-levels-services.json", svc_levels_ok);
}
