/* cgi-bin/vol-service.c: PUT /v3[/P]/os-services/{action}, the
 * os-services actions as cinder-api 21.3.1 answers them (reference
 * corpus-services.jsonl): enable, disable, disable-log-reason, freeze,
 * thaw, failover_host, failover (3.26+), set-log and get-log (3.32+).
 * GET and DELETE are routed but unimplemented (JSON 404).  What the
 * actions change: lib/vol/volsvc.h; the log levels:
 * lib/vol/vollog.h.
 *
 * freeze, thaw and get-log answer at once what cinder-api answers when the
 * volume services it asks are alive (the reference, with none, waits 60 s
 * and answers 500): there is no message bus to wait on here.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/util.h"
#include "http/app.h"
#include "vol/vollog.h"
#include "vol/volsvc.h"
#include "vol/volsvccheck.h"

struct action;
typedef int	(*action_fn)(struct req *, struct resp *,
		    const struct action *, const struct volsvc_in *);

static int	svc_action(struct req *, struct resp *);
static int	act_able(struct req *, struct resp *, const struct action *,
		    const struct volsvc_in *);
static int	act_repl(struct req *, struct resp *, const struct action *,
		    const struct volsvc_in *);
static int	act_log(struct req *, struct resp *, const struct action *,
		    const struct volsvc_in *);

static const struct handler handlers[] = {
	{ EP_VOL_SERVICE, "GET", NULL, NULL, NULL, 0 },
	{ EP_VOL_SERVICE, "PUT", svc_action,
	    "volume_extension:services:update", NULL, H_BODY | H_NEEDBODY },
	{ EP_VOL_SERVICE, "DELETE", NULL, NULL, NULL, 0 },
};

/* Where cinder reads "cluster" (common.get_cluster_host). */
enum clusterv { CL_NEVER, CL_326, CL_ALWAYS };

static const struct action {
	const char		*name;
	int			 minor;	/* from 3.minor on */
	action_fn		 fn;
	enum volsvc_body	 body;
	int			 op;	/* volsvc_op; able: disabled */
	enum clusterv		 cluster;
	const char		*rule;	/* the volume API's own policy */
} actions[] = {
	{ "enable", 0, act_able, VSB_ABLE, 0, CL_NEVER, NULL },
	{ "disable", 0, act_able, VSB_ABLE, 1, CL_NEVER, NULL },
	{ "disable-log-reason", 0, act_able, VSB_REASON, 1, CL_NEVER, NULL },
	{ "freeze", 0, act_repl, VSB_FREEZE, VOLSVC_FREEZE, CL_326,
	    "volume:freeze_host" },
	{ "thaw", 0, act_repl, VSB_FREEZE, VOLSVC_THAW, CL_326,
	    "volume:thaw_host" },
	{ "failover_host", 0, act_repl, VSB_FAILOVER, VOLSVC_FAILOVER,
	    CL_NEVER, "volume:failover_host" },
	{ "failover", 26, act_repl, VSB_FAILOVER, VOLSVC_FAILOVER, CL_ALWAYS,
	    "volume:failover_host" },
	{ "set-log", 32, act_log, VSB_SET_LOG, 1, CL_NEVER, NULL },
	{ "get-log", 32, act_log, VSB_GET_LOG, 0, CL_NEVER, NULL },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-service", handlers,
	    NELEM(handlers), vollog_start);
}

/* ---- helpers ---- */

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static int
answer_rc(struct resp *rs, enum op_rc rc, struct buf *m)
{
	switch (rc) {
	case OP_OK:
		return 0;
	case OP_INVALID:
		return fault_raw(rs, 400, buf_str(m));
	default:
		return fault(rs, 500, GENERIC_500);
	}
}

/* webob.Response(status_int=202) as cinder returns it: no body, webob's
 * default type, and none of the wsgi layer's headers. */
static void
accepted(struct resp *rs)
{
	resp_text(rs, 202, "text/html; charset=UTF-8", "");
	resp_ids(rs, RESP_REQID);
}

/* ---- enable, disable, disable-log-reason ---- */

static void
able_answer(struct resp *rs, const struct volsvc_in *in,
    const struct action *a, const char *host, const char *reason)
{
	cJSON	*doc = cJSON_CreateObject();

	if (a->body == VSB_REASON)
		cJSON_AddItemToObject(doc, "disabled_reason", reason != NULL ?
		    cJSON_CreateString(reason) : cJSON_CreateNull());
	cJSON_AddBoolToObject(doc, "disabled", a->op);
	cJSON_AddStringToObject(doc, "host", host);
	cJSON_AddStringToObject(doc, "service", or_empty(in->service));
	cJSON_AddStringToObject(doc, "binary", or_empty(in->binary));
	cJSON_AddStringToObject(doc, "status", a->op ? "disabled" : "enabled");
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
}

/* The service is (host, binary or else service), the first one the host
 * matches (SPEC 3.2); enable keeps the reason. */
