/*
 * lib/ha/ops_notification.c: the notification operations (ops.h,
 * SPEC 4.6, 6).
 *
 * Storage steps, in order (docs/DESIGN.md):
 *   create      host by name?; on maintenance?; duplicate?; folders;
 *               next id; ha/active.json entry; record (commit)
 *   set-status  record?; to an active status: ha/active.json entry, then
 *               record (commit); to another: record (commit), then the
 *               entry removed (notification.h)
 */
#include <stdlib.h>

#include "base/json.h"
#include "ha/filter.h"
#include "ha/host.h"
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

/* The list's rows are views without details (SPEC 4.6). */
enum op_rc
ha_notification_list(const char *dir, const struct ha_notification_filter *f,
    cJSON **rows)
{
	struct store	 st;
	const cJSON	*n;
	cJSON		*recs = NULL;
	int		 err;

	*rows = NULL;
	if (store_open(&st, dir, HA_LOCK, STORE_READ) == 0)
		recs = notification_all(&st, &err);
	store_close(&st);
	if (recs == NULL)
		return OP_IO;
	*rows = cJSON_CreateArray();
	cJSON_ArrayForEach(n, recs)
		if (filter_notification(f, n))
			cJSON_AddItemToArray(*rows, view_notification(n, 0));
	cJSON_Delete(recs);
	return OP_OK;
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
	if (notification_create(st, *rec) == -1)
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
