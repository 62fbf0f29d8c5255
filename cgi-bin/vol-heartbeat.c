/* cgi-bin/vol-heartbeat.c: PUT /v3[/P]/os-hacgi-heartbeat, how a service
 * reports that it is alive (SPEC 3.7, a hacgi extension).
 *
 * Body: {"service": {"host": H, "binary": B, "cluster": C, "zone": Z}};
 * host and binary required; every value a string of 1-255 code points,
 * not only whitespace, without control characters.  The heartbeat time
 * is the server's clock.  A new service is created (zone "nova" unless
 * given), a missing cluster (C, B) too; cluster and zone, when given,
 * replace the stored ones; nothing else changes.  Answer: 200
 * {"service": its os-services view}.
 *
 * Who may report for what (403 otherwise, nothing changed): a token that
 * passes RULE_HB_ANY_HOST (admin) for any host, any other one for the
 * hosts it is bound to (hacgi-manage token create --host); moving an
 * existing service to another cluster or zone needs RULE_HB_MOVE
 * (admin); no heartbeat creates a service beyond MAX_SERVICES.
 */
#include <string.h>

#include "base/util.h"
#include "http/app.h"
#include "http/auth.h"
#include "vol/volinput.h"
#include "vol/vollog.h"

static int	hb_put(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_HEARTBEAT, "PUT", hb_put, "hacgi:services:heartbeat", NULL,
	    H_BODY | H_NEEDBODY },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-heartbeat", handlers,
	    NELEM(handlers), vollog_start);
}

struct out {
	struct req	*rq;
	struct buf	*b;
};

static int
hb_view(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct out	*o = arg;

	vol_service_view(o->b, db, s, &o->rq->mv);
	return 0;
}

/* The os-services view of rec, with its cluster's replication fields,
 * from the two records volop_heartbeat had in hand: after the commit
 * nothing is read (a failed read would answer 500 for a stored
 * heartbeat), and nothing is O(services) (SPEC 3.7). */
static int
hb_answer(struct req *rq, struct resp *rs, const cJSON *rec, const cJSON *cl)
{
	struct vol_db	 db;
	struct out	 o = { rq, NULL };
	int		 rc = -1;

	memset(&db, 0, sizeof(db));
	if (vol_load_records(&db, rec, cl) == 0 && db.nsvc == 1 &&
	    vol_derive(&db, rq->down_time) == 0) {
		o.b = resp_json_text(rs, 200);
		buf_puts(o.b, "{\"service\": ");
		rc = vol_svc_each(&db, hb_view, &o);
		buf_putc(o.b, '}');
	}
	vol_free(&db);
	return rc;
}

/* May this token report for host?  0, or the fault's -1. */
static int
hb_host(struct req *rq, struct resp *rs, const char *host)
{
	int	 any;

	if ((any = auth_allows(&rq->auth, rq->data_dir, rq->policy_file,
	    RULE_HB_ANY_HOST)) == -1)
		return fault(rs, 500, GENERIC_500);
	if (any || auth_host_ok(&rq->auth, host))
		return 0;
	if (rq->auth.hosts == NULL || rq->auth.hosts[0] == NULL)
		return fault(rs, 403, "This token is bound to no host: a "
		    "service token may only report for the hosts it was made "
		    "for (hacgi-manage token create ... --roles service --host "
		    "HOST).");
	return fault(rs, 403, "This token may not report for host %s.", host);
}

/* What this token may do to the services (SPEC 3.7). */
static int
hb_limits(struct req *rq, struct resp *rs, struct vol_hb *hb)
{
	int	 move;

	if ((move = auth_allows(&rq->auth, rq->data_dir, rq->policy_file,
	    RULE_HB_MOVE)) == -1)
		return fault(rs, 500, GENERIC_500);
	hb->fixed = !move;
	hb->max_services = rq->max_services;
	return 0;
}

static int
hb_refused(struct req *rq, struct resp *rs, enum op_rc why)
{
	if (why == OP_NOT_ALLOWED)
		return fault(rs, 403, "Policy doesn't allow %s to be "
		    "performed: only an admin may move a service to another "
		    "cluster or zone.", RULE_HB_MOVE);
	if (why == OP_FULL)
		return fault(rs, 403, "There are %ld services, the most "
		    "MAX_SERVICES allows: no new one (remove old ones with "
		    "hacgi-manage service remove).", rq->max_services);
	return fault(rs, 500, GENERIC_500);
}

static int
hb_put(struct req *rq, struct resp *rs)
{
	struct vol_hb	 hb;
	cJSON		*rec = NULL, *cl = NULL;
	enum op_rc	 why;
	int		 rc = -1;

	if (volin_heartbeat(rq, rs, &hb) == -1)
		return -1;
	if (hb_host(rq, rs, hb.host) == -1 || hb_limits(rq, rs, &hb) == -1)
		return -1;
	if ((why = volop_heartbeat(rq->data_dir, &hb, &rec, &cl)) != OP_OK) {
		hb_refused(rq, rs, why);
		goto out;
	}
	if (hb_answer(rq, rs, rec, cl) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(rec);
	cJSON_Delete(cl);
	return rc;
}
