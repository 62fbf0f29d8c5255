/* cgi-bin/vol-cluster.c: /v3[/P]/clusters/{name}: GET shows a cluster,
 * PUT .../enable and .../disable change it (SPEC 3.4, 3.5). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/app.h"
#include "vol/vollog.h"
#include "vol/volume.h"

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

/* Load everything and find the first cluster matching name (SPEC 3.2). */
static long
cl_find(const struct req *rq, struct resp *rs, const struct store *st,
    struct vol_db *db, const char *name, const char *binary)
{
	long	 i;

	if (vol_load(st, VOL_SERVICES | VOL_CLUSTERS, db) == -1 ||
	    vol_derive(db, rq->down_time) == -1)
		return fault(rs, 500, GENERIC_500);
	if ((i = vol_cluster_find(db, name, binary)) < 0)
		return not_found(rs, binary, name);
	return i;
}

/* {"cluster": VIEW}: the detail view, or the summary + reason. */
static void
cl_answer(struct req *rq, struct resp *rs, const struct vol_cluster *c,
    int detail)
{
	struct buf	*b = resp_json_text(rs, 200);

	buf_puts(b, "{\"cluster\": ");
	if (detail)
		vol_cluster_detail(b, c, &rq->mv);
	else
		vol_cluster_summary(b, c, &rq->mv, 1);
	buf_putc(b, '}');
}

/* SPEC 3.4: ?binary= picks the binary (divergence 13). */
static int
cl_show(struct req *rq, struct resp *rs)
{
	const char	*binary = req_query(rq, "binary");
	struct store	 st;
	struct vol_db	 db;
	long		 i;
	int		 rc = -1;

	memset(&db, 0, sizeof(db));
	if (binary == NULL)
		binary = VOL_DEFAULT_BINARY;
	if (store_open(&st, rq->data_dir, VOL_LOCK, STORE_READ) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	if ((i = cl_find(rq, rs, &st, &db, rq->m.arg[0], binary)) < 0)
		goto out;
	cl_answer(rq, rs, &db.cl[i], 1);
	rc = 0;
out:
	vol_free(&db);
	store_close(&st);
	return rc;
}

/* cinder's disabled_reason format: "" or 1-255 once stripped. */
static int
reason_ok(const cJSON *reason)
{
	char	*t;
	size_t	 n;

	if (!cJSON_IsString(reason) || *reason->valuestring == '\0')
		return 1;
	t = vol_strip(reason->valuestring);
	n = utf8_count(t);
	free(t);
	return n >= 1 && n <= VOL_NAME_MAX;
}

/* The body of PUT enable/disable (SPEC 3.5), in jsonschema's order. */
static int
cl_schema(const cJSON *body, int disable, struct buf *m)
{
	static const char *const keys[] = {
		"name", "binary", "disabled_reason",
	};
	const cJSON	*name, *reason;

	if (vol_check_object(m, body) == -1)
		return -1;
	name = cJSON_GetObjectItemCaseSensitive(body, "name");
	if (vol_check_str(m, "name", name, 0, 1, VOL_NAME_MAX) == -1 ||
	    (name != NULL && vol_check_blank(m, "name", name->valuestring)) ||
	    vol_check_str(m, "binary", cJSON_GetObjectItemCaseSensitive(body,
	    "binary"), 1, 0, VOL_NAME_MAX) == -1)
		return -1;
	reason = cJSON_GetObjectItemCaseSensitive(body, "disabled_reason");
	if (disable && (vol_check_str(m, "disabled_reason", reason, 1, 0,
	    SIZE_MAX) == -1 || (!reason_ok(reason) && vol_check_format(m,
	    "disabled_reason", reason, "disabled_reason") == -1)))
		return -1;
	if (vol_check_required(m, body, keys, 1) == -1 ||
	    vol_check_extra(m, body, keys, disable ? 3 : 2) == -1)
		return -1;
	return 0;
}

/* What the PUT asks for, once the body passed. */
struct change {
	const char	*name;
	const char	*binary;	/* NULL: any binary */
	int		 disable;
	char		*reason;	/* owned; NULL = null */
};

static void
cl_change(const cJSON *body, int disable, struct change *ch)
{
	const cJSON	*b, *r;

	ch->name = cJSON_GetObjectItemCaseSensitive(body, "name")->valuestring;
	b = cJSON_GetObjectItemCaseSensitive(body, "binary");
	ch->binary = b == NULL ? VOL_DEFAULT_BINARY : cJSON_GetStringValue(b);
	ch->disable = disable;
	r = cJSON_GetObjectItemCaseSensitive(body, "disabled_reason");
	ch->reason = disable && cJSON_IsString(r) ? vol_strip(r->valuestring) :
	    NULL;
}

/* Change the record file of c; answer with the changed record. */
static int
cl_apply(struct req *rq, struct resp *rs, const struct store *st,
    const struct vol_cluster *c, const struct change *ch)
{
	struct vol_db	 one;
	cJSON		*old, *rec = NULL;
	char		*name = xstrndup(c->name.p, c->name.n);
	char		*binary = xstrndup(c->binary.p, c->binary.n);
	char		 now[27];
	int		 err, rc = -1;

	memset(&one, 0, sizeof(one));
	if ((old = vol_cluster_get(st, name, binary, &err)) == NULL)
		goto out;
	clock_format(clock_now_us(), now);
	rec = cJSON_Duplicate(old, 1);
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "disabled",
	    cJSON_CreateBool(ch->disable));
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "disabled_reason",
	    ch->reason != NULL ? cJSON_CreateString(ch->reason) :
	    cJSON_CreateNull());
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "updated_at",
	    cJSON_CreateString(now));
	if (vol_cluster_put(st, rec) == -1 ||
	    vol_load_records(&one, NULL, rec) == -1 || one.ncl != 1)
		goto out;
	one.cl[0].up = c->up;	/* services are untouched */
	cl_answer(rq, rs, &one.cl[0], 0);
	rc = 0;
