/* lib/admin/manage_populate.c: the bulk loaders of hacgi-manage (segment,
 * host, notification and service populate), for benchmarks and imports.
 *
 * Each writes the documents the API would write, through the same layout
 * code, under the kind's write lock held for the whole load; only the
 * costs the API pays per request are paid once: the fsyncs (one sync(2)
 * at the end), the counter (the whole range of ids is reserved first, so
 * a load cut short leaves a gap, never an id handed out twice), and the
 * documents that hold many records' entries (the pages of the id
 * indexes, lib/ha/index.h; the Volume journals) are written once per
 * batch rather than once per record: a batch's index rows go before its
 * records, as the API's do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/manage.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/util.h"
#include "ha/host.h"
#include "ha/index.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/record.h"
#include "ha/segment.h"
#include "ha/valid.h"
#include "vol/volint.h"
#include "vol/volume.h"

#define POPULATE_BATCH	10000	/* records per batch of index rows */

struct populate {
	struct store	 st;
	const char	*prefix;
	long		 count;
	long long	 id;		/* the next id of the reserved range */
	int		 argc;
	char		**argv;
	char		 now[27];
};

/*
 * Reserve n ids of kind in the counters document rel: the first one, or
 * -1.  The counter moves past the whole range before any record is
 * written (store_next_id() n times, in one write).
 */
static long long
populate_reserve(const struct store *st, const char *rel, const char *kind,
    long n)
{
	cJSON		*doc, *v;
	long long	 first;
	int		 err;

	if ((doc = store_read(st, rel, &err)) == NULL && err)
		return -1;
	if (doc == NULL)
		doc = cJSON_CreateObject();
	v = cJSON_GetObjectItemCaseSensitive(doc, kind);
	first = cJSON_IsNumber(v) ? (long long)v->valuedouble + 1 : 1;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, kind);
	cJSON_AddNumberToObject(doc, kind, (double)(first + n - 1));
	if (store_write(st, rel, doc) == -1)
		first = -1;
	cJSON_Delete(doc);
	return first;
}

/* The number of option key, min..max (def when absent), or -1. */
static long
populate_num(int argc, char **argv, const char *key, long min, long max,
    long def)
{
	const char	*v = manage_opt(argc, argv, key);
	char		*end;
	long		 n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || *v < '0' || *v > '9' || n < min ||
	    n > max)
		return -1;
	return n;
}

/* The options every loader takes; the lock of the kind, no fsyncs. */
static int
populate_open(struct populate *p, struct mctx *mc, int argc, char **argv,
    const char *lock)
{
	p->st.lockfd = -1;
	p->argc = argc;
	p->argv = argv;
	p->prefix = manage_opt(argc, argv, "--prefix");
	p->count = populate_num(argc, argv, "--count", 1, 1000000, -1);
	if (p->prefix == NULL || p->count == -1 || strlen(p->prefix) > 200)
		return manage_fail("--prefix P and --count N (1-1000000) are "
		    "required");
	if (store_open(&p->st, mc->data_dir, lock, STORE_WRITE) == -1) {
		store_close(&p->st);
		return manage_fail("populate: cannot open the store");
	}
	clock_now(p->now, 1);
	store_set_nosync(1);
	return 0;
}

static int
populate_close(struct populate *p, int rc)
{
	store_set_nosync(0);
	store_sync(&p->st);
	store_close(&p->st);
	return rc;
}

/* ---- segments ---- */

static cJSON *
segment_one(struct populate *p, const char *name)
{
	const char		*rm = manage_opt(p->argc, p->argv,
				    "--recovery-method");
	const char		*stype = manage_opt(p->argc, p->argv,
				    "--service-type");
	struct ha_segment_in	 in = { name, stype != NULL ? stype :
				    "COMPUTE", rm != NULL ? rm : "auto",
				    { 0, NULL }, 1 };
	char			 other[37], uuid[37];
	int			 r;

	if ((r = segment_name_owner(&p->st, name, other)) != 0) {
		if (r == 1)
			manage_fail("segment %s exists", name);
		return NULL;
	}
	store_uuid_new(uuid);
	return record_segment(p->id++, uuid, &in);
}

static int
segment_put(struct populate *p, const cJSON *rec)
{
	if (segment_name_set(&p->st, json_str(rec, "name"), json_str(rec,
	    "uuid")) == -1)
		return -1;
	return segment_save(&p->st, rec);
}

/* ---- hosts ---- */

