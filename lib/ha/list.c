/* lib/ha/list.c: the list protocol of the Instance-HA API (SPEC 4.2), which
 * is oslo.db's paginate_query seen from outside. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/pyrepr.h"
#include "base/util.h"
#include "ha/list.h"
#include "http/app.h"
#include "http/query.h"

struct sortkey {
	char	*key;	/* owned */
	int	 desc;
};

struct sortspec {
	struct sortkey	*k;	/* owned */
	size_t		 n;
};

static const char *const seg_columns[] = {
	"id", "uuid", "name", "service_type", "description",
	"recovery_method", "enabled", "created_at", "updated_at",
	"deleted_at", "deleted", NULL,
};
static const char *const host_columns[] = {
	"id", "uuid", "name", "failover_segment_id", "type",
	"control_attributes", "reserved", "on_maintenance", "created_at",
	"updated_at", "deleted_at", "deleted", NULL,
};
static const char *const notif_columns[] = {
	"id", "notification_uuid", "generated_time", "source_host_uuid",
	"type", "payload", "status", "created_at", "updated_at",
	"deleted_at", "deleted", NULL,
};

const struct list_kind list_segments = { seg_columns, "uuid" };
const struct list_kind list_hosts = { host_columns, "uuid" };
const struct list_kind list_notifications = {
	notif_columns, "notification_uuid",
};

/* limit, page_size: Python int(), >= 0, at most LIST_MAX (absent:
 * LIST_MAX) */
static int
q_limit(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	long long	 n;

	(void)rq;
	*(long long *)dst = LIST_MAX;
	if (val == NULL)
		return 0;
	buf_reset(msg);
	if (py_int(val, 1, &n) == -1) {
		buf_printf(msg, "Invalid input received: %s must be an "
		    "integer", f->key);
		return -1;
	}
	if (n < 0) {
		buf_printf(msg, "Invalid input received: %s must be >= 0",
		    f->key);
		return -1;
	}
	*(long long *)dst = n < LIST_MAX ? n : LIST_MAX;
	return 0;
}

/* Step 1, and the marker (looked up in step 5). */
static const struct qfield list_q[] = {
	{ "limit", q_limit, offsetof(struct list_query, limit), NULL },
	{ "page_size", q_limit, offsetof(struct list_query, page_size),
	    NULL },
	{ "marker", query_str, offsetof(struct list_query, marker), NULL },
};


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
sort_cap(const struct req *rq, const struct list_kind *kind,
    struct buf *msg)
{
	size_t	 i, nk = 0, ncol = 0;

	while (kind->columns[ncol] != NULL)
		ncol++;
	for (i = 0; i < rq->nqp; i++)
		if (strcmp(rq->qp[i].key, "sort_key") == 0)
			nk++;
	if (nk <= ncol)
		return 0;
	buf_reset(msg);
	buf_printf(msg, "Invalid input received: Sort key size exceeds the "
	    "%zu sortable columns", ncol);
	return -1;
}

/*
 * Step 4, the rule of sort_key: every sort_key and sort_dir value in
 * order; defaults created_at desc; created_at and id appended; keys
 * without a dir take the first dir.  f->arg is the list kind.
 */
