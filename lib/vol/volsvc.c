/* lib/vol/volsvc.c: the os-services actions on the Volume store: what
 * they change and why in volsvc.h; the records in volume.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/pyrepr.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volsvc.h"

#define FAILING_OVER	"failing-over"

static const char *const repl_keys[] = {
	"replication_status", "frozen", "active_backend_id",
};

/* The replication values of rec (a cluster or a service record), SPEC
 * 1.2's defaults where it has none. */
static cJSON *
repl_of(const cJSON *rec)
{
	const cJSON	*v;
	cJSON		*r = cJSON_CreateObject();
	size_t		 i;

	if (cJSON_GetObjectItemCaseSensitive(rec, repl_keys[0]) == NULL) {
		cJSON_AddStringToObject(r, repl_keys[0], "not-capable");
		cJSON_AddFalseToObject(r, repl_keys[1]);
		cJSON_AddNullToObject(r, repl_keys[2]);
		return r;
	}
	for (i = 0; i < NELEM(repl_keys); i++) {
		v = cJSON_GetObjectItemCaseSensitive(rec, repl_keys[i]);
		cJSON_AddItemToObject(r, repl_keys[i], v != NULL ?
		    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return r;
}

static void
repl_put(cJSON *rec, const cJSON *r)
{
	size_t	 i;

	for (i = 0; i < NELEM(repl_keys); i++)
		vol_set(rec, repl_keys[i], cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(r, repl_keys[i]), 1));
}

/* ---- the cinder-volume services, from the journals ---- */

struct vsvc {
	char	*host;		/* owned */
	char	*cluster;	/* owned; NULL: none */
	long	 cl;		/* its cluster's index in the db, or -1 */
	int	 up;		/* cinder's Service.is_up: heartbeat recent */
	cJSON	*own;		/* owned: its own values (no cluster) */
};

struct vset {
	struct vsvc	*v;
	size_t		 n;
};

static cJSON *
raw_json(struct vraw r)
{
	int	 err;

	return r.p != NULL ? json_parse(r.p, r.n, &err) : NULL;
}

/* A service's own values, from its line; NULL while it has none. */
static cJSON *
own_values(const struct vol_svc *s)
{
	cJSON	*rec;

	if (s->f[VS_REPL].p == NULL)
		return NULL;
	rec = cJSON_CreateObject();
	cJSON_AddItemToObject(rec, repl_keys[0], raw_json(s->f[VS_REPL]));
	cJSON_AddItemToObject(rec, repl_keys[1], raw_json(s->f[VS_FROZEN]));
	cJSON_AddItemToObject(rec, repl_keys[2], raw_json(s->f[VS_ABID]));
	return rec;
}

static int
vset_one(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct vset	*vs = arg;
	struct vsvc	*v;
	int64_t		 floor_us = db->now_us - (int64_t)db->down_time *
			    1000000;

	if (!vol_str_eq(s->binary, VOL_DEFAULT_BINARY))
		return 0;
	vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	v = &vs->v[vs->n++];
	v->host = xstrndup(s->host.p, s->host.n);
	v->cluster = s->cluster.p != NULL ? xstrndup(s->cluster.p,
	    s->cluster.n) : NULL;
	v->cl = s->cl;
	v->up = s->hb_us != INT64_MIN && s->hb_us >= floor_us;
	v->own = own_values(s);
	return 0;
}

static void
vset_free(struct vset *vs)
{
	size_t	 i;

	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].host);
		free(vs->v[i].cluster);
		cJSON_Delete(vs->v[i].own);
	}
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

/* A cluster's record, parsed from its journal line. */
static cJSON *
cluster_rec(const struct vol_db *db, long cl)
{
	const struct vol_cluster	*c = &db->cl[cl];
	int				 err;

	return json_parse(c->line, c->len, &err);
}

/* ---- the rule of each action ---- */

struct rule {
	const char	*field;
	int		 check_up;
	const char	*expected;	/* as cinder prints them */
	int		(*ok)(const cJSON *);	/* an expected value */
	cJSON		*(*next)(void);		/* the new value */
};

static int
is_false(const cJSON *v)
{
	return cJSON_IsFalse(v);
}

static int
is_true(const cJSON *v)
{
	return cJSON_IsTrue(v);
}

static int
may_fail_over(const cJSON *v)
{
	const char	*s = cJSON_GetStringValue(v);

	return s != NULL && (strcmp(s, "enabled") == 0 ||
	    strcmp(s, "failed-over") == 0);
}

static int
is_failing_over(const cJSON *v)
{
	const char	*s = cJSON_GetStringValue(v);

	return s != NULL && strcmp(s, FAILING_OVER) == 0;
}

