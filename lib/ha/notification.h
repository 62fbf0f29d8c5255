/* lib/ha/notification.h: notifications on disk (layout in layout.h;
 * SPEC 1.3, 4.6).
 *
 * A record is the view without "deleted_at"/"deleted": id,
 * notification_uuid, generated_time, source_host_uuid, type, payload,
 * status, created_at, updated_at, in ha/notifications/<uuid>.json.
 * Their indexes (the id pages, index.h; the active entries and the
 * duplicate buckets, notifidx.h) are written before the record and
 * cleaned after it, while they are kept.  Callers hold the "ha" lock.
 */
#ifndef HACGI_NOTIFICATION_H
#define HACGI_NOTIFICATION_H

#include <cjson/cJSON.h>

#include "base/store.h"

/* NULL with *err = 0 when absent (or uuid is not canonical). */
cJSON	*notification_load(const struct store *, const char *uuid, int *err);
/* Array of every record. */
cJSON	*notification_all(const struct store *, int *err);

/* 1 if the six statuses contain s; notification_active: new, running,
 * error (SPEC 1.3). */
int	 notification_status_ok(const char *s);
int	 notification_active(const char *s);

/* SPEC 4.6: 1 when a stored notification has rec's type and source host,
 * an equal payload and a generated_time no older than rec's minus 180 s;
 * 0; -1 on a storage error.  One bucket of notifidx.h, or every
 * notification without the indexes. */
int	 notification_duplicate(const struct store *, const cJSON *rec);

/* A new record (status new) whose source host is in segment seg: its
 * active entry, its duplicate row, its id row, then the record. */
int	 notification_create(const struct store *, const cJSON *rec,
	    const char *seg);
/* hacgi-manage notification populate: notification_create() for each
 * record of the array (all from one host of segment seg), the id rows
 * written once for all. */
int	 notification_create_all(const struct store *, const cJSON *recs,
	    const char *seg);
/* hacgi-manage: set the status, keeping the active entries in step (the
 * host's segment is looked for in every segment); leaves updated_at
 * (SPEC 6).  0, 1 = no such notification, -1 = error. */
int	 notification_set_status(const struct store *, const char *uuid,
	    const char *status);

#endif
