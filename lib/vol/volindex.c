/*
 * lib/vol/volindex.c: the name index (volume.h, "The name index"): the
 * clusters and the services, each in the bucket of the shortest name
 * that matches it (SPEC 3.2), with the members of each cluster, so that
 * a request that names a cluster or a host reads one small document.
 * Kept by the writers (volstore.c) under the exclusive lock, built whole
 * by vol_index_rebuild (fsck --repair, the bulk loader), checked by fsck
 * (lib/admin/fsck_vol_index.c); read by volxread.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"


/* ---- names and files ---- */

/*
 * Every value v that matches the name s (SPEC 3.2) is s itself, s up to
 * its first '#', or s up to its first '@' when no '#' comes before it
 * (v matches s when s = v, or s starts with v# and v holds no '#', or s
 * starts with v@ and v holds neither).  The shortest of them, short(s),
 * s up to its first '@' or '#', is then the shortest of v's too:
 * short(v) = short(s) for every v that matches s.  So a cluster or a
 * service listed under short() of its name is found by any name that
 * matches it in the one bucket of short() of that name.
 *
 * The buckets are a linear hash table (Litwin): head.json counts the
 * entries ever added, n; there are m = ceil(n / XB_FILL) buckets (at
 * least one), and with 2^L the largest power of two not above m, the
 * bucket of a name of hash h (the first 32 bits of SHA-256(short())) is
 * h mod 2^L, or h mod 2^(L+1) when that is below m - 2^L.  The add that
 * makes m one more splits one bucket, m - 2^L, whose entries of h mod
 * 2^(L+1) = m move to the new bucket "m.json" (hex): first the new
 * bucket is written, then head.json, then the old one without them, so
 * that a write cut short leaves entries too many, never too few.  So a
 * bucket holds XB_FILL entries on average whatever the number of
 * records, a lookup reads head.json and one bucket, and the index is
 * n / XB_FILL files: a document per name was one per service and two or
 * three per cluster, each a file fsck and backup read.  Entries removed
 * are not uncounted: fsck --repair counts again.
 */
#define XB_FILL		8
#define XHEAD		VOLX_DIR "/head.json"

static size_t
short_len(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && s[i] != '@' && s[i] != '#'; i++)
		;
	return i;
}

static uint32_t
name_hash(const char *s, size_t n)
{
	char	*k = xstrndup(s, short_len(s, n)), hex[65];

	store_sha256_hex(k, hex);
	free(k);
	hex[8] = '\0';
	return (uint32_t)strtoul(hex, NULL, 16);
}

static unsigned long
buckets(long long n)
{
	return n <= XB_FILL ? 1 : (unsigned long)((n + XB_FILL - 1) / XB_FILL);
}

static unsigned long
pow2_floor(unsigned long m)
{
	unsigned long	 lo = 1;

	while (lo <= m / 2)
		lo *= 2;
	return lo;
}

static unsigned long
bucket_of(uint32_t h, long long n)
{
	unsigned long	 m = buckets(n), lo = pow2_floor(m);
	unsigned long	 b = h & (lo - 1);

	return b < m - lo ? h & (2 * lo - 1) : b;
}

static void
bucket_name(char out[24], unsigned long b)
{
	snprintf(out, 24, "%lx.json", b);
}

static void
bucket_rel(char out[64], unsigned long b)
{
	char	 file[24];

	bucket_name(file, b);
	snprintf(out, 64, "%s/%s", VOLX_DIR, file);
}

/* The entries ever added (head.json; none: 0): 0 or -1. */
static int
head_read(const struct store *st, long long *n)
{
	const cJSON	*e;
	cJSON		*d;
	int		 err;

	*n = 0;
	if ((d = store_read(st, XHEAD, &err)) == NULL)
		return err ? -1 : 0;
	e = cJSON_GetObjectItemCaseSensitive(d, "entries");
	if (cJSON_IsNumber(e) && e->valuedouble >= 0)
		*n = (long long)e->valuedouble;
	else {
		log_warn("store %s/%s: not an index head (run hacgi-manage "
		    "fsck --repair)", st->dir, XHEAD);
		err = -1;
	}
	cJSON_Delete(d);
	return err ? -1 : 0;
}

