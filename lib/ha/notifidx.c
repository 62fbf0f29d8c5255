/* lib/ha/notifidx.c: the notification indexes (notifidx.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/index.h"
#include "ha/notifidx.h"

/* notification_active() (notification.h, which builds on this module) */
static int
status_active(const cJSON *rec)
{
	const char	*s = json_str(rec, "status");

	return s != NULL && (strcmp(s, "new") == 0 ||
	    strcmp(s, "running") == 0 || strcmp(s, "error") == 0);
}

static cJSON *
notif_read(const struct store *st, const char *uuid, int *err)
{
	char	 rel[96];

	*err = 0;
	if (uuid == NULL || !store_uuid_ok(uuid))
		return NULL;
	snprintf(rel, sizeof(rel), "ha/notifications/%s.json", uuid);
	return store_read(st, rel, err);
}

/* ---- active notifications by segment ---- */

static int
active_path(char out[160], const char *seg, const char *nuuid)
{
	if (seg == NULL || nuuid == NULL || !store_uuid_ok(seg) ||
	    !store_uuid_ok(nuuid))
		return -1;
	snprintf(out, 160, "%s/%s/%s.json", IDX_ACTIVE, seg, nuuid);
	return 0;
}

int
nidx_active_add(const struct store *st, const char *seg, const char *nuuid,
    const char *host)
{
	char	 rel[160], dir[96];
	cJSON	*e;
	int	 rc;

	if (active_path(rel, seg, nuuid) == -1 || host == NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/%s", IDX_ACTIVE, seg);
	if (store_mkdir(st, IDX_ACTIVE) == -1 || store_mkdir(st, dir) == -1)
		return -1;
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "host", host);
	rc = store_write(st, rel, e);
	cJSON_Delete(e);
	return rc;
}

int
nidx_active_del(const struct store *st, const char *seg, const char *nuuid)
{
	char	 rel[160];

	if (active_path(rel, seg, nuuid) == -1)
		return -1;
	return store_remove(st, rel);
}

struct inuse {
	const struct store	*st;
	const char		*seg;
};

/* One entry: 1 when its host is a current host of the segment and its
 * record is active; 0 (go on); -1. */
static int
inuse_one(const char *file, void *arg)
{
	struct inuse	*iu = arg;
	char		 rel[PATH_MAX], nuuid[37];
	cJSON		*e, *n;
	const char	*host;
	int		 err, rc = 0;

	if (!store_uuid_name(file, nuuid) || !store_uuid_ok(nuuid))
		return 0;
	snprintf(rel, sizeof(rel), "%s/%s/%s", IDX_ACTIVE, iu->seg, file);
	if ((e = store_read(iu->st, rel, &err)) == NULL)
		return err ? -1 : 0;
	host = json_str(e, "host");
	if (host != NULL && store_uuid_ok(host)) {
		snprintf(rel, sizeof(rel), "ha/hosts/%s/%s.json", iu->seg,
		    host);
		rc = store_exists(iu->st, rel);
	}
	if (rc == 1) {
		n = notif_read(iu->st, nuuid, &err);
		rc = n != NULL ? (status_active(n) && strcmp(json_str(n,
		    "source_host_uuid") != NULL ? json_str(n,
		    "source_host_uuid") : "", host) == 0) : err ? -1 : 0;
		cJSON_Delete(n);
	}
	cJSON_Delete(e);
	return rc;
}

int
nidx_in_use(const struct store *st, const char *seg)
{
	struct inuse	 iu = { st, seg };
	char		 dir[96];

	if (seg == NULL || !store_uuid_ok(seg))
		return 0;
	snprintf(dir, sizeof(dir), "%s/%s", IDX_ACTIVE, seg);
	return store_scan(st, dir, inuse_one, &iu);
}

/* ---- duplicates ---- */

static int
key_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string,
	    (*(const cJSON *const *)b)->string);
}

void
nidx_dup_path(char out[96], const cJSON *rec)
{
	const cJSON	*pl = cJSON_GetObjectItemCaseSensitive(rec, "payload");
	const cJSON	*c, **keys;
	cJSON		*k, *pairs;
	struct buf	 b;
	char		 hex[65];
	size_t		 n = 0, i;

	keys = xcalloc((size_t)cJSON_GetArraySize(pl) + 1, sizeof(*keys));
	cJSON_ArrayForEach(c, pl)
		if (c->string != NULL)
			keys[n++] = c;
	qsort(keys, n, sizeof(*keys), key_cmp);
	k = cJSON_CreateArray();
	cJSON_AddItemToArray(k, cJSON_CreateString(json_str(rec,
	    "source_host_uuid") != NULL ? json_str(rec,
	    "source_host_uuid") : ""));
	cJSON_AddItemToArray(k, cJSON_CreateString(json_str(rec, "type") !=
	    NULL ? json_str(rec, "type") : ""));
	pairs = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		c = cJSON_CreateArray();
		cJSON_AddItemToArray((cJSON *)c, cJSON_CreateString(
		    keys[i]->string));
		cJSON_AddItemToArray((cJSON *)c, cJSON_Duplicate(keys[i], 1));
		cJSON_AddItemToArray(pairs, (cJSON *)c);
	}
	cJSON_AddItemToArray(k, pairs);
	buf_init(&b);
	json_write(&b, k);
	store_sha256_hex(buf_str(&b), hex);
	snprintf(out, 96, "%s/%s.json", IDX_DUP, hex);
	buf_free(&b);
	cJSON_Delete(k);
	free(keys);
}