static cJSON *
new_true(void)
{
	return cJSON_CreateTrue();
}

static cJSON *
new_false(void)
{
	return cJSON_CreateFalse();
}

static cJSON *
new_failing_over(void)
{
	return cJSON_CreateString(FAILING_OVER);
}

/* cinder/volume/api.py: freeze_host, thaw_host, failover. */
static const struct rule rules[] = {
	[VOLSVC_FREEZE] = { "frozen", 0, "False", is_false, new_true },
	[VOLSVC_THAW] = { "frozen", 0, "True", is_true, new_false },
	[VOLSVC_FAILOVER] = { "replication_status", 1,
	    "['enabled', 'failed-over']", may_fail_over, new_failing_over },
	[VOLSVC_FAILOVER_DONE] = { "replication_status", 0, "",
	    is_failing_over, NULL },
};

/* The values r take when rule changes them. */
static void
rule_apply(const struct volsvc_repl *op, const struct rule *ru, cJSON *r)
{
	int	 back;

	if (op->op != VOLSVC_FAILOVER_DONE) {
		vol_set(r, ru->field, ru->next());
		return;
	}
	back = strcmp(op->backend_id, "default") == 0;
	vol_set(r, "replication_status", cJSON_CreateString(back ?
	    "enabled" : "failed-over"));
	vol_set(r, "active_backend_id", vol_str_or_null(back ? NULL :
	    op->backend_id));
}

/* InvalidInput: "FIELD in WHO must be EXPECTED [and must be up ]to
 * failover.", after what; cinder says "to failover" for freeze too. */
static void
rule_msg(struct buf *m, const char *what, const struct rule *ru,
    const char *who)
{
	buf_printf(m, "Invalid input received: %s%s in %s must be %s "
	    "%sto failover.", what, ru->field, who, ru->expected,
	    ru->check_up ? "and must be up " : "");
}

/* ---- which services an action names (cinder's
 * _get_cluster_and_services_for_replication) ---- */

struct plan {
	long	 cl;		/* the cluster to write, or -1 */
	char	*host;		/* else the one service to write (owned) */
	cJSON	*repl;		/* owned: its new values */
	cJSON	*members;	/* owned: the cluster's new "members", NULL:
				   no member differs */
	int	 changed;	/* members (services) that changed */
};

static enum op_rc
invalid(struct buf *m, const char *fmt, const char *arg)
{
	buf_printf(m, fmt, arg);
	return OP_INVALID;
}

static int
names(const struct volsvc_repl *op, const struct vsvc *v)
{
	struct vstr	 s;

	if (op->host != NULL) {
		s.p = v->host;
		s.n = strlen(v->host);
	} else if (v->cluster != NULL) {
		s.p = v->cluster;
		s.n = strlen(v->cluster);
	} else
		return 0;
	return vol_name_match(op->host != NULL ? op->host : op->cluster, s);
}

/* The first named service (*first), after checking that all the named
 * ones are one host or one cluster. */
static enum op_rc
targets(const struct vset *vs, const struct volsvc_repl *op, size_t *first,
    struct buf *m)
{
	const struct vsvc	*f = NULL;
	size_t			 i;

	for (i = 0; i < vs->n; i++) {
		if (!names(op, &vs->v[i]))
			continue;
		if (f == NULL) {
			f = &vs->v[i];
			*first = i;
		} else if (op->host != NULL ? strcmp(vs->v[i].host, f->host) :
		    strcmp(vs->v[i].cluster, f->cluster))
			return invalid(m, "%s", "Services from different "
			    "clusters found.");
	}
	if (f == NULL)
		return op->host != NULL ? invalid(m, "No service found with "
		    "host=%s", op->host) : invalid(m, "No service found with "
		    "cluster=%s", op->cluster);
	if (op->cluster != NULL && f->cl < 0) {
		log_warn("service %s: its cluster %s is missing (run "
		    "hacgi-manage fsck)", f->host, f->cluster);
		return OP_IO;
	}
	return OP_OK;
}

/* ---- the change ---- */

/* A member's values: the cluster lists it, or it has the cluster's. */
static cJSON *
member_values(const cJSON *members, const char *host, const cJSON *rc)
{
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(members, host);

	return cJSON_Duplicate(cJSON_IsObject(m) ? m : rc, 1);
}

/* Change one service's values r (owned) if the rule lets it: 1 if it
 * changed; the hosts that could not go to refused. */
static int
member_change(const struct volsvc_repl *op, const struct rule *ru,
    const struct vsvc *v, cJSON *r, struct buf *refused)
{
	if ((!ru->check_up || v->up) &&
	    ru->ok(cJSON_GetObjectItemCaseSensitive(r, ru->field))) {
		rule_apply(op, ru, r);
		return 1;
	}
	buf_puts(refused, refused->len > 0 ? ", " : "[");
	pyrepr_str(refused, v->host);
	return 0;
}

