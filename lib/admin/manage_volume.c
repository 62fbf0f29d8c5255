/* lib/admin/manage_volume.c: hacgi-manage service ... and cluster ...
 * (SPEC 6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/manage.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/mv.h"
#include "vol/volsvc.h"
#include "vol/volume.h"

/* ---- arguments ---- */

static int
two(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* Zone suffix at s: "", "Z" or +HH[:MM] / -HH[:MM]; offset in seconds. */
static int
zone_offset(const char *s, long *off)
{
	int	 h, m = 0, sign;

	*off = 0;
	if (*s == '\0' || strcmp(s, "Z") == 0 || strcmp(s, "z") == 0)
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (two(s, &h) == -1)
		return -1;
	s += 2;
	if (*s == ':')
		s++;
	if (*s != '\0' && (two(s, &m) == -1 || s[2] != '\0'))
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 0;
}

/* ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|+HH:MM]" -> SPEC 1.1 form. */
static int
iso_time(const char *s, char out[27])
{
	char		 base[27], frac[7] = "000000";
	int64_t		 us;
	long		 off;
	size_t		 i = 0;

	if (strlen(s) < 19 || (s[10] != 'T' && s[10] != ' '))
		return -1;
	memcpy(base, s, 19);
	base[10] = 'T';
	s += 19;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (i < 6)
				frac[i++] = *s;
			else
				return -1;
		if (i == 0)
			return -1;
	}
	snprintf(base + 19, sizeof(base) - 19, ".%s", frac);
	if (zone_offset(s, &off) == -1 || clock_parse(base, &us) == -1)
		return -1;
	clock_format(us - (int64_t)off * 1000000, out);
	return 0;
}

static int
text_ok(const char *what, const char *v)
{
	if (v == NULL || vol_name_ok(v))
		return 1;
	manage_fail("bad %s: want 1-255 characters of UTF-8, not all spaces, "
	    "no control characters", what);
	return 0;
}

/* --opt ISO8601 (or "none" when none_ok): 1 given, 0 absent, -1 bad. */
static int
time_opt(int argc, char **argv, const char *opt, int none_ok, char out[27])
{
	const char	*v = manage_opt(argc, argv, opt);

	if (v == NULL)
		return 0;
	if (none_ok && strcmp(v, "none") == 0) {
		out[0] = '\0';
		return 1;
	}
	if (iso_time(v, out) == -1) {
		manage_fail("bad %s: want YYYY-MM-DDTHH:MM:SS[.ffffff]%s", opt,
		    none_ok ? " or none" : "");
		return -1;
	}
	return 1;
}

static int
open_write(struct mctx *mc, struct store *st)
{
	if (store_open(st, mc->data_dir, VOL_LOCK, STORE_WRITE) == -1 ||
	    vol_dirs(st) == -1) {
		store_close(st);
		return manage_fail("cannot open %s for writing", mc->data_dir);
	}
	return 0;
}

static void
set_json(cJSON *rec, const char *key, cJSON *v)
{
	if (!cJSON_ReplaceItemInObjectCaseSensitive(rec, key, v))
		cJSON_AddItemToObject(rec, key, v);
}

static cJSON *
str_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* ---- service ---- */

static int
svc_heartbeat(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--host", "--binary",
	    "--cluster", "--zone", "--at", "--created-at", NULL };
	struct vol_hb	 hb;
	char		 at[27], created[27];
	struct store	 st;
	cJSON		*rec;
	int		 has_at, has_created, rc;

	if (manage_check_opts(argc, argv, known, NULL) == -1)
		return 1;
	memset(&hb, 0, sizeof(hb));	/* the admin: no limit, may move */
	hb.host = manage_opt(argc, argv, "--host");
	hb.binary = manage_opt(argc, argv, "--binary");
	hb.cluster = manage_opt(argc, argv, "--cluster");
	hb.zone = manage_opt(argc, argv, "--zone");
	if (hb.host == NULL || hb.binary == NULL)
		return manage_fail("service heartbeat: --host and --binary "
		    "are required");
	if (!text_ok("--host", hb.host) || !text_ok("--binary", hb.binary) ||
	    !text_ok("--cluster", hb.cluster) || !text_ok("--zone", hb.zone) ||
	    (has_at = time_opt(argc, argv, "--at", 1, at)) == -1 ||
	    (has_created = time_opt(argc, argv, "--created-at", 0,
	    created)) == -1)
		return 1;
	hb.at = has_at ? at : NULL;
	hb.created_at = has_created ? created : NULL;
	if (open_write(mc, &st) != 0)
		return 1;
	rc = vol_heartbeat(&st, &hb, &rec, NULL);
	store_close(&st);
	if (rc != 0)
		return manage_fail("service heartbeat: failed (see above)");
	cJSON_Delete(rec);
	return 0;
}

