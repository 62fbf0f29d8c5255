/* lib/ha/host.h: the hosts of failover segments on disk (layout in
 * layout.h; SPEC 1.3, 4.5).
 *
 * A record is the host view without "failover_segment", "deleted_at" and
 * "deleted": id, uuid, name, failover_segment_id, type, reserved,
 * control_attributes, on_maintenance, created_at, updated_at.  Its file is
 * ha/hosts/<failover_segment_id>/<uuid>.json.  Callers hold the "ha" lock.
 */
#ifndef HACGI_HOST_H
#define HACGI_HOST_H

#include <cjson/cJSON.h>

#include "base/store.h"

/* NULL with *err = 0 when absent, when its segment's record is (the
 * host of a deleted segment, segment.h), or when either id is not
 * canonical. */
cJSON	*host_load(const struct store *, const char *seg, const char *uuid,
	    int *err);
/* The live host called name (the index, confirmed by the record), or NULL
 * (*err says whether that is an error). */
cJSON	*host_by_name(const struct store *, const char *name, int *err);

/* Arrays of records: the hosts of one segment (the caller has checked
 * that it exists); of every segment. */
cJSON	*host_list(const struct store *, const char *seg, int *err);
cJSON	*host_all(const struct store *, int *err);

/* Writes: the name index and the id index (index.h) before the
 * record, their entries removed after it.  host_create_bulk() with bulk
 * set leaves the id row to the caller (idx_add_many()). */
int	 host_create(const struct store *, const cJSON *rec);
int	 host_create_bulk(const struct store *, const cJSON *rec, int bulk);
int	 host_save(const struct store *, const cJSON *rec,
	    const char *oldname);
int	 host_remove(const struct store *, const cJSON *rec);

#endif