int
volx_entries(const struct store *st, long long *n)
{
	return head_read(st, n);
}

static cJSON *
head_doc(long long n)
{
	cJSON	*d = cJSON_CreateObject();

	cJSON_AddNumberToObject(d, "entries", (double)n);
	return d;
}

int
volx_kept(const struct store *st)
{
	struct stat	 sb;
	int		 fd, i;
	static const char *const j[] = { VOLJ_SERVICES, VOLJ_CLUSTERS };

	if (store_dirfd(st, VOLX_DIR) != -1)
		return 1;
	if (errno != ENOENT)
		return -1;
	/* no index: made now while there is nothing to index, else left
	 * to fsck --repair (readers read the journals meanwhile) */
	for (i = 0; i < 2; i++) {
		if ((fd = store_fd(st, j[i], O_RDONLY, 0, &sb)) != -1)
			close(fd);
		else if (errno != ENOENT)
			return -1;
		if (fd != -1 && sb.st_size > 0)
			return 0;
	}
	if (store_mkdir(st, "vol") == -1 || store_mkdir(st, VOLX_DIR) == -1 ||
	    store_dirsync(st, VOLX_DIR) == -1)
		return -1;
	return 1;
}

/* ---- one document, changed by a writer ---- */

static cJSON *
doc_new(void)
{
	cJSON	*d = cJSON_CreateObject();

	cJSON_AddItemToObject(d, "clusters", cJSON_CreateArray());
	cJSON_AddItemToObject(d, "services", cJSON_CreateArray());
	cJSON_AddItemToObject(d, "members", cJSON_CreateObject());
	return d;
}

/* The document at rel: doc_new() when absent. */
static cJSON *
doc_read(const struct store *st, const char *rel)
{
	cJSON	*d;
	int	 err;

	if ((d = store_read(st, rel, &err)) == NULL && err)
		return NULL;
	if (d == NULL)
		return doc_new();
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "clusters")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "services")) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(d, "members"))) {
		log_warn("store %s/%s: not an index document (run hacgi-manage "
		    "fsck --repair)", st->dir, rel);
		cJSON_Delete(d);
		return NULL;
	}
	return d;
}

/* Written whole, or removed once it lists nothing. */
static int
doc_write(const struct store *st, const char *rel, const cJSON *d)
{
	static const char *const lists[] = { "clusters", "services",
	    "members" };
	size_t			 i;

	for (i = 0; i < NELEM(lists); i++)
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d,
		    lists[i])) > 0)
			return store_write(st, rel, d);
	return store_remove(st, rel);
}

/* Is e the entry [seq, name, binary] of (name, binary)? */
static int
entry_is(const cJSON *e, const char *name, const char *binary)
{
	const cJSON	*n = cJSON_GetArrayItem(e, 1);
	const cJSON	*b = cJSON_GetArrayItem(e, 2);

	return cJSON_IsString(n) && cJSON_IsString(b) &&
	    strcmp(n->valuestring, name) == 0 &&
	    strcmp(b->valuestring, binary) == 0;
}

double
volx_entry_seq(const cJSON *e)
{
	const cJSON	*s = cJSON_GetArrayItem(e, 0);

	return cJSON_IsNumber(s) ? s->valuedouble : 0;
}

/* item (its key already set, in an object) at place at of obj.  Not
 * cJSON_InsertItemInArray: cJSON 1.7.15 refuses (and drops) a new item
 * anywhere but first or last. */
static void
insert_at(cJSON *obj, int at, cJSON *item)
{
	cJSON	*after = obj->child;

	while (at-- > 0 && after != NULL)
		after = after->next;
	if (after == NULL) {
		cJSON_AddItemToArray(obj, item);
		return;
	}
	item->next = after;
	item->prev = after->prev;	/* the first's prev is the last */
	if (after == obj->child)
		obj->child = item;
	else
		after->prev->next = item;
	after->prev = item;
}

