/* lib/ha/view.h: the API views of the Instance-HA records (record.h):
 * the record plus "deleted_at": null and "deleted": false (SPEC 4.4-4.6).
 * Each returns a new object the caller owns. */
#ifndef HACGI_VIEW_H
#define HACGI_VIEW_H

#include <cjson/cJSON.h>

cJSON	*view_segment(const cJSON *rec);
/* The host with its segment's view embedded after failover_segment_id. */
cJSON	*view_host(const cJSON *rec, const cJSON *segrec);
/* The host without its segment: every sortable column (SPEC 4.2). */
cJSON	*view_host_row(const cJSON *rec);
/* details adds "recovery_workflow_details": [] after "status" (show at
 * 1.1 and later, divergence 8). */
cJSON	*view_notification(const cJSON *rec, int details);

#endif
