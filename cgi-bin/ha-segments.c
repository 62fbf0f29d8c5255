/* cgi-bin/ha-segments.c: /v1/segments, list and create (SPEC 4.4). */
#include "base/util.h"
#include "ha/input.h"
#include "ha/list.h"
#include "ha/ops.h"
#include "ha/view.h"
#include "http/app.h"

static int	seg_list(struct req *, struct resp *);
static int	seg_create(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_SEGMENTS, "GET", seg_list, "os_masakari_api:segments:index",
	    NULL, 0 },
	{ EP_HA_SEGMENTS, "POST", seg_create,
	    "os_masakari_api:segments:create", input_segment_create, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-segments", handlers, NELEM(handlers));
}

static int
seg_list(struct req *rq, struct resp *rs)
{
	struct list_query	 lq;
	struct ha_segment_filter f;
	cJSON			*all = NULL, *rows = NULL, *page = NULL;
	int			 rc = -1;

	if (list_query(rq, rs, &list_segments, &lq) == -1 ||
	    input_segment_filter(rq, rs, &f) == -1)
		return -1;
	if (ha_segment_list(rq->data_dir, &f, &lq, &all, &rows) != OP_OK)
		fault(rs, 500, GENERIC_500);
	else if (list_page(rq, rs, &list_segments, &lq, rows, all,
	    &page) == 0) {
		list_answer(rs, "segments", page, view_segment);
		rc = 0;
	}
	cJSON_Delete(page);
	cJSON_Delete(rows);
	cJSON_Delete(all);
	return rc;
}

static int
seg_create(struct req *rq, struct resp *rs)
{
	const struct ha_segment_in	*in = input_segment(rq);
	cJSON				*rec = NULL;
	int				 rc;

	switch (ha_segment_create(rq->data_dir, in, &rec)) {
	case OP_OK:
		rc = resp_wrapped(rs, 201, "segment", view_segment(rec));
		break;
	case OP_NAME_TAKEN:
		rc = fault(rs, 409, "Failover segment with name %s already "
		    "exists.", in->name);
		break;
	default:
		rc = fault(rs, 500, GENERIC_500);
	}
	cJSON_Delete(rec);
	return rc;
}
