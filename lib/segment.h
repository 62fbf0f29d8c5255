/* lib/segment.h: failover segments on disk, and the Instance-HA layout.
 *
 * DATA_DIR/ha.lock                  one lock for every Instance-HA document
 * DATA_DIR/ha/counters.json         {"segment": N, "host": N, ...}
 * DATA_DIR/ha/segments/UUID.json    one segment (view order, no deleted*)
 * DATA_DIR/ha/names/s-SHA256.json   name index {"name": N, "uuid": U}
 * DATA_DIR/ha/hosts/SEGUUID/UUID.json  the hosts of a segment
 * DATA_DIR/ha/names/h-SHA256.json   host name index {"name", "uuid",
 *                                   "segment"}
 * DATA_DIR/ha/notifications/UUID.json
 * DATA_DIR/ha/active.json           {NOTIFUUID: HOSTUUID} for the
 *                                   notifications in new/running/error
 *
 * Show, update and delete touch a fixed number of files; names never
 * become file names (only their SHA-256 does).
 */
#ifndef HACGI_SEGMENT_H
#define HACGI_SEGMENT_H

#include <cjson/cJSON.h>

#include "store.h"

#define HA_LOCK		"ha"
#define HA_COUNTERS	"ha/counters.json"
#define HA_ACTIVE	"ha/active.json"

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
int	 segment_remove(const struct store *, const cJSON *rec);

#endif
