/* lib/admin/fsck_ha.c: fsck of the Instance-HA documents (fsck.h; the
 * layout: ha/layout.h). */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/fsck_ha_index.h"
#include "admin/fsckint.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/record.h"
#include "ha/segment.h"

/* The record shapes are the constructors' (lib/ha/record.h). */

/* "UUID.json", UUID canonical -> 1 and uuid, else 0. */
static int
uuid_file(const char *file, char uuid[37])
{
	return store_uuid_name(file, uuid) && store_uuid_ok(uuid);
}

/*
 * Read one record of a kind: its file name must be UUID.json and its
 * idkey that uuid.  A document that cannot be trusted is quarantined;
 * a malformed field is reported.  Returns the record (caller owns) or
 * NULL.
 */
static cJSON *
load_record(struct fsck *fk, const char *rel, const char *file,
    const char *idkey, const struct shape *sh)
{
	char		 uuid[37];
	cJSON		*rec;
	const char	*bad;
	int		 err;

	if (!uuid_file(file, uuid)) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, "file name is "
		    "not UUID.json, yet the programs read it");
		return NULL;
	}
	rec = fsck_read(fk, rel, &err);
	if (rec == NULL || !cJSON_IsObject(rec) ||
	    json_str(rec, idkey) == NULL ||
	    strcmp(json_str(rec, idkey), uuid) != 0) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, rec == NULL ?
		    "unparseable document" : "not a record of this file's %s",
		    idkey);
		cJSON_Delete(rec);
		return NULL;
	}
	if ((bad = shape_problem(rec, sh)) != NULL)
		finding(fk, L_ERROR, rel, NULL, NULL, "field \"%s\" missing or "
		    "of the wrong type", bad);
	return rec;
}

/* ---- Instance-HA: records ---- */

/* One folder of records of a kind: what ha_scan() hands each file to. */
struct scanctx {
	struct fsck		*fk;
	const char		*key;	/* the uuid's key */
	const struct shape	*shape;
	cJSON			*recs;	/* uuid -> record */
	struct hmap		*ix;
	const char		*seg;	/* hosts: the folder's segment */
	int			 n;	/* documents seen */
};

static int
rec_one(const char *rel, const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	cJSON		*rec;
	const char	*seg;

	sc->n++;
	if ((rec = load_record(sc->fk, rel, file, sc->key, sc->shape)) ==
	    NULL)
		return 0;
	if (sc->seg != NULL && ((seg = json_str(rec, "failover_segment_id"))
	    == NULL || strcmp(seg, sc->seg) != 0))
		finding(sc->fk, L_ERROR, rel, NULL, NULL, "failover_segment_id "
		    "is not the folder's segment");
	record_add(sc->recs, sc->ix, json_str(rec, sc->key), rec);
	return 0;
}

static int
host_one_count(const char *rel, const char *file, void *arg)
{
	(void)rel;
	(void)file;
	((struct scanctx *)arg)->n++;
	return 0;
}

/* A host of a deleted segment, garbage until purged (segment.h): only
 * a document that the purge could not read is reported. */
static int
host_one_dead(const char *rel, const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	cJSON		*rec;
	int		 err;

	(void)file;
	if ((rec = store_read(&sc->fk->st, rel, &err)) == NULL && err)
		finding(sc->fk, L_ERROR, rel, fix_quarantine, NULL,
		    "unparseable document: the delete of its segment cannot "
		    "finish");
	cJSON_Delete(rec);
	return 0;
}

static int
has_tombstone(const struct fsck *fk, const char *uuid)
{
	char	 rel[96];

	snprintf(rel, sizeof(rel), "%s/%s.json", HA_TOMBSTONES, uuid);
	return store_exists(&fk->st, rel) == 1;
}

/* One folder ha/hosts/SEG: an orphan without its segment, or the hosts
 * of an unfinished delete (reported with its tombstone). */
