/* lib/ha/host.c: the hosts of failover segments on disk (layout in
 * layout.h, record in host.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
#include "ha/index.h"
#include "ha/layout.h"

/* ha/hosts/SEG/UUID.json; -1 unless both ids are canonical (STYLE 15). */
static int
host_path(char out[128], const char *seg, const char *uuid)
{
	if (seg == NULL || uuid == NULL || !store_uuid_ok(seg) ||
	    !store_uuid_ok(uuid))
		return -1;
	snprintf(out, 128, "ha/hosts/%s/%s.json", seg, uuid);
	return 0;
}

/* A host counts only while its segment's record exists: the hosts of a
 * deleted segment are garbage until purged (segment.h). */
cJSON *
host_load(const struct store *st, const char *seg, const char *uuid,
    int *err)
{
	char	 rel[128];
	cJSON	*rec;
	int	 seg_there;

	*err = 0;
	if (host_path(rel, seg, uuid) == -1 ||
	    (rec = store_read(st, rel, err)) == NULL)
		return NULL;
	snprintf(rel, sizeof(rel), "ha/segments/%s.json", seg);
	if ((seg_there = store_exists(st, rel)) != 1) {
		*err = seg_there == -1;
		cJSON_Delete(rec);
		return NULL;
	}
	return rec;
}

/*
 * The index entry {"name", "uuid", "segment"} is written before the
 * record and removed after it, so it can outlive a crash: it counts only
 * while the host it names exists and still has that name.
 */
cJSON *
host_by_name(const struct store *st, const char *name, int *err)
{
	char		 rel[96];
	cJSON		*doc, *rec;
	const char	*n;

	ha_name_path(rel, 'h', name);
	if ((doc = store_read(st, rel, err)) == NULL)
		return NULL;
	rec = host_load(st, json_str(doc, "segment"), json_str(doc, "uuid"),
	    err);
	cJSON_Delete(doc);
	if (rec != NULL && ((n = json_str(rec, "name")) == NULL ||
	    strcmp(n, name) != 0)) {
		cJSON_Delete(rec);
		rec = NULL;
	}
	return rec;
}

static int
host_name_set(const struct store *st, const cJSON *rec)
{
	char	 rel[96];
	cJSON	*doc = cJSON_CreateObject();
	int	 rc;

	ha_name_path(rel, 'h', json_str(rec, "name"));
	cJSON_AddStringToObject(doc, "name", json_str(rec, "name"));
	cJSON_AddStringToObject(doc, "uuid", json_str(rec, "uuid"));
	cJSON_AddStringToObject(doc, "segment", json_str(rec,
	    "failover_segment_id"));
	rc = store_write(st, rel, doc);
	cJSON_Delete(doc);
	return rc;
}

static int
host_name_del(const struct store *st, const char *name)
{
	char	 rel[96];

	ha_name_path(rel, 'h', name);
	return store_remove(st, rel);
}

/* Appends the records of segment seg to out; 0 or -1. */
static int
host_scan(const struct store *st, const char *seg, cJSON *out)
{
	char	 dir[96];

	if (!store_uuid_ok(seg))
		return 0;
	snprintf(dir, sizeof(dir), "ha/hosts/%s", seg);
	return ha_scan_docs(st, dir, out);
}

cJSON *
host_list(const struct store *st, const char *seg, int *err)
{
	cJSON	*out = cJSON_CreateArray();

	*err = 0;
	if (host_scan(st, seg, out) == -1) {
		cJSON_Delete(out);
		*err = 1;
		return NULL;
	}
	return out;
}

struct seg_walk {
	const struct store	*st;
	cJSON			*out;
};

static int
host_all_one(const char *file, void *arg)
{
	struct seg_walk	*w = arg;
	char		 seg[37];

	if (!store_uuid_name(file, seg))
		return 0;
	return host_scan(w->st, seg, w->out);
}

/* Hosts count only in existing segments (host_load()), so the segments
 * name the folders to read. */
cJSON *
host_all(const struct store *st, int *err)
{
	struct seg_walk	 w = { st, cJSON_CreateArray() };

	*err = 0;
	if (store_scan(st, "ha/segments", host_all_one, &w) != 0) {
		cJSON_Delete(w.out);
		*err = 1;
		return NULL;
	}
	return w.out;
}

static int
host_write(const struct store *st, const cJSON *rec)
{
	char	 rel[128];

	if (host_path(rel, json_str(rec, "failover_segment_id"),
	    json_str(rec, "uuid")) == -1)
		return -1;
	return store_write(st, rel, rec);
}

/* Its segment's id index (index.h): the folder, and the row unless
 * bulk (the caller adds the rows of a bulk load at once). */
static int
host_index_new(const struct store *st, const cJSON *rec, int bulk)
{
	char		 dir[96];
	struct idx_row	 row;
	int		 kept;

	if ((kept = idx_kept(st)) != 1)
		return kept;
	idx_hosts_dir(dir, json_str(rec, "failover_segment_id"));
	if (store_mkdir(st, dir) == -1 || (!bulk && (idx_row_of(rec, "uuid",
	    &row) == -1 || idx_add(st, dir, &row) == -1)))
		return -1;
	return 0;
}

/* A new host: its segment's folder, the name index, the id index, then
 * the record. */
int
host_create(const struct store *st, const cJSON *rec)
{
	return host_create_bulk(st, rec, 0);
}

int
host_create_bulk(const struct store *st, const cJSON *rec, int bulk)
{
	char		 rel[96];
	const char	*seg = json_str(rec, "failover_segment_id");

	if (seg == NULL || !store_uuid_ok(seg))
		return -1;
	snprintf(rel, sizeof(rel), "ha/hosts/%s", seg);
	if (store_mkdir(st, rel) == -1 || host_name_set(st, rec) == -1 ||
	    host_index_new(st, rec, bulk) == -1)
		return -1;
	return host_write(st, rec);
}

/* An updated host; oldname is its name before the update. */
int
host_save(const struct store *st, const cJSON *rec, const char *oldname)
{
	int	 renamed = strcmp(json_str(rec, "name"), oldname) != 0;

	if (renamed && host_name_set(st, rec) == -1)
		return -1;
	if (host_write(st, rec) == -1)
		return -1;
	/* renamed: an old entry left behind is stale and ignored */
	if (renamed)
		(void)host_name_del(st, oldname);
	return 0;
}

int
host_remove(const struct store *st, const cJSON *rec)
{
	char		 rel[128];
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(rec, "id");

	if (host_path(rel, json_str(rec, "failover_segment_id"),
	    json_str(rec, "uuid")) == -1 || store_remove(st, rel) == -1)
		return -1;
	(void)host_name_del(st, json_str(rec, "name"));	/* likewise */
	idx_hosts_dir(rel, json_str(rec, "failover_segment_id"));
	if (cJSON_IsNumber(id))		/* a row left behind is ignored */
		(void)idx_del(st, rel, (long long)id->valuedouble);
	return 0;
}
