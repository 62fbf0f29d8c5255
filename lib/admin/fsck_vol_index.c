/* lib/admin/fsck_vol_index.c: fsck of the Volume cluster index (vol/index,
 * vol/volume.h): every document as the journals say it must be, or a
 * superset of it (a write cut short leaves an entry too many, which
 * readers check against the record: a leftover); anything missing is an
 * error (a show would not find a cluster, or miscount its services).
 * The repair builds the whole index again (vol_index_rebuild). */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"

#define XDIR	VOLX_DIR
#define XNEW	VOLX_NEW

struct xcheck {
	struct fsck	*fk;
	struct hmap	 seen;		/* the file names expected */
	struct buf	 names;		/* their text, NUL-separated */
	size_t		 missing, stale;
	char		 first_missing[80], first_stale[80];
	int		 rebuilt;
};

static int
fix_index(struct fsck *fk, const char *rel, void *arg)
{
	struct xcheck	*xc = arg;

	(void)rel;
	if (xc->rebuilt)
		return 0;
	xc->rebuilt = 1;
	return vol_index_rebuild(&fk->st);
}

static int
fix_rmtree(struct fsck *fk, const char *rel, void *arg)
{
	(void)arg;
	return store_rmtree(&fk->st, rel);
}

/* Is the item want (an entry, a host) among the items of have? */
static int
has_item(const cJSON *have, const cJSON *want)
{
	const cJSON	*e;

	cJSON_ArrayForEach(e, have)
		if (cJSON_Compare(e, want, 1))
			return 1;
	return 0;
}

/* Does the document have hold all of want, its clusters in seq order? */
static int
covers(const cJSON *have, const cJSON *want)
{
	const cJSON	*hc, *hm, *e, *b, *h, *s;
	double		 last = -1;

	hc = cJSON_GetObjectItemCaseSensitive(have, "clusters");
	hm = cJSON_GetObjectItemCaseSensitive(have, "members");

	if (!cJSON_IsArray(hc) || !cJSON_IsObject(hm))
		return 0;
	cJSON_ArrayForEach(e, hc) {
		s = cJSON_GetArrayItem(e, 0);
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 3 ||
		    !cJSON_IsNumber(s) || s->valuedouble < last)
			return 0;
		last = s->valuedouble;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(want,
	    "clusters"))
		if (!has_item(hc, e))
			return 0;
	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(want,
	    "members"))
		cJSON_ArrayForEach(h, b)
			if (!has_item(cJSON_GetObjectItemCaseSensitive(hm,
			    b->string), h))
				return 0;
	return 1;
}

static void
note(size_t *n, char first[80], const char *file)
{
	if ((*n)++ == 0)
		snprintf(first, 80, "%s", file);
}

/* One document the journals call for: as the writers write it (the
 * text compared first: parsing 100,000 documents costs seconds). */
static int
check_one(const char *file, const cJSON *want, void *arg)
{
	struct xcheck	*xc = arg;
	struct buf	 w;
	char		 rel[160], *text;
	cJSON		*have = NULL;
	int		 err, same;

	buf_put(&xc->names, file, strlen(file) + 1);
	snprintf(rel, sizeof(rel), "%s/%s", XDIR, file);
	buf_init(&w);
	json_write(&w, want);
	buf_putc(&w, '\n');
	text = store_read_text(&xc->fk->st, rel, &err);
	same = text != NULL && strcmp(text, buf_str(&w)) == 0;
	if (!same && text != NULL)
		have = cJSON_Parse(text);
	if (same || (have != NULL && cJSON_Compare(have, want, 1)))
		;
	else if (have != NULL && covers(have, want))
		note(&xc->stale, xc->first_stale, file);
	else
		note(&xc->missing, xc->first_missing, file);
	cJSON_Delete(have);
	free(text);
	buf_free(&w);
	return 0;
}

/* A document the journals do not call for: it lists only clusters and
 * services that are gone. */
static int
extra_one(const char *file, void *arg)
{
	struct xcheck	*xc = arg;

	if (hmap_gets(&xc->seen, file) == NULL)
		note(&xc->stale, xc->first_stale, file);
	return 0;
}

static int
journals_empty(struct fsck *fk)
{
	static const char *const j[] = { VOLJ_SERVICES, VOLJ_CLUSTERS };
	struct stat	 sb;
	size_t		 i;
	int		 fd;

	for (i = 0; i < NELEM(j); i++) {
		if ((fd = store_fd(&fk->st, j[i], O_RDONLY, 0, &sb)) == -1)
			continue;
		close(fd);
		if (sb.st_size > 0)
			return 0;
	}
	return 1;
}

void
check_vol_index(struct fsck *fk)
{
	struct xcheck	 xc;
	size_t		 at;

	if (store_exists(&fk->st, XNEW) == 1)
		finding(fk, L_LEFTOVER, XNEW, fix_rmtree, NULL, "an index "
		    "build cut short (removed)");
	memset(&xc, 0, sizeof(xc));
	xc.fk = fk;
	if (store_exists(&fk->st, XDIR) != 1) {
		if (!journals_empty(fk))
			finding(fk, L_LEFTOVER, XDIR, fix_index, &xc, "no "
			    "cluster index (written before it): a cluster "
			    "show reads both journals until it is built");
		return;
	}
	hmap_init(&xc.seen);
	buf_init(&xc.names);
	if (vol_index_each(&fk->st, check_one, &xc) == 0) {
		for (at = 0; at < xc.names.len; at += strlen(xc.names.p +
		    at) + 1)
			hmap_puts(&xc.seen, xc.names.p + at, &xc);
		store_scan(&fk->st, XDIR, extra_one, &xc);
		if (xc.missing > 0)
			finding(fk, L_ERROR, XDIR, fix_index, &xc, "%zu "
			    "document(s) miss entries, the first %s: a show "
			    "may not find a cluster or miscount its services "
			    "(rebuilt)", xc.missing, xc.first_missing);
		if (xc.stale > 0)
			finding(fk, L_LEFTOVER, XDIR, fix_index, &xc, "%zu "
			    "document(s) list clusters or services that are "
			    "gone, the first %s (a write cut short; ignored "
			    "by readers; rebuilt)", xc.stale, xc.first_stale);
	}
	hmap_free(&xc.seen);
	buf_free(&xc.names);
}