static int
q_sort(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	struct sortspec	*sp = dst;
	size_t		 i, nk = 0, nd = 0;
	int		*dirs;
	char		*t;

	(void)val;
	if (sort_cap(rq, f->arg, msg) == -1)
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
				buf_reset(msg);
				buf_puts(msg, "Invalid input received: Unknown "
				    "sort direction, must be 'asc' or 'desc'");
				return -1;
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
		buf_reset(msg);
		buf_puts(msg, "Invalid input received: Sort direction size "
		    "exceeds sort key size");
		return -1;
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

/* The marker as a decimal literal: 1 (its value in *d), or 0. */
static int
marker_number(const char *m, double *d)
{
	char	*end;

	errno = 0;
	*d = strtod(m, &end);
	return *m != '\0' && !isspace((unsigned char)*m) && *end == '\0' &&
	    errno == 0 && isfinite(*d) && strchr(m, 'x') == NULL &&
	    strchr(m, 'X') == NULL && strpbrk(m, "nN") == NULL;
}

/* Step 5: the marker is an id (any decimal literal) or a uuid. */
static const cJSON *
marker_find(const struct list_kind *kind, const cJSON *all, const char *m)
{
	const cJSON	*row, *v;
	double		 d;
	int		 numeric;

	numeric = marker_number(m, &d);
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

/* A column every row holds the same value of (views: deleted_at null,
 * deleted false) changes neither the order nor the rows after a
 * marker. */
static int
is_constant(const char *key)
{
	return strcmp(key, "deleted_at") == 0 || strcmp(key, "deleted") == 0;
}

/* The sort of sp, constant columns aside, is created_at and id, both
 * descending (in either order: ids grow with created_at where the
 * index serves them). */
static int
sort_newest(const struct sortspec *sp)
{
	size_t	 i, n = 0;

	for (i = 0; i < sp->n; i++) {
		if (is_constant(sp->k[i].key))
			continue;
		if (!sp->k[i].desc || (strcmp(sp->k[i].key,
		    "created_at") != 0 && strcmp(sp->k[i].key, "id") != 0))
			return 0;
		n++;
	}
	return n == 2;
}

static int	marker_number(const char *, double *);

/* What list_page() will need (list.h): the query's sort read as step 4
 * and 6 will read it, without answering. */
static enum list_mode
list_mode(const struct req *rq, const struct list_kind *kind,
    const struct list_query *lq)
{
	const struct qfield sort_q[] = {
		{ "sort_key", q_sort, 0, kind },
	};
	struct sortspec	 sp = { NULL, 0 };
	struct buf	 msg;
	enum list_mode	 mode = LIST_ALL;
	size_t		 i;

	if (lq->limit == 0)
		return LIST_NONE;
	buf_init(&msg);
	if (query_parse(rq, sort_q, NELEM(sort_q), &sp, &msg) == -1)
		mode = LIST_NONE;
	for (i = 0; mode == LIST_ALL && i < sp.n; i++)
		if (!is_column(kind, sp.k[i].key))
			mode = lq->marker != NULL ? LIST_MARKER : LIST_NONE;
	if (mode == LIST_ALL && sort_newest(&sp))
		mode = LIST_NEWEST;
	sort_free(&sp);
	buf_free(&msg);
	return mode;
}

int
list_query(const struct req *rq, struct resp *rs, const struct list_kind *kind,
    struct list_query *lq)
{
	double	 d;

	if (query_apply(rq, rs, list_q, NELEM(list_q), lq) == -1)
		return -1;
	lq->mode = list_mode(rq, kind, lq);
	lq->marker_num = lq->marker != NULL && marker_number(lq->marker, &d);
	lq->marker_id = -1;
	if (lq->marker_num && d >= 1 && d <= 9007199254740992.0 &&
	    d == (double)(long long)d)
		lq->marker_id = (long long)d;
	return 0;
}

int
list_page(const struct req *rq, struct resp *rs, const struct list_kind *kind,
    const struct list_query *lq, const cJSON *rows, const cJSON *all,
    cJSON **out)
{
	const struct qfield sort_q[] = {
		{ "sort_key", q_sort, 0, kind },
	};
	struct sortspec	 sp = { NULL, 0 };
	const cJSON	*mk = NULL, *row;
	const cJSON	**keys = NULL;
	struct keyed	*v = NULL;
	size_t		 n = 0, i, j, nrows;
	long long	 taken = 0, limit = lq->limit;
	int		 rc = -1;

	*out = cJSON_CreateArray();
	if (limit == 0)
		return 0;
	if (query_apply(rq, rs, sort_q, NELEM(sort_q), &sp) == -1)
		goto out;
	if (lq->marker != NULL &&
	    (mk = marker_find(kind, all, lq->marker)) == NULL) {
		fault(rs, 400, "Marker %s could not be found.", lq->marker);
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