static cJSON *
host_one(struct populate *p, const char *name)
{
	const char		*seg = manage_opt(p->argc, p->argv,
				    "--segment");
	struct ha_host_in	 in = { name, "COMPUTE", "SSH", 0, 0 };
	cJSON			*other;
	char			 uuid[37];
	int			 err;

	if ((other = host_by_name(&p->st, name, &err)) != NULL || err) {
		cJSON_Delete(other);
		if (!err)
			manage_fail("host %s exists", name);
		return NULL;
	}
	store_uuid_new(uuid);
	return record_host(p->id++, uuid, seg, &in);
}

static int
host_put(struct populate *p, const cJSON *rec)
{
	return host_create_bulk(&p->st, rec, 1);
}

/* The segment of --segment exists. */
static int
host_segment_ok(struct populate *p)
{
	const char	*seg = manage_opt(p->argc, p->argv, "--segment");
	cJSON		*rec;
	int		 err;

	if (seg == NULL || (rec = segment_load(&p->st, seg, &err)) == NULL)
		return manage_fail("host populate: no segment %s",
		    seg != NULL ? seg : "given (--segment)");
	cJSON_Delete(rec);
	return 0;
}

struct populate_kind {
	const char	*counter;	/* in HA_COUNTERS */
	cJSON		*(*make)(struct populate *, const char *name);
	int		 (*put)(struct populate *, const cJSON *rec);
	char		 index[96];	/* the id index of the records */
};

/* One batch of records: their id rows first (when the indexes are
 * kept), then each record as the API writes it. */
static int
populate_batch(struct populate *p, const struct populate_kind *k,
    const cJSON *recs)
{
	const cJSON	*r;
	struct idx_row	*rows;
	size_t		 n = 0;
	int		 kept, rc = 0;

	if ((kept = idx_kept(&p->st)) == -1)
		return -1;
	rows = xcalloc((size_t)cJSON_GetArraySize(recs) + 1, sizeof(*rows));
	cJSON_ArrayForEach(r, recs)
		if (kept && idx_row_of(r, "uuid", &rows[n++]) == -1)
			rc = -1;
	if (rc == 0 && kept && (store_mkdir(&p->st, k->index) == -1 ||
	    idx_add_many(&p->st, k->index, rows, n) == -1))
		rc = -1;
	free(rows);
	cJSON_ArrayForEach(r, recs)
		if (rc == 0)
			rc = k->put(p, r);
	return rc;
}

/* Create "<prefix><i>" for i in 1..count, by batches. */
static int
populate_names(struct populate *p, const struct populate_kind *k)
{
	char	 name[300];
	cJSON	*batch, *rec;
	long	 i;
	int	 rc = 0;

	if (ha_dirs(&p->st) == -1 || (p->id = populate_reserve(&p->st,
	    HA_COUNTERS, k->counter, p->count)) == -1)
		return manage_fail("populate: cannot write the counters");
	for (i = 1; i <= p->count && rc == 0; ) {
		batch = cJSON_CreateArray();
		for (; i <= p->count && rc == 0 && cJSON_GetArraySize(batch) <
		    POPULATE_BATCH; i++) {
			snprintf(name, sizeof(name), "%s%ld", p->prefix, i);
			if (!valid_name(name) || (rec = k->make(p, name)) ==
			    NULL)
				rc = manage_fail("populate: %s failed", name);
			else
				cJSON_AddItemToArray(batch, rec);
		}
		if (rc == 0 && populate_batch(p, k, batch) == -1)
			rc = manage_fail("populate: a batch before %s failed",
			    name);
		cJSON_Delete(batch);
	}
	return rc;
}

static const char *const populate_opts[] = {
	"--prefix", "--count", "--recovery-method", "--service-type",
	"--segment", "--host", "--status", "--per-cluster", "--binary", NULL,
};

int
manage_segment(struct mctx *mc, int argc, char **argv)
{
	struct populate		 p;
	struct populate_kind	 k = { "segment", segment_one, segment_put,
				    IDX_SEGMENTS };

	if (argc < 1 || strcmp(argv[0], "populate") != 0 ||
	    manage_check_opts(argc - 1, argv + 1, populate_opts, NULL) != 0)
		return manage_fail("usage: segment populate --prefix P --count "
		    "N [--recovery-method M] [--service-type T]");

	if (populate_open(&p, mc, argc - 1, argv + 1, HA_LOCK) != 0)
		return 1;
	(void)segment_sweep(&p.st);
	return populate_close(&p, populate_names(&p, &k));
}

