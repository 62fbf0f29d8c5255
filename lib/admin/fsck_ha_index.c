/* lib/admin/fsck_ha_index.c: fsck of the Instance-HA indexes (the id
 * indexes: lib/ha/index.h; the active entries and the duplicate
 * buckets: lib/ha/notifidx.h), against the records check_ha() read.
 *
 * An index may hold more than the records (rows of writes cut short:
 * leftovers), never less (an error: a list would skip a record, a
 * segment would look free, a duplicate would be taken).  A repair
 * rebuilds the whole index concerned from the records; one that was
 * never built (data from before the indexes) is built with --repair,
 * the mark ha/index/index.json written last. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/fsck_ha_index.h"
#include "admin/fsckint.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/notifidx.h"

/* ---- the rows an index should hold ---- */

struct rowset {
	struct idx_row	*r;
	size_t		 n, cap;
};

static void
rowset_add(struct rowset *rs, const cJSON *rec, const char *ukey)
{
	struct idx_row	 row;

	if (idx_row_of(rec, ukey, &row) == -1)
		return;		/* the record's own finding says why */
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->r = xrealloc(rs->r, rs->cap * sizeof(*rs->r));
	}
	rs->r[rs->n++] = row;
}

/* The rows of the hosts of each segment: sets[i] for the i-th segment
 * of fk->segs, found through by (segment uuid -> its set). */
static struct rowset *
rowset_hosts(const struct fsck *fk)
{
	struct rowset	*sets, *set;
	struct hmap	 by;
	const cJSON	*s, *h;
	const char	*seg;
	size_t		 i = 0;

	sets = xcalloc((size_t)cJSON_GetArraySize(fk->segs) + 1,
	    sizeof(*sets));
	hmap_init(&by);
	cJSON_ArrayForEach(s, fk->segs)
		if (hmap_gets(&by, s->string) == NULL)
			hmap_puts(&by, s->string, &sets[i++]);
	cJSON_ArrayForEach(h, fk->hosts)
		if ((seg = json_str(h, "failover_segment_id")) != NULL &&
		    (set = hmap_gets(&by, seg)) != NULL)
			rowset_add(set, h, "uuid");
	hmap_free(&by);
	return sets;
}

static void
rowsets_free(const struct fsck *fk, struct rowset *sets)
{
	int	 i, n = cJSON_GetArraySize(fk->segs);

	for (i = 0; i < n; i++)
		free(sets[i].r);
	free(sets);
}

/* ---- rebuilding ---- */

struct idxfix {
	const cJSON		*recs;	/* fk->segs, fk->notifs; NULL: hosts */
	const char		*ukey;
	const struct rowset	*hosts;	/* hosts: the rows of the segment's */
};

static int
fix_ids(struct fsck *fk, const char *rel, void *arg)
{
	const struct idxfix	*f = arg;
	struct rowset		 rs = { NULL, 0, 0 };
	const cJSON		*r;
	int			 rc;

	if (f->recs == NULL) {
		rs.n = f->hosts->n;
		rs.r = xcalloc(rs.n + 1, sizeof(*rs.r));
		if (rs.n > 0)	/* f->hosts->r is NULL when there are none */
			memcpy(rs.r, f->hosts->r, rs.n * sizeof(*rs.r));
	} else
		cJSON_ArrayForEach(r, f->recs)
			rowset_add(&rs, r, f->ukey);
	rc = store_mkdir(&fk->st, HA_INDEX) == -1 || store_mkdir(&fk->st,
	    IDX_HOSTS) == -1 ? -1 : idx_write_all(&fk->st, rel, rs.r, rs.n);
	free(rs.r);
	return rc;
}

/* The segment of a notification's source host when that host is a
 * current one, else NULL. */
static const char *
active_segment(const struct fsck *fk, const cJSON *n)
{
	const char	*h = json_str(n, "source_host_uuid");
	const cJSON	*host;

	if (!notification_active(json_str(n, "status")) || h == NULL ||
	    (host = hmap_gets(&fk->hosts_ix, h)) == NULL)
		return NULL;
	return json_str(host, "failover_segment_id");
}

static int
fix_active(struct fsck *fk, const char *rel, void *arg)
{
	const cJSON	*n;
	const char	*seg;

	(void)arg;
	if (store_rmtree(&fk->st, rel) == -1 || store_mkdir(&fk->st, rel) ==
	    -1)
		return -1;
	cJSON_ArrayForEach(n, fk->notifs)
		if ((seg = active_segment(fk, n)) != NULL &&
		    nidx_active_add(&fk->st, seg, n->string, json_str(n,
		    "source_host_uuid")) == -1)
			return -1;
	return 0;
}

static int
fix_dup(struct fsck *fk, const char *rel, void *arg)
{
	const cJSON	*n;

	(void)arg;
	if (store_rmtree(&fk->st, rel) == -1 || store_mkdir(&fk->st, rel) ==
	    -1)
		return -1;
	cJSON_ArrayForEach(n, fk->notifs)
		if (nidx_dup_add(&fk->st, n) == -1)
			return -1;
	return 0;
}

