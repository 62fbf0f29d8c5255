/* lib/ha/layout.h: the Instance-HA data layout under DATA_DIR.
 *
 * DATA_DIR/ha.lock                  one lock for every Instance-HA document
 * DATA_DIR/ha/counters.json         {"segment": N, "host": N, ...}
 * DATA_DIR/ha/segments/UUID.json    one segment (view order, no deleted*)
 * DATA_DIR/ha/names/s-SHA256.json   name index {"name": N, "uuid": U}
 * DATA_DIR/ha/hosts/SEGUUID/UUID.json  the hosts of a segment
 * DATA_DIR/ha/names/h-SHA256.json   host name index {"name", "uuid",
 *                                   "segment"}
 * DATA_DIR/ha/tombstones/UUID.json  the record of a segment being deleted
 *                                   (segment.h)
 * DATA_DIR/ha/notifications/UUID.json
 * DATA_DIR/ha/index/...             the indexes (index.h, notifidx.h)
 *
 * Show, update and delete touch a fixed number of files; names never
 * become file names (only their SHA-256 does).  Index entries count
 * only while the record they name does.
 */
#ifndef HACGI_LAYOUT_H
#define HACGI_LAYOUT_H

#include "base/store.h"

#define HA_LOCK		"ha"
#define HA_COUNTERS	"ha/counters.json"
#define HA_ACTIVE	"ha/active.json"	/* before the indexes */
#define HA_TOMBSTONES	"ha/tombstones"

/* mkdir ha/ and its folders; in a new store, the indexes' (index.h) */
int	 ha_dirs(const struct store *);
/* ha/names/KIND-SHA256(name).json: kind 's' (segments) or 'h' (hosts) */
void	 ha_name_path(char out[96], char kind, const char *name);
/* Remove the entry of name in the index (kind 's' or 'h') if it names
 * uuid: 0 (also when it names another), -1. */
int	 ha_name_drop(const struct store *, char kind, const char *name,
	    const char *uuid);

/*
 * The one directory scan of the Instance-HA folders (segments, hosts of
 * a segment, notifications, tombstones, names): fn(rel, file, arg) for
 * each "*.json" document of the folder dir, in no particular order, rel
 * its path under DATA_DIR ("dir/file"); stops on a non-zero return,
 * which it returns (store_scan).  The programs and fsck share it.
 */
typedef int	(*ha_scan_fn)(const char *rel, const char *file, void *arg);
int	 ha_scan(const struct store *, const char *dir, ha_scan_fn, void *);
/* Every document of dir, parsed, appended to the array out: 0, or -1
 * (a folder or document that could not be read; logged).  A document
 * that vanished meanwhile is skipped. */
int	 ha_scan_docs(const struct store *, const char *dir, cJSON *out);

#endif
