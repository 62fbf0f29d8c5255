/* lib/ha/record.c: the Instance-HA records (record.h). */
#include "base/clock.h"
#include "base/json.h"
#include "ha/record.h"

const struct shape record_segment_shape[] = {
	{ "id", SH_ID }, { "uuid", SH_UUID }, { "name", SH_STR },
	{ "service_type", SH_STR }, { "enabled", SH_BOOL },
	{ "description", SH_STR | SH_NULL }, { "recovery_method", SH_STR },
	{ "created_at", SH_TIME }, { "updated_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

const struct shape record_host_shape[] = {
	{ "id", SH_ID }, { "uuid", SH_UUID }, { "name", SH_STR },
	{ "failover_segment_id", SH_UUID }, { "type", SH_STR },
	{ "reserved", SH_BOOL }, { "control_attributes", SH_STR },
	{ "on_maintenance", SH_BOOL }, { "created_at", SH_TIME },
	{ "updated_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

const struct shape record_notification_shape[] = {
	{ "id", SH_ID }, { "notification_uuid", SH_UUID },
	{ "generated_time", SH_TIME }, { "source_host_uuid", SH_UUID },
	{ "type", SH_STR }, { "payload", SH_OBJ }, { "status", SH_STR },
	{ "created_at", SH_TIME }, { "updated_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

/* id and the uuid under key: how every record begins */
static cJSON *
record_new(long long id, const char *key, const char *uuid)
{
	cJSON	*rec = cJSON_CreateObject();

	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, key, uuid);
	return rec;
}

/* created_at now, updated_at null: how every record ends */
static void
record_times(cJSON *rec, const char *now)
{
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
}

cJSON *
record_segment(long long id, const char *uuid, const struct ha_segment_in *in)
{
	cJSON	*rec;
	char	 now[27];

	clock_now(now, 1);
	rec = record_new(id, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", in->name);
	cJSON_AddStringToObject(rec, "service_type", in->service_type);
	cJSON_AddBoolToObject(rec, "enabled", in->enabled != 0);
	if (in->description.s != NULL)
		cJSON_AddStringToObject(rec, "description",
		    in->description.s);
	else
		cJSON_AddNullToObject(rec, "description");
	cJSON_AddStringToObject(rec, "recovery_method", in->recovery_method);
	record_times(rec, now);
	return rec;
}

cJSON *
record_host(long long id, const char *uuid, const char *segment,
    const struct ha_host_in *in)
{
	cJSON	*rec;
	char	 now[27];

	clock_now(now, 1);
	rec = record_new(id, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", in->name);
	cJSON_AddStringToObject(rec, "failover_segment_id", segment);
	cJSON_AddStringToObject(rec, "type", in->type);
	cJSON_AddBoolToObject(rec, "reserved", in->reserved == 1);
	cJSON_AddStringToObject(rec, "control_attributes",
	    in->control_attributes);
	cJSON_AddBoolToObject(rec, "on_maintenance", in->on_maintenance == 1);
	record_times(rec, now);
	return rec;
}

cJSON *
record_notification(long long id, const char *uuid, const char *source_host,
    const struct ha_notification_in *in)
{
	cJSON	*rec;
	char	 now[27];

	clock_now(now, 1);
	rec = record_new(id, "notification_uuid", uuid);
	cJSON_AddStringToObject(rec, "generated_time", in->generated_time);
	cJSON_AddStringToObject(rec, "source_host_uuid", source_host);
	cJSON_AddStringToObject(rec, "type", in->type);
	cJSON_AddItemToObject(rec, "payload", cJSON_Duplicate(in->payload,
	    1));
	cJSON_AddStringToObject(rec, "status", "new");
	record_times(rec, now);
	return rec;
}

/* A given string value into rec: 1 if it changed rec. */
static int
record_set(cJSON *rec, const char *key, const char *v)
{
	return v != NULL && json_replace_changed(rec, key,
	    cJSON_CreateString(v));
}

/* A given boolean (not -1) into rec: 1 if it changed rec. */
static int
record_flag(cJSON *rec, const char *key, int v)
{
	return v != -1 && json_replace_changed(rec, key, cJSON_CreateBool(v));
}

static int
record_touch(cJSON *rec, int changed)
{
	char	 now[27];

	if (changed) {
		clock_now(now, 1);
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "updated_at",
		    cJSON_CreateString(now));
	}
	return changed;
}

int
record_segment_update(cJSON *rec, const struct ha_segment_in *in)
{
	int	 changed = 0;

	changed |= record_set(rec, "name", in->name);
	changed |= record_set(rec, "service_type", in->service_type);
	if (in->description.set)
		changed |= json_replace_changed(rec, "description",
		    in->description.s != NULL ?
		    cJSON_CreateString(in->description.s) : cJSON_CreateNull());
	changed |= record_set(rec, "recovery_method", in->recovery_method);
	changed |= record_flag(rec, "enabled", in->enabled);	/* div. 3 */
	return record_touch(rec, changed);
}

int
record_host_update(cJSON *rec, const struct ha_host_in *in)
{
	int	 changed = 0;

	changed |= record_set(rec, "name", in->name);
	changed |= record_set(rec, "type", in->type);
	changed |= record_set(rec, "control_attributes",
	    in->control_attributes);
	changed |= record_flag(rec, "reserved", in->reserved);
	changed |= record_flag(rec, "on_maintenance", in->on_maintenance);
	return record_touch(rec, changed);
}