int
manage_host(struct mctx *mc, int argc, char **argv)
{
	struct populate		 p;
	struct populate_kind	 k = { "host", host_one, host_put, "" };

	if (argc < 1 || strcmp(argv[0], "populate") != 0 ||
	    manage_check_opts(argc - 1, argv + 1, populate_opts, NULL) != 0)
		return manage_fail("usage: host populate --segment UUID "
		    "--prefix P --count N");

	if (populate_open(&p, mc, argc - 1, argv + 1, HA_LOCK) != 0)
		return 1;
	if (host_segment_ok(&p) != 0)
		return populate_close(&p, 1);
	idx_hosts_dir(k.index, manage_opt(p.argc, p.argv, "--segment"));
	return populate_close(&p, populate_names(&p, &k));
}

/* ---- notifications ---- */

/* As POST /v1/notifications makes it (cgi-bin/ha-notifications.c), type
 * PROCESS with a process name of its own: no two are duplicates. */
static cJSON *
notif_record(const struct populate *p, long i, const cJSON *host,
    const char *status)
{
	struct ha_notification_in	 in = { "PROCESS", NULL, { 0 }, NULL };
	cJSON				*rec, *pl = cJSON_CreateObject();
	char				 uuid[37], pname[300];

	store_uuid_new(uuid);
	snprintf(pname, sizeof(pname), "%s%ld", p->prefix, i);
	cJSON_AddStringToObject(pl, "process_name", pname);
	cJSON_AddStringToObject(pl, "event", "STOPPED");
	in.hostname = json_str(host, "name");
	in.payload = pl;
	memcpy(in.generated_time, p->now, sizeof(in.generated_time));
	rec = record_notification(p->id + i - 1, uuid, json_str(host, "uuid"),
	    &in);
	cJSON_Delete(pl);
	if (strcmp(status, "new") != 0)
		cJSON_ReplaceItemInObjectCaseSensitive(rec, "status",
		    cJSON_CreateString(status));
	return rec;
}

static int
notif_batches(struct populate *p, const cJSON *host, const char *status)
{
	cJSON	*batch;
	long	 i;
	int	 rc = 0;

	for (i = 1; i <= p->count && rc == 0; ) {
		batch = cJSON_CreateArray();
		for (; i <= p->count && cJSON_GetArraySize(batch) <
		    POPULATE_BATCH; i++)
			cJSON_AddItemToArray(batch, notif_record(p, i, host,
			    status));
		rc = notification_create_all(&p->st, batch, json_str(host,
		    "failover_segment_id"));
		cJSON_Delete(batch);
	}
	return rc;
}

/* notification populate --host NAME --prefix P --count N [--status S] */
static int
notif_populate(struct populate *p)
{
	const char	*name = manage_opt(p->argc, p->argv, "--host");
	const char	*status = manage_opt(p->argc, p->argv, "--status");
	cJSON		*host;
	int		 err, rc;

	if (status == NULL)
		status = "new";
	if (!notification_status_ok(status))
		return manage_fail("notification populate: bad status '%s'",
		    status);
	if (name == NULL || (host = host_by_name(&p->st, name, &err)) == NULL)
		return manage_fail("notification populate: no host %s",
		    name != NULL ? name : "given (--host)");
	if (ha_dirs(&p->st) == -1 || (p->id = populate_reserve(&p->st,
	    HA_COUNTERS, "notification", p->count)) == -1)
		rc = manage_fail("populate: cannot write the counters");
	else if ((rc = notif_batches(p, host, status)) != 0)
		rc = manage_fail("notification populate: failed (see above)");
	cJSON_Delete(host);
	return rc;
}

int
manage_notification_populate(struct mctx *mc, int argc, char **argv)
{
	struct populate	 p;

	if (manage_check_opts(argc, argv, populate_opts, NULL) != 0)
		return 1;
	if (populate_open(&p, mc, argc, argv, HA_LOCK) != 0)
		return 1;
	return populate_close(&p, notif_populate(&p));
}

/* ---- Volume services and clusters ---- */

/* A service as its first heartbeat makes it (vol/volume.h). */
static cJSON *
vol_svc_record(long long seq, const char *host, const char *binary,
    const char *cluster, const char *now)
{
	cJSON	*s = vol_svc_rec(seq, host, binary, now);

	cJSON_ReplaceItemInObjectCaseSensitive(s, "cluster",
	    cJSON_CreateString(cluster));
	cJSON_ReplaceItemInObjectCaseSensitive(s, "heartbeat",
	    cJSON_CreateString(now));
	return s;
}

