/*
 * lib/vol/volindex.c: the cluster index (volume.h, "The cluster index"):
 * one small document per name a show or an enable/disable may be asked
 * for, listing the clusters that name matches (SPEC 3.2) and, for the
 * clusters of exactly that name, the hosts of their services.  A show
 * reads one or two of them and the few record files they name, never
 * the journals.  Kept by the writers (volstore.c) under the exclusive
 * lock, built whole by vol_index_rebuild (fsck --repair, the bulk
 * loader), checked by fsck (lib/admin/fsck_vol_index.c).
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

struct xkey {
	const char	*p;
	size_t		 n;
};

/*
 * Every value v that matches the cluster name s (SPEC 3.2): s itself; s
 * up to its first '#'; s up to its first '@' when no '#' comes before
 * it.  (v matches s when s = v, or s starts with v# and v holds no '#',
 * or s starts with v@ and v holds neither: so v is one of these.)
 */
static int
match_keys(const char *s, size_t n, struct xkey k[3])
{
	const char	*hash = memchr(s, '#', n), *at = memchr(s, '@', n);
	int		 m = 0;

	k[m].p = s;
	k[m++].n = n;
	if (hash != NULL) {
		k[m].p = s;
		k[m++].n = (size_t)(hash - s);
	}
	if (at != NULL && (hash == NULL || at < hash)) {
		k[m].p = s;
		k[m++].n = (size_t)(at - s);
	}
	return m;
}

/* "SHA256(key).json" */
static void
key_file(char out[80], const char *key, size_t n)
{
	char	*k = xstrndup(key, n);

	store_sha256_hex(k, out);
	free(k);
	memcpy(out + 64, ".json", 6);
}

static void
key_path(char out[128], const char *dir, const char *key, size_t n)
{
	char	 file[80];

	key_file(file, key, n);
	snprintf(out, 128, "%s/%s", dir, file);
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
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d,
	    "clusters")) == 0 && cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(d, "members")) == 0)
		return store_remove(st, rel);
	return store_write(st, rel, d);
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

static double
entry_seq(const cJSON *e)
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

/* Drop the entry of (name, binary) and, with seq >= 0, put it back with
 * that seq, in seq order. */