/* Every index, then the mark (index.h): until it is written the
 * programs read the records. */
static int
fix_build(struct fsck *fk, const char *rel, void *arg)
{
	struct idxfix	 segs = { fk->segs, "uuid", NULL };
	struct idxfix	 notifs = { fk->notifs, "notification_uuid", NULL };
	struct idxfix	 hosts = { NULL, "uuid", NULL };
	struct rowset	*sets;
	const cJSON	*s;
	char		 dir[96];
	cJSON		*mark;
	size_t		 i = 0;
	int		 rc = 0;

	(void)arg;
	if (store_remove(&fk->st, rel) == -1 ||
	    store_mkdir(&fk->st, HA_INDEX) == -1 ||
	    fix_ids(fk, IDX_SEGMENTS, &segs) == -1 ||
	    fix_ids(fk, IDX_NOTIFS, &notifs) == -1 ||
	    store_rmtree(&fk->st, IDX_HOSTS) == -1 ||
	    fix_active(fk, IDX_ACTIVE, NULL) == -1 ||
	    fix_dup(fk, IDX_DUP, NULL) == -1)
		return -1;
	sets = rowset_hosts(fk);
	cJSON_ArrayForEach(s, fk->segs) {
		hosts.hosts = &sets[i++];
		idx_hosts_dir(dir, s->string);
		if (rc == 0)
			rc = fix_ids(fk, dir, &hosts);
	}
	rowsets_free(fk, sets);
	if (rc == -1)
		return -1;
	mark = cJSON_CreateObject();
	cJSON_AddNumberToObject(mark, "version", 1);
	rc = store_write(&fk->st, rel, mark);
	cJSON_Delete(mark);
	return rc;
}

/* ---- checking ---- */

struct got {
	struct rowset	 rows;
	struct hmap	 ix;	/* uuid -> row index + 1 */
};

static int
got_one(long long id, const char *uuid, void *arg)
{
	struct got	*g = arg;
	struct idx_row	*r;

	if (g->rows.n == g->rows.cap) {
		g->rows.cap = g->rows.cap ? g->rows.cap * 2 : 16;
		g->rows.r = xrealloc(g->rows.r, g->rows.cap *
		    sizeof(*g->rows.r));
	}
	r = &g->rows.r[g->rows.n++];
	r->id = id;
	snprintf(r->uuid, sizeof(r->uuid), "%s", uuid);
	return 0;
}