/* The service of --host/--binary, under the exclusive lock. */
static cJSON *
svc_lookup(struct store *st, int argc, char **argv, const char *cmd)
{
	const char	*host = manage_opt(argc, argv, "--host");
	const char	*binary = manage_opt(argc, argv, "--binary");
	cJSON		*rec;
	int		 err;

	if (host == NULL || binary == NULL) {
		manage_fail("service %s: --host and --binary are required",
		    cmd);
		return NULL;
	}
	if ((rec = vol_svc_get(st, host, binary, &err)) == NULL)
		manage_fail(err ? "service %s: cannot read the service" :
		    "service %s: no such service", cmd);
	return rec;
}

static int
svc_set(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--host", "--binary", "--reason",
	    NULL };
	static const char *const flags[] = { "--disabled", "--enabled", NULL };
	const char	*reason = manage_opt(argc, argv, "--reason");
	int		 dis = manage_flag(argc, argv, "--disabled");
	struct store	 st;
	cJSON		*old, *rec;
	char		 now[27];
	int		 rc;

	if (manage_check_opts(argc, argv, known, flags) == -1)
		return 1;
	if (dis == manage_flag(argc, argv, "--enabled") ||
	    (reason != NULL && !dis))
		return manage_fail("service set: --disabled [--reason R] or "
		    "--enabled");
	if (!text_ok("--reason", reason) || open_write(mc, &st) != 0)
		return 1;
	if ((old = svc_lookup(&st, argc, argv, "set")) == NULL) {
		store_close(&st);
		return 1;
	}
	rec = cJSON_Duplicate(old, 1);
	clock_format(clock_now_us(), now);
	set_json(rec, "disabled", cJSON_CreateBool(dis));
	set_json(rec, "disabled_reason", str_or_null(reason));
	set_json(rec, "modified_at", cJSON_CreateString(now));
	rc = vol_svc_put(&st, rec);
	store_close(&st);
	cJSON_Delete(rec);
	cJSON_Delete(old);
	return rc == 0 ? 0 : manage_fail("service set: failed (see above)");
}

static int
svc_remove(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--host", "--binary", NULL };
	struct store	 st;
	cJSON		*rec;
	int		 rc;

	if (manage_check_opts(argc, argv, known, NULL) == -1 ||
	    open_write(mc, &st) != 0)
		return 1;
	if ((rec = svc_lookup(&st, argc, argv, "remove")) == NULL) {
		store_close(&st);
		return 1;
	}
	rc = vol_svc_remove(&st, rec);
	store_close(&st);
	cJSON_Delete(rec);
	return rc == 0 ? 0 : manage_fail("service remove: failed (see above)");
}

/*
 * What Cinder's volume manager does when the failover a failover or
 * failover_host request began is over (no manager here does it):
 * the cluster and members of --host or --cluster (as the API finds them)
 * that are failing-over become failed-over with the active backend ID,
 * or, --backend-id default, enabled again with none (failed back).
 */