/* Drop the entry of (name, binary) from the list (clusters, services)
 * and, with seq >= 0, put it back with that seq, in seq order. */
static void
doc_entry(cJSON *d, const char *list, double seq, const char *name,
    const char *binary)
{
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(d, list);
	cJSON	*e, *next, *n;
	int	 at = 0;

	for (e = a->child; e != NULL; e = next) {
		next = e->next;
		if (entry_is(e, name, binary))
			cJSON_Delete(cJSON_DetachItemViaPointer(a, e));
	}
	if (seq < 0)
		return;
	n = cJSON_CreateArray();
	cJSON_AddItemToArray(n, cJSON_CreateNumber(seq));
	cJSON_AddItemToArray(n, cJSON_CreateString(name));
	cJSON_AddItemToArray(n, cJSON_CreateString(binary));
	for (e = a->child; e != NULL && volx_entry_seq(e) < seq; e = e->next)
		at++;
	insert_at(a, at, n);
}

/* The place of s among the keys of the object (or the strings of the
 * array) obj, kept in strcmp order: *found, or where it goes. */
static int
sorted_at(const cJSON *obj, const char *s, cJSON **found)
{
	cJSON		*e;
	const char	*k;
	int		 c, at = 0;

	*found = NULL;
	for (e = obj->child; e != NULL; e = e->next, at++) {
		k = cJSON_IsString(e) ? e->valuestring : e->string;
		if (k == NULL || (c = strcmp(k, s)) < 0)
			continue;
		if (c == 0)
			*found = e;
		break;
	}
	return at;
}


/* The member of obj (an object) named key, kept in key order: made
 * (make: an object, or an array) when missing and add is set; or NULL. */
static cJSON *
member_at(cJSON *obj, const char *key, int add, int array)
{
	cJSON	*e;
	int	 at = sorted_at(obj, key, &e);

	if (e != NULL || !add)
		return e;
	e = array ? cJSON_CreateArray() : cJSON_CreateObject();
	cJSON_AddItemToObject(obj, key, e);
	cJSON_DetachItemViaPointer(obj, e);
	insert_at(obj, at, e);
	return e;
}

/* Add (add != 0) or drop host among members[cluster][binary], kept
 * sorted; what this leaves empty goes. */
static void
doc_member(cJSON *d, const char *cluster, const char *binary,
    const char *host, int add)
{
	cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	cJSON	*c, *hosts, *e;
	int	 at;

	if ((c = member_at(m, cluster, add, 0)) == NULL || !cJSON_IsObject(c))
		return;
	if ((hosts = member_at(c, binary, add, 1)) == NULL ||
	    !cJSON_IsArray(hosts))
		return;
	at = sorted_at(hosts, host, &e);
	if (add && e == NULL)
		insert_at(hosts, at, cJSON_CreateString(host));
	else if (!add && e != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(hosts, e));
	if (cJSON_GetArraySize(hosts) == 0)
		cJSON_Delete(cJSON_DetachItemViaPointer(c, hosts));
	if (cJSON_GetArraySize(c) == 0)
		cJSON_Delete(cJSON_DetachItemViaPointer(m, c));
}

/* ---- the writers' steps (volstore.c) ---- */

/* A change of one entry (seq < 0: dropped) of the list of the document
 * at rel. */
static int
doc_change(const struct store *st, const char *rel, const char *list,
    double seq, const char *name, const char *binary)
{
	cJSON	*d;
	int	 rc;

	if ((d = doc_read(st, rel)) == NULL)
		return -1;
	doc_entry(d, list, seq, name, binary);
	rc = doc_write(st, rel, d);
	cJSON_Delete(d);
	return rc;
}

/* Move the entries of src that belong to bucket q under n entries to
 * dst (both documents). */
