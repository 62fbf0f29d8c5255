/* cgi-bin/ha-hosts.c: /v1/segments/{segment_id}/hosts, list and create
 * (SPEC 4.5). */
#include "base/util.h"
#include "ha/input.h"
#include "ha/list.h"
#include "ha/ops.h"
#include "ha/view.h"
#include "http/app.h"

static int	host_index(struct req *, struct resp *);
static int	host_new(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_HOSTS, "GET", host_index, "os_masakari_api:os-hosts:index",
	    NULL, 0 },
	{ EP_HA_HOSTS, "POST", host_new, "os_masakari_api:os-hosts:create",
	    input_host_create, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-hosts", handlers, NELEM(handlers));
}

static int
host_no_segment(struct req *rq, struct resp *rs)
{
	return fault(rs, 404, "No failover segment with id %s.", rq->m.arg[0]);
}

/* SPEC 4.5 GET: limit; the segment (404); the boolean filters (400);
 * then 4.2 on its hosts.  The filters are read first, answered after
 * the lookup, and the hosts are read only when they are valid. */
static int
host_index(struct req *rq, struct resp *rs)
{
	struct list_query	 lq;
	struct ha_host_filter	 f;
	struct ha_hosts		 h;
	struct buf		 msg;
	cJSON			*page = NULL;
	int			 ok, rc = -1;

	if (list_query(rq, rs, &list_hosts, &lq) == -1)
		return -1;
	buf_init(&msg);
	ok = input_host_filter(rq, &f, &msg) == 0;
	switch (ha_host_list(rq->data_dir, rq->m.arg[0], ok ? &f : NULL,
	    &lq, &h)) {
	case OP_OK:
		if (!ok)
			fault_raw(rs, 400, buf_str(&msg));
		else if (list_page(rq, rs, &list_hosts, &lq, h.rows,
		    h.all != NULL ? h.all : h.rows, &page) == 0) {
			list_answer(rs, "hosts", page, NULL);
			rc = 0;
		}
		break;
	case OP_NOT_FOUND:
		host_no_segment(rq, rs);
		break;
	default:
		fault(rs, 500, GENERIC_500);
	}
	cJSON_Delete(page);
	ha_hosts_free(&h);
	buf_free(&msg);
	return rc;
}

/* SPEC 4.5 POST after policy: the segment, then the name. */
static int
host_new(struct req *rq, struct resp *rs)
{
	const struct ha_host_in	*in = input_host(rq);
	cJSON			*rec = NULL, *seg = NULL;
	int			 rc;

	switch (ha_host_create(rq->data_dir, rq->m.arg[0], in, &rec, &seg)) {
	case OP_OK:
		rc = resp_wrapped(rs, 201, "host", view_host(rec, seg));
		break;
	case OP_NOT_FOUND:
		rc = host_no_segment(rq, rs);
		break;
	case OP_NAME_TAKEN:
		rc = fault(rs, 409, "Host with name %s already exists.",
		    in->name);
		break;
	default:
		rc = fault(rs, 500, GENERIC_500);
	}
	cJSON_Delete(rec);
	cJSON_Delete(seg);
	return rc;
}
