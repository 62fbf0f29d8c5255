/* lib/manage_segment.c: hacgi-manage segment populate, a bulk loader for
 * benchmarks and imports.  Same documents as the API writes; the fsyncs
 * are replaced by one sync(2) at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manage.h"
#include "segment.h"
#include "valid.h"

static cJSON *
populate_record(long long id, const char *name, const char *rm,
    const char *st)
{
	cJSON	*rec = cJSON_CreateObject();
	char	 uuid[37], now[27];

	store_uuid_new(uuid);
	store_now(now, 1);
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

static int
populate(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = {
		"--prefix", "--count", "--recovery-method", "--service-type",
		NULL,
	};
	const char	*prefix, *count, *rm, *stype;
	struct store	 st;
	char		 name[300], *end;
	long		 n, i;
	int		 rc = 0;

	if (manage_check_opts(argc, argv, known, NULL) == -1)
		return 1;
	prefix = manage_opt(argc, argv, "--prefix");
	count = manage_opt(argc, argv, "--count");
	rm = manage_opt(argc, argv, "--recovery-method");
	stype = manage_opt(argc, argv, "--service-type");
	rm = rm != NULL ? rm : "auto";
	stype = stype != NULL ? stype : "COMPUTE";
	errno = 0;
	n = count != NULL ? strtol(count, &end, 10) : -1;
	if (prefix == NULL || count == NULL || errno != 0 || *end != '\0' ||
	    n < 1 || n > 1000000 || strlen(prefix) > 200)
		return manage_fail("usage: segment populate --prefix P "
		    "--count N [--recovery-method M] [--service-type T]");
	if (store_open(&st, mc->data_dir, HA_LOCK, STORE_WRITE) == -1 ||
	    ha_dirs(&st) == -1) {
		store_close(&st);
		return manage_fail("segment populate: cannot open the store");
	}
	store_set_nosync(1);
	for (i = 1; i <= n && rc == 0; i++) {
		snprintf(name, sizeof(name), "%s%ld", prefix, i);
		if (!valid_name(name) || populate_one(&st, name, rm, stype) == -1)
			rc = manage_fail("segment populate: %s failed", name);
	}
	store_set_nosync(0);
	store_sync(&st);
	store_close(&st);
	return rc;
}

int
manage_segment(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "populate") == 0)
		return populate(mc, argc - 1, argv + 1);
	return manage_fail("usage: segment populate --prefix P --count N "
	    "[--recovery-method M] [--service-type T]");
}
