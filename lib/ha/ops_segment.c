/*
 * lib/ha/ops_segment.c: the segment operations (ops.h, SPEC 4.4).
 *
 * Storage steps, in order (the commit point of each write is the one
 * rename that makes it visible; docs/DESIGN.md):
 *   create  sweep; name free?; next id; name index entry; id index row;
 *           record (commit)
 *   update  in use?; name free?; name index entry (renamed); record
 *           (commit); the old name's entry (renamed)
 *   delete  sweep; in use?; record -> tombstone (commit); purge (with
 *           the segment's rows in the indexes)
 *   list    the first rows of the id index after the marker (the default
 *           order, lib/ha/index.h), or every record
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "ha/filter.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/ops.h"
#include "ha/record.h"
#include "ha/segment.h"

enum op_rc
ha_segment_get(const char *dir, const char *uuid, cJSON **rec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0)
		rc = segment_find(&st, uuid, rec);
	store_close(&st);
	return rc;
}

/* A row of the index: its record when it is still the record of that
 * id and passes the filter arg. */
static cJSON *
seg_row(const struct store *st, long long id, const char *uuid, void *arg,
    int *err)
{
	cJSON	*rec;

	if ((rec = segment_load(st, uuid, err)) != NULL && (idx_rec_id(rec) !=
	    id || !filter_segment(arg, rec))) {
		cJSON_Delete(rec);
		rec = NULL;
	}
	return rec;
}

/* idx_marker()'s loader */
static cJSON *
seg_load(const struct store *st, const char *uuid, const void *arg, int *err)
{
	(void)arg;
	return segment_load(st, uuid, err);
}

/* LIST_NEWEST and LIST_MARKER through the index (ops.h). */
static enum op_rc
seg_list_indexed(const struct store *st, const struct ha_segment_filter *f,
    const struct list_query *lq, cJSON *all, cJSON *rows)
{
	cJSON		*mk = NULL;
	long long	 below = -1;
	enum op_rc	 rc;

	if (lq->marker != NULL) {
		if ((rc = idx_marker(st, IDX_SEGMENTS, lq->marker_num,
		    lq->marker_id, lq->marker, seg_load, NULL, &mk)) != OP_OK)
			return rc == OP_NOT_FOUND ? OP_OK : rc;
		below = idx_rec_id(mk);
		cJSON_AddItemToArray(all, mk);
	}
	if (lq->mode == LIST_MARKER)
		return OP_OK;
	return idx_collect(st, IDX_SEGMENTS, below, lq->limit, seg_row,
	    (void *)f, rows) == 0 ? OP_OK : OP_IO;
}

static enum op_rc
seg_list_at(const struct store *st, const struct ha_segment_filter *f,
    const struct list_query *lq, cJSON **all, cJSON **rows)
{
	cJSON	*s;
	int	 err;

	*all = cJSON_CreateArray();
	*rows = cJSON_CreateArray();
	switch (lq->mode == LIST_NONE ? 2 : lq->mode == LIST_ALL ? 0 :
	    idx_serves(st, IDX_SEGMENTS, lq->mode == LIST_NEWEST)) {
	case 2:
		return OP_OK;
	case 1:
		return seg_list_indexed(st, f, lq, *all, *rows);
	case 0:
		break;
	default:
		return OP_IO;
	}
	cJSON_Delete(*all);
	if ((*all = segment_all(st, &err)) == NULL)
		return OP_IO;
	cJSON_ArrayForEach(s, *all)
		if (filter_segment(f, s))
			cJSON_AddItemReferenceToArray(*rows, s);
	return OP_OK;
}

enum op_rc
ha_segment_list(const char *dir, const struct ha_segment_filter *f,
    const struct list_query *lq, cJSON **all, cJSON **rows)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*all = *rows = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0)
		rc = seg_list_at(&st, f, lq, all, rows);
	store_close(&st);
	if (rc != OP_OK) {
		cJSON_Delete(*rows);
		cJSON_Delete(*all);
		*all = *rows = NULL;
	}
	return rc;
}

