/*
 * lib/ha/ops_host.c: the host operations (ops.h, SPEC 4.5).
 *
 * Storage steps, in order (docs/DESIGN.md):
 *   create  segment?; name free?; folders; next id; the segment's folder,
 *           name index entry, id index row, record (commit)
 *   update  host?; in use?; name free?; its segment (for the answer,
 *           read before the write); name index entry (renamed); record
 *           (commit); the old name's entry (renamed)
 *   delete  host?; in use?; record removed (commit); name index entry;
 *           id index row
 *   list    segment?; the first rows of its id index after the marker
 *           (lib/ha/index.h), or every host of it (and of every segment
 *           to find a marker)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "ha/filter.h"
#include "ha/host.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/ops.h"
#include "ha/record.h"
#include "ha/segment.h"
#include "ha/view.h"

/* cJSON **out := rec (NULL on failure, and on success when out is NULL
 * the record is freed) */
static void
host_give(cJSON **out, cJSON *rec, enum op_rc rc)
{
	if (out != NULL && rc == OP_OK)
		*out = rec;
	else
		cJSON_Delete(rec);
}

/* Only the canonical uuid can match, as the reference's SQL lookup. */
static enum op_rc
host_find(const struct store *st, const char *seg, const char *uuid,
    cJSON **rec)
{
	int	 err;

	if ((*rec = host_load(st, seg, uuid, &err)) == NULL)
		return err ? OP_IO : OP_NOT_FOUND;
	return OP_OK;
}

/* The segment of a host that host_load() found exists: its absence is
 * the store's failure. */
static enum op_rc
host_own_segment(const struct store *st, const cJSON *rec, cJSON **segrec)
{
	enum op_rc	 rc;

	rc = segment_find(st, json_str(rec, "failover_segment_id"), segrec);
	return rc == OP_NOT_FOUND ? OP_IO : rc;
}

enum op_rc
ha_host_get(const char *dir, const char *seg, const char *uuid,
    cJSON **rec, cJSON **segrec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;
	cJSON		*h = NULL, *s = NULL;

	*rec = *segrec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0 &&
	    (rc = host_find(&st, seg, uuid, &h)) == OP_OK)
		rc = host_own_segment(&st, h, &s);
	store_close(&st);
	host_give(rec, h, rc);
	host_give(segrec, s, rc);
	return rc;
}

