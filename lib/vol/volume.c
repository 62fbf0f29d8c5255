/* lib/vol/volume.c: Volume services and clusters: the reading side (journals
 * -> records -> derived values -> views).  The layout and why it has two
 * forms are in volume.h; the writing side is in volstore.c.
 *
 * Readers map the journals and never write into them: a value is kept as
 * the JSON text json_write made (struct vraw), which is already what the
 * views must print, and only names are decoded (struct vstr).  On a
 * virtual machine every page touched costs, so nothing is copied that
 * need not be.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volscan.h"
#include "vol/volume.h"

#define SEQ_MAX		100000000LL	/* beyond: a corrupt journal */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14; older: EINVAL, ignored */
#endif

int
vol_name_ok(const char *s)
{
	size_t		 len = strlen(s), i = 0, n = 0;
	uint32_t	 cp;
	int		 blank = 1;

	if (!utf8_clean(s))
		return 0;
	while (i < len && utf8_next(s, len, &i, &cp) == 0) {
		n++;
		if (!uni_isspace(cp))
			blank = 0;
	}
	return n >= 1 && n <= VOL_NAME_MAX && !blank;
}

/* Map the pages of [p, p + n) now, in one call: on a virtual machine a
 * page fault each costs more than the copy into the page. */
static void
prefault(void *p, size_t n)
{
	uintptr_t	 pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t	 a = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	uintptr_t	 e = ((uintptr_t)p + n) & ~(pg - 1);

	if (n >= 16 * pg && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
}

/* Zeroed memory for n objects of size sz, its pages mapped at once. */
static void *
zalloc(size_t n, size_t sz)
{
	void	*p;

	if (n == 0)
		n = 1;
	if (sz != 0 && n > SIZE_MAX / sz)
		abort();
	p = xmalloc(n * sz);
	prefault(p, n * sz);
	memset(p, 0, n * sz);
	return p;
}

/* ---- the keys of a journal line (volscan.c reads it) ---- */

static const char *const cl_keys[VC__MAX] = {
	"seq", "name", "binary", "disabled", "disabled_reason",
	"replication_status", "frozen", "active_backend_id", "created_at",
	"updated_at", "members",
};

static const char *const svc_keys[VS__MAX] = {
	"seq", "host", "binary", "cluster", "zone", "disabled",
	"disabled_reason", "heartbeat", "created_at", "modified_at",
	"replication_status", "frozen", "active_backend_id",
};

struct vol_arena {
	char	*p;
	size_t	 used, cap;
};

/* As volscan_text(), decoding into the db's arena (names kept by the db). */
static int
raw_text_kept(struct vol_db *db, struct vraw r, struct vstr *out)
{
	struct vol_arena	*a;

	if (r.p == NULL || memchr(r.p, '\\', r.n) == NULL)
		return volscan_text(r, out, NULL);
	if ((a = db->arena) == NULL) {
		a = db->arena = xcalloc(1, sizeof(*a));
		a->cap = db->tlen[0] + db->tlen[1];
		a->p = xmalloc(a->cap);
	}
	if (a->used + r.n > a->cap)
		return -1;
	if (volscan_text(r, out, a->p + a->used) == -1)
		return -1;
	a->used += out->n;
	return 0;
}

/* ---- journals ---- */

/* The journal at rel, open for reading: -1 with errno ENOENT when there
 * is none, or -1 logged. */
static int
journal_open(const struct store *st, const char *rel, struct stat *sb)
{
	int	 fd;

	if ((fd = store_fd(st, rel, O_RDONLY, 0, sb)) == -1)
		return -1;
	if (sb->st_size > VOLJ_MAX) {
		log_warn("store %s/%s: over %ld bytes: refused", st->dir, rel,
		    VOLJ_MAX);
		close(fd);
		errno = EFBIG;
		return -1;
	}
	return fd;
}

/* The journal at rel, mapped (an empty or missing one: NULL, 0). */
static int
journal_map(const struct store *st, const char *rel, struct vol_db *db,
    int i)
{
	struct stat	 sb;
	void		*p;
	int		 fd;

	if ((fd = journal_open(st, rel, &sb)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (sb.st_size > 0) {
		/* populated at once: cheaper than a fault per 64 KiB */
		p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE |
		    MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			log_warn("store %s/%s: mmap: %s", st->dir, rel,
			    strerror(errno));
			close(fd);
			return -1;
		}
		db->text[i] = p;
		db->tlen[i] = (size_t)sb.st_size;
		db->mapped[i] = 1;
	}
	close(fd);
	return 0;
}

char *
volj_slurp(const struct store *st, const char *rel, size_t *len, int *err)
{
	char		*p;
	struct stat	 sb;
	int		 fd;

	*err = 0;
	*len = 0;
	if ((fd = journal_open(st, rel, &sb)) == -1)
		return errno == ENOENT ? NULL : (*err = 1, NULL);
	/* the size now: a failing read fails the whole read (a caller that
	 * compacts must never see part of the journal) */
	if ((p = store_read_fd(fd, (size_t)sb.st_size, len)) == NULL) {
		log_warn("store %s/%s: read: %s", st->dir, rel,
		    strerror(errno));
		close(fd);
		return *err = 1, NULL;
	}
	close(fd);
	return p;
}

/* The n of a line starting "{"seq": n", or -1. */
long long
volj_seq_of(const char *line)
{
	static const char	 pre[] = "{\"seq\": ";
	long long		 n = 0;
	const char		*p;

	if (strncmp(line, pre, sizeof(pre) - 1) != 0)
		return -1;
	p = line + sizeof(pre) - 1;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > SEQ_MAX)
			return -1;
	return *p == ',' || *p == '}' ? n : -1;
}

/* One complete journal line and the seq it starts with. */
struct seqline {
	long long	 seq;
	const char	*p;
};

/* By seq, then by place in the text (the later line of a seq wins). */
static int
seqline_cmp(const void *a, const void *b)
{
	const struct seqline	*x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

/*
 * The complete lines of text (a final line without '\n' was torn by a
 * crash: ignored): the last line of each seq, in seq order, into
 * (*lastp)[0 .. *np).  Memory and time follow the number of lines, never
 * the size of the seqs: a journal of one line with a large seq costs one
 * line.  Appends of updates break the order: one sort, O(n log n).
 */
int
volj_index(const char *text, size_t len, const char ***lastp, size_t *np)
{
	struct seqline	 *v = NULL;
	const char	**last, *p = text, *nl, *end = text + len;
	size_t		  n = 0, cap = 0, i, k;
	long long	  seq;
	int		  sorted = 1;

	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL;
	    p = nl + 1) {
		if (nl == p)
			continue;
		if ((seq = volj_seq_of(p)) < 0) {
			free(v);
			return -1;
		}
		if (n == cap) {
			/* a line is over 100 bytes: one allocation, usually */
			cap = cap ? cap * 2 : len / 100 + 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		if (n > 0 && seq < v[n - 1].seq)
			sorted = 0;
		v[n].seq = seq;
		v[n++].p = p;
	}
	if (!sorted)
		qsort(v, n, sizeof(*v), seqline_cmp);
	last = xmalloc((n > 0 ? n : 1) * sizeof(*last));
	for (i = k = 0; i < n; i++)
		if (i + 1 == n || v[i + 1].seq != v[i].seq)
			last[k++] = v[i].p;
	free(v);
	*lastp = last;
	*np = k;
	return 0;
}

int
volj_is_removal(const char *line, size_t len)
{
	static const char	 tail[] = ", \"removed\": true}";
	size_t			 t = sizeof(tail) - 1;

	return len >= t && memcmp(line + len - t, tail, t) == 0;
}

static int
load_services(struct vol_db *db)
{
	const char	**last, *e;
	size_t		  n, i;

	if (volj_index(db->text[0], db->tlen[0], &last, &n) == -1)
		return -1;
	db->svc = zalloc(n, sizeof(*db->svc));
	for (i = 0; i < n; i++) {
		e = memchr(last[i], '\n', db->tlen[0] - (size_t)(last[i] -
		    db->text[0]));
		if (volj_is_removal(last[i], (size_t)(e - last[i])))
			continue;
		db->svc[db->nsvc].p = last[i];
		db->svc[db->nsvc++].n = (size_t)(e - last[i]);
	}
	free(last);
	return 0;
}

static int
load_cluster(struct vol_db *db, const char *line, size_t len)
{
	struct vol_cluster	*c = &db->cl[db->ncl];
	struct vraw		 f[VC__MAX];
	int64_t			 t;
	int			 removed;

	if (volscan_line(line, line + len, cl_keys, VC__MAX, f, &removed) == -1)
		return -1;
	if (removed)
		return 0;
	if (raw_text_kept(db, f[VC_NAME], &c->name) == -1 ||
	    raw_text_kept(db, f[VC_BINARY], &c->binary) == -1 ||
	    c->name.p == NULL || c->binary.p == NULL ||
	    volscan_time(f[VC_CREATED], &t) == -1 || t == INT64_MIN)
		return -1;
	c->line = line;
	c->len = len;
	db->ncl++;
	return 0;
}

static int
load_clusters(struct vol_db *db)
{
	const char	**last, *e;
	size_t		  n, i;
	int		  rc = 0;

	if (volj_index(db->text[1], db->tlen[1], &last, &n) == -1)
		return -1;
	db->cl = zalloc(n, sizeof(*db->cl));
	for (i = 0; i < n && rc == 0; i++) {
		e = memchr(last[i], '\n', db->tlen[1] - (size_t)(last[i] -
		    db->text[1]));
		rc = load_cluster(db, last[i], (size_t)(e - last[i]));
	}
	free(last);
	return rc;
}

/* ---- the cluster key table: (name, binary) -> index ---- */

static uint32_t
key_hash(struct vstr name, struct vstr binary)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < name.n; i++)
		h = (h ^ (unsigned char)name.p[i]) * 16777619u;
	h = (h ^ 0xFF) * 16777619u;
	for (i = 0; i < binary.n; i++)
		h = (h ^ (unsigned char)binary.p[i]) * 16777619u;
	return h;
}