static void
doc_split(cJSON *src, cJSON *dst, unsigned long q, long long n)
{
	static const char *const lists[] = { "clusters", "services" };
	cJSON		*a, *to, *e, *next, *name, *m;
	size_t		 i;

	for (i = 0; i < NELEM(lists); i++) {
		a = cJSON_GetObjectItemCaseSensitive(src, lists[i]);
		to = cJSON_GetObjectItemCaseSensitive(dst, lists[i]);
		for (e = a->child; e != NULL; e = next) {
			next = e->next;
			name = cJSON_GetArrayItem(e, 1);
			if (cJSON_IsString(name) && bucket_of(name_hash(
			    name->valuestring, strlen(name->valuestring)), n) ==
			    q)
				cJSON_AddItemToArray(to,
				    cJSON_DetachItemViaPointer(a, e));
		}
	}
	m = cJSON_GetObjectItemCaseSensitive(src, "members");
	for (e = m->child; e != NULL; e = next) {
		next = e->next;
		if (bucket_of(name_hash(e->string, strlen(e->string)), n) == q)
			cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(
			    dst, "members"), e->string,
			    cJSON_DetachItemViaPointer(m, e));
	}
}

/* Count one entry more (n now): head.json, and the bucket that splits
 * when the table grows by one (the order of the comment above). */
static int
grow(const struct store *st, long long n)
{
	unsigned long	 m = buckets(n), lo, p, q;
	char		 prel[64], qrel[64];
	cJSON		*h = head_doc(n + 1), *pd = NULL, *qd = NULL;
	int		 rc = -1;

	if (buckets(n + 1) == m) {
		rc = store_write(st, XHEAD, h);
		cJSON_Delete(h);
		return rc;
	}
	lo = pow2_floor(m);
	p = m - lo;
	q = p + lo;
	bucket_rel(prel, p);
	bucket_rel(qrel, q);
	if ((pd = doc_read(st, prel)) != NULL && (qd = doc_new()) != NULL) {
		doc_split(pd, qd, q, n + 1);
		if (doc_write(st, qrel, qd) == 0 &&
		    store_write(st, XHEAD, h) == 0)
			rc = 0;
	}
	/* the old bucket without what moved: one failed keeps them, which
	 * readers skip (another bucket's names) and fsck calls a leftover */
	if (rc == 0 && doc_write(st, prel, pd) == -1)
		log_warn("store %s/%s: keeps entries that moved (ignored; fsck "
		    "--repair drops them)", st->dir, prel);
	cJSON_Delete(pd);
	cJSON_Delete(qd);
	cJSON_Delete(h);
	return rc;
}

/* The bucket of name for a change (add: after counting one entry
 * more). */
static int
bucket_for(const struct store *st, const char *name, int add,
    char rel[64])
{
	long long	 n;

	if (head_read(st, &n) == -1 || (add && grow(st, n) == -1))
		return -1;
	bucket_rel(rel, bucket_of(name_hash(name, strlen(name)), n + !!add));
	return 0;
}

/* The entry of rec (key1 "name": a cluster, "host": a service) in the
 * list of its bucket, added or dropped. */
static int
rec_entry(const struct store *st, const cJSON *rec, const char *key1,
    const char *list, int add)
{
	const char	*name = json_str(rec, key1);
	const char	*binary = json_str(rec, "binary");
	const cJSON	*seq = cJSON_GetObjectItemCaseSensitive(rec, "seq");
	char		 rel[64];

	if (name == NULL || binary == NULL || !cJSON_IsNumber(seq) ||
	    bucket_for(st, name, add, rel) == -1)
		return -1;
	return doc_change(st, rel, list, add ? seq->valuedouble : -1, name,
	    binary);
}

int
volx_cluster(const struct store *st, const cJSON *rec, int add)
{
	return rec_entry(st, rec, "name", "clusters", add);
}

int
volx_service(const struct store *st, const cJSON *rec, int add)
{
	return rec_entry(st, rec, "host", "services", add);
}

int
volx_member(const struct store *st, const char *cluster, const char *binary,
    const char *host, int add)
{
	char	 rel[64];
	cJSON	*d;
	int	 rc;

	if (bucket_for(st, cluster, add, rel) == -1 ||
	    (d = doc_read(st, rel)) == NULL)
		return -1;
	doc_member(d, cluster, binary, host, add);
	rc = doc_write(st, rel, d);
	cJSON_Delete(d);
	return rc;
}

/* ---- a reader's ---- */

