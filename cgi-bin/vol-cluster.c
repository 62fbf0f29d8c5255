/* cgi-bin/vol-cluster.c: /v3[/P]/clusters/{name}: GET shows a cluster,
 * PUT .../enable and .../disable change it (SPEC 3.4, 3.5). */
#include <string.h>

#include "base/util.h"
#include "http/app.h"
#include "vol/volinput.h"
#include "vol/vollog.h"

static int	cl_show(struct req *, struct resp *);
static int	cl_update(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_CLUSTER, "GET", cl_show, "clusters:get", NULL, H_MIN37 },
	{ EP_VOL_CLUSTER, "PUT", cl_update, "clusters:update", NULL,
	    H_MIN37 | H_BODY | H_NEEDBODY },
	{ EP_VOL_CLUSTER, "DELETE", NULL, NULL, NULL, 0 },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-cluster", handlers,
	    NELEM(handlers), vollog_start);
}

static int
not_found(struct resp *rs, const char *binary, const char *name)
{
	struct buf	 m;

	buf_init(&m);
	vol_not_found(&m, binary, name);
	fault_raw(rs, 404, buf_str(&m));
	buf_free(&m);
	return -1;
}

/* {"cluster": VIEW}: the detail view, or the summary + reason. */
struct answer {
	struct req	*rq;
	struct resp	*rs;
	int		 detail;
};

static int
cl_answer(const struct vol_cluster *c, void *arg)
{
	const struct answer	*a = arg;
	struct buf		*b = resp_json_text(a->rs, 200);

	buf_puts(b, "{\"cluster\": ");
	if (a->detail)
		vol_cluster_detail(b, c, &a->rq->mv);
	else
		vol_cluster_summary(b, c, &a->rq->mv, 1);
	buf_putc(b, '}');
	return 0;
}

/* The fault of an operation that did not succeed: 404 or 500. */
static int
cl_fault(struct resp *rs, enum op_rc r, const char *binary, const char *name)
{
	if (r == OP_NOT_FOUND)
		return not_found(rs, binary, name);
	return fault(rs, 500, GENERIC_500);
}

/* SPEC 3.4: ?binary= picks the binary (divergence 13). */
static int
cl_show(struct req *rq, struct resp *rs)
{
	const char	*binary = volin_cluster_binary(rq);
	struct answer	 a = { rq, rs, 1 };
	enum op_rc	 r;

	if ((r = volop_cluster_show(rq->data_dir, rq->m.arg[0], binary,
	    rq->down_time, cl_answer, &a)) != OP_OK)
		return cl_fault(rs, r, binary, rq->m.arg[0]);
	return 0;
}

/* SPEC 3.5: action, schema, lookup, update. */
static int
cl_update(struct req *rq, struct resp *rs)
{
	const char		*action = rq->m.arg[0];
	struct answer		 a = { rq, rs, 0 };
	struct vol_able_in	 in;
	enum op_rc		 r;
	int			 disable;

	disable = strcmp(action, "disable") == 0;
	if (!disable && strcmp(action, "enable") != 0)
		return fault(rs, 404, "Unknown action");
	if (volin_cluster_able(rq, rs, disable, &in) == -1)
		return -1;
	if ((r = volop_cluster_able(rq->data_dir, &in.op, rq->down_time,
	    cl_answer, &a)) != OP_OK)
		return cl_fault(rs, r, in.op.binary, in.op.name);
	return 0;
}
