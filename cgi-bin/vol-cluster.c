/* cgi-bin/vol-cluster.c: /v3[/P]/clusters/{name}: GET shows a cluster,
 * PUT .../enable and .../disable change it (SPEC 3.4, 3.5). */
#include <stdlib.h>
#include <string.h>

#include "base/unicode.h"
#include "base/util.h"
#include "http/app.h"
#include "vol/vollog.h"
#include "vol/volops.h"

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
	const char	*binary = req_query(rq, "binary");
	struct answer	 a = { rq, rs, 1 };
	enum op_rc	 r;

	if (binary == NULL)
		binary = VOL_DEFAULT_BINARY;
	if ((r = volop_cluster_show(rq->data_dir, rq->m.arg[0], binary,
	    rq->down_time, cl_answer, &a)) != OP_OK)
		return cl_fault(rs, r, binary, rq->m.arg[0]);
	return 0;
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

/* What the PUT asks for, once the body passed; returns ch->reason, the
 * caller's to free. */
static char *
cl_change(const cJSON *body, int disable, struct volop_able *ch)
{
	const cJSON	*b, *r;
	char		*reason;

	ch->name = cJSON_GetObjectItemCaseSensitive(body, "name")->valuestring;
	b = cJSON_GetObjectItemCaseSensitive(body, "binary");
	ch->binary = b == NULL ? VOL_DEFAULT_BINARY : cJSON_GetStringValue(b);
	ch->disable = disable;
	r = cJSON_GetObjectItemCaseSensitive(body, "disabled_reason");
	reason = disable && cJSON_IsString(r) ? vol_strip(r->valuestring) :
	    NULL;
	ch->reason = reason;
	return reason;
}

/* SPEC 3.5: action, schema, lookup, update. */
static int
cl_update(struct req *rq, struct resp *rs)
{
	const char	*action = rq->m.arg[0];
	struct answer	 a = { rq, rs, 0 };
	struct volop_able ch;
	struct buf	 m;
	char		*reason;
	enum op_rc	 r;
	int		 disable, rc = 0;

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
	reason = cl_change(rq->json, disable, &ch);
	if ((r = volop_cluster_able(rq->data_dir, &ch, rq->down_time,
	    cl_answer, &a)) != OP_OK)
		rc = cl_fault(rs, r, ch.binary, ch.name);
	free(reason);
	return rc;
}
