/* lib/admin/manage_segment.c: hacgi-manage segment populate and host populate,
 * bulk loaders for benchmarks and imports.  Same documents as the API
 * writes; the fsyncs are replaced by one sync(2) at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/manage.h"
#include "base/clock.h"
#include "ha/host.h"
#include "ha/layout.h"
#include "ha/segment.h"
#include "ha/valid.h"

static cJSON *
populate_record(long long id, const char *name, const char *rm,
    const char *st)
{
	cJSON	*rec = cJSON_CreateObject();
	char	 uuid[37], now[27];

	store_uuid_new(uuid);
	clock_now(now, 1);
	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddStringToObject(rec, "service_type", st);
	cJSON_AddTrueToObject(rec, "enabled");
	cJSON_AddNullToObject(rec, "description");
	cJSON_AddStringToObject(rec, "recovery_method", rm);
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
	return rec;
}

static int
populate_one(const struct store *st, const char *name, const char *rm,
    const char *stype)
{
	cJSON		*rec;
	char		 other[37];
	long long	 id;
	int		 r, rc = -1;

	if ((r = segment_name_owner(st, name, other)) != 0)
		return r == 1 ? manage_fail("segment %s exists", name) : -1;
	if ((id = store_next_id(st, HA_COUNTERS, "segment")) == -1)
		return -1;
	rec = populate_record(id, name, rm, stype);
	if (segment_name_set(st, name, cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(rec, "uuid"))) == 0 &&
	    segment_save(st, rec) == 0)
		rc = 0;
	cJSON_Delete(rec);
	return rc;
}

/* --count N, 1..1000000, or -1. */
static long
populate_count(int argc, char **argv)
{
	const char	*count = manage_opt(argc, argv, "--count");
	char		*end;
	long		 n;

	if (count == NULL)
		return -1;
	errno = 0;
	n = strtol(count, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 1000000)
		return -1;
	return n;
}

typedef int (*populate_fn)(const struct store *, const char *name,
    int argc, char **argv);

/* Under the write lock, without fsyncs, create "<prefix><i>" for i in
 * 1..count with fn; then one sync. */
static int
populate_run(struct mctx *mc, int argc, char **argv, populate_fn fn)
{
	const char	*prefix = manage_opt(argc, argv, "--prefix");
	long		 n = populate_count(argc, argv), i;
	struct store	 st;
	char		 name[300];
	int		 rc = 0;

	if (prefix == NULL || n == -1 || strlen(prefix) > 200)
		return manage_fail("--prefix P and --count N (1-1000000) are "
		    "required");
	if (store_open(&st, mc->data_dir, HA_LOCK, STORE_WRITE) == -1 ||
	    ha_dirs(&st) == -1) {
		store_close(&st);
		return manage_fail("populate: cannot open the store");
	}
	store_set_nosync(1);
	for (i = 1; i <= n && rc == 0; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		if (!valid_name(name) || fn(&st, name, argc, argv) == -1)
			rc = manage_fail("populate: %s failed", name);
	}
	store_set_nosync(0);
	store_sync(&st);
	store_close(&st);
	return rc;
}

static int
populate_segment(const struct store *st, const char *name, int argc,
    char **argv)
{
	const char	*rm = manage_opt(argc, argv, "--recovery-method");
	const char	*stype = manage_opt(argc, argv, "--service-type");

	return populate_one(st, name, rm != NULL ? rm : "auto",
	    stype != NULL ? stype : "COMPUTE");
}

static cJSON *
host_record(long long id, const char *name, const char *seg)
{
	cJSON	*rec = cJSON_CreateObject();
	char	 uuid[37], now[27];

	store_uuid_new(uuid);
	clock_now(now, 1);
	cJSON_AddNumberToObject(rec, "id", (double)id);
	cJSON_AddStringToObject(rec, "uuid", uuid);
	cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddStringToObject(rec, "failover_segment_id", seg);
	cJSON_AddStringToObject(rec, "type", "COMPUTE");
	cJSON_AddFalseToObject(rec, "reserved");
	cJSON_AddStringToObject(rec, "control_attributes", "SSH");
	cJSON_AddFalseToObject(rec, "on_maintenance");
	cJSON_AddStringToObject(rec, "created_at", now);
	cJSON_AddNullToObject(rec, "updated_at");
	return rec;
}

static int
populate_host(const struct store *st, const char *name, int argc,
    char **argv)
{
	const char	*seg = manage_opt(argc, argv, "--segment");
	cJSON		*rec, *seg_rec, *other;
	long long	 id;
	int		 err, rc = -1;

	if (seg == NULL || (seg_rec = segment_load(st, seg, &err)) == NULL) {
		manage_fail("host populate: no segment %s",
		    seg != NULL ? seg : "given (--segment)");
		return -1;
	}
	cJSON_Delete(seg_rec);
	if ((other = host_by_name(st, name, &err)) != NULL || err) {
		cJSON_Delete(other);
		return -1;
	}
	if ((id = store_next_id(st, HA_COUNTERS, "host")) == -1)
		return -1;
	rec = host_record(id, name, seg);
	rc = host_create(st, rec);
	cJSON_Delete(rec);
	return rc;
}

static const char *const populate_opts[] = {
	"--prefix", "--count", "--recovery-method", "--service-type",
	"--segment", NULL,
};

int
manage_segment(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "populate") == 0 &&
	    manage_check_opts(argc - 1, argv + 1, populate_opts, NULL) == 0)
		return populate_run(mc, argc - 1, argv + 1, populate_segment);
	return manage_fail("usage: segment populate --prefix P --count N "
	    "[--recovery-method M] [--service-type T]");
}

int
manage_host(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "populate") == 0 &&
	    manage_check_opts(argc - 1, argv + 1, populate_opts, NULL) == 0)
		return populate_run(mc, argc - 1, argv + 1, populate_host);
	return manage_fail("usage: host populate --segment UUID --prefix P "
	    "--count N");
}
