/*
 * lib/ha/ops_notification.c: the notification operations (ops.h,
 * SPEC 4.6, 6).
 *
 * Storage steps, in order (docs/DESIGN.md):
 *   create      host by name?; on maintenance?; duplicate? (one bucket of
 *               lib/ha/notifidx.h); folders; next id; the active entry,
 *               the duplicate row, the id index row; record (commit)
 *   set-status  record?; to an active status: the active entry, then
 *               record (commit); to another: record (commit), then the
 *               entry removed (notification.h)
 *   list        the first rows of the id index after the marker
 *               (lib/ha/index.h), or every record
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "ha/filter.h"
#include "ha/host.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/ops.h"
#include "ha/record.h"
#include "ha/view.h"

enum op_rc
ha_notification_get(const char *dir, const char *uuid, cJSON **rec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;
	int		 err;

	*rec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0) {
		*rec = notification_load(&st, uuid, &err);
		rc = *rec != NULL ? OP_OK : err ? OP_IO : OP_NOT_FOUND;
	}
	store_close(&st);
	return rc;
}

/* A row of the index: the view of its record when it is still the
 * record of that id and passes the filter arg. */
static cJSON *
notif_row(const struct store *st, long long id, const char *uuid,
    void *arg, int *err)
{
	cJSON	*rec, *v = NULL;

	rec = notification_load(st, uuid, err);
	if (rec != NULL && idx_rec_id(rec) == id &&
	    filter_notification(arg, rec))
		v = view_notification(rec, 0);
	cJSON_Delete(rec);
	return v;
}

/* idx_marker()'s loader */
static cJSON *
notif_load(const struct store *st, const char *uuid, const void *arg,
    int *err)
{
	(void)arg;
	return notification_load(st, uuid, err);
}

/* LIST_NEWEST and LIST_MARKER through the index: the marker is looked
 * up among the rows that pass the filter (list_page() is given the
 * rows for both), so its view joins them when it passes. */
static enum op_rc
notif_list_indexed(const struct store *st,
    const struct ha_notification_filter *f, const struct list_query *lq,
    cJSON *rows)
{
	cJSON		*mk = NULL;
	long long	 below = -1;
	enum op_rc	 rc;

	if (lq->marker != NULL) {
		if ((rc = idx_marker(st, IDX_NOTIFS, lq->marker_num,
		    lq->marker_id, lq->marker, notif_load, NULL, &mk)) != OP_OK)
			return rc == OP_NOT_FOUND ? OP_OK : rc;
		below = idx_rec_id(mk);
		if (filter_notification(f, mk))
			cJSON_AddItemToArray(rows, view_notification(mk, 0));
		cJSON_Delete(mk);
	}
	if (lq->mode == LIST_MARKER)
		return OP_OK;
	return idx_collect(st, IDX_NOTIFS, below, lq->limit, notif_row,
	    (void *)f, rows) == 0 ? OP_OK : OP_IO;
}

static enum op_rc
notif_list_at(const struct store *st, const struct ha_notification_filter *f,
    const struct list_query *lq, cJSON *rows)
{
	const cJSON	*n;
	cJSON		*recs;
	int		 err;

	switch (lq->mode == LIST_NONE ? 2 : lq->mode == LIST_ALL ? 0 :
	    idx_serves(st, IDX_NOTIFS, lq->mode == LIST_NEWEST)) {
	case 2:
		return OP_OK;
	case 1:
		return notif_list_indexed(st, f, lq, rows);
	case 0:
		break;
	default:
		return OP_IO;
	}
	if ((recs = notification_all(st, &err)) == NULL)
		return OP_IO;
	cJSON_ArrayForEach(n, recs)
		if (filter_notification(f, n))
			cJSON_AddItemToArray(rows, view_notification(n, 0));
	cJSON_Delete(recs);
	return OP_OK;
}

/* The list's rows are views without details (SPEC 4.6). */
enum op_rc
ha_notification_list(const char *dir, const struct ha_notification_filter *f,
    const struct list_query *lq, cJSON **rows)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rows = cJSON_CreateArray();
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0)
		rc = notif_list_at(&st, f, lq, *rows);
	store_close(&st);
	if (rc != OP_OK) {
		cJSON_Delete(*rows);
		*rows = NULL;
	}
	return rc;
}

/* The source host by name, not on maintenance. */
static enum op_rc
notif_host(const struct store *st, const char *name, cJSON **host)
{
	int	 err;

	if ((*host = host_by_name(st, name, &err)) == NULL)
		return err ? OP_IO : OP_NOT_FOUND;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(*host,
	    "on_maintenance")))
		return OP_MAINTENANCE;
	return OP_OK;
}

/* The duplicate check runs on the would-be record (its id not yet
 * drawn, so that a duplicate costs no id). */
static enum op_rc
notif_create(const struct store *st, const struct ha_notification_in *in,
    cJSON **rec)
{
	cJSON		*host = NULL;
	enum op_rc	 rc;
	char		 uuid[37];
	long long	 id;

	if ((rc = notif_host(st, in->hostname, &host)) != OP_OK)
		goto out;
	store_uuid_new(uuid);
	*rec = record_notification(0, uuid, json_str(host, "uuid"), in);
	switch (notification_duplicate(st, *rec)) {
	case 0:
		break;
	case 1:
		rc = OP_DUPLICATE;
		goto out;
	default:
		rc = OP_IO;
		goto out;
	}
	if (ha_dirs(st) == -1 ||
	    (id = store_next_id(st, HA_COUNTERS, "notification")) == -1) {
		rc = OP_IO;
		goto out;
	}
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(*rec, "id"),
	    (double)id);
	if (notification_create(st, *rec, json_str(host,
	    "failover_segment_id")) == -1)
		rc = OP_IO;
out:
	cJSON_Delete(host);
	return rc;
}

enum op_rc
ha_notification_create(const char *dir, const struct ha_notification_in *in,
    cJSON **rec)
{
	struct store	 st;
	enum op_rc	 rc = OP_IO;

	*rec = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_WRITE) == 0)
		rc = notif_create(&st, in, rec);
	store_close(&st);
	if (rc != OP_OK) {
		cJSON_Delete(*rec);
		*rec = NULL;
	}
	return rc;
}

enum op_rc
ha_notification_set_status_at(const struct store *st, const char *uuid,
    const char *status)
{
	switch (notification_set_status(st, uuid, status)) {
	case 0:
		return OP_OK;
	case 1:
		return OP_NOT_FOUND;
	default:
		return OP_IO;
	}
}
