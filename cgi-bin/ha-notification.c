/* cgi-bin/ha-notification.c: /v1/notifications/{id}, show (SPEC 4.6);
 * /v1/notifications/{id}/action has no method (the pipeline's 405). */
#include "base/util.h"
#include "ha/ops.h"
#include "ha/view.h"
#include "http/app.h"

static int	notif_show(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_NOTIFICATION, "GET", notif_show,
	    "os_masakari_api:notifications:detail", NULL, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-notification", handlers, NELEM(handlers));
}

/* Only the canonical uuid can match, as the reference's SQL lookup; at
 * 1.1 and later the view has recovery_workflow_details (divergence 8). */
static int
notif_show(struct req *rq, struct resp *rs)
{
	cJSON	*rec = NULL;

	switch (ha_notification_get(rq->data_dir, rq->m.arg[0], &rec)) {
	case OP_OK:
		resp_wrapped(rs, 200, "notification", view_notification(rec,
		    mv_ge(&rq->mv, 1, 1)));
		cJSON_Delete(rec);
		return 0;
	case OP_NOT_FOUND:
		return fault(rs, 404, "No notification with id %s.",
		    rq->m.arg[0]);
	default:
		return fault(rs, 500, GENERIC_500);
	}
}
