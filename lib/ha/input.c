/* lib/ha/input.c: the Instance-HA body steps (input.h). */
#include <stdlib.h>

#include "base/util.h"
#include "ha/input.h"

/* What every body step does around its schema: a new typed struct for
 * rq, or the 400 with the schema's message. */
static void *
input_new(struct req *rq, size_t size)
{
	free(rq->in);
	rq->in = xcalloc(1, size);
	return rq->in;
}

int
input_segment_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_segment_create(rq->json, rq->mv.minor,
	    input_new(rq, sizeof(struct ha_segment_in)), &msg), &msg);
}

int
input_segment_update(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_segment_update(rq->json, rq->mv.minor,
	    input_new(rq, sizeof(struct ha_segment_in)), &msg), &msg);
}

int
input_host_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_host_create(rq->json,
	    input_new(rq, sizeof(struct ha_host_in)), &msg), &msg);
}

int
input_host_update(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_host_update(rq->json,
	    input_new(rq, sizeof(struct ha_host_in)), &msg), &msg);
}

int
input_notification_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_notification_create(rq->json,
	    input_new(rq, sizeof(struct ha_notification_in)), &msg), &msg);
}

const struct ha_segment_in *
input_segment(const struct req *rq)
{
	return rq->in;
}

const struct ha_host_in *
input_host(const struct req *rq)
{
	return rq->in;
}

const struct ha_notification_in *
input_notification(const struct req *rq)
{
	return rq->in;
}
