/* lib/ha/notification.c: notifications on disk (layout in layout.h, record
 * and ha/active.json in notification.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/notification.h"

/* masakari's duplicate_notification_detection_interval default */
#define NOTIF_DUP_WINDOW	180

static const char *const notif_statuses[] = {
	"new", "running", "error", "failed", "ignored", "finished",
};

int
notification_status_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < NELEM(notif_statuses); i++)
		if (strcmp(s, notif_statuses[i]) == 0)
			return 1;
	return 0;
}

int
notification_active(const char *s)
{
	return s != NULL && (strcmp(s, "new") == 0 ||
	    strcmp(s, "running") == 0 || strcmp(s, "error") == 0);
}

static int
notif_path(char out[96], const char *uuid)
{
	if (uuid == NULL || !store_uuid_ok(uuid))
		return -1;
	snprintf(out, 96, "ha/notifications/%s.json", uuid);
	return 0;
}

cJSON *
notification_load(const struct store *st, const char *uuid, int *err)
{
	char	 rel[96];

	*err = 0;
	if (notif_path(rel, uuid) == -1)
		return NULL;
	return store_read(st, rel, err);
}

cJSON *
notification_all(const struct store *st, int *err)
{
	cJSON	*out = cJSON_CreateArray();

	*err = 0;
	if (ha_scan_docs(st, "ha/notifications", out) == -1) {
		cJSON_Delete(out);
		*err = 1;
		return NULL;
	}
	return out;
}

/* "YYYY-MM-DDTHH:MM:SS.ffffff" minus NOTIF_DUP_WINDOW seconds, same form;
 * "" (older than everything) when it cannot be computed. */
static void
notif_since(const char *t, char out[27])
{
	int64_t	 us;

	if (t == NULL || clock_parse(t, &us) == -1 ||
	    clock_format(us - (int64_t)NOTIF_DUP_WINDOW * 1000000, out) == -1)
		out[0] = '\0';
}

static int
notif_same(const cJSON *a, const cJSON *b, const char *key)
{
	const char	*x = json_str(a, key), *y = json_str(b, key);

	return x != NULL && y != NULL && strcmp(x, y) == 0;
}

/* masakari's _is_duplicate_notification: the payloads compare as
 * dictionaries, so key order does not matter. */
int
notification_duplicate(const struct store *st, const cJSON *rec)
{
	const cJSON	*n, *t;
	cJSON		*all;
	char		 since[27];
	int		 err, dup = 0;

	if ((all = notification_all(st, &err)) == NULL)
		return -1;
	notif_since(json_str(rec, "generated_time"), since);
	cJSON_ArrayForEach(n, all) {
		t = cJSON_GetObjectItemCaseSensitive(n, "generated_time");
		if (notif_same(n, rec, "type") &&
		    notif_same(n, rec, "source_host_uuid") &&
		    cJSON_IsString(t) && strcmp(t->valuestring, since) >= 0 &&
		    cJSON_Compare(cJSON_GetObjectItemCaseSensitive(n,
		    "payload"), cJSON_GetObjectItemCaseSensitive(rec,
		    "payload"), 1)) {
			dup = 1;
			break;
		}
	}
	cJSON_Delete(all);
	return dup;
}

/* Add (host != NULL) or remove the entry of uuid in ha/active.json. */
static int
notif_active_set(const struct store *st, const char *uuid, const char *host)
{
	cJSON	*act;
	int	 err, rc;

	if ((act = store_read(st, HA_ACTIVE, &err)) == NULL && err)
		return -1;
	if (act == NULL)
		act = cJSON_CreateObject();
	if (!cJSON_IsObject(act)) {
		log_warn("store %s/%s: not an object", st->dir, HA_ACTIVE);
		cJSON_Delete(act);
		return -1;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(act, uuid);
	if (host != NULL)
		cJSON_AddStringToObject(act, uuid, host);
	rc = store_write(st, HA_ACTIVE, act);
	cJSON_Delete(act);
	return rc;
}

static int
notif_write(const struct store *st, const cJSON *rec)
{
	char	 rel[96];

	if (notif_path(rel, json_str(rec, "notification_uuid")) == -1)
		return -1;
	return store_write(st, rel, rec);
}

int
notification_create(const struct store *st, const cJSON *rec)
{
	const char	*uuid = json_str(rec, "notification_uuid");

	if (notification_active(json_str(rec, "status")) &&
	    notif_active_set(st, uuid, json_str(rec, "source_host_uuid")) == -1)
		return -1;
	return notif_write(st, rec);
}

int
notification_create_all(const struct store *st, const cJSON *recs)
{
	const cJSON	*r;
	cJSON		*act;
	int		 err, rc = 0;

	if ((act = store_read(st, HA_ACTIVE, &err)) == NULL && err)
		return -1;
	if (act == NULL)
		act = cJSON_CreateObject();
	cJSON_ArrayForEach(r, recs)
		if (notification_active(json_str(r, "status")))
			cJSON_AddStringToObject(act, json_str(r,
			    "notification_uuid"), json_str(r,
			    "source_host_uuid"));
	if (!cJSON_IsObject(act) || store_write(st, HA_ACTIVE, act) == -1)
		rc = -1;
	cJSON_Delete(act);
	cJSON_ArrayForEach(r, recs)
		if (rc == 0)
			rc = notif_write(st, r);
	return rc;
}

int
notification_set_status(const struct store *st, const char *uuid,
    const char *status)
{
	cJSON		*rec;
	const char	*host;
	int		 err, rc = -1;

	if ((rec = notification_load(st, uuid, &err)) == NULL)
		return err ? -1 : 1;
	host = json_str(rec, "source_host_uuid");
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "status",
	    cJSON_CreateString(status));
	if (notification_active(status)) {
		if (notif_active_set(st, uuid, host) == 0 &&
		    notif_write(st, rec) == 0)
			rc = 0;
	} else if (notif_write(st, rec) == 0) {
		/* done: an entry left behind is ignored (segment_in_use()
		 * confirms each against its record) */
		(void)notif_active_set(st, uuid, NULL);
		rc = 0;
	}
	cJSON_Delete(rec);
	return rc;
}
