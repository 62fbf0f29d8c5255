/* lib/ha/index.c: the id indexes of the Instance-HA records (index.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "base/util.h"
#include "ha/index.h"

int
idx_kept(const struct store *st)
{
	return store_exists(st, HA_INDEX_MARK);
}

int
idx_start(const struct store *st, const char *counters)
{
	static const char *const dirs[] = {
		HA_INDEX, IDX_SEGMENTS, IDX_NOTIFS, IDX_HOSTS, IDX_ACTIVE,
		IDX_DUP,
	};
	cJSON	*mark;
	size_t	 i;
	int	 rc;

	switch (idx_kept(st)) {
	case 1:
		return 0;
	case 0:
		break;
	default:
		return -1;
	}
	switch (store_exists(st, counters)) {
	case 0:
		break;
	case 1:
		return 0;	/* records from before the indexes */
	default:
		return -1;
	}
	for (i = 0; i < NELEM(dirs); i++)
		if (store_mkdir(st, dirs[i]) == -1)
			return -1;
	mark = cJSON_CreateObject();
	cJSON_AddNumberToObject(mark, "version", 1);
	rc = store_write(st, HA_INDEX_MARK, mark);
	cJSON_Delete(mark);
	return rc;
}

void
idx_hosts_dir(char out[96], const char *seg)
{
	snprintf(out, 96, "%s/%s", IDX_HOSTS, seg);
}

int
idx_row_of(const cJSON *rec, const char *ukey, struct idx_row *r)
{
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(rec, "id");
	const char	*u = json_str(rec, ukey);
	const char	*c = json_str(rec, "created_at");

	if (!cJSON_IsNumber(id) || u == NULL || c == NULL ||
	    strlen(u) >= sizeof(r->uuid) || strlen(c) >= sizeof(r->created))
		return -1;
	r->id = (long long)id->valuedouble;
	snprintf(r->uuid, sizeof(r->uuid), "%s", u);
	snprintf(r->created, sizeof(r->created), "%s", c);
	return 0;
}

/* ---- pages and head ---- */

struct head {
	long long	 last;		/* -1: no page */
	int		 ordered;
};

static void
page_path(char out[160], const char *dir, long long p)
{
	snprintf(out, 160, "%s/%lld.json", dir, p);
}

static void
head_path(char out[160], const char *dir)
{
	snprintf(out, 160, "%s/head.json", dir);
}

/* The head, or an empty index's when there is none: 0 or -1. */
static int
head_read(const struct store *st, const char *dir, struct head *h)
{
	char		 rel[160];
	cJSON		*doc;
	const cJSON	*v;
	int		 err;

	h->last = -1;
	h->ordered = 1;
	head_path(rel, dir);
	if ((doc = store_read(st, rel, &err)) == NULL)
		return err ? -1 : 0;
	v = cJSON_GetObjectItemCaseSensitive(doc, "last");
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		h->last = (long long)v->valuedouble;
	h->ordered = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc,
	    "ordered"));
	cJSON_Delete(doc);
	return 0;
}

static int
head_write(const struct store *st, const char *dir, const struct head *h)
{
	char	 rel[160];
	cJSON	*doc = cJSON_CreateObject();
	int	 rc;

	head_path(rel, dir);
	if (h->last >= 0)
		cJSON_AddNumberToObject(doc, "last", (double)h->last);
	else
		cJSON_AddNullToObject(doc, "last");
	cJSON_AddBoolToObject(doc, "ordered", h->ordered);
	rc = store_write(st, rel, doc);
	cJSON_Delete(doc);
	return rc;
}

/* Page p, or NULL (*err says whether that is an error).  A page that
 * is not an object with an array of rows is an error. */
static cJSON *
page_read(const struct store *st, const char *dir, long long p, int *err)
{
	char	 rel[160];
	cJSON	*pg;

	page_path(rel, dir, p);
	if ((pg = store_read(st, rel, err)) == NULL)
		return NULL;
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(pg, "rows"))) {
		log_warn("store %s/%s: not an index page", st->dir, rel);
		cJSON_Delete(pg);
		*err = 1;
		return NULL;
	}
	return pg;
}

