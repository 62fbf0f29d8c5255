/* cgi-bin/ha-segment.c: /v1/segments/{id}, show, update, delete
 * (SPEC 4.4). */
#include "base/util.h"
#include "ha/input.h"
#include "ha/ops.h"
#include "ha/view.h"
#include "http/app.h"

static int	seg_show(struct req *, struct resp *);
static int	seg_update(struct req *, struct resp *);
static int	seg_delete(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_SEGMENT, "GET", seg_show, "os_masakari_api:segments:detail",
	    NULL, 0 },
	{ EP_HA_SEGMENT, "PUT", seg_update,
	    "os_masakari_api:segments:update", input_segment_update, 0 },
	{ EP_HA_SEGMENT, "DELETE", seg_delete,
	    "os_masakari_api:segments:delete", NULL, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-segment", handlers, NELEM(handlers));
}

/* The answers every outcome of these operations shares. */
static int
seg_fault(struct req *rq, struct resp *rs, enum op_rc rc)
{
	if (rc == OP_NOT_FOUND)
		return fault(rs, 404, "No failover segment with id %s.",
		    rq->m.arg[0]);
	return fault(rs, 500, GENERIC_500);
}

static int
seg_show(struct req *rq, struct resp *rs)
{
	cJSON		*rec;
	enum op_rc	 rc;

	if ((rc = ha_segment_get(rq->data_dir, rq->m.arg[0], &rec)) != OP_OK)
		return seg_fault(rq, rs, rc);
	resp_wrapped(rs, 200, "segment", view_segment(rec));
	cJSON_Delete(rec);
	return 0;
}

/* SPEC 4.4: lookup, in use, name taken; then the write. */
static int
seg_update(struct req *rq, struct resp *rs)
{
	const struct ha_segment_in	*in = input_segment(rq);
	cJSON				*rec = NULL;
	enum op_rc			 r;
	int				 rc;

	switch (r = ha_segment_update(rq->data_dir, rq->m.arg[0], in, &rec)) {
	case OP_OK:
		rc = resp_wrapped(rs, 200, "segment", view_segment(rec));
		break;
	case OP_IN_USE:
		rc = fault(rs, 409, "Failover segment %s can't be updated as "
		    "it is in-use to process notifications.", rq->m.arg[0]);
		break;
	case OP_NAME_TAKEN:
		rc = fault(rs, 409, "Failover segment with name %s already "
		    "exists.", in->name);
		break;
	default:
		rc = seg_fault(rq, rs, r);
	}
	cJSON_Delete(rec);
	return rc;
}

static int
seg_delete(struct req *rq, struct resp *rs)
{
	enum op_rc	 r;

	switch (r = ha_segment_delete(rq->data_dir, rq->m.arg[0])) {
	case OP_OK:
		resp_empty(rs, 204, "application/json");
		return 0;
	case OP_IN_USE:
		return fault(rs, 409, "Failover segment (%s) can't be deleted "
		    "as it is in-use to process notifications.",
		    rq->m.arg[0]);
	default:
		return seg_fault(rq, rs, r);
	}
}
