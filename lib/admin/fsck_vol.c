/* lib/admin/fsck_vol.c: fsck of the Volume records and journals, and of
 * the os-services log levels (fsck.h; the layout: vol/volume.h,
 * vol/vollog.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "vol/volume.h"

/* ---- Volume: record files and journals (layout in volume.h) ---- */

static const struct shape svc_shape[] = {
	{ "seq", SH_ID }, { "host", SH_STR }, { "binary", SH_STR },
	{ "cluster", SH_STR | SH_NULL }, { "zone", SH_STR },
	{ "disabled", SH_BOOL }, { "disabled_reason", SH_STR | SH_NULL },
	{ "heartbeat", SH_TIME | SH_NULL }, { "created_at", SH_TIME },
	{ "modified_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

static const struct shape cl_shape[] = {
	{ "seq", SH_ID }, { "name", SH_STR }, { "binary", SH_STR },
	{ "disabled", SH_BOOL }, { "disabled_reason", SH_STR | SH_NULL },
	{ "replication_status", SH_STR }, { "frozen", SH_BOOL },
	{ "active_backend_id", SH_STR | SH_NULL }, { "created_at", SH_TIME },
	{ "updated_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

/* The replication values the os-services actions write (vol/volsvc.h):
 * a service's own, optional, all three or none; a cluster's "members",
 * optional, {HOST: these three}. */
static const struct shape repl_shape[] = {
	{ "replication_status", SH_STR }, { "frozen", SH_BOOL },
	{ "active_backend_id", SH_STR | SH_NULL },
	{ NULL, 0 },
};

static const char	*svc_optional(const cJSON *);
static const char	*cl_optional(const cJSON *);

static const struct vkind {
	const char	*dir;
	const char	*journal;
	const char	*key1;		/* the key is (key1, binary) */
	const char	*counter;
	const struct shape *shape;
	const char	*(*optional)(const cJSON *);	/* a bad key or NULL */
} vkinds[] = {
	{ "vol/services", "vol/services.log", "host", "service", svc_shape,
	    svc_optional },
	{ "vol/clusters", "vol/clusters.log", "name", "cluster", cl_shape,
	    cl_optional },
};

static const char *
svc_optional(const cJSON *rec)
{
	const struct shape	*sh;

	for (sh = repl_shape; sh->key != NULL; sh++)
		if (cJSON_GetObjectItemCaseSensitive(rec, sh->key) != NULL)
			return shape_problem(rec, repl_shape);
	return NULL;
}

static const char *
cl_optional(const cJSON *rec)
{
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(rec, "members");
	const cJSON	*e;

	if (m == NULL)
		return NULL;
	if (!cJSON_IsObject(m))
		return "members";
	cJSON_ArrayForEach(e, m)
		if (!cJSON_IsObject(e) || shape_problem(e, repl_shape) != NULL)
			return "members";
	return NULL;
}

/* A live journal line and the name of its record file (a sha256: made
 * once per line, so that the checks are not quadratic in hashes). */
struct vlive {
	char		 file[80];
	const cJSON	*line;
};

struct vstate {
	struct fsck		*fk;
	const struct vkind	*k;
	cJSON			*recs;	/* file name -> record file */
	cJSON			*live;	/* seq -> its last journal line */
	struct vlive		*lv;	/* the live lines, by file name */
	size_t			 nlv;
	cJSON			*prev;	/* seq -> the line before that */
	struct hmap		 recs_ix, live_ix, prev_ix;	/* the same */
	double			 last;	/* seq of the last complete line */
	int			 corrupt;	/* a complete line is no JSON */
	int			 torn;		/* a last line without '\n' */
};

/* The name of rec's file in vol/KIND/ (vol_rec_file()). */
static void
vol_file(const cJSON *rec, const struct vkind *k, char out[80])
{
	const char	*a = json_str(rec, k->key1);
	const char	*b = json_str(rec, "binary");

	vol_rec_file(out, a ? a : "", b ? b : "");
}

static int
vol_rec_one(const char *file, void *arg)
{
	struct vstate	*vs = arg;
	char		 rel[PATH_MAX], want[80];
	cJSON		*rec;
	const char	*bad;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", vs->k->dir, file);
	rec = store_read(&vs->fk->st, rel, &err);
	if (rec == NULL || !cJSON_IsObject(rec)) {
		finding(vs->fk, L_ERROR, rel, fix_quarantine, NULL,
		    "unparseable record");
		cJSON_Delete(rec);
		return 0;
	}
	vol_file(rec, vs->k, want);
	if (strcmp(want, file) != 0) {
		finding(vs->fk, L_ERROR, rel, fix_quarantine, NULL, "file name "
		    "is not the hash of the record's key");
		cJSON_Delete(rec);
		return 0;
	}
	if ((bad = shape_problem(rec, vs->k->shape)) != NULL)
		finding(vs->fk, L_ERROR, rel, NULL, NULL,
		    "field \"%s\" missing or of the wrong type", bad);
	else if ((bad = vs->k->optional(rec)) != NULL)
		finding(vs->fk, L_ERROR, rel, NULL, NULL, "optional field "
		    "\"%s\" of the wrong shape (vol/volsvc.h)", bad);
	record_add(vs->recs, &vs->recs_ix, file, rec);
	return 0;
}

/* One complete journal line: the record of its seq, or its removal. */
static void
vol_line(struct vstate *vs, const char *p, size_t n)
{
	cJSON		*j, *old;
	const cJSON	*seq;
	char		 key[32];
	int		 err;

	j = json_parse(p, n, &err);
	seq = cJSON_GetObjectItemCaseSensitive(j, "seq");
	if (!cJSON_IsObject(j) || !shape_type_ok(seq, SH_ID)) {
		vs->corrupt = 1;
		cJSON_Delete(j);
		return;
	}
	snprintf(key, sizeof(key), "%.0f", seq->valuedouble);
	if ((old = hmap_gets(&vs->prev_ix, key)) != NULL) {
		hmap_del(&vs->prev_ix, key, strlen(key));
		cJSON_Delete(cJSON_DetachItemViaPointer(vs->prev, old));
	}
	if ((old = hmap_gets(&vs->live_ix, key)) != NULL) {
		hmap_del(&vs->live_ix, key, strlen(key));
		cJSON_DetachItemViaPointer(vs->live, old);
		record_add(vs->prev, &vs->prev_ix, key, old);
	}
	vs->last = seq->valuedouble;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "removed")))
		cJSON_Delete(j);
	else
		record_add(vs->live, &vs->live_ix, key, j);
}

static void
vol_journal(struct vstate *vs)
{
	char		*text, *p, *nl;
	size_t		 len;

	if ((text = read_rel(&vs->fk->st, vs->k->journal, &len)) == NULL)
		return;		/* none yet */
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL) {
			vs->torn = 1;
			break;
		}
		vol_line(vs, p, (size_t)(nl - p));
	}
	free(text);
}