static int
svc_failover_complete(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--host", "--cluster",
	    "--backend-id", NULL };
	struct volsvc_repl	 op;
	struct buf		 m;
	enum op_rc		 rc;

	if (manage_check_opts(argc, argv, known, NULL) == -1)
		return 1;
	memset(&op, 0, sizeof(op));
	op.op = VOLSVC_FAILOVER_DONE;
	op.host = manage_opt(argc, argv, "--host");
	op.cluster = manage_opt(argc, argv, "--cluster");
	op.backend_id = manage_opt(argc, argv, "--backend-id");
	op.down_time = 60;
	if ((op.host != NULL) == (op.cluster != NULL) || op.backend_id == NULL)
		return manage_fail("service failover-complete: --host H or "
		    "--cluster C, and --backend-id ID|default");
	if (!text_ok("--host", op.host) || !text_ok("--cluster", op.cluster) ||
	    !text_ok("--backend-id", op.backend_id))
		return 1;
	buf_init(&m);
	log_setlevel(LOG_WARNING);	/* quiet on success, as every command */
	rc = volsvc_replicate(mc->data_dir, &op, &m);
	if (rc == OP_INVALID)
		manage_fail("service failover-complete: %s", buf_str(&m));
	else if (rc != OP_OK)
		manage_fail("service failover-complete: failed (see above)");
	buf_free(&m);
	return rc == OP_OK ? 0 : 1;
}

int
manage_service(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "heartbeat") == 0)
		return svc_heartbeat(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "set") == 0)
		return svc_set(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "remove") == 0)
		return svc_remove(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "failover-complete") == 0)
		return svc_failover_complete(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "populate") == 0)
		return manage_service_populate(mc, argc - 1, argv + 1);
	return manage_fail("usage: service heartbeat --host H --binary B "
	    "[--cluster C] [--zone Z] [--at ISO8601|none] [--created-at "
	    "ISO8601] | service set --host H --binary B --disabled [--reason "
	    "R] | --enabled | service remove --host H --binary B | service "
	    "failover-complete --host H | --cluster C --backend-id "
	    "ID|default | service populate --prefix P --count N "
	    "[--per-cluster K] [--binary B]");
}

/* ---- cluster ---- */

/* cluster list: one detail view (latest microversion) per line. */
static int
cl_list(struct mctx *mc, int argc, char **argv)
{
	struct mv	 latest = mv_max(API_VOLUME);
	struct store	 st;
	struct vol_db	 db;
	struct buf	 b;
	const char	*dt = getenv("SERVICE_DOWN_TIME");
	size_t		 i;
	int		 rc = 0;

	(void)argv;
	if (argc != 0)
		return manage_fail("usage: cluster list");
	memset(&db, 0, sizeof(db));
	if (store_open(&st, mc->data_dir, VOL_LOCK, STORE_READ) == -1 ||
	    vol_load(&st, VOL_SERVICES | VOL_CLUSTERS, &db) == -1 ||
	    vol_derive(&db, dt != NULL && atoi(dt) > 0 ? atoi(dt) : 60)) {
		vol_free(&db);
		store_close(&st);
		return manage_fail("cluster list: cannot read %s",
		    mc->data_dir);
	}
	buf_init(&b);
	for (i = 0; i < db.ncl; i++) {
		buf_reset(&b);
		vol_cluster_detail(&b, &db.cl[i], &latest);
		printf("%s\n", buf_str(&b));
	}
	buf_free(&b);
	vol_free(&db);
	store_close(&st);
	return rc;
}

/* The options of cluster set, checked before anything is opened. */
struct clset {
	const char	*name, *binary, *reason, *repl, *abid;
	int		 dis, en, frozen;	/* frozen: -1 = unchanged */
	int		 has_created, has_updated;
	char		 created[27], updated[27];
};