out:
	vol_free(&one);
	cJSON_Delete(rec);
	cJSON_Delete(old);
	free(name);
	free(binary);
	return rc;
}

/*
 * Find under the shared lock first: a request that changes nothing
 * (404) leaves DATA_DIR untouched; then again under the exclusive lock.
 */
static int
cl_write(struct req *rq, struct resp *rs, const struct change *ch)
{
	struct store	 st;
	struct vol_db	 db;
	long		 i = -1;
	int		 rc = -1, pass;

	memset(&db, 0, sizeof(db));
	for (pass = 0; pass < 2; pass++) {
		if (store_open(&st, rq->data_dir, VOL_LOCK, pass == 0 ?
		    STORE_READ : STORE_WRITE) == -1) {
			fault(rs, 500, GENERIC_500);
			goto out;
		}
		if ((i = cl_find(rq, rs, &st, &db, ch->name, ch->binary)) < 0)
			goto out;
		if (pass == 1)
			break;
		vol_free(&db);
		store_close(&st);
	}
	if (cl_apply(rq, rs, &st, &db.cl[i], ch) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rc = 0;
out:
	vol_free(&db);
	store_close(&st);
	return rc;
}

/* SPEC 3.5: action, schema, lookup, update. */
static int
cl_update(struct req *rq, struct resp *rs)
{
	const char	*action = rq->m.arg[0];
	struct change	 ch;
	struct buf	 m;
	int		 disable, rc;

	disable = strcmp(action, "disable") == 0;
	if (!disable && strcmp(action, "enable") != 0)
		return fault(rs, 404, "Unknown action");
	buf_init(&m);
	if (cl_schema(rq->json, disable, &m) == -1) {
		fault_raw(rs, 400, buf_str(&m));
		buf_free(&m);
		return -1;
	}
	buf_free(&m);
	cl_change(rq->json, disable, &ch);
	rc = cl_write(rq, rs, &ch);
	free(ch.reason);
	return rc;
}
