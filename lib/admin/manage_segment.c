/* lib/admin/manage_segment.c: hacgi-manage segment populate and host populate,
 * bulk loaders for benchmarks and imports.  Same documents as the API
 * writes; the fsyncs are replaced by one sync(2) at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/manage.h"
#include "ha/layout.h"
#include "ha/ops.h"
#include "ha/segment.h"
#include "ha/valid.h"

/* The segment an API create with this body would make (its record:
 * lib/ha/record.c), under the caller's lock. */
static int
populate_one(const struct store *st, const char *name, const char *rm,
    const char *stype)
{
	struct ha_segment_in	 in = { name, stype, rm, { 0, NULL }, -1 };
	cJSON			*rec;

	switch (ha_segment_create_at(st, &in, &rec)) {
	case OP_OK:
		cJSON_Delete(rec);
		return 0;
	case OP_NAME_TAKEN:
		return manage_fail("segment %s exists", name);
	default:
		return -1;
	}
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
 * 1..count with fn; then one sync.  What every create would do first
 * (the folders, the sweep of unfinished deletes: lib/ha/ops.h) is done
 * once. */
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
	(void)segment_sweep(&st);
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

/* A host as an API create of {"name", "type": "COMPUTE",
 * "control_attributes": "SSH"} would make it. */
static int
populate_host(const struct store *st, const char *name, int argc,
    char **argv)
{
	const char		*seg = manage_opt(argc, argv, "--segment");
	struct ha_host_in	 in = { name, "COMPUTE", "SSH", -1, -1 };
	cJSON			*rec, *segrec;

	switch (ha_host_create_at(st, seg != NULL ? seg : "", &in, &rec,
	    &segrec)) {
	case OP_OK:
		cJSON_Delete(rec);
		cJSON_Delete(segrec);
		return 0;
	case OP_NOT_FOUND:
		manage_fail("host populate: no segment %s",
		    seg != NULL ? seg : "given (--segment)");
		return -1;
	default:
		return -1;
	}
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