static int
same_str(const cJSON *a, const cJSON *b, const char *key)
{
	const char	*x = json_str(a, key), *y = json_str(b, key);

	return x != NULL && y != NULL && strcmp(x, y) == 0;
}

/* The stored notification uuid: 1 when it exists and shares rec's
 * source host, type and payload; 0; -1. */
static int
dup_confirm(const struct store *st, const char *uuid, const cJSON *rec)
{
	cJSON	*n;
	int	 err, rc;

	if ((n = notif_read(st, uuid, &err)) == NULL)
		return err ? -1 : 0;
	rc = same_str(n, rec, "type") && same_str(n, rec,
	    "source_host_uuid") && cJSON_Compare(
	    cJSON_GetObjectItemCaseSensitive(n, "payload"),
	    cJSON_GetObjectItemCaseSensitive(rec, "payload"), 1);
	cJSON_Delete(n);
	return rc;
}

static cJSON *
dup_bucket(const struct store *st, const cJSON *rec, char rel[96],
    int *err)
{
	cJSON	*b;

	nidx_dup_path(rel, rec);
	if ((b = store_read(st, rel, err)) == NULL && *err)
		return NULL;
	if (b == NULL || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(b,
	    "rows"))) {
		cJSON_Delete(b);
		b = cJSON_CreateObject();
		cJSON_AddArrayToObject(b, "rows");
	}
	return b;
}

/* Row r of a bucket: its generated_time and uuid, or 0. */
static int
dup_row(const cJSON *r, const char **gt, const char **uuid)
{
	const cJSON	*g = cJSON_GetArrayItem(r, 0);
	const cJSON	*u = cJSON_GetArrayItem(r, 1);

	if (!cJSON_IsString(g) || !cJSON_IsString(u))
		return 0;
	*gt = g->valuestring;
	*uuid = u->valuestring;
	return 1;
}

int
nidx_dup_find(const struct store *st, const cJSON *rec, const char *since)
{
	char		 rel[96];
	const cJSON	*r;
	const char	*gt, *uuid;
	cJSON		*b;
	int		 err, rc = 0;

	if ((b = dup_bucket(st, rec, rel, &err)) == NULL)
		return -1;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(b, "rows")) {
		if (!dup_row(r, &gt, &uuid))
			continue;
		if (strcmp(gt, since) < 0)
			continue;	/* rows are not trusted to be sorted */
		if ((rc = dup_confirm(st, uuid, rec)) != 0)
			break;
	}
	cJSON_Delete(b);
	return rc;
}

int
nidx_dup_add(const struct store *st, const cJSON *rec)
{
	char		 rel[96];
	const cJSON	*r, *keep = NULL;
	const char	*gt, *uuid, *kgt = NULL;
	cJSON		*b, *rows, *row;
	int		 err, rc;

	if ((b = dup_bucket(st, rec, rel, &err)) == NULL)
		return -1;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(b, "rows")) {
		if (!dup_row(r, &gt, &uuid) || (kgt != NULL &&
		    strcmp(gt, kgt) <= 0))
			continue;
		if ((rc = dup_confirm(st, uuid, rec)) == -1) {
			cJSON_Delete(b);
			return -1;
		}
		if (rc == 1) {
			keep = r;
			kgt = gt;
		}
	}
	rows = cJSON_CreateArray();
	row = cJSON_CreateArray();
	cJSON_AddItemToArray(row, cJSON_CreateString(json_str(rec,
	    "generated_time")));
	cJSON_AddItemToArray(row, cJSON_CreateString(json_str(rec,
	    "notification_uuid")));
	if (keep != NULL && strcmp(kgt, json_str(rec, "generated_time")) > 0)
		cJSON_AddItemToArray(rows, cJSON_Duplicate(keep, 1));
	cJSON_AddItemToArray(rows, row);
	if (keep != NULL && cJSON_GetArraySize(rows) == 1)
		cJSON_AddItemToArray(rows, cJSON_Duplicate(keep, 1));
	cJSON_ReplaceItemInObjectCaseSensitive(b, "rows", rows);
	rc = store_write(st, rel, b);
	cJSON_Delete(b);
	return rc;
}
