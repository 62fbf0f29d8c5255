/* cgi-bin/ha-notifications.c: /v1/notifications, list and create
 * (SPEC 4.6). */
#include "base/util.h"
#include "ha/input.h"
#include "ha/list.h"
#include "ha/ops.h"
#include "ha/valid.h"
#include "ha/view.h"
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

static int
notif_list(struct req *rq, struct resp *rs)
{
	struct list_query		 lq;
	struct ha_notification_filter	 f;
	cJSON				*rows = NULL, *page = NULL;
	int				 rc = -1;

	if (list_query(rq, rs, &list_notifications, &lq) == -1 ||
	    input_notification_filter(rq, rs, &f) == -1)
		return -1;
	if (ha_notification_list(rq->data_dir, &f, &lq, &rows) != OP_OK)
		fault(rs, 500, GENERIC_500);
	else if (list_page(rq, rs, &list_notifications, &lq, rows, rows,
	    &page) == 0) {
		list_answer(rs, "notifications", page, NULL);
		rc = 0;
	}
	cJSON_Delete(page);
	cJSON_Delete(rows);
	return rc;
}

/* SPEC 4.6 after policy: the payload by type (400); then the host by
 * name (400), on maintenance (409), duplicate (409). */
static int
notif_create(struct req *rq, struct resp *rs)
{
	const struct ha_notification_in	*in = input_notification(rq);
	struct buf			 msg;
	cJSON				*rec = NULL;
	int				 rc;

	buf_init(&msg);
	if (app_invalid(rs, valid_notification_payload(in, &msg), &msg) == -1)
		return -1;
	switch (ha_notification_create(rq->data_dir, in, &rec)) {
	case OP_OK:
		rc = resp_wrapped(rs, 202, "notification",
		    view_notification(rec, 0));
		break;
	case OP_NOT_FOUND:
		rc = fault(rs, 400, "Host with name %s could not be found.",
		    in->hostname);
		break;
	case OP_MAINTENANCE:
		rc = fault(rs, 409, "Notification received from host %s of "
		    "type '%s' is ignored as the host is already under "
		    "maintenance.", in->hostname, in->type);
		break;
	case OP_DUPLICATE:
		rc = fault(rs, 409, "Notification received from host %s of "
		    "type %s is duplicate.", in->hostname, in->type);
		break;
	default:
		rc = fault(rs, 500, GENERIC_500);
	}
	cJSON_Delete(rec);
	return rc;
}