static int
row_by_id(const void *a, const void *b)
{
	const struct idx_row	*x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Do ids grow with created_at among the rows? */
static int
rows_ordered(struct rowset *want)
{
	size_t	 i;

	if (want->n > 1)	/* r is NULL when there are none */
		qsort(want->r, want->n, sizeof(*want->r), row_by_id);
	for (i = 1; i < want->n; i++)
		if (strcmp(want->r[i].created, want->r[i - 1].created) < 0)
			return 0;
	return 1;
}

/* One id index against the rows it should hold (sorted here). */
static void
check_ids(struct fsck *fk, const char *dir, struct rowset *want,
    struct idxfix *fix)
{
	struct got	 g = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	struct idx_row	*r;
	size_t		 i, missing = 0, found = 0;
	int		 ordered;

	hmap_init(&g.ix);
	if (idx_walk(&fk->st, dir, -1, got_one, &g) == -1 ||
	    (ordered = idx_ordered(&fk->st, dir)) == -1) {
		finding(fk, L_ERROR, dir, fix_ids, fix, "unreadable: lists "
		    "fail");
		goto out;
	}
	for (i = 0; i < g.rows.n; i++)
		hmap_puts(&g.ix, g.rows.r[i].uuid, &g.rows.r[i]);
	for (i = 0; i < want->n; i++) {
		r = hmap_gets(&g.ix, want->r[i].uuid);
		if (r == NULL || r->id != want->r[i].id)
			missing++;
		else
			found++;
	}
	if (missing)
		finding(fk, L_ERROR, dir, fix_ids, fix, "%zu record(s) "
		    "missing: lists skip them", missing);
	else if (ordered && !rows_ordered(want))
		finding(fk, L_ERROR, dir, fix_ids, fix, "says ids grow with "
		    "created_at, and they do not: lists misorder");
	else if (g.rows.n > found)
		finding(fk, L_LEFTOVER, dir, fix_ids, fix, "%zu row(s) of "
		    "writes cut short", g.rows.n - found);
	else if (!ordered && rows_ordered(want))
		finding(fk, L_LEFTOVER, dir, fix_ids, fix, "the order was "
		    "lost: lists read every record until repaired");
out:
	hmap_free(&g.ix);
	free(g.rows.r);
}

/* An active notification of a current host must have its entry. */
static void
check_active_entries(struct fsck *fk)
{
	const cJSON	*n;
	const char	*seg;
	char		 rel[160];
	cJSON		*e;
	int		 err, missing = 0;

	cJSON_ArrayForEach(n, fk->notifs) {
		if ((seg = active_segment(fk, n)) == NULL)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", IDX_ACTIVE, seg);
		fsck_watch(fk, rel);
		snprintf(rel, sizeof(rel), "%s/%s/%s.json", IDX_ACTIVE, seg,
		    n->string);
		e = store_read(&fk->st, rel, &err);
		if (e == NULL || json_str(e, "host") == NULL ||
		    strcmp(json_str(e, "host"), json_str(n,
		    "source_host_uuid")) != 0)
			missing++;
		cJSON_Delete(e);
	}
	if (missing)
		finding(fk, L_ERROR, IDX_ACTIVE, fix_active, NULL, "%d active "
		    "notification(s) missing: their segments look free",
		    missing);
}

/* The latest notification of each bucket must be in it, or a
 * duplicate of it could be taken. */
static void
check_dup(struct fsck *fk)
{
	const cJSON	*n, *r, *best;
	struct hmap	 latest;
	char		*paths, *rel;
	cJSON		*b;
	size_t		 i = 0, cnt = (size_t)cJSON_GetArraySize(fk->notifs);
	int		 err, missing = 0, ok;

	hmap_init(&latest);
	paths = xcalloc(cnt + 1, 96);
	cJSON_ArrayForEach(n, fk->notifs) {
		rel = paths + 96 * i++;
		nidx_dup_path(rel, n);
		best = hmap_gets(&latest, rel);
		if (best == NULL || strcmp(json_str(n, "generated_time"),
		    json_str(best, "generated_time")) > 0)
			hmap_puts(&latest, rel, (void *)n);
	}
	for (i = 0; i < latest.cap; i++) {
		if (latest.slot[i].key == NULL)
			continue;
		best = latest.slot[i].val;
		b = store_read(&fk->st, latest.slot[i].key, &err);
		ok = 0;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(b,
		    "rows"))
			ok |= cJSON_IsString(cJSON_GetArrayItem(r, 0)) &&
			    strcmp(cJSON_GetArrayItem(r, 0)->valuestring,
			    json_str(best, "generated_time")) >= 0 &&
			    cJSON_IsString(cJSON_GetArrayItem(r, 1)) &&
			    hmap_gets(&fk->notifs_ix, cJSON_GetArrayItem(r,
			    1)->valuestring) != NULL;
		missing += !ok;
		cJSON_Delete(b);
	}
	if (missing)
		finding(fk, L_ERROR, IDX_DUP, fix_dup, NULL, "%d "
		    "notification(s) missing: their duplicates would be "
		    "taken", missing);
	hmap_free(&latest);
	free(paths);
}

void
check_ha_index(struct fsck *fk)
{
	struct idxfix	 segs = { NULL, "uuid", NULL };
	struct idxfix	 notifs = { NULL, "notification_uuid", NULL };
	struct idxfix	 hosts = { NULL, "uuid", NULL };
	struct rowset	 want = { NULL, 0, 0 }, *sets;
	const cJSON	*r, *s;
	char		 dir[96];
	size_t		 i = 0;

	segs.recs = fk->segs;
	notifs.recs = fk->notifs;
	if (store_exists(&fk->st, HA_ACTIVE) == 1)
		finding(fk, L_LEFTOVER, HA_ACTIVE, fix_unlink, NULL, "the "
		    "active notifications before ha/index/active: unused");
	switch (idx_kept(&fk->st)) {
	case 1:
		break;
	case 0:
		if (store_exists(&fk->st, HA_COUNTERS) == 1)
			finding(fk, L_LEFTOVER, HA_INDEX_MARK, fix_build, NULL,
			    "the indexes were never built (data from before "
			    "them): every list and in-use check reads every "
			    "record; --repair builds them");
		return;
	default:
		finding(fk, L_ERROR, HA_INDEX_MARK, NULL, NULL, "cannot tell "
		    "whether the indexes are kept");
		return;
	}
	/* without --repair no lock is held: a write that changes one of
	 * these folders meanwhile sends the check round again (fsck.c) */
	fsck_watch(fk, IDX_SEGMENTS);
	fsck_watch(fk, IDX_NOTIFS);
	fsck_watch(fk, IDX_DUP);
	cJSON_ArrayForEach(r, fk->segs)
		rowset_add(&want, r, "uuid");
	check_ids(fk, IDX_SEGMENTS, &want, &segs);
	free(want.r);
	memset(&want, 0, sizeof(want));
	cJSON_ArrayForEach(r, fk->notifs)
		rowset_add(&want, r, "notification_uuid");
	check_ids(fk, IDX_NOTIFS, &want, &notifs);
	free(want.r);
	sets = rowset_hosts(fk);
	cJSON_ArrayForEach(s, fk->segs) {
		hosts.hosts = &sets[i];
		idx_hosts_dir(dir, s->string);
		fsck_watch(fk, dir);
		check_ids(fk, dir, &sets[i++], &hosts);
	}
	rowsets_free(fk, sets);
	check_active_entries(fk);
	check_dup(fk);
}
