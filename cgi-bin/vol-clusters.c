/* cgi-bin/vol-clusters.c: GET /v3[/P]/clusters and .../clusters/detail,
 * the cluster lists with their filters (SPEC 3.3). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/pyrepr.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/app.h"
#include "vol/vollog.h"
#include "vol/volops.h"

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

/* The filters of a list; NULL / -1 = not given. */
struct filter {
	const char	*name, *binary, *repl, *abid;
	int		 disabled, is_up, frozen;
	long long	 num_hosts, num_down;	/* -1: matches nothing */
	int		 has_hosts, has_down;
};

static const char *const keys37[] = {
	"name", "binary", "is_up", "disabled", "num_hosts", "num_down_hosts",
};
static const char *const keys326[] = {
	"replication_status", "frozen", "active_backend_id",
};

static int
in_list(const char *k, const char *const *l, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(k, l[i]) == 0)
			return 1;
	return 0;
}

/* Check 1: every key known; unknown ones in first-appearance order. */
static int
f_keys(const struct req *rq, struct resp *rs)
{
	struct buf	 bad;
	size_t		 i, j;
	int		 rc = 0, seen;

	buf_init(&bad);
	for (i = 0; i < rq->nqp; i++) {
		const char *k = rq->qp[i].key;

		if (in_list(k, keys37, NELEM(keys37)) || (mv_ge(&rq->mv, 3,
		    26) && in_list(k, keys326, NELEM(keys326))))
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = strcmp(rq->qp[j].key, k) == 0;
		if (!seen)
			buf_printf(&bad, "%s%s", bad.len ? ", " : "", k);
	}
	if (bad.len > 0)
		rc = fault(rs, 400, "Invalid input received: Invalid filter "
		    "keys: %s", buf_str(&bad));
	buf_free(&bad);
	return rc;
}

/* oslo strutils.bool_from_string(strict=True), no trimming. */
static int
f_bool(const struct req *rq, struct resp *rs, const char *key, int *out)
{
	static const char *const yes[] = { "1", "t", "true", "on", "y",
	    "yes" };
	static const char *const no[] = { "0", "f", "false", "off", "n",
	    "no" };
	const char	*v = req_query(rq, key);
	size_t		 i;

	*out = -1;
	if (v == NULL)
		return 0;
	for (i = 0; i < NELEM(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 0;
	}
	return fault(rs, 400, "Value '%s' for '%s' is not a boolean.", v, key);
}

static int
f_int(const struct req *rq, struct resp *rs, const char *key,
    long long *out, int *has)
{
	const char	*v = req_query(rq, key);

	*has = v != NULL;
	if (v == NULL)
		return 0;
	if (py_int(v, 0, out) == -1)
		return fault(rs, 400, "%s must be an integer", key);
	if (*out < 0)
		return fault(rs, 400, "%s must be >= 0", key);
	if (*out == LLONG_MAX)
		*out = -1;	/* no cluster has that many hosts */
	return 0;
}

/* SPEC 3.3 checks 1-3, in order. */
static int
f_parse(const struct req *rq, struct resp *rs, struct filter *f)
{
	memset(f, 0, sizeof(*f));
	if (f_keys(rq, rs) == -1 ||
	    f_bool(rq, rs, "disabled", &f->disabled) == -1 ||
	    f_bool(rq, rs, "is_up", &f->is_up) == -1 ||
	    f_bool(rq, rs, "frozen", &f->frozen) == -1 ||
	    f_int(rq, rs, "num_hosts", &f->num_hosts, &f->has_hosts) == -1 ||
	    f_int(rq, rs, "num_down_hosts", &f->num_down, &f->has_down) == -1)
		return -1;
	f->name = req_query(rq, "name");
	if (f->name != NULL && *f->name == '\0')
		f->name = NULL;
	f->binary = req_query(rq, "binary");
	f->repl = req_query(rq, "replication_status");
	f->abid = req_query(rq, "active_backend_id");
	return 0;
}

/* A string filter: absent = any; a null value matches nothing. */
static int
eq_opt(const char *want, struct vraw have)
{
	return want == NULL || vol_raw_eq(have, want);
}

static int
f_match(const struct filter *f, const struct vol_cluster *c)
{
	struct vraw	 v[VC__MAX];

	if (vol_cluster_fields(c, v) == -1)
		return 0;
	return (f->name == NULL || vol_name_match(f->name, c->name)) &&
	    (f->binary == NULL || vol_str_eq(c->binary, f->binary)) &&
	    eq_opt(f->repl, v[VC_REPL]) && eq_opt(f->abid, v[VC_ABID]) &&
	    (f->is_up == -1 || f->is_up == c->up) &&
	    (f->disabled == -1 || f->disabled == vol_raw_true(v[VC_DISABLED]))
	    && (f->frozen == -1 || f->frozen == vol_raw_true(v[VC_FROZEN])) &&
	    (!f->has_hosts || f->num_hosts == c->num_hosts) &&
	    (!f->has_down || f->num_down == c->num_down_hosts);
}

struct listing {
	struct req		*rq;
	struct resp		*rs;
	const struct filter	*f;
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
		if (!f_match(l->f, &db->cl[i]))
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
	struct filter	 f;
	struct listing	 l = { rq, rs, &f, detail };

	if (f_parse(rq, rs, &f) == -1)
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
