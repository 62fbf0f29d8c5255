/* lib/ha/layout.c: the Instance-HA folders and name index (layout.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "ha/index.h"
#include "ha/layout.h"

int
ha_dirs(const struct store *st)
{
	static const char *const dirs[] = {
		"ha", "ha/segments", "ha/names", "ha/hosts",
		"ha/notifications", HA_TOMBSTONES,
	};
	size_t	 i;

	for (i = 0; i < NELEM(dirs); i++)
		if (store_mkdir(st, dirs[i]) == -1)
			return -1;
	return idx_start(st, HA_COUNTERS);
}

void
ha_name_path(char out[96], char kind, const char *name)
{
	char	 hex[65];

	store_sha256_hex(name, hex);
	snprintf(out, 96, "ha/names/%c-%s.json", kind, hex);
}

int
ha_name_drop(const struct store *st, char kind, const char *name,
    const char *uuid)
{
	char		 rel[96];
	cJSON		*e;
	const char	*u;
	int		 err, rc = 0;

	ha_name_path(rel, kind, name);
	if ((e = store_read(st, rel, &err)) == NULL)
		return err ? -1 : 0;
	u = json_str(e, "uuid");
	if (u != NULL && strcmp(u, uuid) == 0)
		rc = store_remove(st, rel);
	cJSON_Delete(e);
	return rc;
}

struct ha_scan {
	const char		*dir;
	ha_scan_fn		 fn;
	void			*arg;
};

static int
ha_scan_one(const char *file, void *arg)
{
	struct ha_scan	*sc = arg;
	char		 rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, file);
	return sc->fn(rel, file, sc->arg);
}

int
ha_scan(const struct store *st, const char *dir, ha_scan_fn fn, void *arg)
{
	struct ha_scan	 sc = { dir, fn, arg };

	return store_scan(st, dir, ha_scan_one, &sc);
}

struct ha_docs {
	const struct store	*st;
	cJSON			*out;
};

static int
ha_doc_one(const char *rel, const char *file, void *arg)
{
	struct ha_docs	*d = arg;
	cJSON		*rec;
	int		 err;

	(void)file;
	if ((rec = store_read(d->st, rel, &err)) == NULL)
		return err ? -1 : 0;
	cJSON_AddItemToArray(d->out, rec);
	return 0;
}

int
ha_scan_docs(const struct store *st, const char *dir, cJSON *out)
{
	struct ha_docs	 d = { st, out };

	return ha_scan(st, dir, ha_doc_one, &d) == 0 ? 0 : -1;
}