static int
vstr_same(struct vstr a, struct vstr b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static void
hash_build(struct vol_db *db)
{
	size_t	 i, j;

	db->hashsz = 16;
	while (db->hashsz < 2 * db->ncl)
		db->hashsz *= 2;
	db->hash = xcalloc(db->hashsz, sizeof(*db->hash));
	for (i = 0; i < db->ncl; i++) {
		j = key_hash(db->cl[i].name, db->cl[i].binary) &
		    (db->hashsz - 1);
		while (db->hash[j] != 0)
			j = (j + 1) & (db->hashsz - 1);
		db->hash[j] = (uint32_t)i + 1;
	}
}

long
vol_cluster_index(const struct vol_db *db, struct vstr name,
    struct vstr binary)
{
	const struct vol_cluster	*c;
	size_t				 j;

	if (db->hash == NULL || name.p == NULL)
		return -1;
	j = key_hash(name, binary) & (db->hashsz - 1);
	for (; db->hash[j] != 0; j = (j + 1) & (db->hashsz - 1)) {
		c = &db->cl[db->hash[j] - 1];
		if (vstr_same(c->name, name) && vstr_same(c->binary, binary))
			return (long)db->hash[j] - 1;
	}
	return -1;
}

static int
load_texts(struct vol_db *db, const char *where)
{
	if (db->text[1] != NULL && load_clusters(db) == -1) {
		log_warn("%s/%s: corrupt journal", where, VOLJ_CLUSTERS);
		return -1;
	}
	if (db->text[0] != NULL && load_services(db) == -1) {
		log_warn("%s/%s: corrupt journal", where, VOLJ_SERVICES);
		return -1;
	}
	hash_build(db);
	return 0;
}

int
vol_load(const struct store *st, int what, struct vol_db *db)
{
	memset(db, 0, sizeof(*db));
	if ((what & VOL_SERVICES) &&
	    journal_map(st, VOLJ_SERVICES, db, 0) == -1)
		return -1;
	if ((what & VOL_CLUSTERS) &&
	    journal_map(st, VOLJ_CLUSTERS, db, 1) == -1)
		return -1;
	return load_texts(db, st->dir);
}

int
vol_load_texts(struct vol_db *db, struct buf *svc, struct buf *cl)
{
	struct buf	*t[2] = { svc, cl };
	int		 i;

	memset(db, 0, sizeof(*db));
	for (i = 0; i < 2; i++) {
		db->tlen[i] = t[i]->len;
		db->text[i] = t[i]->len > 0 ? buf_take(t[i]) : NULL;
		buf_reset(t[i]);
	}
	return load_texts(db, "record");
}

/* A db of one service and (or) one cluster record: the views of single
 * records without reading the journals. */
int
vol_load_records(struct vol_db *db, const cJSON *svc, const cJSON *cl)
{
	const cJSON	*rec[2] = { svc, cl };
	struct buf	 b;
	int		 i;

	memset(db, 0, sizeof(*db));
	for (i = 0; i < 2; i++) {
		if (rec[i] == NULL)
			continue;
		buf_init(&b);
		json_write(&b, rec[i]);
		buf_putc(&b, '\n');
		db->tlen[i] = b.len;
		db->text[i] = buf_take(&b);
	}
	return load_texts(db, "record");
}

void
vol_free(struct vol_db *db)
{
	int	 i;

	for (i = 0; i < 2; i++)
		if (db->mapped[i])
			munmap((void *)(uintptr_t)db->text[i], db->tlen[i]);
		else
			free((void *)(uintptr_t)db->text[i]);
	if (db->arena != NULL)
		free(db->arena->p);
	free(db->arena);
	free(db->svc);
	free(db->cl);
	free(db->hash);
	memset(db, 0, sizeof(*db));
}

/* ---- services ---- */

/* Scan one live service line [line, e) into s; names decoded into
 * scratch (room: 3 x the line). */
static int
svc_scan(const struct vol_db *db, const char *line, const char *e,
    struct vol_svc *s, char *scratch)
{
	int		 removed;
	size_t		 room = (size_t)(e - line);

	if (volscan_line(line, e, svc_keys, VS__MAX, s->f, &removed) == -1 ||
	    volscan_text(s->f[VS_HOST], &s->host, scratch) == -1 ||
	    volscan_text(s->f[VS_BINARY], &s->binary, scratch + room) == -1 ||
	    volscan_text(s->f[VS_CLUSTER], &s->cluster,
	    scratch + 2 * room) == -1 ||
	    s->host.p == NULL || s->binary.p == NULL ||
	    volscan_time(s->f[VS_HB], &s->hb_us) == -1 ||
	    volscan_time(s->f[VS_CREATED], &s->created_us) == -1 ||
	    s->created_us == INT64_MIN ||
	    volscan_time(s->f[VS_MODIFIED], &s->modified_us) == -1)
		return -1;
	s->cl = vol_cluster_index(db, s->cluster, s->binary);
	return 0;
}

int
vol_svc_each(const struct vol_db *db,
    int (*fn)(const struct vol_db *, const struct vol_svc *, void *),
    void *arg)
{
	struct vol_svc	 s;
	char		 stackbuf[4096], *scratch;
	const char	*e;
	size_t		 i, room;
	int		 rc = 0;

	for (i = 0; i < db->nsvc && rc == 0; i++) {
		e = db->svc[i].p + db->svc[i].n;
		room = 3 * db->svc[i].n;
		scratch = room <= sizeof(stackbuf) ? stackbuf : xmalloc(room);
		if (svc_scan(db, db->svc[i].p, e, &s, scratch) == -1) {
			log_warn("journal %s: corrupt service record",
			    VOLJ_SERVICES);
			rc = -1;
		} else
			rc = fn(db, &s, arg);
		if (scratch != stackbuf)
			free(scratch);
	}
	return rc;
}

int
vol_cluster_fields(const struct vol_cluster *c, struct vraw f[VC__MAX])
{
	int	 removed;

	return volscan_line(c->line, c->line + c->len, cl_keys, VC__MAX, f,
	    &removed);
}

/* ---- views ---- */

/* Room for n more bytes at once: a list of 1,000 views grows by doubling
 * otherwise, copying and faulting in every intermediate buffer. */
void
vol_reserve(struct buf *b, size_t n)
{
	if (b->cap >= b->len + n + 1)
		return;
	b->p = xrealloc(b->p, b->len + n + 1);
	b->cap = b->len + n + 1;
	b->p[b->len] = '\0';
	prefault(b->p + b->len, n);
}

/* An upper bound of the size of the list views of db's clusters. */
size_t
vol_views_size(const struct vol_db *db)
{
	size_t	 i, n = 64;

	for (i = 0; i < db->ncl; i++)
		n += db->cl[i].len + 64; /* a view: about its line + 20 */
	return n;
}