/* pg's link `key` ("prev", "next") to page p (-1: null), added when
 * the page has none (pages from before "next"). */
static void
page_link(cJSON *pg, const char *key, long long p)
{
	cJSON	*v;

	v = p >= 0 ? cJSON_CreateNumber((double)p) : cJSON_CreateNull();
	if (cJSON_GetObjectItemCaseSensitive(pg, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(pg, key, v);
	else
		cJSON_AddItemToObject(pg, key, v);
}

static cJSON *
page_new(long long prev, long long next)
{
	cJSON	*pg = cJSON_CreateObject();

	page_link(pg, "prev", prev);
	page_link(pg, "next", next);
	cJSON_AddStringToObject(pg, "newest", "");
	cJSON_AddArrayToObject(pg, "rows");
	return pg;
}

static int
page_write(const struct store *st, const char *dir, long long p,
    const cJSON *pg)
{
	char	 rel[160];

	page_path(rel, dir, p);
	return store_write(st, rel, pg);
}

/* pg's link `key` ("prev", "next"), or -1 (null, none). */
static long long
page_at(const cJSON *pg, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(pg, key);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 ?
	    (long long)v->valuedouble : -1;
}

static long long
page_prev(const cJSON *pg)
{
	return page_at(pg, "prev");
}

static long long
row_id(const cJSON *row)
{
	const cJSON	*v = cJSON_GetArrayItem(row, 0);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static const char *
page_newest(const cJSON *pg)
{
	const char	*s = json_str(pg, "newest");

	return s != NULL ? s : "";
}

/* Put r into the page in id order (replacing a row of its id); 1 when
 * its created_at is older than what the page held before. */
static int
page_put(cJSON *pg, const struct idx_row *r)
{
	cJSON		*rows = cJSON_GetObjectItemCaseSensitive(pg, "rows");
	cJSON		*row, *at;
	int		 older, i = 0;

	older = strcmp(r->created, page_newest(pg)) < 0;
	row = cJSON_CreateArray();
	cJSON_AddItemToArray(row, cJSON_CreateNumber((double)r->id));
	cJSON_AddItemToArray(row, cJSON_CreateString(r->uuid));
	cJSON_AddItemToArray(row, cJSON_CreateString(r->created));
	for (at = rows->child; at != NULL && row_id(at) < r->id; at = at->next)
		i++;
	if (at != NULL && row_id(at) == r->id)
		cJSON_ReplaceItemInArray(rows, i, row);
	else if (at != NULL)
		cJSON_InsertItemInArray(rows, i, row);
	else
		cJSON_AddItemToArray(rows, row);
	if (!older)
		cJSON_ReplaceItemInObjectCaseSensitive(pg, "newest",
		    cJSON_CreateString(r->created));
	return older;
}

/*
 * A row below the last page (an id lower than one the index already
 * holds: only after a repair of the counters, since ids only grow).  The
 * chain is walked down to the page below it, and page p is made or
 * extended there.  O(pages above p).
 */
static int
idx_add_below(const struct store *st, const char *dir, long long last,
    const struct idx_row *r)
{
	long long	 p = r->id / IDX_PAGE, q = last, above = -1;
	cJSON		*pg, *up = NULL;
	int		 err, rc = -1;

	while (q > p) {
		if ((pg = page_read(st, dir, q, &err)) == NULL)
			goto out;
		cJSON_Delete(up);
		up = pg;
		above = q;
		q = page_prev(pg);
	}
	if (q == p) {
		if ((pg = page_read(st, dir, p, &err)) == NULL)
			goto out;
	} else
		pg = page_new(q, above);	/* q's "next": a stale hint */
	(void)page_put(pg, r);
	rc = page_write(st, dir, p, pg);
	cJSON_Delete(pg);
	if (rc == 0 && q != p) {
		/* page `above` linked to q, below p: now to p */
		page_link(up, "prev", p);
		rc = page_write(st, dir, above, up);
	}
out:
	cJSON_Delete(up);
	return rc;
}

/*
 * The rows of one page, p, all at or above the last page: the page is
 * written (made, linked to the last one), then the head when it moves
 * or the order is lost.  A crash in between leaves a page the head does
 * not reach, which holds only rows of records never written: the next
 * add over it makes it anew.  A new page is then named as the "next" of
 * the one below, a hint (idx_del) whose loss costs nothing but a kept
 * empty page.
 */
static int
idx_add_page(const struct store *st, const char *dir, struct head *h,
    const struct idx_row *rows, size_t n)
{
	long long	 p = rows[0].id / IDX_PAGE;
	cJSON		*pg, *below = NULL;
	struct head	 nh = *h;
	size_t		 i;
	int		 err, rc = -1;

	if (p == h->last) {
		if ((pg = page_read(st, dir, p, &err)) == NULL) {
			if (!err)
				log_warn("store %s/%s: the last page is "
				    "missing", st->dir, dir);
			return -1;
		}
	} else {
		pg = page_new(h->last, -1);
		if (h->last >= 0 && (below = page_read(st, dir, h->last,
		    &err)) == NULL && err)
			goto out;
		if (below != NULL)
			cJSON_ReplaceItemInObjectCaseSensitive(pg, "newest",
			    cJSON_CreateString(page_newest(below)));
		nh.last = p;
	}
	for (i = 0; i < n; i++)
		if (page_put(pg, &rows[i]))
			nh.ordered = 0;
	if (page_write(st, dir, p, pg) == -1 || ((nh.last != h->last ||
	    nh.ordered != h->ordered) && head_write(st, dir, &nh) == -1))
		goto out;
	if (below != NULL) {
		page_link(below, "next", p);
		(void)page_write(st, dir, h->last, below);
	}
	*h = nh;
	rc = 0;
out:
	cJSON_Delete(below);
	cJSON_Delete(pg);
	return rc;
}

int
idx_add_many(const struct store *st, const char *dir,
    const struct idx_row *rows, size_t n)
{
	struct head	 h;
	size_t		 i, j;

	if (head_read(st, dir, &h) == -1)
		return -1;
	for (i = 0; i < n; i = j) {
		if (h.last >= 0 && rows[i].id / IDX_PAGE < h.last) {
			if (h.ordered) {
				h.ordered = 0;
				if (head_write(st, dir, &h) == -1)
					return -1;
			}
			if (idx_add_below(st, dir, h.last, &rows[i]) == -1)
				return -1;
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < n && rows[j].id / IDX_PAGE ==
		    rows[i].id / IDX_PAGE && rows[j].id > rows[j - 1].id; j++)
			;
		if (idx_add_page(st, dir, &h, rows + i, j - i) == -1)
			return -1;
	}
	return 0;
}

int
idx_add(const struct store *st, const char *dir, const struct idx_row *r)
{
	return idx_add_many(st, dir, r, 1);
}

/* Page q's "next" from p to r (-1: null) when it still says p: a hint,
 * so a failure is only logged (by the store). */
static void
page_renext(const struct store *st, const char *dir, long long q,
    long long p, long long r)
{
	cJSON	*pg;
	int	 err;

	if (q < 0 || (pg = page_read(st, dir, q, &err)) == NULL)
		return;
	if (page_at(pg, "next") == p) {
		page_link(pg, "next", r);
		(void)page_write(st, dir, q, pg);
	}
	cJSON_Delete(pg);
}

/*
 * Page p (pg), left empty in the middle of the chain, taken out of it:
 * the page above it (its "next", a hint confirmed by that page's
 * "prev") is linked past it, then p goes, then the page below names the
 * one above as its next (a hint again).  1 done, 0 when the hint fails
 * (the caller keeps the page as a link), -1 error.  A crash after the
 * first write leaves p as a file no chain reaches, holding no rows.
 */
static int
page_unlink(const struct store *st, const char *dir, long long p,
    const cJSON *pg)
{
	long long	 r = page_at(pg, "next"), q = page_prev(pg);
	char		 rel[160];
	cJSON		*up;
	int		 err, rc;

	if (r <= p || (up = page_read(st, dir, r, &err)) == NULL)
		return 0;
	if (page_prev(up) != p) {
		cJSON_Delete(up);
		return 0;
	}
	page_link(up, "prev", q);
	rc = page_write(st, dir, r, up);
	cJSON_Delete(up);
	page_path(rel, dir, p);
	if (rc == -1 || store_remove(st, rel) == -1)
		return -1;
	page_renext(st, dir, q, p, r);
	return 1;
}

/* A page left empty goes: the last one after the head moved down, one
 * in the middle once the page above links past it (page_unlink), so
 * that a list never walks through the pages of deleted records; one
 * whose page above is not known stays, a link of the chain. */
int
idx_del(const struct store *st, const char *dir, long long id)
{
	long long	 p = id / IDX_PAGE;
	char		 rel[160];
	struct head	 h;
	cJSON		*pg, *rows, *at;
	int		 err, i = 0, rc;

	if (id < 0 || (pg = page_read(st, dir, p, &err)) == NULL)
		return id < 0 || !err ? 0 : -1;
	rows = cJSON_GetObjectItemCaseSensitive(pg, "rows");
	for (at = rows->child; at != NULL && row_id(at) != id; at = at->next)
		i++;
	if (at == NULL) {
		cJSON_Delete(pg);
		return 0;
	}
	cJSON_DeleteItemFromArray(rows, i);
	if (rows->child != NULL || head_read(st, dir, &h) == -1)
		rc = page_write(st, dir, p, pg);
	else if (h.last == p) {
		/* the page below stops naming p: a page made there again
		 * by a write cut short (head not moved) is no page above */
		h.last = page_prev(pg);
		page_path(rel, dir, p);
		rc = head_write(st, dir, &h) == 0 ? store_remove(st, rel) : -1;
		if (rc == 0)
			page_renext(st, dir, h.last, p, -1);
	} else if ((rc = page_unlink(st, dir, p, pg)) == 0)
		rc = page_write(st, dir, p, pg);
	else
		rc = rc == 1 ? 0 : -1;
	cJSON_Delete(pg);
	return rc;
}

int
idx_find(const struct store *st, const char *dir, long long id,
    char uuid[37])
{
	const cJSON	*row, *u;
	cJSON		*pg;
	int		 err, rc = 0;

	if (id < 0 || (pg = page_read(st, dir, id / IDX_PAGE, &err)) == NULL)
		return id < 0 || !err ? 0 : -1;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(pg, "rows")) {
		u = cJSON_GetArrayItem(row, 1);
		if (row_id(row) == id && cJSON_IsString(u) &&
		    store_uuid_ok(u->valuestring)) {
			snprintf(uuid, 37, "%s", u->valuestring);
			rc = 1;
			break;
		}
	}
	cJSON_Delete(pg);
	return rc;
}

int
idx_serves(const struct store *st, const char *dir, int order)
{
	int	 r;

	if ((r = idx_kept(st)) != 1 || !order)
		return r;
	return idx_ordered(st, dir);
}

int
idx_ordered(const struct store *st, const char *dir)
{
	struct head	 h;

	return head_read(st, dir, &h) == -1 ? -1 : h.ordered;
}

/* The rows of pg below `below`, highest first, through fn: 0 go on, 1
 * stop, -1 error. */
static int
page_walk(const cJSON *pg, long long below, idx_fn fn, void *arg)
{
	const cJSON	*rows = cJSON_GetObjectItemCaseSensitive(pg, "rows");
	const cJSON	*row, *u;
	int		 i, rc;

	for (i = cJSON_GetArraySize(rows) - 1; i >= 0; i--) {
		row = cJSON_GetArrayItem(rows, i);
		u = cJSON_GetArrayItem(row, 1);
		if (row_id(row) < 0 || (below >= 0 && row_id(row) >= below) ||
		    !cJSON_IsString(u) || !store_uuid_ok(u->valuestring))
			continue;
		if ((rc = fn(row_id(row), u->valuestring, arg)) != 0)
			return rc;
	}
	return 0;
}

/*
 * From the page of `below` when it exists (the page of a live record
 * does: its row was added before it), else from the last page; then
 * down the chain.  A chain that does not go down is an error.
 */
int
idx_walk(const struct store *st, const char *dir, long long below,
    idx_fn fn, void *arg)
{
	struct head	 h;
	long long	 p, next;
	cJSON		*pg = NULL;
	int		 err, rc = 0;

	if (below >= 0 && (pg = page_read(st, dir, below / IDX_PAGE, &err)) ==
	    NULL && err)
		return -1;
	if (pg != NULL)
		p = below / IDX_PAGE;
	else if (head_read(st, dir, &h) == -1)
		return -1;
	else
		p = h.last;
	while (p >= 0 && rc == 0) {
		if (pg == NULL && (pg = page_read(st, dir, p, &err)) == NULL) {
			if (!err)
				log_warn("store %s/%s: page %lld of the chain "
				    "is missing", st->dir, dir, p);
			return -1;
		}
		rc = page_walk(pg, below, fn, arg);
		next = page_prev(pg);
		cJSON_Delete(pg);
		pg = NULL;
		if (next >= p) {
			log_warn("store %s/%s: page %lld links up", st->dir,
			    dir, p);
			return -1;
		}
		p = next;
	}
	return rc < 0 ? -1 : 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct idx_row	*x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
idx_write_all(const struct store *st, const char *dir, struct idx_row *rows,
    size_t n)
{
	struct head	 h = { -1, 1 };
	size_t		 i, j, k;
	cJSON		*pg;

	if (n > 1)	/* rows may be NULL when there are none */
		qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(rows[i].created, rows[i - 1].created) < 0)
			h.ordered = 0;
	if (store_rmtree(st, dir) == -1 || store_mkdir(st, dir) == -1)
		return -1;
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && rows[j].id / IDX_PAGE ==
		    rows[i].id / IDX_PAGE; j++)
			;
		pg = page_new(h.last, j < n ? rows[j].id / IDX_PAGE : -1);
		for (k = i; k < j; k++)
			(void)page_put(pg, &rows[k]);
		h.last = rows[i].id / IDX_PAGE;
		if (page_write(st, dir, h.last, pg) == -1) {
			cJSON_Delete(pg);
			return -1;
		}
		cJSON_Delete(pg);
	}
	return head_write(st, dir, &h);
}