cJSON *
volx_doc(const struct store *st, const char *name)
{
	char		 rel[64];
	long long	 n;

	if (head_read(st, &n) == -1)
		return NULL;
	bucket_rel(rel, bucket_of(name_hash(name, strlen(name)), n));
	return doc_read(st, rel);
}

/* ---- the whole index, from the journals (fsck, the bulk loader) ---- */

/* One entry of one bucket: a cluster, a service, or a member of a
 * cluster.  Strings owned. */
enum xkind { XK_CLUSTER, XK_SERVICE, XK_MEMBER };

struct xent {
	uint32_t	 h;		/* name_hash() of its bucket's name */
	unsigned long	 bucket;
	enum xkind	 kind;
	size_t		 ord;		/* creation order */
	long long	 seq;
	char		*a, *b, *c;	/* name or host; binary; a member's
					   cluster (else NULL) */
};

struct build {
	struct xent	*v;
	size_t		 n, cap;
};

static void
ent_add(struct build *bd, enum xkind kind, long long seq, struct vstr a,
    struct vstr b, struct vstr c)
{
	struct xent	*e;

	if (bd->n == bd->cap) {
		bd->cap = bd->cap ? 2 * bd->cap : 1024;
		bd->v = xrealloc(bd->v, bd->cap * sizeof(*bd->v));
	}
	e = &bd->v[bd->n];
	e->h = kind == XK_MEMBER ? name_hash(c.p, c.n) : name_hash(a.p, a.n);
	e->kind = kind;
	e->ord = bd->n++;
	e->seq = seq;
	e->a = xstrndup(a.p, a.n);
	e->b = xstrndup(b.p, b.n);
	e->c = kind == XK_MEMBER ? xstrndup(c.p, c.n) : NULL;
}

/* By bucket, clusters then services in creation order, then members by
 * cluster, binary and host (the order the writers keep: doc_member). */
static int
ent_cmp(const void *x, const void *y)
{
	const struct xent	*p = x, *q = y;
	int			 c;

	if (p->bucket != q->bucket)
		return p->bucket < q->bucket ? -1 : 1;
	if (p->kind != q->kind)
		return (int)p->kind - (int)q->kind;
	if (p->kind != XK_MEMBER)
		return (p->ord > q->ord) - (p->ord < q->ord);
	if ((c = strcmp(p->c, q->c)) != 0 || (c = strcmp(p->b, q->b)) != 0)
		return c;
	return strcmp(p->a, q->a);
}

static int
svc_ent(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	long long	 seq = s->f[VS_SEQ].p != NULL ?
			    strtoll(s->f[VS_SEQ].p, NULL, 10) : -1;
	struct vstr	 none = { NULL, 0 };

	(void)db;
	ent_add(arg, XK_SERVICE, seq, s->host, s->binary, none);
	if (s->cluster.p != NULL)
		ent_add(arg, XK_MEMBER, 0, s->host, s->binary, s->cluster);
	return 0;
}

static int
collect(const struct store *st, struct build *bd)
{
	struct vol_db		 db;
	const struct vol_cluster *c;
	struct vstr		 none = { NULL, 0 };
	size_t			 i;
	int			 rc = -1;

	if (vol_load(st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0 &&
	    vol_svc_each(&db, svc_ent, bd) == 0) {
		for (i = 0; i < db.ncl; i++) {
			c = &db.cl[i];
			ent_add(bd, XK_CLUSTER, volj_seq_of(c->line), c->name,
			    c->binary, none);
		}
		rc = 0;
	}
	vol_free(&db);
	return rc;
}

static cJSON *
entry_new(const struct xent *x)
{
	cJSON	*e = cJSON_CreateArray();

	cJSON_AddItemToArray(e, cJSON_CreateNumber((double)x->seq));
	cJSON_AddItemToArray(e, cJSON_CreateString(x->a));
	cJSON_AddItemToArray(e, cJSON_CreateString(x->b));
	return e;
}

/* The document of the entries v[0 .. n) (one bucket). */
static cJSON *
ent_doc(const struct xent *v, size_t n)
{
	cJSON	*d = doc_new();
	cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	cJSON	*cl = NULL, *hosts = NULL;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (v[i].kind != XK_MEMBER) {
			cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(d,
			    v[i].kind == XK_CLUSTER ? "clusters" : "services"),
			    entry_new(&v[i]));
			continue;
		}
		if (cl == NULL || strcmp(cl->string, v[i].c) != 0) {
			cl = cJSON_CreateObject();
			cJSON_AddItemToObject(m, v[i].c, cl);
			hosts = NULL;
		}
		if (hosts == NULL || strcmp(hosts->string, v[i].b) != 0) {
			hosts = cJSON_CreateArray();
			cJSON_AddItemToObject(cl, v[i].b, hosts);
		}
		cJSON_AddItemToArray(hosts, cJSON_CreateString(v[i].a));
	}
	return d;
}

