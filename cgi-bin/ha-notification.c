/* cgi-bin/ha-notification.c: /v1/notifications/{id}, show (SPEC 4.6);
 * /v1/notifications/{id}/action has no method (the pipeline's 405). */
#include <stdlib.h>

#include "base/util.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/segment.h"
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
	struct store	 st;
	cJSON		*rec = NULL, *doc;
	int		 err, rc = -1;

	if (store_open(&st, rq->data_dir, HA_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((rec = notification_load(&st, rq->m.arg[0], &err)) == NULL) {
		if (err)
			fault(rs, 500, GENERIC_500);
		else
			fault(rs, 404, "No notification with id %s.",
			    rq->m.arg[0]);
		goto out;
	}
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "notification", notification_view(rec,
	    mv_ge(&rq->mv, 1, 1)));
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	rc = 0;
out:
	cJSON_Delete(rec);
	store_close(&st);
	return rc;
}