static int
vlive_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vlive *)a)->file,
	    ((const struct vlive *)b)->file);
}

/* vs->lv from vs->live, sorted by file name. */
static void
vol_live_files(struct vstate *vs)
{
	const cJSON	*l;

	vs->lv = xcalloc((size_t)cJSON_GetArraySize(vs->live) + 1,
	    sizeof(*vs->lv));
	cJSON_ArrayForEach(l, vs->live) {
		vol_file(l, vs->k, vs->lv[vs->nlv].file);
		vs->lv[vs->nlv++].line = l;
	}
	qsort(vs->lv, vs->nlv, sizeof(*vs->lv), vlive_cmp);
}

/*
 * The journal is the truth (its lines are the commits); a record file is
 * what the next writer starts from.  Only the record of the last line
 * may be behind (volume.h): the line before it of that seq, or no file
 * when that seq has no earlier line; the next writer brings it up to
 * date (*behind).  Any other difference would surface with the next
 * write of that record: an error.
 */
static int
vol_behind(const struct vstate *vs, const cJSON *seq_of, const cJSON *r)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(seq_of, "seq");
	const cJSON	*p;
	char		 key[32];

	if (!cJSON_IsNumber(v) || v->valuedouble != vs->last)
		return 0;
	snprintf(key, sizeof(key), "%.0f", vs->last);
	p = hmap_gets(&vs->prev_ix, key);
	return r == NULL ? p == NULL : p != NULL && cJSON_Compare(p, r, 1);
}

static int
vol_agree(const struct vstate *vs, int *behind)
{
	const cJSON	*l, *r;
	struct vlive	 want = { "", NULL };	/* the key: file */
	size_t		 i;
	int		 bad = 0;

	for (i = 0; i < vs->nlv; i++) {
		l = vs->lv[i].line;
		r = hmap_gets(&vs->recs_ix, vs->lv[i].file);
		if (r != NULL && cJSON_Compare(l, r, 1))
			continue;
		if (vol_behind(vs, l, r))
			*behind = 1;
		else
			bad++;
	}
	cJSON_ArrayForEach(r, vs->recs) {
		snprintf(want.file, sizeof(want.file), "%s", r->string);
		if (bsearch(&want, vs->lv, vs->nlv, sizeof(*vs->lv),
		    vlive_cmp) != NULL)
			continue;
		if (vol_behind(vs, r, r))	/* removed by the last line */
			*behind = 1;
		else
			bad++;
	}
	return bad;
}