static void
host_folder(struct fsck *fk, const char *name)
{
	char		 rel[PATH_MAX];
	struct scanctx	 sc = { fk, "uuid", record_host_shape, fk->hosts,
			    &fk->hosts_ix, name, 0 };
	char		 uuid[37];
	int		 orphan;

	snprintf(rel, sizeof(rel), "ha/hosts/%s", name);
	fsck_watch(fk, rel);
	if (strlen(name) == 36)
		memcpy(uuid, name, 37);
	if (strlen(name) != 36 || !store_uuid_ok(uuid)) {
		finding(fk, L_LEFTOVER, rel, NULL, NULL, "not a segment's "
		    "folder (ignored by the programs)");
		return;
	}
	orphan = hmap_gets(&fk->segs_ix, name) == NULL;
	if (orphan && has_tombstone(fk, uuid)) {
		ha_scan(&fk->st, rel, host_one_dead, &sc);
		return;
	}
	if (orphan) {
		ha_scan(&fk->st, rel, host_one_count, &sc);
		if (sc.n == 0)
			finding(fk, L_LEFTOVER, rel, fix_rmdir, NULL, "empty "
			    "folder of a deleted segment");
		else
			finding(fk, L_ERROR, rel, fix_quarantine, NULL, "%d "
			    "orphan host(s): the segment does not exist",
			    sc.n);
		return;
	}
	ha_scan(&fk->st, rel, rec_one, &sc);
}

/* The folders of ha/hosts; files there are ignored by the programs. */
static void
check_host_folders(struct fsck *fk)
{
	char		 rel[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	int		 dfd;

	if ((dfd = store_dirfd(&fk->st, "ha/hosts")) == -1 ||
	    (d = dir_list(dfd)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || is_tmp_name(de->d_name))
			continue;
		snprintf(rel, sizeof(rel), "ha/hosts/%s", de->d_name);
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) ==
		    0 && S_ISDIR(sb.st_mode))
			host_folder(fk, de->d_name);
		else
			finding(fk, L_LEFTOVER, rel, NULL, NULL, "unexpected "
			    "file (ignored by the programs)");
	}
	closedir(d);
}

/* ---- Instance-HA: unfinished segment deletes ---- */

/* arg: the segment's uuid. */
static int
fix_purge(struct fsck *fk, const char *rel, void *arg)
{
	(void)rel;
	return segment_purge(&fk->st, arg);
}

/* An unparseable tombstone still names a deleted segment: it goes to
 * lost+found with the segment's host folder, whose names the index check
 * (later in the same run) then frees.  arg: the segment's uuid. */
static int
fix_dead_tombstone(struct fsck *fk, const char *rel, void *arg)
{
	char	 hosts[96];

	if (fix_quarantine(fk, rel, NULL) == -1)
		return -1;
	snprintf(hosts, sizeof(hosts), "ha/hosts/%s", (const char *)arg);
	if (store_exists(&fk->st, hosts) == 1 && fix_quarantine(fk, hosts,
	    NULL) == -1)
		return -1;
	return 0;
}

static int
tombstone_one(const char *rel, const char *file, void *arg)
{
	struct fsck	*fk = arg;
	char		 uuid[37];
	cJSON		*rec;
	int		 err;

	if (!uuid_file(file, uuid)) {
		finding(fk, L_LEFTOVER, rel, fix_quarantine, NULL, "file name "
		    "is not UUID.json (ignored by the programs)");
		return 0;
	}
	if (hmap_gets(&fk->segs_ix, uuid) != NULL) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, "tombstone of "
		    "a segment that exists (the purge refuses it)");
		return 0;
	}
	if ((rec = store_read(&fk->st, rel, &err)) == NULL)
		finding(fk, L_ERROR, rel, fix_dead_tombstone, uuid,
		    "unparseable tombstone: the delete of its segment cannot "
		    "finish");
	else
		finding(fk, L_LEFTOVER, rel, fix_purge, uuid, "unfinished "
		    "delete of segment %s (hosts and index entries left to "
		    "purge)", uuid);
	cJSON_Delete(rec);
	return 0;
}

/* After the host folders: a repair here finds their garbage sound. */
static void
check_tombstones(struct fsck *fk)
{
	ha_scan(&fk->st, HA_TOMBSTONES, tombstone_one, fk);
}

/* ---- Instance-HA: uniqueness ---- */

struct pair {
	char		*key;
	const char	*uuid;
};

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->uuid, y->uuid);
}

/* Two records of a kind with the same key (name or id): reported, never
 * repaired (which one should give way is the operator's call). */
