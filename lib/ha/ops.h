/*
 * lib/ha/ops.h: the Instance-HA domain operations.  Each one is a whole
 * request's worth of work on the store: it takes the "ha" lock itself
 * (shared to read, exclusive to write), runs its checks and its storage
 * steps in their order (the commit points: docs/DESIGN.md), releases
 * the lock, and says how it ended (enum op_rc, lib/base/op.h).  The
 * callers only map that outcome to an answer.
 *
 * dir is DATA_DIR.  Ids are as the request gave them; one that is not a
 * canonical uuid names no record (OP_NOT_FOUND).  Records come back in
 * *rec (and the segment of a host in *segrec) on OP_OK, owned by the
 * caller (cJSON_Delete; NULL otherwise).  OP_IO means the store failed
 * (logged) and, unless said below, that nothing visible changed.
 *
 * The *_at variants are the same operations inside a lock the caller
 * already holds (hacgi-manage's bulk loads, one lock for many creates):
 * they neither run segment_sweep() nor make the layout's folders
 * (ha_dirs()); the caller does both, once.
 */
#ifndef HACGI_OPS_H
#define HACGI_OPS_H

#include <cjson/cJSON.h>

#include "base/op.h"
#include "ha/list.h"
#include "ha/valid.h"

struct store;	/* the *_at variants' (base/store.h): not the handlers' */

/* ---- segments (SPEC 4.4) ---- */

/* OP_OK, OP_NOT_FOUND, OP_IO */
enum op_rc	ha_segment_get(const char *dir, const char *uuid,
		    cJSON **rec);
/*
 * The segment records list_page() needs for the query lq (its mode,
 * list.h): those passing f (NULL: all) in *rows, and in *all those
 * where the marker is looked up (free *rows first: it may hold
 * references into *all).  LIST_ALL: every record in *all; LIST_NEWEST,
 * when the indexes serve it (lib/ha/index.h): the marker's record in
 * *all and the first lq->limit records after it in *rows, read through
 * the id index; else as LIST_ALL.  OP_OK, OP_IO.
 */
enum op_rc	ha_segment_list(const char *dir,
		    const struct ha_segment_filter *f,
		    const struct list_query *lq, cJSON **all, cJSON **rows);
/* A new segment from in (a valid create body).  OP_OK, OP_NAME_TAKEN,
 * OP_IO. */
enum op_rc	ha_segment_create(const char *dir,
		    const struct ha_segment_in *in, cJSON **rec);
enum op_rc	ha_segment_create_at(const struct store *,
		    const struct ha_segment_in *in, cJSON **rec);
/* The values of in (a valid update body) into the segment.  OP_OK (also
 * when nothing changed: no write), OP_NOT_FOUND, OP_IN_USE,
 * OP_NAME_TAKEN, OP_IO. */
enum op_rc	ha_segment_update(const char *dir, const char *uuid,
		    const struct ha_segment_in *in, cJSON **rec);
/* The segment and its hosts, at once (lib/ha/segment.h).  OP_OK,
 * OP_NOT_FOUND, OP_IN_USE, OP_IO. */
enum op_rc	ha_segment_delete(const char *dir, const char *uuid);

/* ---- hosts (SPEC 4.5) ---- */

/* The host uuid of segment seg, and its segment (for the view).
 * OP_OK, OP_NOT_FOUND, OP_IO. */
enum op_rc	ha_host_get(const char *dir, const char *seg,
		    const char *uuid, cJSON **rec, cJSON **segrec);

struct ha_hosts {
	cJSON	*segrec;	/* the segment */
	cJSON	*rows;		/* views (view_host) of its hosts that pass
				   the filter; NULL when not asked */
	cJSON	*all;		/* rows (view_host_row) of every segment's
				   hosts, for the marker; NULL when not
				   asked */
};

/* The segment seg; then, when f is not NULL, its hosts that pass f, and,
 * with a marker, every host (SPEC 4.2 step 5); in the mode of lq as
 * ha_segment_list() (the marker in the segment's id index: a marker of
 * another segment reads every host).  Owned by the caller
 * (ha_hosts_free) whatever the outcome.  OP_OK, OP_NOT_FOUND (no such
 * segment: the hosts are not read), OP_IO. */
enum op_rc	ha_host_list(const char *dir, const char *seg,
		    const struct ha_host_filter *f,
		    const struct list_query *lq, struct ha_hosts *out);
void		ha_hosts_free(struct ha_hosts *);
/* A new host in segment seg.  OP_OK, OP_NOT_FOUND (the segment),
 * OP_NAME_TAKEN, OP_IO. */
enum op_rc	ha_host_create(const char *dir, const char *seg,
		    const struct ha_host_in *in, cJSON **rec,
		    cJSON **segrec);
enum op_rc	ha_host_create_at(const struct store *, const char *seg,
		    const struct ha_host_in *in, cJSON **rec,
		    cJSON **segrec);
/* OP_OK (also when nothing changed), OP_NOT_FOUND, OP_IN_USE (its
 * segment is), OP_NAME_TAKEN, OP_IO. */
enum op_rc	ha_host_update(const char *dir, const char *seg,
		    const char *uuid, const struct ha_host_in *in,
		    cJSON **rec, cJSON **segrec);
/* OP_OK, OP_NOT_FOUND, OP_IN_USE, OP_IO. */
enum op_rc	ha_host_delete(const char *dir, const char *seg,
		    const char *uuid);

/* ---- notifications (SPEC 4.6) ---- */

enum op_rc	ha_notification_get(const char *dir, const char *uuid,
		    cJSON **rec);
/* The views (without details) of the records passing f (NULL: all), in
 * the mode of lq as ha_segment_list() (the marker's view among them
 * when it passes f).  OP_OK, OP_IO. */
enum op_rc	ha_notification_list(const char *dir,
		    const struct ha_notification_filter *f,
		    const struct list_query *lq, cJSON **rows);
/* A new notification (status new) from in (schema and payload valid):
 * OP_OK, OP_NOT_FOUND (no host called in->hostname), OP_MAINTENANCE,
 * OP_DUPLICATE, OP_IO. */
enum op_rc	ha_notification_create(const char *dir,
		    const struct ha_notification_in *in, cJSON **rec);
/* hacgi-manage: the status (one of the six), keeping the active
 * entries (lib/ha/notifidx.h) in step; updated_at stays (SPEC 6).
 * OP_OK, OP_NOT_FOUND, OP_IO. */
enum op_rc	ha_notification_set_status_at(const struct store *,
		    const char *uuid, const char *status);

#endif