static int
clset_parse(int argc, char **argv, struct clset *o)
{
	const char	*fz;

	memset(o, 0, sizeof(*o));
	o->name = argv[0];
	o->binary = manage_opt(argc, argv, "--binary");
	o->reason = manage_opt(argc, argv, "--reason");
	o->repl = manage_opt(argc, argv, "--replication-status");
	o->abid = manage_opt(argc, argv, "--active-backend-id");
	o->dis = manage_flag(argc, argv, "--disabled");
	o->en = manage_flag(argc, argv, "--enabled");
	fz = manage_opt(argc, argv, "--frozen");
	o->frozen = fz == NULL ? -1 : strcmp(fz, "true") == 0 ? 1 :
	    strcmp(fz, "false") == 0 ? 0 : -2;
	if (o->binary == NULL)
		o->binary = VOL_DEFAULT_BINARY;
	if ((o->dis && o->en) || (o->reason != NULL && !o->dis))
		return manage_fail("cluster set: --disabled [--reason R] or "
		    "--enabled");
	if (o->frozen == -2)
		return manage_fail("cluster set: --frozen true|false");
	if (!text_ok("NAME", o->name) || !text_ok("--binary", o->binary) ||
	    !text_ok("--reason", o->reason) ||
	    !text_ok("--replication-status", o->repl) ||
	    (o->abid != NULL && strcmp(o->abid, "none") != 0 &&
	    !text_ok("--active-backend-id", o->abid)) ||
	    (o->has_created = time_opt(argc, argv, "--created-at", 0,
	    o->created)) == -1 ||
	    (o->has_updated = time_opt(argc, argv, "--updated-at", 1,
	    o->updated)) == -1)
		return 1;
	return 0;
}

/* Replace rec[key] by v; 1 when the value changed. */
static int
change(cJSON *rec, const char *key, cJSON *v)
{
	const cJSON	*old = cJSON_GetObjectItemCaseSensitive(rec, key);
	int		 same = old != NULL && cJSON_Compare(old, v, 1);

	set_json(rec, key, v);
	return !same;
}

static int
clset_apply(cJSON *rec, const struct clset *o)
{
	int	 ch = 0;

	if (o->dis || o->en) {
		ch |= change(rec, "disabled", cJSON_CreateBool(o->dis));
		ch |= change(rec, "disabled_reason", str_or_null(o->reason));
	}
	if (o->repl != NULL)
		ch |= change(rec, "replication_status",
		    cJSON_CreateString(o->repl));
	if (o->frozen >= 0)
		ch |= change(rec, "frozen", cJSON_CreateBool(o->frozen));
	if (o->abid != NULL)
		ch |= change(rec, "active_backend_id", str_or_null(
		    strcmp(o->abid, "none") == 0 ? NULL : o->abid));
	if (o->has_created)
		ch |= change(rec, "created_at", cJSON_CreateString(o->created));
	return ch;
}

static int
cl_set(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--binary", "--reason",
	    "--replication-status", "--frozen", "--active-backend-id",
	    "--created-at", "--updated-at", NULL };
	static const char *const flags[] = { "--disabled", "--enabled", NULL };
	struct clset	 o;
	struct store	 st;
	cJSON		*old = NULL, *rec;
	char		 now[27];
	int		 err, rc, changed;

	if (argc < 1 || strncmp(argv[0], "--", 2) == 0)
		return manage_fail("usage: cluster set NAME [--binary B] ...");
	if (manage_check_opts(argc - 1, argv + 1, known, flags) == -1 ||
	    clset_parse(argc, argv, &o) != 0 || open_write(mc, &st) != 0)
		return 1;
	if ((old = vol_cluster_get(&st, o.name, o.binary, &err)) == NULL &&
	    err) {
		store_close(&st);
		return manage_fail("cluster set: cannot read the cluster");
	}
	rec = old != NULL ? cJSON_Duplicate(old, 1) : vol_cluster_new(&st,
	    o.name, o.binary, o.has_created ? o.created : NULL);
	changed = rec != NULL && clset_apply(rec, &o) && old != NULL;
	clock_format(clock_now_us(), now);
	if (rec != NULL && (o.has_updated || changed))
		set_json(rec, "updated_at", str_or_null(o.has_updated ?
		    (*o.updated ? o.updated : NULL) : now));
	rc = rec != NULL ? vol_cluster_put(&st, rec) : -1;
	store_close(&st);
	cJSON_Delete(rec);
	cJSON_Delete(old);
	return rc == 0 ? 0 : manage_fail("cluster set: failed (see above)");
}

/* The hosts of the services that belong to the cluster (SPEC 1.2: same
 * name and binary), from the journal (the truth; O(services) is fine
 * for an operator's command). */
struct members {
	const char	 *name, *binary;
	char		**host;		/* owned, each too */
	size_t		  n;
};