/* The record file of rec (key1, "binary") in dir, written as a journal
 * line is (volstore.c: the record file holds the line's text). */
static int
vol_record_file(const struct store *st, const char *dir, const char *key1,
    const cJSON *rec)
{
	char		 file[80], rel[160];
	struct buf	 b;
	int		 rc;

	vol_rec_file(file, json_str(rec, key1), json_str(rec, "binary"));
	snprintf(rel, sizeof(rel), "%s/%s", dir, file);
	buf_init(&b);
	json_write(&b, rec);
	buf_putc(&b, '\n');
	rc = store_write_text(st, rel, b.p, b.len);
	buf_free(&b);
	return rc;
}

/* A cluster that exists already: the load would make a second record
 * of it and of its services, whose host names are made from its name. */
static int
vol_exists(const struct store *st, const char *name, const char *binary)
{
	cJSON	*r;
	int	 err;

	if ((r = vol_cluster_get(st, name, binary, &err)) == NULL)
		return err ? -1 : 0;
	cJSON_Delete(r);
	return manage_fail("service populate: cluster %s exists", name);
}

/* Cluster i: "<prefix>c<i>@lvm", its k services "<prefix>h<i>-<j>@lvm". */
static int
vol_cluster_one(struct populate *p, long i, long k, long long *svc_seq,
    const char *binary)
{
	char	 name[300], host[300];
	cJSON	*rec;
	long	 j;
	int	 rc;

	snprintf(name, sizeof(name), "%sc%ld@lvm", p->prefix, i);
	if (!vol_name_ok(name) || vol_exists(&p->st, name, binary) != 0)
		return -1;
	rec = vol_cluster_rec(p->id++, name, binary, p->now);
	rc = vol_record_file(&p->st, VOL_CL_DIR, "name", rec);
	cJSON_Delete(rec);
	for (j = 1; j <= k && rc == 0; j++) {
		snprintf(host, sizeof(host), "%sh%ld-%ld@lvm", p->prefix, i, j);
		rec = vol_svc_record((*svc_seq)++, host, binary, name, p->now);
		rc = vol_record_file(&p->st, VOL_SVC_DIR, "host", rec);
		cJSON_Delete(rec);
	}
	return rc;
}

/*
 * The record files first, then the journals (and the name index)
 * rebuilt from them (vol_rebuild(), as fsck --repair does): the journal
 * lines are the commit, so a load cut short is invisible to readers
 * until then (and fsck reports the record files without lines).
 * vol_cluster_get() first settles the journals, so that every record
 * file is current.
 */
static int
vol_populate(struct populate *p)
{
	const char	*binary = manage_opt(p->argc, p->argv, "--binary");
	long long	 svc;
	long		 k, i;

	k = populate_num(p->argc, p->argv, "--per-cluster", 0, 100, 3);
	if (k == -1)
		return manage_fail("service populate: --per-cluster 0-100");
	if (binary == NULL)
		binary = VOL_DEFAULT_BINARY;
	if (!vol_name_ok(binary))
		return manage_fail("service populate: bad --binary");
	clock_format(clock_now_us(), p->now);
	if (vol_dirs(&p->st) == -1 || (p->id = populate_reserve(&p->st,
	    VOL_COUNTERS, "cluster", p->count)) == -1 ||
	    (svc = populate_reserve(&p->st, VOL_COUNTERS, "service",
	    p->count * k)) == -1)
		return manage_fail("populate: cannot write the counters");
	for (i = 1; i <= p->count; i++)
		if (vol_cluster_one(p, i, k, &svc, binary) != 0)
			return manage_fail("service populate: cluster %ld "
			    "failed", i);
	if (vol_rebuild(&p->st, VOL_SERVICES | VOL_CLUSTERS) == -1)
		return manage_fail("service populate: the journals could not "
		    "be written");
	return 0;
}

int
manage_service_populate(struct mctx *mc, int argc, char **argv)
{
	struct populate	 p;

	if (manage_check_opts(argc, argv, populate_opts, NULL) != 0)
		return 1;
	if (populate_open(&p, mc, argc, argv, VOL_LOCK) != 0)
		return 1;
	return populate_close(&p, vol_populate(&p));
}