struct collect {
	const struct store	*st;
	idx_load		 load;
	void			*arg;
	long long		 want;
	cJSON			*rows;
};

static int
collect_one(long long id, const char *uuid, void *arg)
{
	struct collect	*c = arg;
	cJSON		*row;
	int		 err;

	if ((row = c->load(c->st, id, uuid, c->arg, &err)) == NULL)
		return err ? -1 : 0;
	cJSON_AddItemToArray(c->rows, row);
	return --c->want > 0 ? 0 : 1;
}

int
idx_collect(const struct store *st, const char *dir, long long below,
    long long limit, idx_load load, void *arg, cJSON *rows)
{
	struct collect	 c = { st, load, arg, limit, rows };

	if (limit <= 0)
		return 0;
	return idx_walk(st, dir, below, collect_one, &c);
}

long long
idx_rec_id(const cJSON *rec)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(rec, "id");

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

enum op_rc
idx_marker(const struct store *st, const char *dir, int by_id, long long id,
    const char *marker, idx_load_fn load, const void *arg, cJSON **mk)
{
	char	 uuid[37];
	int	 err;

	*mk = NULL;
	if (by_id) {
		switch (idx_find(st, dir, id, uuid)) {
		case 1:
			break;
		case 0:
			return OP_NOT_FOUND;
		default:
			return OP_IO;
		}
	} else
		snprintf(uuid, sizeof(uuid), "%s", marker);
	if ((*mk = load(st, uuid, arg, &err)) == NULL)
		return err ? OP_IO : OP_NOT_FOUND;
	if (by_id && idx_rec_id(*mk) != id) {
		cJSON_Delete(*mk);
		*mk = NULL;
		return OP_NOT_FOUND;
	}
	return OP_OK;
}