static void
check_unique(struct fsck *fk, const cJSON *recs, const char *key,
    const char *kind)
{
	const cJSON	*r, *v;
	struct pair	*p;
	size_t		 n = 0, i, cap = (size_t)cJSON_GetArraySize(recs);

	p = xcalloc(cap + 1, sizeof(*p));
	cJSON_ArrayForEach(r, recs) {
		v = cJSON_GetObjectItemCaseSensitive(r, key);
		if (cJSON_IsString(v))
			p[n].key = xstrdup(v->valuestring);
		else if (cJSON_IsNumber(v)) {
			p[n].key = xmalloc(32);
			snprintf(p[n].key, 32, "%.0f", v->valuedouble);
		} else
			continue;
		p[n++].uuid = r->string;
	}
	qsort(p, n, sizeof(*p), pair_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(p[i].key, p[i - 1].key) == 0)
			finding(fk, L_ERROR, kind, NULL, NULL, "%s %s and %s "
			    "share the %s '%s'", kind, p[i - 1].uuid, p[i].uuid,
			    key, p[i].key);
	for (i = 0; i < n; i++)
		free(p[i].key);
	free(p);
}

/* ---- Instance-HA: the name index ---- */

/* "s-HEX.json" or "h-HEX.json": the kind letter, or 0. */
static int
index_kind(const char *file, char hex[65])
{
	if (strlen(file) != 2 + 64 + 5 || (file[0] != 's' && file[0] != 'h')
	    || file[1] != '-' || strcmp(file + 66, ".json") != 0)
		return 0;
	memcpy(hex, file + 2, 64);
	hex[64] = '\0';
	return hex_is_sha256(hex) ? file[0] : 0;
}

/* Does the entry name a live record under that name? */
static int
index_live(const struct fsck *fk, int kind, const cJSON *e)
{
	const cJSON	*rec;
	const char	*u = json_str(e, "uuid"), *n = json_str(e, "name"), *s;

	if (u == NULL || n == NULL)
		return 0;
	rec = hmap_gets(kind == 's' ? &fk->segs_ix : &fk->hosts_ix, u);
	if (rec == NULL || json_str(rec, "name") == NULL ||
	    strcmp(json_str(rec, "name"), n) != 0)
		return 0;
	s = json_str(e, "segment");
	return kind == 's' || (s != NULL &&
	    strcmp(s, json_str(rec, "failover_segment_id")) == 0);
}

/* Is the entry e (or NULL) the one of its file name's hash hex? */
static int
index_hash_ok(const cJSON *e, const char *hex)
{
	const char	*name = json_str(e, "name");
	char		 want[65];

	if (name == NULL)
		return 0;
	store_sha256_hex(name, want);
	return strcmp(want, hex) == 0;
}

static void
index_entry(struct fsck *fk, const char *file)
{
	char		 rel[PATH_MAX], hex[65];
	cJSON		*e;
	int		 kind, err;

	snprintf(rel, sizeof(rel), "ha/names/%s", file);
	if ((kind = index_kind(file, hex)) == 0) {
		finding(fk, L_LEFTOVER, rel, fix_quarantine, NULL, "not a "
		    "name index entry (ignored by the programs)");
		return;
	}
	e = fsck_read(fk, rel, &err);
	if (!index_hash_ok(e, hex))
		finding(fk, L_ERROR, rel, fix_unlink, NULL, e == NULL ?
		    "unparseable entry: creates of that name fail" :
		    "entry does not match its file name");
	else if (!index_live(fk, kind, e))
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "stale entry "
		    "of an interrupted write or delete");
	if (fk->repair) {	/* a repair may change it: read it again */
		cJSON_Delete(e);
		return;
	}
	record_add(fk->names, &fk->names_ix, file, e != NULL ? e :
	    cJSON_CreateNull());
}

static int
index_one(const char *rel, const char *file, void *arg)
{
	(void)rel;
	index_entry(arg, file);
	return 0;
}

/* Every record must be found by its name, or a duplicate could be
 * created.  Names shared by two records are reported once, above. */
static void
index_expect(struct fsck *fk, int kind, const cJSON *rec)
{
	char		 rel[96];
	const char	*name = json_str(rec, "name");
	cJSON		*e, *want;
	int		 err;

	if (name == NULL)
		return;
	ha_name_path(rel, (char)kind, name);
	/* checking, every entry was read by index_entry(), once */
	if (fk->repair)
		e = store_read(&fk->st, rel, &err);
	else	/* NULL: there was no such file */
		e = hmap_gets(&fk->names_ix, rel + sizeof("ha/names/") - 1);
	if (e != NULL && index_live(fk, kind, e) &&
	    strcmp(json_str(e, "uuid"), rec->string) != 0) {
		if (fk->repair)
			cJSON_Delete(e);
		return;	/* a duplicate name */
	}
	if (e == NULL || json_str(e, "uuid") == NULL ||
	    strcmp(json_str(e, "uuid"), rec->string) != 0) {
		want = cJSON_CreateObject();
		cJSON_AddStringToObject(want, "name", name);
		cJSON_AddStringToObject(want, "uuid", rec->string);
		if (kind == 'h')
			cJSON_AddStringToObject(want, "segment",
			    json_str(rec, "failover_segment_id"));
		finding(fk, L_ERROR, rel, fix_write, want, "name index entry "
		    "of %s missing: its name could be taken twice",
		    rec->string);
		cJSON_Delete(want);
	}
	if (fk->repair)
		cJSON_Delete(e);
}