static void
doc_cluster(cJSON *d, double seq, const char *name, const char *binary)
{
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(d, "clusters");
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
	for (e = a->child; e != NULL && entry_seq(e) < seq; e = e->next)
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


/* Add (add != 0) or drop host among members[binary], kept sorted. */
static void
doc_member(cJSON *d, const char *binary, const char *host, int add)
{
	cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	cJSON	*hosts, *e;
	int	 at;

	at = sorted_at(m, binary, &hosts);
	if (hosts == NULL) {
		if (!add)
			return;
		hosts = cJSON_CreateArray();
		cJSON_AddItemToObject(m, binary, hosts);
		cJSON_DetachItemViaPointer(m, hosts);
		insert_at(m, at, hosts);
	}
	if (!cJSON_IsArray(hosts))
		return;
	at = sorted_at(hosts, host, &e);
	if (add && e == NULL)
		insert_at(hosts, at, cJSON_CreateString(host));
	else if (!add && e != NULL)
		cJSON_Delete(cJSON_DetachItemViaPointer(hosts, e));
	if (cJSON_GetArraySize(hosts) == 0)
		cJSON_Delete(cJSON_DetachItemViaPointer(m, hosts));
}

/* ---- the writers' steps (volstore.c) ---- */

int
volx_cluster(const struct store *st, const cJSON *rec, int add)
{
	const char	*name = json_str(rec, "name");
	const char	*binary = json_str(rec, "binary");
	const cJSON	*seq = cJSON_GetObjectItemCaseSensitive(rec, "seq");
	struct xkey	 k[3];
	char		 rel[128];
	cJSON		*d;
	int		 i, n, rc = 0;

	if (name == NULL || binary == NULL || !cJSON_IsNumber(seq))
		return -1;
	n = match_keys(name, strlen(name), k);
	for (i = 0; i < n && rc == 0; i++) {
		key_path(rel, VOLX_DIR, k[i].p, k[i].n);
		if ((d = doc_read(st, rel)) == NULL)
			return -1;
		doc_cluster(d, add ? seq->valuedouble : -1, name, binary);
		rc = doc_write(st, rel, d);
		cJSON_Delete(d);
	}
	return rc;
}

int
volx_member(const struct store *st, const char *cluster, const char *binary,
    const char *host, int add)
{
	char	 rel[128];
	cJSON	*d;
	int	 rc;

	key_path(rel, VOLX_DIR, cluster, strlen(cluster));
	if ((d = doc_read(st, rel)) == NULL)
		return -1;
	doc_member(d, binary, host, add);
	rc = doc_write(st, rel, d);
	cJSON_Delete(d);
	return rc;
}

/* ---- a reader's lookup ---- */

/* The last complete line of a journal, which is the only one whose
 * record file may be behind (volume.h): a reader takes it over the
 * file. */
struct tail {
	int		 read;
	char		*a, *b;		/* its key; NULL: none */
	int		 removed;
	struct buf	 line;
};

static int
tail_read(const struct store *st, const char *journal, const char *key1,
    struct tail *t)
{
	struct stat	 sb;
	off_t		 end;
	cJSON		*j;
	int		 fd, rc;

	t->read = 1;
	buf_init(&t->line);
	if ((fd = store_fd(st, journal, O_RDONLY, 0, &sb)) == -1)
		return errno == ENOENT ? 0 : -1;
	rc = volj_tail(fd, sb.st_size, &end, &t->line);
	close(fd);
	if (rc == -1 || t->line.len == 0)
		return rc;
	if ((j = cJSON_ParseWithLength(t->line.p, t->line.len)) == NULL)
		return -1;
	if (json_str(j, key1) != NULL && json_str(j, "binary") != NULL) {
		t->a = xstrdup(json_str(j, key1));
		t->b = xstrdup(json_str(j, "binary"));
		t->removed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j,
		    "removed"));
	}
	cJSON_Delete(j);
	return 0;
}

static void
tail_free(struct tail *t)
{
	if (t->read)
		buf_free(&t->line);
	free(t->a);
	free(t->b);
}

/* The current record of (a, b) as its journal line, appended to out
 * (with its '\n'): 1, 0 when there is none, -1 on an error. */
static int
rec_line(const struct store *st, const struct tail *t, const char *dir,
    const char *a, const char *b, struct buf *out)
{
	char	 file[80], rel[128], *text;
	int	 err;

	if (t->a != NULL && strcmp(t->a, a) == 0 && strcmp(t->b, b) == 0) {
		if (t->removed)
			return 0;
		buf_put(out, t->line.p, t->line.len);
		return 1;
	}
	vol_rec_file(file, a, b);
	snprintf(rel, sizeof(rel), "%s/%s", dir, file);
	if ((text = store_read_text(st, rel, &err)) == NULL)
		return err ? -1 : 0;
	buf_puts(out, text);
	if (out->len > 0 && out->p[out->len - 1] != '\n')
		buf_putc(out, '\n');
	free(text);
	return 1;
}

struct lookup {
	const struct store	*st;
	struct tail		 tail[2];	/* services, clusters */
	struct buf		 cl, svc;	/* journal texts */
};

static int
tail_of(struct lookup *l, int i)
{
	if (l->tail[i].read)
		return 0;
	return tail_read(l->st, i == 0 ? VOLJ_SERVICES : VOLJ_CLUSTERS,
	    i == 0 ? "host" : "name", &l->tail[i]);
}

/*
 * The record lines of the clusters the document d lists, in its order
 * (seq order), until the first that is what it says: its record exists
 * with the entry's seq, and matches name and binary.  The ones before
 * are stale entries or other binaries; one whose record has another seq
 * (an index fsck would call damaged) is kept too, so that its real seq
 * decides.
 */