/* Every member of cluster cl (or the one service first) under the rule;
 * plan->members gets those that differ from the cluster's new values. */
static void
members_change(const struct vset *vs, size_t first, const cJSON *old,
    const cJSON *rc_old, const struct volsvc_repl *op, struct plan *pl,
    struct buf *refused)
{
	const struct rule	*ru = &rules[op->op];
	cJSON			*r;
	size_t			 i;

	for (i = 0; i < vs->n; i++) {
		if (pl->cl >= 0 ? vs->v[i].cl != pl->cl : i != first)
			continue;
		if (pl->cl < 0)
			r = vs->v[i].own != NULL ? cJSON_Duplicate(
			    vs->v[i].own, 1) : repl_of(NULL);
		else
			r = member_values(old, vs->v[i].host, rc_old);
		pl->changed += member_change(op, ru, &vs->v[i], r, refused);
		if (pl->cl < 0) {
			pl->repl = r;
			continue;
		}
		if (!cJSON_Compare(r, pl->repl, 1)) {
			if (pl->members == NULL)
				pl->members = cJSON_CreateObject();
			cJSON_AddItemToObject(pl->members, vs->v[i].host, r);
		} else
			cJSON_Delete(r);
	}
}

/* The cluster's own check and new values (plan->repl). */
static enum op_rc
cluster_change(const struct vol_db *db, const cJSON *rc,
    const struct volsvc_repl *op, struct plan *pl, struct buf *m)
{
	const struct rule		*ru = &rules[op->op];
	const struct vol_cluster	*c = &db->cl[pl->cl];
	char				*name;
	int				 ok;

	ok = (!ru->check_up || c->up) &&
	    ru->ok(cJSON_GetObjectItemCaseSensitive(rc, ru->field));
	pl->repl = cJSON_Duplicate(rc, 1);
	if (ok) {
		rule_apply(op, ru, pl->repl);
		return OP_OK;
	}
	if (op->op == VOLSVC_FAILOVER_DONE)
		return OP_OK;	/* its members may still be */
	name = xstrndup(c->name.p, c->name.n);
	rule_msg(m, "", ru, name);
	free(name);
	return OP_INVALID;
}

static void
plan_free(struct plan *pl)
{
	free(pl->host);
	cJSON_Delete(pl->repl);
	cJSON_Delete(pl->members);
	memset(pl, 0, sizeof(*pl));
	pl->cl = -1;
}

static enum op_rc
refuse_all(const struct volsvc_repl *op, struct buf *refused,
    struct buf *m)
{
	buf_putc(refused, ']');
	if (op->op == VOLSVC_FAILOVER_DONE)
		return invalid(m, "%s", "nothing is failing over there");
	rule_msg(m, "No service could be changed: ", &rules[op->op],
	    buf_str(refused));
	return OP_INVALID;
}

/* What the action changes, or why it is refused (m). */
static enum op_rc
plan_make(const struct vol_db *db, const struct vset *vs,
    const struct volsvc_repl *op, struct plan *pl, struct buf *m)
{
	struct buf	 refused;
	cJSON		*crec = NULL, *rc = NULL;
	size_t		 first = 0;
	enum op_rc	 r;

	if ((r = targets(vs, op, &first, m)) != OP_OK)
		return r;
	pl->cl = vs->v[first].cl;
	if (pl->cl >= 0) {
		if ((crec = cluster_rec(db, pl->cl)) == NULL)
			return OP_IO;
		rc = repl_of(crec);
		r = cluster_change(db, rc, op, pl, m);
	} else
		pl->host = xstrdup(vs->v[first].host);
	buf_init(&refused);
	if (r == OP_OK) {
		members_change(vs, first, cJSON_GetObjectItemCaseSensitive(
		    crec, "members"), rc, op, pl, &refused);
		if (pl->changed == 0 && (pl->cl < 0 || op->op !=
		    VOLSVC_FAILOVER_DONE || cJSON_Compare(rc, pl->repl, 1)))
			r = refuse_all(op, &refused, m);
	}
	buf_free(&refused);
	cJSON_Delete(rc);
	cJSON_Delete(crec);
	return r;
}

/* ---- writing a plan (exclusive lock) ---- */

