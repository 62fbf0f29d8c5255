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
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/notifidx.h"

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
 * dictionaries, so key order does not matter.  Without the indexes
 * (index.h) every notification is read. */
static int
notif_duplicate_scan(const struct store *st, const cJSON *rec,
    const char *since)
{
	const cJSON	*n, *t;
	cJSON		*all;
	int		 err, dup = 0;

	if ((all = notification_all(st, &err)) == NULL)
		return -1;
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

int
notification_duplicate(const struct store *st, const cJSON *rec)
{
	char	 since[27];
	int	 kept;

	notif_since(json_str(rec, "generated_time"), since);
	if ((kept = idx_kept(st)) == -1)
		return -1;
	return kept ? nidx_dup_find(st, rec, since) :
	    notif_duplicate_scan(st, rec, since);
}

/* The segment of host (1, seg set), or 0 when no segment has it: one
 * look per segment (hacgi-manage set-status only). */
struct hostseg {
	const struct store	*st;
	const char		*host;
	char			*seg;
};

static int
host_seg_one(const char *file, void *arg)
{
	struct hostseg	*hs = arg;
	char		 seg[37], rel[160];
	int		 r;

	if (!store_uuid_name(file, seg) || !store_uuid_ok(seg))
		return 0;
	snprintf(rel, sizeof(rel), "ha/hosts/%s/%s.json", seg, hs->host);
	if ((r = store_exists(hs->st, rel)) == 1)
		snprintf(hs->seg, 37, "%s", seg);
	return r;
}

static int
notif_host_segment(const struct store *st, const char *host, char seg[37])
{
	struct hostseg	 hs = { st, host, seg };

	if (host == NULL || !store_uuid_ok(host))
		return 0;
	return store_scan(st, "ha/segments", host_seg_one, &hs);
}

static int
notif_write(const struct store *st, const cJSON *rec)
{
	char	 rel[96];

	if (notif_path(rel, json_str(rec, "notification_uuid")) == -1)
		return -1;
	return store_write(st, rel, rec);
}

/* The index steps of a new record (seg: its host's segment), before
 * the record: its active entry, its duplicate row. */
static int
notif_index_new(const struct store *st, const cJSON *rec, const char *seg)
{
	if (notification_active(json_str(rec, "status")) &&
	    nidx_active_add(st, seg, json_str(rec, "notification_uuid"),
	    json_str(rec, "source_host_uuid")) == -1)
		return -1;
	return nidx_dup_add(st, rec);
}

int
notification_create(const struct store *st, const cJSON *rec,
    const char *seg)
{
	struct idx_row	 row;
	int		 kept;

	if ((kept = idx_kept(st)) == -1)
		return -1;
	if (kept && (idx_row_of(rec, "notification_uuid", &row) == -1 ||
	    notif_index_new(st, rec, seg) == -1 ||
	    idx_add(st, IDX_NOTIFS, &row) == -1))
		return -1;
	return notif_write(st, rec);
}

int
notification_create_all(const struct store *st, const cJSON *recs,
    const char *seg)
{
	const cJSON	*r;
	struct idx_row	*rows;
	size_t		 n = 0;
	int		 kept, rc = 0;

	if ((kept = idx_kept(st)) == -1)
		return -1;
	rows = xcalloc((size_t)cJSON_GetArraySize(recs) + 1, sizeof(*rows));
	cJSON_ArrayForEach(r, recs)
		if (kept && rc == 0 && (idx_row_of(r, "notification_uuid",
		    &rows[n++]) == -1 || notif_index_new(st, r, seg) == -1))
			rc = -1;
	if (kept && rc == 0)
		rc = idx_add_many(st, IDX_NOTIFS, rows, n);
	free(rows);
	cJSON_ArrayForEach(r, recs)
		if (rc == 0)
			rc = notif_write(st, r);
	return rc;
}

/* The active entry of rec follows its status: added before the record
 * becomes active, removed after it stops (when its host is in a
 * segment: an entry whose host is gone never counts). */
int
notification_set_status(const struct store *st, const char *uuid,
    const char *status)
{
	cJSON		*rec;
	const char	*host;
	char		 seg[37];
	int		 err, kept, hs = 0, rc = -1;

	if ((rec = notification_load(st, uuid, &err)) == NULL)
		return err ? -1 : 1;
	host = json_str(rec, "source_host_uuid");
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "status",
	    cJSON_CreateString(status));
	if ((kept = idx_kept(st)) == 1)
		hs = notif_host_segment(st, host, seg);
	if (kept == -1 || hs == -1)
		goto out;
	if (notification_active(status)) {
		if ((hs == 0 || nidx_active_add(st, seg, uuid, host) == 0) &&
		    notif_write(st, rec) == 0)
			rc = 0;
	} else if (notif_write(st, rec) == 0) {
		/* done: an entry left behind is ignored (nidx_in_use()
		 * confirms each against its record) */
		if (hs == 1)
			(void)nidx_active_del(st, seg, uuid);
		rc = 0;
	}
out:
	cJSON_Delete(rec);
	return rc;
}