static int
find_lines(struct lookup *l, const cJSON *d, const char *name,
    const char *binary)
{
	const cJSON	*e, *n, *b;
	size_t		 at;
	struct vstr	 s;
	int		 r;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(d,
	    "clusters")) {
		n = cJSON_GetArrayItem(e, 1);
		b = cJSON_GetArrayItem(e, 2);
		if (!cJSON_IsString(n) || !cJSON_IsString(b) ||
		    (binary != NULL && strcmp(b->valuestring, binary) != 0))
			continue;
		at = l->cl.len;
		if (tail_of(l, 1) == -1 || (r = rec_line(l->st, &l->tail[1],
		    VOL_CL_DIR, n->valuestring, b->valuestring, &l->cl)) == -1)
			return -1;
		s.p = n->valuestring;
		s.n = strlen(n->valuestring);
		if (r == 1 && volj_seq_of(l->cl.p + at) ==
		    (long long)entry_seq(e) && vol_name_match(name, s))
			break;
	}
	return 0;
}

/* The record lines of the services d lists for binary. */
static int
member_lines(struct lookup *l, const cJSON *d, const char *binary)
{
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	const cJSON	*h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(m, binary)) {
		if (!cJSON_IsString(h))
			continue;
		if (tail_of(l, 0) == -1 || rec_line(l->st, &l->tail[0],
		    VOL_SVC_DIR, h->valuestring, binary, &l->svc) == -1)
			return -1;
	}
	return 0;
}

static cJSON *
doc_of(const struct store *st, const char *key)
{
	char	 rel[128];

	key_path(rel, VOLX_DIR, key, strlen(key));
	return doc_read(st, rel);
}

/* The cluster found (db->cl[0]), alone with the lines of its members. */
static int
lookup_members(struct lookup *l, struct vol_db *db, const cJSON *d,
    const char *name)
{
	char	*cname = xstrndup(db->cl[0].name.p, db->cl[0].name.n);
	char	*cbin = xstrndup(db->cl[0].binary.p, db->cl[0].binary.n);
	cJSON	*other = NULL;
	int	 rc = -1;

	buf_reset(&l->cl);
	buf_put(&l->cl, db->cl[0].line, db->cl[0].len);
	buf_putc(&l->cl, '\n');
	if (strcmp(cname, name) != 0 && (d = other = doc_of(l->st, cname)) ==
	    NULL)
		goto out;
	if (member_lines(l, d, cbin) == -1)
		goto out;
	vol_free(db);
	rc = vol_load_texts(db, &l->svc, &l->cl);
out:
	cJSON_Delete(other);
	free(cname);
	free(cbin);
	return rc;
}

int
vol_load_cluster(const struct store *st, const char *name,
    const char *binary, struct vol_db *db)
{
	struct lookup	 l;
	cJSON		*d = NULL;
	long		 i;
	int		 rc = -1;

	memset(db, 0, sizeof(*db));
	if (store_dirfd(st, VOLX_DIR) == -1)
		return errno == ENOENT ? 0 : -1;
	memset(&l, 0, sizeof(l));
	l.st = st;
	buf_init(&l.cl);
	buf_init(&l.svc);
	if ((d = doc_of(st, name)) == NULL ||
	    find_lines(&l, d, name, binary) == -1 ||
	    vol_load_texts(db, &l.svc, &l.cl) == -1)
		goto out;
	rc = 1;
	if ((i = vol_cluster_find(db, name, binary)) < 0) {
		db->ncl = 0;
		goto out;
	}
	if (i > 0) {
		db->cl[0] = db->cl[i];
		db->ncl = 1;
	}
	if (lookup_members(&l, db, d, name) == -1)
		rc = -1;
out:
	cJSON_Delete(d);
	buf_free(&l.cl);
	buf_free(&l.svc);
	tail_free(&l.tail[0]);
	tail_free(&l.tail[1]);
	return rc;
}

/* ---- the whole index, from the journals (fsck, the bulk loader) ---- */

/* One entry of one document: a cluster its key matches, or a member of
 * the clusters of exactly that name.  Strings owned. */
struct xent {
	char		*key;
	int		 member;
	size_t		 ord;		/* creation order */
	long long	 seq;
	char		*a, *b;		/* name or host; binary */
};

struct build {
	struct xent	*v;
	size_t		 n, cap;
};

