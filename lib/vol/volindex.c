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

#include "base/hmap.h"
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
 * bucket of a name of hash h (the low 32 bits of short()'s FNV-1a, the
 * 64-bit hmap_hash()) is
 * h mod 2^L, or h mod 2^(L+1) when that is below m - 2^L.  The add that
 * makes m one more splits one bucket, m - 2^L, whose entries of h mod
 * 2^(L+1) = m move to the new bucket "m.json" (hex): first the new
 * bucket is written, then head.json, then the old one without them, so
 * that a write cut short leaves entries too many, never too few.  An
 * entry is counted (volx_count) once the journal line it serves is
 * committed: a write that fails before leaves the index byte for byte
 * as it was, and one cut short after leaves the count behind, which
 * only makes buckets a little fuller until the next add.  So a
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

/* FNV-1a: the SHA-256 of every entry's name took 0.6 s of fsck's 8 s of
 * CPU at 100,000 clusters of 3 services (700,000 entries), and a hash of
 * 32 bits, whichever, would not keep a heartbeat's sender from crowding
 * one bucket. */
static uint32_t
name_hash(const char *s, size_t n)
{
	return (uint32_t)hmap_hash(s, short_len(s, n));
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

/* Has d the three lists of a name's document? */
static int
doc_ok(const cJSON *d)
{
	return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "clusters")) &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "services")) &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(d, "members"));
}

static int
doc_empty(const cJSON *d)
{
	static const char *const lists[] = { "clusters", "services",
	    "members" };
	size_t			 i;

	for (i = 0; i < NELEM(lists); i++)
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d,
		    lists[i])) > 0)
			return 0;
	return 1;
}

/*
 * A bucket is a line per name, {"name": K, "clusters": .., "services":
 * .., "members": ..}, in the strcmp order of K, so that a reader finds
 * its name's line by the text it starts with and parses that line alone:
 * the other names of the bucket cost it a scan for their line ends, not
 * a parse (a bucket parsed whole made a lookup's cost move with its
 * neighbours: 0.84-1.13 of its cost at 100 records).  The writers, the
 * splits and fsck hold a bucket as an object {K: document}.
 */
void
volx_bucket_text(struct buf *b, const cJSON *bucket)
{
	const cJSON	*d, *e;
	cJSON		*line;

	cJSON_ArrayForEach(d, bucket) {
		if (doc_empty(d))
			continue;
		line = cJSON_CreateObject();
		cJSON_AddStringToObject(line, "name", d->string);
		cJSON_ArrayForEach(e, d)
			cJSON_AddItemReferenceToObject(line, e->string,
			    (cJSON *)e);
		json_write(b, line);
		buf_putc(b, '\n');
		cJSON_Delete(line);
	}
}

cJSON *
volx_bucket_parse(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl;
	const cJSON	*k;
	cJSON		*bucket = cJSON_CreateObject(), *line;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = cJSON_ParseWithLength(p, (size_t)(nl - p));
		k = cJSON_GetObjectItemCaseSensitive(line, "name");
		if (!cJSON_IsString(k) || !doc_ok(line) ||
		    cJSON_GetObjectItemCaseSensitive(bucket, k->valuestring) !=
		    NULL) {
			cJSON_Delete(line);
			cJSON_Delete(bucket);
			return NULL;
		}
		cJSON_AddItemToObject(bucket, k->valuestring, line);
		cJSON_DeleteItemFromObjectCaseSensitive(line, "name");
	}
	return bucket;
}

/* The bucket at rel as {K: document} (empty when absent), or NULL. */
static cJSON *
bucket_read(const struct store *st, const char *rel)
{
	char	*text;
	cJSON	*b;
	int	 err;

	if ((text = store_read_text(st, rel, &err)) == NULL)
		return err ? NULL : cJSON_CreateObject();
	if ((b = volx_bucket_parse(text, strlen(text))) == NULL)
		log_warn("store %s/%s: not an index bucket (run hacgi-manage "
		    "fsck --repair)", st->dir, rel);
	free(text);
	return b;
}

