/* lib/ha/list.c: the list protocol of the Instance-HA API (SPEC 4.2), which
 * is oslo.db's paginate_query seen from outside. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/pyrepr.h"
#include "base/util.h"
#include "ha/list.h"
#include "http/app.h"

#define LIST_MAX	1000

struct sortkey {
	char	*key;	/* owned */
	int	 desc;
};

struct sortspec {
	struct sortkey	*k;	/* owned */
	size_t		 n;
};

int
list_limit(struct req *rq, struct resp *rs, long long *limit)
{
	static const char *const keys[] = { "limit", "page_size" };
	const char	*v;
	long long	 n;
	size_t		 i;

	*limit = LIST_MAX;
	for (i = 0; i < NELEM(keys); i++) {
		if ((v = req_query(rq, keys[i])) == NULL)
			continue;
		if (py_int(v, 1, &n) == -1)
			return fault(rs, 400, "Invalid input received: %s "
			    "must be an integer", keys[i]);
		if (n < 0)
			return fault(rs, 400, "Invalid input received: %s "
			    "must be >= 0", keys[i]);
		if (i == 0)
			*limit = n < LIST_MAX ? n : LIST_MAX;
	}
	return 0;
}

static char *
trimmed(const char *s)
{
	const char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static void
sort_add(struct sortspec *sp, const char *key, int desc)
{
	sp->k = xrealloc(sp->k, (sp->n + 1) * sizeof(*sp->k));
	sp->k[sp->n].key = xstrdup(key);
	sp->k[sp->n].desc = desc;
	sp->n++;
}

static void
sort_free(struct sortspec *sp)
{
	size_t	 i;

	for (i = 0; i < sp->n; i++)
		free(sp->k[i].key);
	free(sp->k);
}

static int
sort_has(const struct sortspec *sp, const char *key)
{
	size_t	 i;

	for (i = 0; i < sp->n; i++)
		if (strcmp(sp->k[i].key, key) == 0)
			return 1;
	return 0;
}

/*
 * hacgi: each sort key costs a lookup per row and a comparison per row
 * pair, and masakari sets no limit (a 10,000-segment list took 0.53 s,
 * and 2.65 s with the key repeated).  More keys than the kind has
 * columns must repeat one: a 400 before anything is parsed.
 */
static int
sort_cap(struct req *rq, struct resp *rs, const struct list_kind *kind)
{
	size_t	 i, nk = 0, ncol = 0;

	while (kind->columns[ncol] != NULL)
		ncol++;
	for (i = 0; i < rq->nqp; i++)
		if (strcmp(rq->qp[i].key, "sort_key") == 0)
			nk++;
	if (nk <= ncol)
		return 0;
	return fault(rs, 400, "Invalid input received: Sort key size exceeds "
	    "the %zu sortable columns", ncol);
}

/* Step 4: sort_key/sort_dir values in order; defaults created_at desc;
 * created_at and id appended; keys without a dir take the first dir. */
static int
sort_parse(struct req *rq, struct resp *rs, const struct list_kind *kind,
    struct sortspec *sp)
{
	size_t		 i, nk = 0, nd = 0;
	int		*dirs;
	char		*t;

	if (sort_cap(rq, rs, kind) == -1)
		return -1;
	dirs = xcalloc(rq->nqp + 1, sizeof(int));
	for (i = 0; i < rq->nqp; i++) {
		t = trimmed(rq->qp[i].val);
		if (strcmp(rq->qp[i].key, "sort_key") == 0) {
			sort_add(sp, t, 0);
			nk++;
		} else if (strcmp(rq->qp[i].key, "sort_dir") == 0) {
			if (strcmp(t, "asc") != 0 && strcmp(t, "desc") != 0) {
				free(t);
				free(dirs);
				return fault(rs, 400, "Invalid input received: "
				    "Unknown sort direction, must be 'asc' or "
				    "'desc'");
			}
			dirs[nd++] = strcmp(t, "desc") == 0;
		}
		free(t);
	}
	if (nk == 0) {
		sort_add(sp, "created_at", 1);
		nk = 1;
	}
	if (nd == 0)
		dirs[nd++] = 1;
	if (nd > nk) {
		free(dirs);
		return fault(rs, 400, "Invalid input received: Sort direction "
		    "size exceeds sort key size");
	}
	if (!sort_has(sp, "created_at"))
		sort_add(sp, "created_at", 0);
	if (!sort_has(sp, "id"))
		sort_add(sp, "id", 0);
	for (i = 0; i < sp->n; i++)
		sp->k[i].desc = i < nd ? dirs[i] : dirs[0];
	free(dirs);
	return 0;
}

static int
is_column(const struct list_kind *kind, const char *key)
{
	const char *const	*c;

	for (c = kind->columns; *c != NULL; c++)
		if (strcmp(*c, key) == 0)
			return 1;
	return 0;
}

/* Step 5: the marker is an id (any decimal literal) or a uuid. */
static const cJSON *
marker_find(const struct list_kind *kind, const cJSON *all, const char *m)
{
	const cJSON	*row, *v;
	char		*end;
	double		 d;
	int		 numeric;

	errno = 0;
	d = strtod(m, &end);
	numeric = *m != '\0' && !isspace((unsigned char)*m) && *end == '\0' &&
	    errno == 0 && isfinite(d) && strchr(m, 'x') == NULL &&
	    strchr(m, 'X') == NULL && strpbrk(m, "nN") == NULL;
	cJSON_ArrayForEach(row, all) {
		v = cJSON_GetObjectItemCaseSensitive(row, "id");
		if (numeric && cJSON_IsNumber(v) && v->valuedouble == d)
			return row;
		v = cJSON_GetObjectItemCaseSensitive(row, kind->uuid_key);
		if (cJSON_IsString(v) && strcmp(v->valuestring, m) == 0)
			return row;
	}
	return NULL;
}

/* Compare two non-null values of one column. */
static int
val_cmp(const cJSON *a, const cJSON *b)
{
	struct buf	 x, y;
	int		 r;

	if (cJSON_IsString(a) && cJSON_IsString(b))
		return strcmp(a->valuestring, b->valuestring);
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return (a->valuedouble > b->valuedouble) -
		    (a->valuedouble < b->valuedouble);
	if (cJSON_IsBool(a) && cJSON_IsBool(b))
		return cJSON_IsTrue(a) - cJSON_IsTrue(b);
	buf_init(&x);
	buf_init(&y);
	json_write(&x, a);
	json_write(&y, b);
	r = strcmp(buf_str(&x), buf_str(&y));
	buf_free(&x);
	buf_free(&y);
	return r;
}

static const cJSON *
col(const cJSON *row, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(row, key);

	return v == NULL || cJSON_IsNull(v) ? NULL : v;
}

/* A row with its sort-key values looked up once, and the spec they
 * follow (qsort gives a comparison no other context). */
struct keyed {
	const cJSON		 *row;
	const cJSON		**k;	/* sort-key values, NULL for null */
	const struct sortspec	 *sp;
};

/* Ordering: null first ascending, last descending (SQLite). */
static int
key_cmp(const cJSON *va, const cJSON *vb, int desc)
{
	int	 r;

	if (va == NULL || vb == NULL)
		r = (va != NULL) - (vb != NULL);
	else
		r = val_cmp(va, vb);
	return desc ? -r : r;
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct keyed	*a = pa, *b = pb;
	size_t			 i;
	int			 r;

	for (i = 0; i < a->sp->n; i++)
		if ((r = key_cmp(a->k[i], b->k[i], a->sp->k[i].desc)) != 0)
			return r;
	return 0;
}

/* paginate_query: some key i strictly after the marker, all earlier
 * (non-null marker) keys equal; null row values compare false. */
static int
after_marker(const cJSON *row, const cJSON *mk, const struct sortspec *sp)
{
	const cJSON	*m, *v;
	size_t		 i, j;
	int		 ok, r;

	for (i = 0; i < sp->n; i++) {
		if ((m = col(mk, sp->k[i].key)) == NULL)
			continue;
		if ((v = col(row, sp->k[i].key)) == NULL)
			continue;
		r = val_cmp(v, m);
		if (sp->k[i].desc ? r >= 0 : r <= 0)
			continue;
		ok = 1;
		for (j = 0; j < i && ok; j++) {
			const cJSON *mj = col(mk, sp->k[j].key);
			const cJSON *vj = col(row, sp->k[j].key);
			if (mj == NULL)
				continue;
			ok = vj != NULL && val_cmp(vj, mj) == 0;
		}
		if (ok)
			return 1;
	}
	return 0;
}

/* Step 6: "InvalidSortKey('Sort key supplied is invalid: K')". */
static int
list_check_keys(struct resp *rs, const struct list_kind *kind,
    const struct sortspec *sp)
{
	struct buf	 text, msg;
	size_t		 i;

	for (i = 0; i < sp->n; i++) {
		if (is_column(kind, sp->k[i].key))
			continue;
		buf_init(&text);
		buf_init(&msg);
		buf_printf(&text, "Sort key supplied is invalid: %s",
		    sp->k[i].key);
		buf_puts(&msg, "InvalidSortKey(");
		pyrepr_str(&msg, buf_str(&text));
		buf_putc(&msg, ')');
		fault_raw(rs, 400, buf_str(&msg));
		buf_free(&text);
		buf_free(&msg);
		return -1;
	}
	return 0;
}

int
list_page(struct req *rq, struct resp *rs, const struct list_kind *kind,
    long long limit, const cJSON *rows, const cJSON *all, cJSON **out)
{
	struct sortspec	 sp = { NULL, 0 };
	const cJSON	*mk = NULL, *row;
	const cJSON	**keys = NULL;
	struct keyed	*v = NULL;
	const char	*marker;
	size_t		 n = 0, i, j, nrows;
	long long	 taken = 0;
	int		 rc = -1;

	*out = cJSON_CreateArray();
	if (limit == 0)
		return 0;
	if (sort_parse(rq, rs, kind, &sp) == -1)
		goto out;
	if ((marker = req_query(rq, "marker")) != NULL &&
	    (mk = marker_find(kind, all, marker)) == NULL) {
		fault(rs, 400, "Marker %s could not be found.", marker);
		goto out;
	}
	if (list_check_keys(rs, kind, &sp) == -1)
		goto out;
	nrows = (size_t)cJSON_GetArraySize(rows);
	v = xcalloc(nrows + 1, sizeof(*v));
	keys = xcalloc((nrows + 1) * sp.n, sizeof(*keys));
	cJSON_ArrayForEach(row, rows) {
		if (mk != NULL && !after_marker(row, mk, &sp))
			continue;
		v[n].row = row;
		v[n].sp = &sp;
		v[n].k = keys + n * sp.n;
		for (j = 0; j < sp.n; j++)
			v[n].k[j] = col(row, sp.k[j].key);
		n++;
	}
	qsort(v, n, sizeof(*v), row_cmp);
	for (i = 0; i < n && taken < limit; i++, taken++)
		cJSON_AddItemToArray(*out,
		    cJSON_CreateObjectReference(v[i].row->child));
	rc = 0;
out:
	free(keys);
	free(v);
	sort_free(&sp);
	return rc;
}

void
list_answer(struct resp *rs, const char *key, const cJSON *page,
    cJSON *(*view)(const cJSON *))
{
	cJSON		*doc = cJSON_CreateObject(), *arr;
	const cJSON	*row;

	arr = cJSON_AddArrayToObject(doc, key);
	cJSON_ArrayForEach(row, page)
		cJSON_AddItemToArray(arr, view != NULL ? view(row) :
		    cJSON_CreateObjectReference(row->child));
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
}