static void
ent_add(struct build *bd, const char *key, size_t klen, int member,
    long long seq, struct vstr a, struct vstr b)
{
	struct xent	*e;

	if (bd->n == bd->cap) {
		bd->cap = bd->cap ? 2 * bd->cap : 1024;
		bd->v = xrealloc(bd->v, bd->cap * sizeof(*bd->v));
	}
	e = &bd->v[bd->n];
	e->key = xstrndup(key, klen);
	e->member = member;
	e->ord = bd->n++;
	e->seq = seq;
	e->a = xstrndup(a.p, a.n);
	e->b = xstrndup(b.p, b.n);
}

/* By document, clusters first in creation order, then members by
 * binary and host (the order the writers keep: doc_member). */
static int
ent_cmp(const void *x, const void *y)
{
	const struct xent	*p = x, *q = y;
	int			 c;

	if ((c = strcmp(p->key, q->key)) != 0)
		return c;
	if (p->member != q->member)
		return p->member - q->member;
	if (!p->member)
		return (p->ord > q->ord) - (p->ord < q->ord);
	if ((c = strcmp(p->b, q->b)) != 0)
		return c;
	return strcmp(p->a, q->a);
}

static int
svc_ent(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	(void)db;
	if (s->cluster.p != NULL)
		ent_add(arg, s->cluster.p, s->cluster.n, 1, 0, s->host,
		    s->binary);
	return 0;
}

static int
collect(const struct store *st, struct build *bd)
{
	struct vol_db		 db;
	const struct vol_cluster *c;
	struct xkey		 k[3];
	size_t			 i;
	int			 j, n, rc = -1;

	if (vol_load(st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0 &&
	    vol_svc_each(&db, svc_ent, bd) == 0) {
		for (i = 0; i < db.ncl; i++) {
			c = &db.cl[i];
			n = match_keys(c->name.p, c->name.n, k);
			for (j = 0; j < n; j++)
				ent_add(bd, k[j].p, k[j].n, 0,
				    volj_seq_of(c->line), c->name, c->binary);
		}
		rc = 0;
	}
	vol_free(&db);
	return rc;
}

/* The document of the entries v[0 .. n) (one key). */
static cJSON *
ent_doc(const struct xent *v, size_t n)
{
	cJSON	*d = doc_new(), *e;
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(d, "clusters");
	cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	cJSON	*hosts = NULL;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!v[i].member) {
			e = cJSON_CreateArray();
			cJSON_AddItemToArray(e, cJSON_CreateNumber(
			    (double)v[i].seq));
			cJSON_AddItemToArray(e, cJSON_CreateString(v[i].a));
			cJSON_AddItemToArray(e, cJSON_CreateString(v[i].b));
			cJSON_AddItemToArray(a, e);
			continue;
		}
		if (hosts == NULL || strcmp(hosts->string, v[i].b) != 0) {
			hosts = cJSON_CreateArray();
			cJSON_AddItemToObject(m, v[i].b, hosts);
		}
		cJSON_AddItemToArray(hosts, cJSON_CreateString(v[i].a));
	}
	return d;
}

int
vol_index_each(const struct store *st,
    int (*fn)(const char *file, const cJSON *doc, void *), void *arg)
{
	struct build	 bd = { NULL, 0, 0 };
	cJSON		*d;
	char		 file[80];
	size_t		 i, j;
	int		 rc;

	if ((rc = collect(st, &bd)) == 0 && bd.n > 1)	/* v NULL at 0 */
		qsort(bd.v, bd.n, sizeof(*bd.v), ent_cmp);
	for (i = 0; i < bd.n && rc == 0; i = j) {
		for (j = i + 1; j < bd.n && strcmp(bd.v[j].key,
		    bd.v[i].key) == 0; j++)
			;
		key_file(file, bd.v[i].key, strlen(bd.v[i].key));
		d = ent_doc(bd.v + i, j - i);
		rc = fn(file, d, arg);
		cJSON_Delete(d);
	}
	for (i = 0; i < bd.n; i++) {
		free(bd.v[i].key);
		free(bd.v[i].a);
		free(bd.v[i].b);
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
	    vol_index_each(st, build_one, (void *)(uintptr_t)st) == -1 ||
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