/* name free, or held by the segment self (NULL: by none)? */
static enum op_rc
seg_name_free(const struct store *st, const char *name, const char *self)
{
	char	 other[37];

	switch (segment_name_owner(st, name, other)) {
	case 0:
		return OP_OK;
	case 1:
		return self != NULL && strcmp(other, self) == 0 ? OP_OK :
		    OP_NAME_TAKEN;
	default:
		return OP_IO;
	}
}

enum op_rc
ha_segment_create_at(const struct store *st, const struct ha_segment_in *in,
    cJSON **rec)
{
	enum op_rc	 rc;
	char		 uuid[37];
	long long	 id;

	*rec = NULL;
	if ((rc = seg_name_free(st, in->name, NULL)) != OP_OK)
		return rc;
	store_uuid_new(uuid);
	if ((id = store_next_id(st, HA_COUNTERS, "segment")) == -1)
		return OP_IO;
	*rec = record_segment(id, uuid, in);
	if (segment_name_set(st, in->name, uuid) == -1 ||
	    segment_create(st, *rec) == -1) {
		cJSON_Delete(*rec);
		*rec = NULL;
		return OP_IO;
	}
	return OP_OK;
}

enum op_rc
ha_segment_create(const char *dir, const struct ha_segment_in *in,
    cJSON **rec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0 &&
	    ha_dirs(&st) == 0) {
		(void)segment_sweep(&st);	/* unfinished deletes */
		rc = ha_segment_create_at(&st, in, rec);
	}
	store_close(&st);
	return rc;
}

/* SPEC 1.3: 409 while a notification of one of its hosts is active. */
static enum op_rc
seg_free(const struct store *st, const char *uuid)
{
	switch (segment_in_use(st, uuid)) {
	case 0:
		return OP_OK;
	case 1:
		return OP_IN_USE;
	default:
		return OP_IO;
	}
}

/* The index entry of a new name before the record, the old one's after:
 * a stale entry is ignored (segment.h). */
static int
seg_write(const struct store *st, const cJSON *rec, const char *oldname)
{
	const char	*name = json_str(rec, "name");
	int		 renamed = strcmp(name, oldname) != 0;

	if (renamed && segment_name_set(st, name, json_str(rec, "uuid")) == -1)
		return -1;
	if (segment_save(st, rec) == -1)
		return -1;
	if (renamed)
		(void)segment_name_del(st, oldname);
	return 0;
}

static enum op_rc
seg_update(const struct store *st, const struct ha_segment_in *in,
    cJSON *rec)
{
	const char	*uuid = json_str(rec, "uuid");
	enum op_rc	 rc;
	char		*oldname;

	if ((rc = seg_free(st, uuid)) != OP_OK ||
	    (in->name != NULL && (rc = seg_name_free(st, in->name,
	    uuid)) != OP_OK))
		return rc;
	oldname = xstrdup(json_str(rec, "name"));
	if (record_segment_update(rec, in) && seg_write(st, rec,
	    oldname) == -1)
		rc = OP_IO;
	free(oldname);
	return rc;
}

enum op_rc
ha_segment_update(const char *dir, const char *uuid,
    const struct ha_segment_in *in, cJSON **rec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0 &&
	    (rc = segment_find(&st, uuid, rec)) == OP_OK)
		rc = seg_update(&st, in, *rec);
	store_close(&st);
	if (rc != OP_OK) {
		cJSON_Delete(*rec);
		*rec = NULL;
	}
	return rc;
}

enum op_rc
ha_segment_delete(const char *dir, const char *uuid)
{
	struct store	 st;
	cJSON		*rec = NULL;
	enum op_rc	 rc = OP_IO;

	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0) {
		(void)segment_sweep(&st);	/* unfinished deletes */
		if ((rc = segment_find(&st, uuid, &rec)) == OP_OK &&
		    (rc = seg_free(&st, json_str(rec, "uuid"))) == OP_OK &&
		    segment_remove(&st, rec) == -1)
			rc = OP_IO;
	}
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}