static int
act_able(struct req *rq, struct resp *rs, const struct action *a,
    const struct volsvc_in *in)
{
	struct volsvc_able	 o;

	memset(&o, 0, sizeof(o));
	if ((o.host = in->host) == NULL || *o.host == '\0')
		return fault(rs, 400, "Invalid input received: Host field is "
		    "missing.");
	o.binary = in->binary != NULL ? in->binary : in->service;
	o.disabled = a->op;
	o.with_reason = a->body == VSB_REASON;
	o.reason = in->disabled_reason;
	switch (volsvc_able(rq->data_dir, &o)) {
	case OP_OK:
		able_answer(rs, in, a, o.host, o.reason);
		return 0;
	case OP_NOT_FOUND:
		return fault(rs, 404, "Service %s could not be found on host "
		    "%s.", o.binary, o.host);
	default:
		return fault(rs, 500, GENERIC_500);
	}
}

/* ---- freeze, thaw, failover_host, failover ---- */

/* cinder's get_cluster_host: one and only one of them. */
static int
cluster_host(struct req *rq, struct resp *rs, const struct action *a,
    const struct volsvc_in *in, struct volsvc_repl *o)
{
	int	 with = a->cluster == CL_ALWAYS ||
		    (a->cluster == CL_326 && mv_ge(&rq->mv, 3, 26));

	o->host = in->host;
	o->cluster = with ? in->cluster : NULL;
	if (o->host != NULL && *o->host == '\0')
		o->host = NULL;
	if (o->cluster != NULL && *o->cluster == '\0')
		o->cluster = NULL;
	if ((o->host != NULL) == (o->cluster != NULL))
		return fault(rs, 400, "Invalid input received: %s", with ?
		    "One and only one of cluster and host must be set." :
		    "Host field is missing.");
	return 0;
}

static int
act_repl(struct req *rq, struct resp *rs, const struct action *a,
    const struct volsvc_in *in)
{
	struct volsvc_repl	 o;
	struct buf		 m;
	int			 ok, rc;

	memset(&o, 0, sizeof(o));
	if (cluster_host(rq, rs, a, in, &o) == -1)
		return -1;
	if ((ok = auth_allows(&rq->auth, rq->data_dir, rq->policy_file,
	    a->rule)) != 1)
		return ok == -1 ? fault(rs, 500, GENERIC_500) : fault(rs, 403,
		    "Policy doesn't allow %s to be performed.", a->rule);
	o.op = (enum volsvc_op)a->op;
	o.down_time = rq->down_time;
	buf_init(&m);
	rc = answer_rc(rs, volsvc_replicate(rq->data_dir, &o, &m), &m);
	buf_free(&m);
	if (rc == -1)
		return -1;
	if (o.op == VOLSVC_FAILOVER)
		accepted(rs);
	else
		resp_json(rs, 200, NULL);	/* an empty 200 */
	return 0;
}

/* ---- set-log, get-log ---- */

static void
log_req(struct req *rq, const struct volsvc_in *in, struct vollog_req *o,
    char *host, size_t hostsz)
{
	memset(o, 0, sizeof(*o));
	o->binary = in->binary;
	o->server = in->server;
	o->prefix = in->prefix;
	o->level = vollog_level_name(in->level);
	o->down_time = rq->down_time;
	if (rq->api_host != NULL)
		o->api_host = rq->api_host;
	else if (gethostname(host, hostsz - 1) == 0) {
		host[hostsz - 1] = '\0';
		o->api_host = host;
	} else
		o->api_host = "localhost";
}

static int
act_log(struct req *rq, struct resp *rs, const struct action *a,
    const struct volsvc_in *in)
{
	struct vollog_req	 o;
	char			 host[HOST_NAME_MAX + 1];
	cJSON			*doc, *levels;

	log_req(rq, in, &o, host, sizeof(host));
	if (a->op && vollog_names_api(&o) && o.level == NULL)
		return fault(rs, 400, "Invalid input received:  is not a "
		    "valid log level.");	/* no level: None */
	if (a->op) {
		if (vollog_set(rq->data_dir, &o) != OP_OK)
			return fault(rs, 500, GENERIC_500);
		accepted(rs);
		return 0;
	}
	if ((levels = vollog_get(rq->data_dir, &o)) == NULL)
		return fault(rs, 500, GENERIC_500);
	doc = cJSON_CreateObject();
	cJSON_AddItemToObject(doc, "log_levels", levels);
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	return 0;
}

/* ---- the action ---- */

/* cinder's ServiceController.update: the action by name and version,
 * else "Unknown action" (any other name or case, or too early); then
 * its body. */
static int
svc_action(struct req *rq, struct resp *rs)
{
	const struct action	*a;
	struct volsvc_in	 in;
	size_t			 i;

	for (i = 0; i < NELEM(actions); i++) {
		a = &actions[i];
		if (strcmp(rq->m.arg[0], a->name) != 0 ||
		    !mv_ge(&rq->mv, 3, a->minor))
			continue;
		if (volsvc_input(rq, rs, a->body, &in) == -1)
			return -1;
		return a->fn(rq, rs, a, &in);
	}
	return fault(rs, 400, "Invalid input received: Unknown action");
}
