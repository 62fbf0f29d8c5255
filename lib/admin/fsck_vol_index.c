/* lib/admin/fsck_vol_index.c: fsck of the Volume name index (vol/names,
 * vol/volume.h): every document as the journals say it must be, or a
 * superset of it (a write cut short leaves an entry too many, which
 * readers check against the record: a leftover); anything missing is an
 * error (a show would not find a cluster, or miscount its services; an
 * os-services action would not find a service).  The repair builds the
 * whole index again (vol_index_rebuild).  The cluster index it replaced
 * (vol/index) is a leftover, removed. */
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

/* Does the list (clusters, services) of have hold all the entries of
 * want's, in seq order? */
static int
covers_list(const cJSON *have, const cJSON *want, const char *list)
{
	const cJSON	*hl, *e, *s;
	double		 last = -1;

	hl = cJSON_GetObjectItemCaseSensitive(have, list);
	if (!cJSON_IsArray(hl))
		return 0;
	cJSON_ArrayForEach(e, hl) {
		s = cJSON_GetArrayItem(e, 0);
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 3 ||
		    !cJSON_IsNumber(s) || s->valuedouble < last)
			return 0;
		last = s->valuedouble;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(want, list))
		if (!has_item(hl, e))
			return 0;
	return 1;
}

/* Does the document have hold all of want? */
static int
covers(const cJSON *have, const cJSON *want)
{
	const cJSON	*hm, *hc, *c, *b, *h;

	hm = cJSON_GetObjectItemCaseSensitive(have, "members");
	if (!cJSON_IsObject(hm) || !covers_list(have, want, "clusters") ||
	    !covers_list(have, want, "services"))
		return 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(want,
	    "members")) {
		hc = cJSON_GetObjectItemCaseSensitive(hm, c->string);
		cJSON_ArrayForEach(b, c)
			cJSON_ArrayForEach(h, b)
				if (!has_item(cJSON_GetObjectItemCaseSensitive(
				    hc, b->string), h))
					return 0;
	}
	return 1;
}

static void
note(size_t *n, char first[80], const char *file)
{
	if ((*n)++ == 0)
		snprintf(first, 80, "%s", file);
}

/* Does the bucket have hold all of want, name by name? */
static int
bucket_covers(const cJSON *have, const cJSON *want)
{
	const cJSON	*d;

	cJSON_ArrayForEach(d, want)
		if (!covers(cJSON_GetObjectItemCaseSensitive(have, d->string),
		    d))
			return 0;
	return 1;
}

/* One file the journals call for (a bucket, or the head): as the
 * writers write it (the text compared first: parsing 100,000 documents
 * costs seconds). */
static int
check_one(const char *file, const cJSON *want, int bucket, void *arg)
{
	struct xcheck	*xc = arg;
	struct buf	 w;
	char		 rel[160], *text;
	cJSON		*have = NULL;
	int		 err, same;

	buf_put(&xc->names, file, strlen(file) + 1);
	snprintf(rel, sizeof(rel), "%s/%s", XDIR, file);
	buf_init(&w);
	volx_file_text(&w, want, bucket);
	text = store_read_text(&xc->fk->st, rel, &err);
	same = text != NULL && strcmp(text, buf_str(&w)) == 0;
	if (!same && text != NULL && bucket)
		have = volx_bucket_parse(text, strlen(text));
	if (same || (have != NULL && cJSON_Compare(have, want, 1)))
		;
	else if (have != NULL && bucket_covers(have, want))
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
	long long	 entries;

	if (store_exists(&fk->st, XNEW) == 1)
		finding(fk, L_LEFTOVER, XNEW, fix_rmtree, NULL, "an index "
		    "build cut short (removed)");
	if (store_exists(&fk->st, VOLX_OLD) == 1)
		finding(fk, L_LEFTOVER, VOLX_OLD, fix_rmtree, NULL, "the "
		    "cluster index of an older version, no longer read "
		    "(removed)");
	if (store_exists(&fk->st, VOLX_OLD_NEW) == 1)
		finding(fk, L_LEFTOVER, VOLX_OLD_NEW, fix_rmtree, NULL, "a "
		    "build of the older cluster index (removed)");
	memset(&xc, 0, sizeof(xc));
	xc.fk = fk;
	if (store_exists(&fk->st, XDIR) != 1) {
		if (!journals_empty(fk))
			finding(fk, L_LEFTOVER, XDIR, fix_index, &xc, "no "
			    "name index (written before it): a cluster show "
			    "or an os-services action reads both journals "
			    "until it is built");
		return;
	}
	hmap_init(&xc.seen);
	buf_init(&xc.names);
	/* laid out for the count its head keeps (one it cannot read: as a
	 * rebuild would, so that every bucket is missing entries) */
	if (volx_entries(&fk->st, &entries) == -1)
		entries = -1;
	if (vol_index_each(&fk->st, entries, check_one, &xc) == 0) {
		for (at = 0; at < xc.names.len; at += strlen(xc.names.p +
		    at) + 1)
			hmap_puts(&xc.seen, xc.names.p + at, &xc);
		store_scan(&fk->st, XDIR, extra_one, &xc);
		if (xc.missing > 0)
			finding(fk, L_ERROR, XDIR, fix_index, &xc, "%zu "
			    "document(s) miss entries, the first %s: a show "
			    "may not find a cluster or miscount its services, "
			    "an action may not find a service (rebuilt)",
			    xc.missing, xc.first_missing);
		if (xc.stale > 0)
			finding(fk, L_LEFTOVER, XDIR, fix_index, &xc, "%zu "
			    "document(s) list clusters or services that are "
			    "gone, the first %s (a write cut short; ignored "
			    "by readers; rebuilt)", xc.stale, xc.first_stale);
	}
	hmap_free(&xc.seen);
	buf_free(&xc.names);
}
