/*
 * lib/vol/volquery.c: the Volume query parameters through tables
 * (volinput.h): the cluster list filters in cinder-api's order of checks
 * (SPEC 3.3: the keys, the booleans, the counts), the services list
 * filters, a cluster's binary; and the filters matched against records.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "base/pyrepr.h"
#include "base/util.h"
#include "http/query.h"
#include "vol/volinput.h"
#include "vol/volscan.h"

struct keyset {
	const char *const	*keys;
	size_t			 n;
};

static const char *const keys37[] = {
	"name", "binary", "is_up", "disabled", "num_hosts", "num_down_hosts",
};
static const char *const keys326[] = {
	"replication_status", "frozen", "active_backend_id",
};
static const struct keyset cluster_keys[2] = {
	{ keys37, NELEM(keys37) }, { keys326, NELEM(keys326) },
};

static int
in_set(const char *k, const struct keyset *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(k, s->keys[i]) == 0)
			return 1;
	return 0;
}

/* Every key known (the second set from 3.26 on); the unknown ones in
 * order of first appearance. */
static int
q_keys(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	const struct keyset	*sets = f->arg;
	const char		*k;
	size_t			 i, j;
	int			 seen, bad = 0;

	(void)val;
	(void)dst;
	buf_reset(msg);
	buf_puts(msg, "Invalid input received: Invalid filter keys: ");
	for (i = 0; i < rq->nqp; i++) {
		k = rq->qp[i].key;
		if (in_set(k, &sets[0]) || (mv_ge(&rq->mv, 3, 26) &&
		    in_set(k, &sets[1])))
			continue;
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = strcmp(rq->qp[j].key, k) == 0;
		if (!seen)
			buf_printf(msg, "%s%s", bad++ ? ", " : "", k);
	}
	return bad ? -1 : 0;
}

/* oslo strutils.bool_from_string(strict=True), no trimming; -1 when
 * absent. */
static int
q_bool(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	static const char *const yes[] = { "1", "t", "true", "on", "y",
	    "yes" };
	static const char *const no[] = { "0", "f", "false", "off", "n",
	    "no" };
	int	*out = dst;
	size_t	 i;

	(void)rq;
	*out = -1;
	if (val == NULL)
		return 0;
	for (i = 0; i < NELEM(yes); i++) {
		if (strcasecmp(val, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(val, no[i]) == 0)
			return *out = 0, 0;
	}
	buf_reset(msg);
	buf_printf(msg, "Value '%s' for '%s' is not a boolean.", val, f->key);
	return -1;
}

/* Python int(), >= 0; LLONG_MAX and beyond match nothing (-1). */
static int
q_count(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	struct vol_count	*c = dst;

	(void)rq;
	c->has = val != NULL;
	c->n = 0;
	if (val == NULL)
		return 0;
	buf_reset(msg);
	if (py_int(val, 0, &c->n) == -1) {
		buf_printf(msg, "%s must be an integer", f->key);
		return -1;
	}
	if (c->n < 0) {
		buf_printf(msg, "%s must be >= 0", f->key);
		return -1;
	}
	if (c->n == LLONG_MAX)
		c->n = -1;	/* no cluster has that many hosts */
	return 0;
}

/* A string whose empty value is no filter. */
static int
q_nonempty(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	(void)f;
	(void)rq;
	(void)msg;
	*(const char **)dst = val != NULL && *val != '\0' ? val : NULL;
	return 0;
}

#define CF(m)	offsetof(struct vol_cluster_filter, m)

/* SPEC 3.3 checks 1-3, in order. */
static const struct qfield cluster_q[] = {
	{ NULL, q_keys, 0, cluster_keys },
	{ "disabled", q_bool, CF(disabled), NULL },
	{ "is_up", q_bool, CF(is_up), NULL },
	{ "frozen", q_bool, CF(frozen), NULL },
	{ "num_hosts", q_count, CF(num_hosts), NULL },
	{ "num_down_hosts", q_count, CF(num_down), NULL },
	{ "name", q_nonempty, CF(name), NULL },
	{ "binary", query_str, CF(binary), NULL },
	{ "replication_status", query_str, CF(repl), NULL },
	{ "active_backend_id", query_str, CF(abid), NULL },
};

static const struct qfield service_q[] = {
	{ "host", query_str, offsetof(struct vol_service_filter, host),
	    NULL },
	{ "binary", query_str, offsetof(struct vol_service_filter, binary),
	    NULL },
};

int
volin_clusters(const struct req *rq, struct resp *rs,
    struct vol_cluster_filter *f)
{
	memset(f, 0, sizeof(*f));
	return query_apply(rq, rs, cluster_q, NELEM(cluster_q), f);
}

int
volin_services(const struct req *rq, struct resp *rs,
    struct vol_service_filter *f)
{
	memset(f, 0, sizeof(*f));
	return query_apply(rq, rs, service_q, NELEM(service_q), f);
}

const char *
volin_cluster_binary(const struct req *rq)
{
	const char	*binary = req_query(rq, "binary");

	return binary != NULL ? binary : VOL_DEFAULT_BINARY;
}

/* ---- matching ---- */

/* A string filter: absent = any; a null value matches nothing. */
static int
eq_opt(const char *want, struct vraw have)
{
	return want == NULL || vol_raw_eq(have, want);
}

static int
count_eq(struct vol_count c, int have)
{
	return !c.has || c.n == have;
}

int
volin_cluster_match(const struct vol_cluster_filter *f,
    const struct vol_cluster *c)
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
	    count_eq(f->num_hosts, c->num_hosts) &&
	    count_eq(f->num_down, c->num_down_hosts);
}

/* Only host (SPEC 3.2; "" = no filter) and binary (exact) are read. */
int
volin_service_match(const struct vol_service_filter *f,
    const struct vol_svc *s)
{
	return (f->host == NULL || *f->host == '\0' ||
	    vol_name_match(f->host, s->host)) &&
	    (f->binary == NULL || vol_str_eq(s->binary, f->binary));
}