/* Written whole, or removed once it lists nothing. */
static int
bucket_write(const struct store *st, const char *rel, const cJSON *bucket)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	volx_bucket_text(&b, bucket);
	rc = b.len > 0 ? store_write_text(st, rel, b.p, b.len) :
	    store_remove(st, rel);
	buf_free(&b);
	return rc;
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


/* The member of obj (an object) named key, kept in key order: made by
 * make when missing (make NULL: none made, NULL). */
static cJSON *
member_at(cJSON *obj, const char *key, cJSON *(*make)(void))
{
	cJSON	*e;
	int	 at = sorted_at(obj, key, &e);

	if (e != NULL || make == NULL)
		return e;
	e = make();
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

	if ((c = member_at(m, cluster, add ? cJSON_CreateObject : NULL)) ==
	    NULL || !cJSON_IsObject(c))
		return;
	if ((hosts = member_at(c, binary, add ? cJSON_CreateArray : NULL)) ==
	    NULL ||
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

/* The document of name's short() in bucket (made when missing). */
static cJSON *
bucket_doc(cJSON *bucket, const char *name)
{
	char	*k = xstrndup(name, short_len(name, strlen(name)));
	cJSON	*d = member_at(bucket, k, doc_new);

	free(k);
	return d;
}

/* A change of one entry (seq < 0: dropped) of the list of name's
 * document in the bucket at rel. */
static int
doc_change(const struct store *st, const char *rel, const char *list,
    double seq, const char *name, const char *binary)
{
	cJSON	*b;
	int	 rc;

	if ((b = bucket_read(st, rel)) == NULL)
		return -1;
	doc_entry(bucket_doc(b, name), list, seq, name, binary);
	rc = bucket_write(st, rel, b);
	cJSON_Delete(b);
	return rc;
}

/* Move the names of src that belong to bucket q under n entries to dst
 * (both buckets, in name order). */
static void
bucket_split(cJSON *src, cJSON *dst, unsigned long q, long long n)
{
	cJSON	*d, *next;

	for (d = src->child; d != NULL; d = next) {
		next = d->next;
		if (bucket_of(name_hash(d->string, strlen(d->string)), n) == q)
			cJSON_AddItemToObject(dst, d->string,
			    cJSON_DetachItemViaPointer(src, d));
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
	if ((pd = bucket_read(st, prel)) != NULL) {
		qd = cJSON_CreateObject();
		bucket_split(pd, qd, q, n + 1);
		if (bucket_write(st, qrel, qd) == 0 &&
		    store_write(st, XHEAD, h) == 0)
			rc = 0;
	}
	/* the old bucket without what moved: one failed keeps them, which
	 * readers skip (another bucket's names) and fsck calls a leftover */
	if (rc == 0 && bucket_write(st, prel, pd) == -1)
		log_warn("store %s/%s: keeps entries that moved (ignored; fsck "
		    "--repair drops them)", st->dir, prel);
	cJSON_Delete(pd);
	cJSON_Delete(qd);
	cJSON_Delete(h);
	return rc;
}

/* The bucket of name, for a change. */
static int
bucket_for(const struct store *st, const char *name, char rel[64])
{
	long long	 n;

	if (head_read(st, &n) == -1)
		return -1;
	bucket_rel(rel, bucket_of(name_hash(name, strlen(name)), n));
	return 0;
}

/* Counted once their line is committed, not before: a write that fails
 * before it leaves the index as it was (its entries go again). */
int
volx_count(const struct store *st, int added)
{
	long long	 n;

	if (added <= 0)
		return 0;
	if (head_read(st, &n) == -1)
		goto fail;
	for (; added > 0; added--, n++)
		if (grow(st, n) == -1)
			goto fail;
	return 0;
fail:
	log_warn("store %s/%s: entries not counted (the table grows at the "
	    "next add; fsck --repair counts them)", st->dir, XHEAD);
	return -1;
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
	    bucket_for(st, name, rel) == -1)
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

	if (bucket_for(st, cluster, rel) == -1 ||
	    (d = bucket_read(st, rel)) == NULL)
		return -1;
	doc_member(bucket_doc(d, cluster), cluster, binary, host, add);
	rc = bucket_write(st, rel, d);
	cJSON_Delete(d);
	return rc;
}

/* ---- a reader's ---- */

/* The document of name's short() in the bucket at rel: the line that
 * starts with its text parsed alone (doc_new() when there is none), or
 * NULL. */
static cJSON *
line_doc(const struct store *st, const char *rel, const char *name)
{
	struct buf	 pre;
	cJSON		*k, *d = NULL;
	char		*text, *key, *p, *nl, *end;
	int		 err, found = 0;

	if ((text = store_read_text(st, rel, &err)) == NULL)
		return err ? NULL : doc_new();
	/* {"name": K, ... as volx_bucket_text() writes it */
	buf_init(&pre);
	key = xstrndup(name, short_len(name, strlen(name)));
	k = cJSON_CreateObject();
	cJSON_AddStringToObject(k, "name", key);
	json_write(&pre, k);
	cJSON_Delete(k);
	free(key);
	pre.len--;				/* the '}' */
	buf_puts(&pre, ", ");
	end = text + strlen(text);
	for (p = text; p < end && !found; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > pre.len &&
		    memcmp(p, pre.p, pre.len) == 0) {
			found = 1;
			d = cJSON_ParseWithLength(p, (size_t)(nl - p));
		}
	}
	if (!found)
		d = doc_new();
	else if (d == NULL || !doc_ok(d)) {
		log_warn("store %s/%s: not an index bucket (run hacgi-manage "
		    "fsck --repair)", st->dir, rel);
		cJSON_Delete(d);
		d = NULL;
	}
	buf_free(&pre);
	free(text);
	return d;
}

cJSON *
volx_doc(const struct store *st, long long entries, const char *name)
{
	char	 rel[64];

	bucket_rel(rel, bucket_of(name_hash(name, strlen(name)), entries));
	return line_doc(st, rel, name);
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
	char		*key;		/* short() of its name or cluster */
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
	e->key = kind == XK_MEMBER ? xstrndup(c.p, short_len(c.p, c.n)) :
	    xstrndup(a.p, short_len(a.p, a.n));
}

/* By bucket and name, clusters then services in creation order, then
 * members by cluster, binary and host (the order the writers keep:
 * doc_member). */
static int
ent_cmp(const void *x, const void *y)
{
	const struct xent	*p = x, *q = y;
	int			 c;

	if (p->bucket != q->bucket)
		return p->bucket < q->bucket ? -1 : 1;
	if ((c = strcmp(p->key, q->key)) != 0)
		return c;
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
    int (*fn)(const char *file, const cJSON *want, int bucket, void *),
    void *arg)
{
	struct build	 bd = { NULL, 0, 0 };
	char		 file[24];
	cJSON		*bk, *d;
	size_t		 i, j, k;
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
		bk = cJSON_CreateObject();
		for (j = i; j < bd.n && bd.v[j].bucket == bd.v[i].bucket;
		    j = k) {
			for (k = j + 1; k < bd.n && bd.v[k].bucket ==
			    bd.v[j].bucket && strcmp(bd.v[k].key,
			    bd.v[j].key) == 0; k++)
				;
			d = ent_doc(bd.v + j, k - j);
			cJSON_AddItemToObject(bk, bd.v[j].key, d);
		}
		bucket_name(file, bd.v[i].bucket);
		rc = fn(file, bk, 1, arg);
		cJSON_Delete(bk);
	}
	if (rc == 0 && n > 0) {
		d = head_doc(n);
		rc = fn("head.json", d, 0, arg);
		cJSON_Delete(d);
	}
	for (i = 0; i < bd.n; i++) {
		free(bd.v[i].a);
		free(bd.v[i].b);
		free(bd.v[i].c);
		free(bd.v[i].key);
	}
	free(bd.v);
	return rc;
}

/* The text of a file of the index: a bucket's lines, or a document. */
void
volx_file_text(struct buf *b, const cJSON *want, int bucket)
{
	if (bucket)
		volx_bucket_text(b, want);
	else {
		json_write(b, want);
		buf_putc(b, '\n');
	}
}

/* A new file of the build: written, not synced (vol_index_rebuild syncs
 * them all at once before the folder is renamed into place). */
static int
build_one(const char *file, const cJSON *want, int bucket, void *arg)
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
	volx_file_text(&b, want, bucket);
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
