/* lib/ha/filter.h: does a record pass a list's filters (valid.h,
 * SPEC 4.4-4.6)?  1 or 0; a NULL filter passes everything. */
#ifndef HACGI_FILTER_H
#define HACGI_FILTER_H

#include <cjson/cJSON.h>

#include "ha/valid.h"

int	filter_segment(const struct ha_segment_filter *, const cJSON *rec);
int	filter_host(const struct ha_host_filter *, const cJSON *rec);
int	filter_notification(const struct ha_notification_filter *,
	    const cJSON *rec);

#endif
