/* lib/ha/filter.c: the list filters applied to records (filter.h). */
#include <string.h>

#include "base/json.h"
#include "ha/filter.h"

/* An exact filter: absent, or the record's string equal to it. */
static int
filter_str(const char *want, const cJSON *rec, const char *key)
{
	const char	*have;

	return want == NULL || ((have = json_str(rec, key)) != NULL &&
	    strcmp(want, have) == 0);
}

static int
filter_bool(int want, const cJSON *rec, const char *key)
{
	return want == FILTER_ANY || want == cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(rec, key));
}

int
filter_segment(const struct ha_segment_filter *f, const cJSON *rec)
{
	return f == NULL || (filter_str(f->recovery_method, rec,
	    "recovery_method") && filter_str(f->service_type, rec,
	    "service_type") && filter_bool(f->enabled, rec, "enabled"));
}

int
filter_host(const struct ha_host_filter *f, const cJSON *rec)
{
	return f == NULL || (filter_str(f->type, rec, "type") &&
	    filter_bool(f->on_maintenance, rec, "on_maintenance") &&
	    filter_bool(f->reserved, rec, "reserved"));
}

int
filter_notification(const struct ha_notification_filter *f,
    const cJSON *rec)
{
	const char	*have;

	if (f == NULL)
		return 1;
	if (!filter_str(f->status, rec, "status") ||
	    !filter_str(f->source_host_uuid, rec, "source_host_uuid") ||
	    !filter_str(f->type, rec, "type"))
		return 0;
	return f->since[0] == '\0' || ((have = json_str(rec,
	    "generated_time")) != NULL && strcmp(have, f->since) >= 0);
}
