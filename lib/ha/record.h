/*
 * lib/ha/record.h: the Instance-HA records, one constructor and one
 * shape per kind.  The API, hacgi-manage's bulk loads and fsck all build
 * or check records through here, so a record has one definition: its
 * keys in view order, and their types (lib/base/shape.h).
 *
 * segment       id, uuid, name, service_type, enabled, description,
 *               recovery_method, created_at, updated_at
 * host          id, uuid, name, failover_segment_id, type, reserved,
 *               control_attributes, on_maintenance, created_at,
 *               updated_at
 * notification  id, notification_uuid, generated_time, source_host_uuid,
 *               type, payload, status, created_at, updated_at
 *
 * The views add deleted_at and deleted (lib/ha/view.h).
 */
#ifndef HACGI_RECORD_H
#define HACGI_RECORD_H

#include <cjson/cJSON.h>

#include "base/shape.h"
#include "ha/valid.h"

extern const struct shape record_segment_shape[];
extern const struct shape record_host_shape[];
extern const struct shape record_notification_shape[];

/* New records (owned by the caller), created now, from valid input: what
 * the input leaves out takes its default (a segment enabled with a null
 * description; a host neither reserved nor on maintenance; a
 * notification in status new). */
cJSON	*record_segment(long long id, const char *uuid,
	    const struct ha_segment_in *);
cJSON	*record_host(long long id, const char *uuid, const char *segment,
	    const struct ha_host_in *);
cJSON	*record_notification(long long id, const char *uuid,
	    const char *source_host, const struct ha_notification_in *);

/* An update: the values in (those given) into rec; 1 if one of them
 * changed it, then updated_at is now; 0 if none did. */
int	record_segment_update(cJSON *rec, const struct ha_segment_in *);
int	record_host_update(cJSON *rec, const struct ha_host_in *);

#endif
