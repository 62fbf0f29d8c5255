/* cgi-bin/ha-notifications.c: /v1/notifications, list and create
 * (SPEC 4.6). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
#include "ha/filter.h"
#include "ha/input.h"
#include "ha/layout.h"
#include "ha/list.h"
#include "ha/notification.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "http/app.h"

static int	notif_list(struct req *, struct resp *);
static int	notif_create(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_NOTIFICATIONS, "GET", notif_list,
	    "os_masakari_api:notifications:index", NULL, 0 },
	{ EP_HA_NOTIFICATIONS, "POST", notif_create,
	    "os_masakari_api:notifications:create", input_notification_create,
	    0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-notifications", handlers,
	    NELEM(handlers));
}

/* The views of the notifications that pass the filters. */
static cJSON *
notif_rows(const struct store *st, const struct ha_notification_filter *f,
    int *err)
{
	const cJSON	*n;
	cJSON		*recs, *rows;

	if ((recs = notification_all(st, err)) == NULL)
		return NULL;
	rows = cJSON_CreateArray();
	cJSON_ArrayForEach(n, recs)
		if (filter_notification(f, n))
			cJSON_AddItemToArray(rows, notification_view(n, 0));
	cJSON_Delete(recs);
	return rows;
}

static int
notif_list(struct req *rq, struct resp *rs)
{
	struct store			 st;
	struct list_query		 lq;
	struct ha_notification_filter	 f;
	cJSON				*rows = NULL, *page = NULL;
	int				 err, rc = -1;

	if (list_query(rq, rs, &lq) == -1 ||
	    input_notification_filter(rq, rs, &f) == -1)
		return -1;
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1 ||
	    (rows = notif_rows(&st, &f, &err)) == NULL) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if (list_page(rq, rs, &list_notifications, &lq, rows, rows,
	    &page) == -1)
		goto out;
	list_answer(rs, "notifications", page, NULL);
	rc = 0;
out:
	cJSON_Delete(page);
	cJSON_Delete(rows);
	store_close(&st);
	return rc;
}

static int
notif_payload(struct resp *rs, const struct ha_notification_in *in)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_notification_payload(in, &msg), &msg);
}

/* A new record (status new) from a body that passed the checks. */
static cJSON *
notif_record(const struct ha_notification_in *in, const cJSON *host,
    long long id, const char *uuid)
{
	cJSON	*rec = cJSON_CreateObject();
	char	 now[27];

	clock_now(now, 1);
	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, "notification_uuid", uuid);
	cJSON_AddStringToObject(rec, "generated_time", in->generated_time);
	cJSON_AddStringToObject(rec, "source_host_uuid", json_str(host,
	    "uuid"));
	cJSON_AddStringToObject(rec, "type", in->type);
	cJSON_AddItemToObject(rec, "payload", cJSON_Duplicate(in->payload,
	    1));
	cJSON_AddStringToObject(rec, "status", "new");
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
	return rec;
}

/* SPEC 4.6 after the payload: the host by name (400), on maintenance
 * (409); then, on the would-be record, duplicate (409). */
static cJSON *
notif_host(struct resp *rs, const struct store *st,
    const struct ha_notification_in *in)
{
	const char	*name = in->hostname;
	cJSON		*host;
	int		 err;

	if ((host = host_by_name(st, name, &err)) == NULL) {
		if (err)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 400, "Host with name %s could not be found.",
			    name);
		return NULL;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(host,
	    "on_maintenance"))) {
		fault(rs, 409, "Notification received from host %s of type "
		    "'%s' is ignored as the host is already under "
		    "maintenance.", name, in->type);
		cJSON_Delete(host);
		return NULL;
	}
	return host;
}

static int
notif_dup(struct resp *rs, const struct store *st, const cJSON *rec,
    const struct ha_notification_in *in)
{
	int	 r;

	if ((r = notification_duplicate(st, rec)) == 0)
		return 0;
	if (r == -1)
		return fault(rs, 500, GENERIC_500);
	return fault(rs, 409, "Notification received from host %s of type %s "
	    "is duplicate.", in->hostname, in->type);
}

static void
notif_answer(struct resp *rs, const cJSON *rec)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, "notification", notification_view(rec, 0));
	resp_json(rs, 202, doc);
	cJSON_Delete(doc);
}

static int
notif_create(struct req *rq, struct resp *rs)
{
	struct store	 st;
	const struct ha_notification_in *in = input_notification(rq);
	cJSON		*host = NULL, *rec = NULL, *id;
	char		 uuid[37];
	long long	 n;
	int		 rc = -1;

	if (notif_payload(rs, in) == -1)
		return -1;
	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_WRITE) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((host = notif_host(rs, &st, in)) == NULL)
		goto out;
	store_uuid_new(uuid);
	rec = notif_record(in, host, 0, uuid);
	if (notif_dup(rs, &st, rec, in) == -1)
		goto out;
	if (ha_dirs(&st) == -1 ||
	    (n = store_next_id(&st, HA_COUNTERS, "notification")) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	cJSON_SetNumberValue(id, (double)n);
	if (notification_create(&st, rec) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	notif_answer(rs, rec);
	rc = 0;
out:
	cJSON_Delete(rec);
	cJSON_Delete(host);
	store_close(&st);
	return rc;
}