static int
member_one(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct members	*m = arg;

	(void)db;
	if (vol_str_eq(s->cluster, m->name) &&
	    vol_str_eq(s->binary, m->binary)) {
		m->host = xrealloc(m->host, (m->n + 1) * sizeof(*m->host));
		m->host[m->n++] = xstrndup(s->host.p, s->host.n);
	}
	return 0;
}

static int
members_load(const struct store *st, struct members *m)
{
	struct vol_db	 db;
	int		 rc;

	memset(&db, 0, sizeof(db));
	rc = vol_load(st, VOL_SERVICES, &db) == 0 &&
	    vol_svc_each(&db, member_one, m) == 0 ? 0 : -1;
	vol_free(&db);
	return rc;
}

static void
members_free(struct members *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->host[i]);
	free(m->host);
}

/* --recursive: each service first, so that no state has a service of a
 * missing cluster; cut short, the cluster stays with fewer members and
 * the same command finishes the job. */
static int
members_remove(const struct store *st, const struct members *m)
{
	cJSON	*svc;
	size_t	 i;
	int	 err;

	for (i = 0; i < m->n; i++) {
		svc = vol_svc_get(st, m->host[i], m->binary, &err);
		if ((svc == NULL && err) ||
		    (svc != NULL && vol_svc_remove(st, svc) == -1)) {
			cJSON_Delete(svc);
			return -1;
		}
		cJSON_Delete(svc);
	}
	return 0;
}

/*
 * As cinder-manage cluster remove: a cluster that still has services is
 * refused (their clusters would go missing: fsck reports such services,
 * and a heartbeat naming the cluster would quietly bring it back with
 * the defaults); --recursive removes those services too.
 */
static int
cl_remove(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = { "--binary", NULL };
	static const char *const flags[] = { "--recursive", NULL };
	struct members	 m;
	struct store	 st;
	cJSON		*rec = NULL;
	int		 err, rc = 1;

	if (argc < 1 || strncmp(argv[0], "--", 2) == 0 ||
	    manage_check_opts(argc - 1, argv + 1, known, flags) == -1)
		return manage_fail("usage: cluster remove NAME [--binary B] "
		    "[--recursive]");
	memset(&m, 0, sizeof(m));
	m.name = argv[0];
	if ((m.binary = manage_opt(argc, argv, "--binary")) == NULL)
		m.binary = VOL_DEFAULT_BINARY;
	if (open_write(mc, &st) != 0)
		return 1;
	if ((rec = vol_cluster_get(&st, m.name, m.binary, &err)) == NULL)
		manage_fail(err ? "cluster remove: cannot read the cluster" :
		    "cluster remove: no such cluster");
	else if (members_load(&st, &m) == -1)
		manage_fail("cluster remove: cannot read the services");
	else if (m.n > 0 && !manage_flag(argc, argv, "--recursive"))
		manage_fail("cluster remove: cluster %s (binary %s) still has "
		    "%zu service(s), the first on host %s: remove them first, "
		    "or use --recursive to remove them too", m.name, m.binary,
		    m.n, m.host[0]);
	else if (members_remove(&st, &m) == -1 ||
	    vol_cluster_remove(&st, rec) == -1)
		manage_fail("cluster remove: failed (see above)");
	else {
		if (m.n > 0)
			printf("cluster remove: removed %zu service(s) and the "
			    "cluster\n", m.n);
		rc = 0;
	}
	store_close(&st);
	cJSON_Delete(rec);
	members_free(&m);
	return rc;
}

int
manage_cluster(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return cl_list(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "set") == 0)
		return cl_set(mc, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "remove") == 0)
		return cl_remove(mc, argc - 1, argv + 1);
	return manage_fail("usage: cluster list | cluster set NAME [--binary "
	    "B] [--disabled [--reason R] | --enabled] [--replication-status "
	    "S] [--frozen true|false] [--active-backend-id ID|none] "
	    "[--created-at ISO8601] [--updated-at ISO8601|none] | cluster "
	    "remove NAME [--binary B] [--recursive]");
}
