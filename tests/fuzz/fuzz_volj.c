/*
 * tests/fuzz/fuzz_volj.c: the Volume journal reader (vol_load: the
 * in-place line scanner of lib/vol/volume.c) on hostile journals, then
 * everything readers do with what it loaded: derived values, cluster
 * lookups, every view.
 *
 * Input: the text of vol/services.log, a NUL byte, the text of
 * vol/clusters.log.  Invariants: whatever the files hold, nothing reads
 * out of bounds or leaks; when every complete line is a JSON text (what
 * hacgi-manage fsck requires: it rebuilds a journal otherwise), the views
 * are JSON.  (Readers copy values as written, so a journal corrupted by
 * hand into invalid UTF-8 gives invalid views: fsck's business.)
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/unicode.h"
#include "vol/volume.h"
#include "fuzz.h"

struct each {
	struct buf	*b;
	const struct mv	*mv;
};

static int
svc_view(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct each	*e = arg;

	vol_service_view(e->b, db, s, e->mv);
	buf_puts(e->b, ", ");
	vol_svc_up(db, s);
	return 0;
}

/* Every complete line of text[0..n) is a JSON text. */
static int
lines_ok(const uint8_t *p, size_t n)
{
	const uint8_t	*nl;
	cJSON		*j;
	int		 err;

	while (n > 0 && (nl = memchr(p, '\n', n)) != NULL) {
		if ((j = json_parse((const char *)p, (size_t)(nl - p),
		    &err)) == NULL)
			return 0;
		cJSON_Delete(j);
		n -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	return 1;
}

static void
views(const struct vol_db *db, int check)
{
	static const struct mv	 mvs[] = { { 3, 0 }, { 3, 7 }, { 3, 70 } };
	struct buf		 b;
	struct each		 e;
	size_t			 i, k;
	cJSON			*j;
	int			 err;

	buf_init(&b);
	for (k = 0; k < sizeof(mvs) / sizeof(mvs[0]); k++) {
		buf_reset(&b);
		buf_putc(&b, '[');
		for (i = 0; i < db->ncl; i++) {
			vol_cluster_detail(&b, &db->cl[i], &mvs[k]);
			buf_puts(&b, ", ");
			vol_cluster_summary(&b, &db->cl[i], &mvs[k], 1);
			buf_puts(&b, ", ");
		}
		e.b = &b;
		e.mv = &mvs[k];
		vol_svc_each(db, svc_view, &e);
		buf_puts(&b, "0]");
		j = json_parse(b.p, b.len, &err);
		if (j == NULL && check)
			fuzz_fail("a view is not JSON");
		cJSON_Delete(j);
	}
	buf_free(&b);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 vol[160];
	struct store	 st;
	struct vol_db	 db;
	struct vstr	 c = { "c", 1 }, cv = { "cinder-volume", 13 };
	const uint8_t	*nul = memchr(data, '\0', size);
	size_t		 n1 = nul != NULL ? (size_t)(nul - data) : size;
	const char	*dir = fuzz_data_dir();

	if (vol[0] == '\0') {
		snprintf(vol, sizeof(vol), "%s/vol", dir);
		mkdir(vol, 0700);
	}
	fuzz_file(vol, "services.log", data, n1);
	fuzz_file(vol, "clusters.log", nul != NULL ? nul + 1 : data,
	    nul != NULL ? size - n1 - 1 : 0);
	store_init(&st, dir);
	if (vol_load(&st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0) {
		vol_derive(&db, 60);
		views(&db, lines_ok(data, n1) && (nul == NULL ||
		    lines_ok(nul + 1, size - n1 - 1)));
		vol_cluster_find(&db, "cluster1", NULL);
		vol_cluster_find(&db, "cluster1@lvm", "cinder-volume");
		vol_cluster_index(&db, c, cv);
	}
	vol_free(&db);
	store_close(&st);
	return 0;
}