int
vol_index_each(const struct store *st, long long n,
    int (*fn)(const char *file, const cJSON *doc, void *), void *arg)
{
	struct build	 bd = { NULL, 0, 0 };
	char		 file[24];
	cJSON		*d;
	size_t		 i, j;
	int		 rc;

	if ((rc = collect(st, &bd)) == 0) {
		if (n < 0)
			n = (long long)bd.n;
		for (i = 0; i < bd.n; i++)
			bd.v[i].bucket = bucket_of(bd.v[i].h, n);
		if (bd.n > 1)	/* v NULL at 0 */
			qsort(bd.v, bd.n, sizeof(*bd.v), ent_cmp);
	}
	for (i = 0; i < bd.n && rc == 0; i = j) {
		for (j = i + 1; j < bd.n && bd.v[j].bucket == bd.v[i].bucket;
		    j++)
			;
		d = ent_doc(bd.v + i, j - i);
		bucket_name(file, bd.v[i].bucket);
		rc = fn(file, d, arg);
		cJSON_Delete(d);
	}
	if (rc == 0 && n > 0) {
		d = head_doc(n);
		rc = fn("head.json", d, arg);
		cJSON_Delete(d);
	}
	for (i = 0; i < bd.n; i++) {
		free(bd.v[i].a);
		free(bd.v[i].b);
		free(bd.v[i].c);
	}
	free(bd.v);
	return rc;
}

/* A new file of the build: written, not synced (vol_index_rebuild syncs
 * them all at once before the folder is renamed into place). */
static int
build_one(const char *file, const cJSON *d, void *arg)
{
	const struct store	*st = arg;
	struct stat		 sb;
	struct buf		 b;
	char			 rel[128];
	int			 fd, rc;

	snprintf(rel, sizeof(rel), "%s/%s", VOLX_NEW, file);
	if ((fd = store_fd(st, rel, O_WRONLY | O_CREAT | O_EXCL, 0600,
	    &sb)) == -1) {
		log_warn("store %s/%s: cannot create it", st->dir, rel);
		return -1;
	}
	buf_init(&b);
	json_write(&b, d);
	buf_putc(&b, '\n');
	if ((rc = store_write_all(fd, b.p, b.len)) == -1)
		log_warn("store %s/%s: write: %s", st->dir, rel,
		    strerror(errno));
	buf_free(&b);
	close(fd);
	return rc;
}

int
vol_index_rebuild(const struct store *st)
{
	if (store_rmtree(st, VOLX_NEW) == -1 || store_mkdir(st, "vol") == -1 ||
	    store_mkdir(st, VOLX_NEW) == -1 ||
	    vol_index_each(st, -1, build_one, (void *)(uintptr_t)st) == -1 ||
	    store_sync(st) == -1 || store_rmtree(st, VOLX_DIR) == -1 ||
	    store_rename(st, VOLX_NEW, VOLX_DIR) == -1 ||
	    store_dirsync(st, VOLX_DIR) == -1) {
		log_warn("store %s/%s: the index could not be built: none "
		    "kept", st->dir, VOLX_DIR);
		(void)store_rmtree(st, VOLX_NEW);
		(void)store_rmtree(st, VOLX_DIR);
		return -1;
	}
	return 0;
}