/* The views of the segment's hosts that pass f. */
static cJSON *
host_rows(const struct store *st, const cJSON *segrec,
    const struct ha_host_filter *f)
{
	const cJSON	*h;
	cJSON		*recs, *rows;
	int		 err;

	if ((recs = host_list(st, json_str(segrec, "uuid"), &err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(h, recs)
		if (filter_host(f, h))
			cJSON_AddItemToArray(rows, view_host(h, segrec));
	cJSON_Delete(recs);
	return rows;
}

/* SPEC 4.2 step 5: the marker is looked up among the hosts of every
 * segment. */
static cJSON *
host_every_row(const struct store *st)
{
	const cJSON	*h;
	cJSON		*recs, *rows;
	int		 err;

	if ((recs = host_all(st, &err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(h, recs)
		cJSON_AddItemToArray(rows, view_host_row(h));
	cJSON_Delete(recs);
	return rows;
}

struct host_rowctx {
	const cJSON			*segrec;
	const struct ha_host_filter	*f;
};

/* A row of the segment's index: the view of its host when it is still
 * the host of that id and passes the filter. */
static cJSON *
host_row(const struct store *st, long long id, const char *uuid, void *arg,
    int *err)
{
	struct host_rowctx	*c = arg;
	cJSON			*rec, *v = NULL;

	rec = host_load(st, json_str(c->segrec, "uuid"), uuid, err);
	if (rec != NULL && idx_rec_id(rec) == id && filter_host(c->f, rec))
		v = view_host(rec, c->segrec);
	cJSON_Delete(rec);
	return v;
}

/* idx_marker()'s loader: a host of the segment arg */
static cJSON *
host_load_in(const struct store *st, const char *uuid, const void *arg,
    int *err)
{
	return host_load(st, arg, uuid, err);
}

/* LIST_NEWEST and LIST_MARKER through the segment's index: OP_OK,
 * OP_NOT_FOUND (the marker is not one of its hosts: read them all),
 * OP_IO. */
static enum op_rc
host_list_indexed(const struct store *st, const struct ha_host_filter *f,
    const struct list_query *lq, struct ha_hosts *out)
{
	struct host_rowctx	 c = { out->segrec, f };
	const char		*seg = json_str(out->segrec, "uuid");
	char			 dir[96];
	cJSON			*mk = NULL;
	long long		 below = -1;
	enum op_rc		 rc;

	idx_hosts_dir(dir, seg);
	if (lq->marker != NULL) {
		rc = idx_marker(st, dir, lq->marker_num, lq->marker_id,
		    lq->marker, host_load_in, seg, &mk);
		if (rc != OP_OK)
			return rc;
		below = idx_rec_id(mk);
		out->all = cJSON_CreateArray();
		cJSON_AddItemToArray(out->all, view_host_row(mk));
		cJSON_Delete(mk);
	}
	out->rows = cJSON_CreateArray();
	if (lq->mode == LIST_MARKER)
		return OP_OK;
	return idx_collect(st, dir, below, lq->limit, host_row, &c,
	    out->rows) == 0 ? OP_OK : OP_IO;
}

/* Through the index when it serves the query (ops.h); 1 when it did,
 * 0 when every host is to be read, -1. */
static int
host_list_fast(const struct store *st, const struct ha_host_filter *f,
    const struct list_query *lq, struct ha_hosts *out)
{
	char		 dir[96];
	enum op_rc	 rc;
	int		 r;

	if (lq->mode == LIST_NONE) {
		out->rows = cJSON_CreateArray();
		return 1;
	}
	if (lq->mode == LIST_ALL)
		return 0;
	idx_hosts_dir(dir, json_str(out->segrec, "uuid"));
	if ((r = idx_serves(st, dir, lq->mode == LIST_NEWEST)) != 1)
		return r;
	if ((rc = host_list_indexed(st, f, lq, out)) == OP_NOT_FOUND) {
		cJSON_Delete(out->all);
		cJSON_Delete(out->rows);
		out->all = out->rows = NULL;
		return 0;
	}
	return rc == OP_OK ? 1 : -1;
}

static enum op_rc
host_list_at(const struct store *st, const char *seg,
    const struct ha_host_filter *f, const struct list_query *lq,
    struct ha_hosts *out)
{
	enum op_rc	 rc;

	if ((rc = segment_find(st, seg, &out->segrec)) != OP_OK || f == NULL)
		return rc;
	switch (host_list_fast(st, f, lq, out)) {
	case 1:
		return OP_OK;
	case 0:
		break;
	default:
		return OP_IO;
	}
	if ((out->rows = host_rows(st, out->segrec, f)) == NULL)
		return OP_IO;
	if (lq->marker != NULL && (out->all = host_every_row(st)) == NULL)
		return OP_IO;
	return OP_OK;
}

enum op_rc
ha_host_list(const char *dir, const char *seg,
    const struct ha_host_filter *f, const struct list_query *lq,
    struct ha_hosts *out)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	memset(out, 0, sizeof(*out));
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0)
		rc = host_list_at(&st, seg, f, lq, out);
	store_close(&st);
	return rc;
}

void
ha_hosts_free(struct ha_hosts *h)
{
	cJSON_Delete(h->segrec);
	cJSON_Delete(h->rows);
	cJSON_Delete(h->all);
	memset(h, 0, sizeof(*h));
}

/* name free, or held by the host self (NULL: by none)? */
static enum op_rc
host_name_free(const struct store *st, const char *name, const char *self)
{
	cJSON		*other;
	int		 err;
	enum op_rc	 rc = OP_OK;

	if ((other = host_by_name(st, name, &err)) == NULL)
		return err ? OP_IO : OP_OK;
	if (self == NULL || strcmp(json_str(other, "uuid"), self) != 0)
		rc = OP_NAME_TAKEN;
	cJSON_Delete(other);
	return rc;
}

/* dirs: make the layout's folders once the checks passed (the API's
 * order: a refused create leaves DATA_DIR as it was). */
static enum op_rc
host_create_in(const struct store *st, const char *seg,
    const struct ha_host_in *in, int dirs, cJSON **rec, cJSON **segrec)
{
	enum op_rc	 rc;
	char		 uuid[37];
	long long	 id;

	if ((rc = segment_find(st, seg, segrec)) != OP_OK ||
	    (rc = host_name_free(st, in->name, NULL)) != OP_OK)
		return rc;
	store_uuid_new(uuid);
	if ((dirs && ha_dirs(st) == -1) ||
	    (id = store_next_id(st, HA_COUNTERS, "host")) == -1)
		return OP_IO;
	*rec = record_host(id, uuid, json_str(*segrec, "uuid"), in);
	return host_create(st, *rec) == -1 ? OP_IO : OP_OK;
}

static enum op_rc
host_create_run(const struct store *st, const char *seg,
    const struct ha_host_in *in, int dirs, cJSON **rec, cJSON **segrec)
{
	cJSON		*h = NULL, *s = NULL;
	enum op_rc	 rc;

	rc = host_create_in(st, seg, in, dirs, &h, &s);
	host_give(rec, h, rc);
	host_give(segrec, s, rc);
	return rc;
}

enum op_rc
ha_host_create_at(const struct store *st, const char *seg,
    const struct ha_host_in *in, cJSON **rec, cJSON **segrec)
{
	return host_create_run(st, seg, in, 0, rec, segrec);
}

enum op_rc
ha_host_create(const char *dir, const char *seg, const struct ha_host_in *in,
    cJSON **rec, cJSON **segrec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rec = *segrec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0)
		rc = host_create_run(&st, seg, in, 1, rec, segrec);
	store_close(&st);
	return rc;
}

/* SPEC 1.3: refused while the host's segment is in use. */
static enum op_rc
host_free(const struct store *st, const cJSON *rec)
{
	switch (segment_in_use(st, json_str(rec, "failover_segment_id"))) {
	case 0:
		return OP_OK;
	case 1:
		return OP_IN_USE;
	default:
		return OP_IO;
	}
}

/* Everything the answer needs is read before the write: a failed read
 * after it would answer 500 for a change that was made. */
static enum op_rc
host_update_at(const struct store *st, const struct ha_host_in *in,
    cJSON *rec, cJSON **segrec)
{
	enum op_rc	 rc;
	char		*oldname;

	if ((rc = host_free(st, rec)) != OP_OK ||
	    (in->name != NULL && (rc = host_name_free(st, in->name,
	    json_str(rec, "uuid"))) != OP_OK) ||
	    (rc = host_own_segment(st, rec, segrec)) != OP_OK)
		return rc;
	oldname = xstrdup(json_str(rec, "name"));
	if (record_host_update(rec, in) && host_save(st, rec, oldname) == -1)
		rc = OP_IO;
	free(oldname);
	return rc;
}

enum op_rc
ha_host_update(const char *dir, const char *seg, const char *uuid,
    const struct ha_host_in *in, cJSON **rec, cJSON **segrec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;
	cJSON		*h = NULL, *s = NULL;

	*rec = *segrec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0 &&
	    (rc = host_find(&st, seg, uuid, &h)) == OP_OK)
		rc = host_update_at(&st, in, h, &s);
	store_close(&st);
	host_give(rec, h, rc);
	host_give(segrec, s, rc);
	return rc;
}

enum op_rc
ha_host_delete(const char *dir, const char *seg, const char *uuid)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;
	cJSON		*h = NULL;

	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0 &&
	    (rc = host_find(&st, seg, uuid, &h)) == OP_OK &&
	    (rc = host_free(&st, h)) == OP_OK && host_remove(&st, h) == -1)
		rc = OP_IO;
	cJSON_Delete(h);
	store_close(&st);
	return rc;
}