/* Make the record files say what the journal says, then rewrite the
 * journal from them (vol_rebuild: one line per record, no duplicates). */
static int
fix_vol(struct fsck *fk, const char *rel, void *arg)
{
	struct vstate	*vs = arg;
	const cJSON	*l, *r;
	char		 file[80], path[PATH_MAX];
	int		 rc = 0;

	(void)rel;
	if (!vs->corrupt) {
		cJSON_ArrayForEach(r, vs->recs) {
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir,
			    r->string);
			rc |= store_remove(&fk->st, path);
		}
		cJSON_ArrayForEach(l, vs->live) {
			vol_file(l, vs->k, file);
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir, file);
			rc |= store_write(&fk->st, path, l);
		}
	}
	return rc != 0 ? -1 : vol_rebuild(&fk->st, vs->k == &vkinds[0] ?
	    VOL_SERVICES : VOL_CLUSTERS);
}

/* Two live journal records with one key: readers list both.  Counts the
 * pairs: k lines of one key are k(k-1)/2. */
static int
vol_dups(const struct vstate *vs)
{
	size_t	 i, run = 0;
	int	 n = 0;

	for (i = 1; i < vs->nlv; i++) {
		run = strcmp(vs->lv[i].file, vs->lv[i - 1].file) == 0 ?
		    run + 1 : 0;
		n += (int)run;
	}
	return n;
}

static void
vol_kind(struct fsck *fk, struct vstate *vs)
{
	int	 n, behind = 0;

	store_scan(&fk->st, vs->k->dir, vol_rec_one, vs);
	vol_journal(vs);
	vol_live_files(vs);
	if (vs->corrupt)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "a line is "
		    "not a record: every read fails (rebuilt from the record "
		    "files)");
	else if ((n = vol_dups(vs)) > 0)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "%d key(s) "
		    "live twice: listed twice", n);
	else if ((n = vol_agree(vs, &behind)) > 0)
		finding(fk, L_ERROR, vs->k->dir, fix_vol, vs, "%d record "
		    "file(s) disagree with the journal (the next write of the "
		    "record would start from it)", n);
	else if (behind)
		finding(fk, L_LEFTOVER, vs->k->dir, fix_vol, vs, "the record "
		    "file of the last journal line is behind it (a write cut "
		    "short after its commit; the next write brings it up to "
		    "date)");
	if (vs->torn)
		finding(fk, L_LEFTOVER, vs->k->journal, NULL, NULL, "a torn "
		    "last line (ignored; the next write cuts it)");
}

static double
vol_max_seq(const struct vstate *vs)
{
	const cJSON	*sets[2] = { vs->recs, vs->live }, *r, *v;
	double		 m = 0;
	int		 i;

	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(r, sets[i]) {
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

void
check_vol(struct fsck *fk)
{
	struct vstate	 vs[2];
	int		 i;

	if (store_exists(&fk->st, "vol") != 1)
		return;
	for (i = 0; i < 2; i++) {
		vs[i].fk = fk;
		vs[i].k = &vkinds[i];
		vs[i].recs = cJSON_CreateObject();
		vs[i].live = cJSON_CreateObject();
		vs[i].prev = cJSON_CreateObject();
		hmap_init(&vs[i].recs_ix);
		hmap_init(&vs[i].live_ix);
		hmap_init(&vs[i].prev_ix);
		vs[i].lv = NULL;
		vs[i].nlv = 0;
		vs[i].last = -1;
		vs[i].corrupt = vs[i].torn = 0;
		vol_kind(fk, &vs[i]);
	}
	vol_counters(fk, vs);
	if (!vs[0].corrupt && !vs[1].corrupt)
		vol_orphans(fk, vs);
	vol_levels(fk, "vol/log-levels.json", levels_ok);
	vol_levels(fk, "vol/log-levels-services.json", svc_levels_ok);
	for (i = 0; i < 2; i++) {
		hmap_free(&vs[i].recs_ix);
		hmap_free(&vs[i].live_ix);
		hmap_free(&vs[i].prev_ix);
		cJSON_Delete(vs[i].recs);
		cJSON_Delete(vs[i].live);
		cJSON_Delete(vs[i].prev);
		free(vs[i].lv);
	}
}
