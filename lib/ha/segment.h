/* lib/ha/segment.h: failover segments on disk (the layout: layout.h).
 *
 * Deleting a segment (SPEC 1.3: its hosts too) takes many steps, and a
 * request that fails or is killed part-way must leave all of it done or
 * none of it visible.  So there is one commit point: segment_remove()
 * renames ha/segments/UUID.json to ha/tombstones/UUID.json.  Before the
 * rename nothing has changed; after it the segment is gone for every
 * reader, and so are its hosts, because a host counts only while its
 * segment's record exists (host_load(), host.h) and index entries count
 * only while the record they name does.  Its name is free at once.
 * What is left (the host files, their folder, the index entries, its
 * rows in the indexes: index.h, notifidx.h, the tombstone) is garbage
 * that segment_purge() removes: right after the commit, then, if that
 * was cut short, segment_sweep(), which every segment create and delete
 * runs first (ha/tombstones is empty but for unfinished deletes, so
 * this costs one opendir), and fsck --repair (a "leftover", not an
 * error).  The purge removes index entries only
 * while they still name the deleted records, since a new segment or
 * host may have taken the name meanwhile; the tombstone goes last.
 */
#ifndef HACGI_SEGMENT_H
#define HACGI_SEGMENT_H

#include <cjson/cJSON.h>

#include "base/op.h"
#include "base/store.h"

cJSON	*segment_load(const struct store *, const char *uuid, int *err);
/* segment_load() as an outcome: OP_OK (*rec set), OP_NOT_FOUND, OP_IO. */
enum op_rc segment_find(const struct store *, const char *uuid, cJSON **rec);
cJSON	*segment_all(const struct store *, int *err);	/* of records */
int	 segment_save(const struct store *, const cJSON *rec);
/* A new segment: its id row (index.h), then the record. */
int	 segment_create(const struct store *, const cJSON *rec);
int	 segment_name_owner(const struct store *, const char *name,
	    char uuid[37]);	/* 1 taken (uuid set), 0 free, -1 error */
int	 segment_name_set(const struct store *, const char *name,
	    const char *uuid);
int	 segment_name_del(const struct store *, const char *name);
int	 segment_in_use(const struct store *, const char *uuid);

/* Delete a segment and its hosts (see above): -1 (nothing done) or 0
 * (done, even when garbage is left for a later purge). */
int	 segment_remove(const struct store *, const cJSON *rec);
/* Remove the garbage of the deleted segment uuid, then its tombstone;
 * -1 (logged) leaves the rest for a later call.  Refuses (-1) when the
 * segment's record exists. */
int	 segment_purge(const struct store *, const char *uuid);
/* segment_purge() every tombstone: O(unfinished deletes); -1 if one
 * failed (the caller's request goes on: the garbage is invisible). */
int	 segment_sweep(const struct store *);

#endif
