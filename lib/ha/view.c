/* lib/ha/view.c: the views of the Instance-HA records (view.h). */
#include <string.h>

#include "ha/view.h"

static cJSON *
view_tail(cJSON *v)
{
	cJSON_AddNullToObject(v, "deleted_at");
	cJSON_AddFalseToObject(v, "deleted");
	return v;
}

cJSON *
view_segment(const cJSON *rec)
{
	return view_tail(cJSON_Duplicate(rec, 1));
}

cJSON *
view_host(const cJSON *rec, const cJSON *segrec)
{
	const cJSON	*c;
	cJSON		*v = cJSON_CreateObject();

	cJSON_ArrayForEach(c, rec) {
		cJSON_AddItemToObject(v, c->string, cJSON_Duplicate(c, 1));
		if (strcmp(c->string, "failover_segment_id") == 0)
			cJSON_AddItemToObject(v, "failover_segment",
			    view_segment(segrec));
	}
	return view_tail(v);
}

cJSON *
view_host_row(const cJSON *rec)
{
	return view_tail(cJSON_Duplicate(rec, 1));
}

cJSON *
view_notification(const cJSON *rec, int details)
{
	const cJSON	*c;
	cJSON		*v = cJSON_CreateObject();

	cJSON_ArrayForEach(c, rec) {
		cJSON_AddItemToObject(v, c->string, cJSON_Duplicate(c, 1));
		if (details && strcmp(c->string, "status") == 0)
			cJSON_AddArrayToObject(v, "recovery_workflow_details");
	}
	return view_tail(v);
}