/* ---- Instance-HA: counters (the indexes: fsck_ha_index.c) ---- */

static double
max_id(const cJSON *recs)
{
	const cJSON	*r, *v;
	double		 m = 0;

	cJSON_ArrayForEach(r, recs) {
		v = cJSON_GetObjectItemCaseSensitive(r, "id");
		if (cJSON_IsNumber(v) && v->valuedouble > m)
			m = v->valuedouble;
	}
	return m;
}

/* A counter behind the largest id would hand out an id again. */
static void
check_counters(struct fsck *fk)
{
	static const char *const kinds[] = {
		"segment", "host", "notification",
	};
	const cJSON	*sets[3] = { fk->segs, fk->hosts, fk->notifs };
	const cJSON	*v;
	cJSON		*doc, *want;
	size_t		 i;
	double		 m;
	int		 err, behind = 0;

	doc = store_read(&fk->st, HA_COUNTERS, &err);
	want = cJSON_IsObject(doc) ? cJSON_Duplicate(doc, 1) :
	    cJSON_CreateObject();
	for (i = 0; i < NELEM(kinds); i++) {
		m = max_id(sets[i]);
		v = cJSON_GetObjectItemCaseSensitive(want, kinds[i]);
		if (m > 0 && (!cJSON_IsNumber(v) || v->valuedouble < m)) {
			behind = 1;
			cJSON_DeleteItemFromObjectCaseSensitive(want, kinds[i]);
			cJSON_AddNumberToObject(want, kinds[i], m);
		}
	}
	if (err || (doc != NULL && !cJSON_IsObject(doc)))
		finding(fk, L_ERROR, HA_COUNTERS, fix_write, want, "unreadable "
		    "(rebuilt from the largest ids: ids of deleted rows above "
		    "them may be handed out again)");
	else if (behind)
		finding(fk, L_ERROR, HA_COUNTERS, fix_write, want, "behind the "
		    "largest id in use");
	cJSON_Delete(doc);
	cJSON_Delete(want);
}

void
check_ha(struct fsck *fk)
{
	static const char *const dirs[] = {
		"ha", "ha/segments", "ha/hosts", HA_TOMBSTONES,
		"ha/notifications", "ha/names",
	};
	struct scanctx	 segs = { fk, "uuid", record_segment_shape, NULL,
			    &fk->segs_ix, NULL, 0 };
	struct scanctx	 notifs = { fk, "notification_uuid",
			    record_notification_shape, NULL, &fk->notifs_ix,
			    NULL, 0 };
	const cJSON	*r;
	size_t		 i;

	for (i = 0; i < NELEM(dirs); i++)	/* (the host folders: below) */
		fsck_watch(fk, dirs[i]);
	if (fk->names == NULL)
		fk->names = cJSON_CreateObject();
	segs.recs = fk->segs;
	ha_scan(&fk->st, "ha/segments", rec_one, &segs);
	check_host_folders(fk);
	check_tombstones(fk);
	notifs.recs = fk->notifs;
	ha_scan(&fk->st, "ha/notifications", rec_one, &notifs);
	check_unique(fk, fk->segs, "name", "segments");
	check_unique(fk, fk->segs, "id", "segments");
	check_unique(fk, fk->hosts, "name", "hosts");
	check_unique(fk, fk->hosts, "id", "hosts");
	check_unique(fk, fk->notifs, "id", "notifications");
	ha_scan(&fk->st, "ha/names", index_one, fk);
	cJSON_ArrayForEach(r, fk->segs)
		index_expect(fk, 's', r);
	cJSON_ArrayForEach(r, fk->hosts)
		index_expect(fk, 'h', r);
	check_ha_index(fk);
	check_counters(fk);
}
