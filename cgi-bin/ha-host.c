/* cgi-bin/ha-host.c: /v1/segments/{segment_id}/hosts/{host_id}, show,
 * update, delete (SPEC 4.5). */
#include "base/util.h"
#include "ha/input.h"
#include "ha/ops.h"
#include "ha/valid.h"
#include "ha/view.h"
#include "http/app.h"

static int	host_show(struct req *, struct resp *);
static int	host_update(struct req *, struct resp *);
static int	host_delete(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_HA_HOST, "GET", host_show, "os_masakari_api:os-hosts:detail",
	    NULL, 0 },
	{ EP_HA_HOST, "PUT", host_update, "os_masakari_api:os-hosts:update",
	    input_host_update, 0 },
	{ EP_HA_HOST, "DELETE", host_delete,
	    "os_masakari_api:os-hosts:delete", NULL, 0 },
};

int
main(void)
{
	return app_main(API_HA, "ha-host", handlers, NELEM(handlers));
}

/* The answers every outcome of these operations shares; verb "updated"
 * or "deleted" for a host in use (SPEC 1.3). */
static int
host_fault(struct req *rq, struct resp *rs, enum op_rc rc, const char *verb)
{
	switch (rc) {
	case OP_NOT_FOUND:
		return fault(rs, 404, "Host '%s' under failover_segment '%s' "
		    "could not be found.", rq->m.arg[1], rq->m.arg[0]);
	case OP_IN_USE:
		return fault(rs, 409, "Host %s can't be %s as it is in-use to "
		    "process notifications.", rq->m.arg[1], verb);
	default:
		return fault(rs, 500, GENERIC_500);
	}
}

/* SPEC 4.5 GET: not uuid-like -> "No host with id H.", then the lookup
 * (the segment is not checked on its own). */
static int
host_show(struct req *rq, struct resp *rs)
{
	cJSON		*rec = NULL, *seg = NULL;
	char		 canon[37];
	enum op_rc	 r;

	if (valid_uuid_like(rq->m.arg[1], canon) == -1)
		return fault(rs, 404, "No host with id %s.", rq->m.arg[1]);
	if ((r = ha_host_get(rq->data_dir, rq->m.arg[0], rq->m.arg[1], &rec,
	    &seg)) != OP_OK)
		return host_fault(rq, rs, r, NULL);
	resp_wrapped(rs, 200, "host", view_host(rec, seg));
	cJSON_Delete(rec);
	cJSON_Delete(seg);
	return 0;
}

/* SPEC 4.5 PUT after policy: lookup, in use, name; then the write. */
static int
host_update(struct req *rq, struct resp *rs)
{
	const struct ha_host_in	*in = input_host(rq);
	cJSON			*rec = NULL, *seg = NULL;
	enum op_rc		 r;
	int			 rc;

	r = ha_host_update(rq->data_dir, rq->m.arg[0], rq->m.arg[1], in, &rec,
	    &seg);
	if (r == OP_OK)
		rc = resp_wrapped(rs, 200, "host", view_host(rec, seg));
	else if (r == OP_NAME_TAKEN)
		rc = fault(rs, 409, "Host with name %s already exists.",
		    in->name);
	else
		rc = host_fault(rq, rs, r, "updated");
	cJSON_Delete(rec);
	cJSON_Delete(seg);
	return rc;
}

static int
host_delete(struct req *rq, struct resp *rs)
{
	enum op_rc	 r;

	r = ha_host_delete(rq->data_dir, rq->m.arg[0], rq->m.arg[1]);
	if (r != OP_OK)
		return host_fault(rq, rs, r, "deleted");
	resp_empty(rs, 204, "application/json");
	return 0;
}
