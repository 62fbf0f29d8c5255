/* cgi-bin/vol-clusters.c: GET /v3[/P]/clusters and .../clusters/detail,
 * the cluster lists with their filters (SPEC 3.3). */
#include "base/util.h"
#include "http/app.h"
#include "vol/volinput.h"
#include "vol/vollog.h"

static int	cl_list(struct req *, struct resp *);
static int	cl_detail(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_CLUSTERS, "GET", cl_list, "clusters:get_all", NULL,
	    H_MIN37 },
	{ EP_VOL_CLUSTERS, "POST", NULL, NULL, NULL, 0 },
	{ EP_VOL_CLUSTERS_DETAIL, "GET", cl_detail, "clusters:get_all", NULL,
	    H_MIN37 },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-clusters", handlers,
	    NELEM(handlers), vollog_start);
}

struct listing {
	struct req		*rq;
	struct resp		*rs;
	const struct vol_cluster_filter *f;
	int			 detail;
};

static int
cl_write(const struct vol_db *db, void *arg)
{
	const struct listing	*l = arg;
	struct buf		*b = resp_json_text(l->rs, 200);
	size_t			 i;
	int			 first = 1;

	vol_reserve(b, vol_views_size(db));
	buf_puts(b, "{\"clusters\": [");
	for (i = 0; i < db->ncl; i++) {
		if (!volin_cluster_match(l->f, &db->cl[i]))
			continue;
		if (!first)
			buf_puts(b, ", ");
		first = 0;
		if (l->detail)
			vol_cluster_detail(b, &db->cl[i], &l->rq->mv);
		else
			vol_cluster_summary(b, &db->cl[i], &l->rq->mv, 0);
	}
	buf_puts(b, "]}");
	return 0;
}

static int
cl_index(struct req *rq, struct resp *rs, int detail)
{
	struct vol_cluster_filter f;
	struct listing	 l = { rq, rs, &f, detail };

	if (volin_clusters(rq, rs, &f) == -1)
		return -1;
	if (volop_clusters_list(rq->data_dir, rq->down_time, cl_write, &l) !=
	    OP_OK)
		return fault(rs, 500, GENERIC_500);
	return 0;
}

static int
cl_list(struct req *rq, struct resp *rs)
{
	return cl_index(rq, rs, 0);
}

static int
cl_detail(struct req *rq, struct resp *rs)
{
	return cl_index(rq, rs, 1);
}
