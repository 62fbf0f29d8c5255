/* lib/ha/segment.h: failover segments on disk, and the Instance-HA layout.
 *
 * DATA_DIR/ha.lock                  one lock for every Instance-HA document
 * DATA_DIR/ha/counters.json         {"segment": N, "host": N, ...}
 * DATA_DIR/ha/segments/UUID.json    one segment (view order, no deleted*)
 * DATA_DIR/ha/names/s-SHA256.json   name index {"name": N, "uuid": U}
 * DATA_DIR/ha/hosts/SEGUUID/UUID.json  the hosts of a segment
 * DATA_DIR/ha/names/h-SHA256.json   host name index {"name", "uuid",
 *                                   "segment"}
 * DATA_DIR/ha/tombstones/UUID.json  the record of a segment being deleted
 * DATA_DIR/ha/notifications/UUID.json
 * DATA_DIR/ha/active.json           {NOTIFUUID: HOSTUUID} for the
 *                                   notifications in new/running/error
 *
 * Show, update and delete touch a fixed number of files; names never
 * become file names (only their SHA-256 does).
 *
 * Deleting a segment (SPEC 1.3: its hosts too) takes many steps, and a
 * request that fails or is killed part-way must leave all of it done or
 * none of it visible.  So there is one commit point: segment_remove()
 * renames ha/segments/UUID.json to ha/tombstones/UUID.json.  Before the
 * rename nothing has changed; after it the segment is gone for every
 * reader, and so are its hosts, because a host counts only while its
 * segment's record exists (host_load(), host.h) and index entries count
 * only while the record they name does.  Its name is free at once.
 * What is left (the host files, their folder, the index entries, the
 * tombstone) is garbage that segment_purge() removes: right after the
 * commit, then, if that was cut short, segment_sweep(), which every
 * segment create and delete runs first (ha/tombstones is empty but for
 * unfinished deletes, so this costs one opendir), and fsck --repair
 * (a "leftover", not an error).  The purge removes index entries only
 * while they still name the deleted records, since a new segment or
 * host may have taken the name meanwhile; the tombstone goes last.
 */
#ifndef HACGI_SEGMENT_H
#define HACGI_SEGMENT_H

#include <cjson/cJSON.h>

#include "base/store.h"

#define HA_LOCK		"ha"
#define HA_COUNTERS	"ha/counters.json"
#define HA_ACTIVE	"ha/active.json"
#define HA_TOMBSTONES	"ha/tombstones"

int	 ha_dirs(const struct store *);	/* mkdir ha/ and its folders */
void	 ha_name_path(char out[96], char kind, const char *name);

cJSON	*segment_load(const struct store *, const char *uuid, int *err);
cJSON	*segment_view(const cJSON *rec);
cJSON	*segment_all(const struct store *, int *err);	/* of records */
int	 segment_save(const struct store *, const cJSON *rec);
int	 segment_name_owner(const struct store *, const char *name,
	    char uuid[37]);	/* 1 taken (uuid set), 0 free, -1 error */
int	 segment_name_set(const struct store *, const char *name,
	    const char *uuid);
int	 segment_name_del(const struct store *, const char *name);
int	 segment_in_use(const struct store *, const char *uuid);

/* The entry of name in the index (kind 's' or 'h') if it names uuid. */
int	 ha_name_drop(const struct store *, char kind, const char *name,
	    const char *uuid);
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