static void
log_repl(const char *what, const char *name, const char *binary,
    const cJSON *r)
{
	const cJSON	*st = cJSON_GetObjectItemCaseSensitive(r, repl_keys[0]);
	const cJSON	*ab = cJSON_GetObjectItemCaseSensitive(r, repl_keys[2]);

	log_info("%s %s (%s): replication_status %s, frozen %s, "
	    "active_backend_id %s", what, name, binary,
	    cJSON_IsString(st) ? st->valuestring : "?",
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, repl_keys[1])) ?
	    "true" : "false", cJSON_IsString(ab) ? ab->valuestring : "null");
}

/* the change a plan makes to its cluster's record */
static void
cluster_change_rec(cJSON *rec, const void *arg)
{
	const struct plan	*pl = arg;
	char			 now[27];

	repl_put(rec, pl->repl);
	clock_now(now, 0);
	vol_set(rec, "updated_at", cJSON_CreateString(now));
	cJSON_DeleteItemFromObjectCaseSensitive(rec, "members");
	if (pl->members != NULL)
		cJSON_AddItemToObject(rec, "members", cJSON_Duplicate(
		    pl->members, 1));
}

/* a plan's change to a service in no cluster */
static void
service_change_rec(cJSON *rec, const void *arg)
{
	const struct plan	*pl = arg;

	repl_put(rec, pl->repl);
}

static int
plan_write(const struct store *st, const struct vol_db *db,
    const struct plan *pl)
{
	const struct vol_cluster	*c;
	char				*name, *binary;
	cJSON				*rec;

	if (pl->cl < 0) {
		if ((rec = vol_svc_update(st, pl->host, VOL_DEFAULT_BINARY,
		    service_change_rec, pl)) == NULL)
			return -1;
		log_repl("service", pl->host, VOL_DEFAULT_BINARY, pl->repl);
		cJSON_Delete(rec);
		return 0;
	}
	c = &db->cl[pl->cl];
	name = xstrndup(c->name.p, c->name.n);
	binary = xstrndup(c->binary.p, c->binary.n);
	if ((rec = vol_cluster_update(st, name, binary, cluster_change_rec,
	    pl)) != NULL)
		log_repl("cluster", name, binary, pl->repl);
	cJSON_Delete(rec);
	free(name);
	free(binary);
	return rec != NULL ? 0 : -1;
}

/* ---- the action ---- */

static enum op_rc
repl_pass(const struct store *st, int write, void *arg, struct buf *m)
{
	const struct volsvc_repl	*op = arg;
	struct vol_db			 db;
	struct vset			 vs;
	struct plan			 pl;
	enum op_rc			 rc = OP_IO;
	int				 ix;

	memset(&db, 0, sizeof(db));
	memset(&vs, 0, sizeof(vs));
	memset(&pl, 0, sizeof(pl));
	pl.cl = -1;
	/* the services named, with their clusters and those clusters'
	 * members, through the name index */
	if ((ix = vol_load_named(st, op->host, op->cluster,
	    VOL_DEFAULT_BINARY, 1, &db)) != -1 && (ix == 1 ||
	    vol_load(st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0) &&
	    vol_derive(&db, op->down_time) == 0 &&
	    vol_svc_each(&db, vset_one, &vs) == 0)
		rc = plan_make(&db, &vs, op, &pl, m);
	if (rc == OP_OK && write && plan_write(st, &db, &pl) == -1)
		rc = OP_IO;
	plan_free(&pl);
	vset_free(&vs);
	vol_free(&db);
	return rc;
}

enum op_rc
volsvc_replicate(const char *data_dir, const struct volsvc_repl *op,
    struct buf *m)
{
	return vol_two_passes(data_dir, repl_pass, (void *)op, m);
}

/* ---- the view of a member its cluster lists ---- */

static void
put_value(struct buf *b, const char *key, const cJSON *v)
{
	buf_puts(b, key);
	if (v != NULL)
		json_write(b, v);
	else
		buf_puts(b, "null");
}

int
volsvc_member_view(struct buf *b, struct vraw members, struct vstr host)
{
	const cJSON	*m;
	cJSON		*all;
	char		*h;
	int		 found = 0;

	if (members.p == NULL || members.n < 3 || members.p[0] != '{' ||
	    host.p == NULL || (all = raw_json(members)) == NULL)
		return 0;
	h = xstrndup(host.p, host.n);
	m = cJSON_GetObjectItemCaseSensitive(all, h);
	if (cJSON_IsObject(m)) {
		put_value(b, ", \"replication_status\": ",
		    cJSON_GetObjectItemCaseSensitive(m, repl_keys[0]));
		put_value(b, ", \"active_backend_id\": ",
		    cJSON_GetObjectItemCaseSensitive(m, repl_keys[2]));
		put_value(b, ", \"frozen\": ",
		    cJSON_GetObjectItemCaseSensitive(m, repl_keys[1]));
		found = 1;
	}
	free(h);
	cJSON_Delete(all);
	return found;
}
