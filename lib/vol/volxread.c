/*
 * lib/vol/volxread.c: the readers of the name index (volume.h, "The name
 * index"; kept by volindex.c): a cluster show, enable or disable, and
 * the os-services actions that name a host or a cluster, read one or two
 * of its documents and the record files they list, never the journals.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"

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
	long long		 entries;	/* its head's count */
	struct tail		 tail[2];	/* services, clusters */
	struct buf		 cl, svc;	/* journal texts */
};

/* 1 (l ready: lookup_free it), 0 when there is no index, -1. */
static int
lookup_init(struct lookup *l, const struct store *st)
{
	memset(l, 0, sizeof(*l));
	if (store_dirfd(st, VOLX_DIR) == -1)
		return errno == ENOENT ? 0 : -1;
	if (volx_entries(st, &l->entries) == -1)
		return -1;
	l->st = st;
	buf_init(&l->cl);
	buf_init(&l->svc);
	return 1;
}

static void
lookup_free(struct lookup *l)
{
	buf_free(&l->cl);
	buf_free(&l->svc);
	tail_free(&l->tail[0]);
	tail_free(&l->tail[1]);
}

/* The document of name in its bucket (volx_doc). */
static cJSON *
lookup_doc(const struct lookup *l, const char *name)
{
	return volx_doc(l->st, l->entries, name);
}

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
		    (long long)volx_entry_seq(e) && vol_name_match(name, s))
			break;
	}
	return 0;
}

/* The record lines of the members of (cluster, binary) that the bucket
 * d lists. */
static int
member_lines(struct lookup *l, const cJSON *d, const char *cluster,
    const char *binary)
{
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(d, "members");
	const cJSON	*h;

	m = cJSON_GetObjectItemCaseSensitive(m, cluster);
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(m, binary)) {
		if (!cJSON_IsString(h))
			continue;
		if (tail_of(l, 0) == -1 || rec_line(l->st, &l->tail[0],
		    VOL_SVC_DIR, h->valuestring, binary, &l->svc) == -1)
			return -1;
	}
	return 0;
}

/* The cluster found (db->cl[0]), alone with the lines of its members,
 * which its bucket d lists (the name it was found by matches its name:
 * the same bucket, volindex.c). */
static int
lookup_members(struct lookup *l, struct vol_db *db, const cJSON *d)
{
	char	*cname = xstrndup(db->cl[0].name.p, db->cl[0].name.n);
	char	*cbin = xstrndup(db->cl[0].binary.p, db->cl[0].binary.n);
	int	 rc = -1;

	buf_reset(&l->cl);
	buf_put(&l->cl, db->cl[0].line, db->cl[0].len);
	buf_putc(&l->cl, '\n');
	if (member_lines(l, d, cname, cbin) == 0) {
		vol_free(db);
		rc = vol_load_texts(db, &l->svc, &l->cl);
	}
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
	if ((rc = lookup_init(&l, st)) != 1)
		return rc;
	rc = -1;
	if ((d = lookup_doc(&l, name)) == NULL ||
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
	if (lookup_members(&l, db, d) == -1)
		rc = -1;
out:
	cJSON_Delete(d);
	lookup_free(&l);
	return rc;
}

/* ---- the services a host or a cluster names ---- */

struct named {
	struct lookup	 l;
	struct buf	 done;		/* clusters added: "name\0binary\0" */
	int		 clusters;	/* a service's cluster too */
};

/* Was (name, binary) added already?  If not, it is now. */
static int
named_once(struct named *nm, const char *name, const char *binary)
{
	const char	*p = nm->done.p;
	size_t		 at, nb;

	for (at = 0; at < nm->done.len; at = nb + strlen(p + nb) + 1) {
		nb = at + strlen(p + at) + 1;
		if (strcmp(p + at, name) == 0 && strcmp(p + nb, binary) == 0)
			return 1;
	}
	buf_put(&nm->done, name, strlen(name) + 1);
	buf_put(&nm->done, binary, strlen(binary) + 1);
	return 0;
}

/* The cluster (name, binary), once, and its members' lines (d: the
 * document of name, when the caller has it). */
static int
named_cluster(struct named *nm, const char *name, const char *binary,
    const cJSON *d)
{
	cJSON	*own = NULL;
	int	 rc;

	if (named_once(nm, name, binary))
		return 0;
	if (tail_of(&nm->l, 1) == -1 || rec_line(nm->l.st, &nm->l.tail[1],
	    VOL_CL_DIR, name, binary, &nm->l.cl) == -1)
		return -1;
	if (d == NULL && (d = own = lookup_doc(&nm->l, name)) == NULL)
		return -1;
	rc = member_lines(&nm->l, d, name, binary);
	cJSON_Delete(own);
	return rc;
}

/* The cluster of the service line just added at svc[at..], if any. */
static int
named_svc_cluster(struct named *nm, size_t at)
{
	const char	*c, *b;
	cJSON		*rec;
	int		 rc = 0;

	rec = cJSON_ParseWithLength(nm->l.svc.p + at, nm->l.svc.len - at);
	if (rec == NULL)
		return -1;
	c = json_str(rec, "cluster");
	b = json_str(rec, "binary");
	if (c != NULL && b != NULL)
		rc = named_cluster(nm, c, b, NULL);
	cJSON_Delete(rec);
	return rc;
}

/* Every entry of the list of d (clusters, services) of binary (NULL:
 * any) whose name v matches: its record's line, and its cluster's. */
static int
named_list(struct named *nm, const cJSON *d, const char *list,
    const char *v, const char *binary)
{
	const cJSON	*e, *n, *b;
	struct vstr	 s;
	size_t		 at;
	int		 svc = strcmp(list, "services") == 0, r;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(d, list)) {
		n = cJSON_GetArrayItem(e, 1);
		b = cJSON_GetArrayItem(e, 2);
		if (!cJSON_IsString(n) || !cJSON_IsString(b) ||
		    (binary != NULL && strcmp(b->valuestring, binary) != 0))
			continue;
		s.p = n->valuestring;
		s.n = strlen(n->valuestring);
		if (!vol_name_match(v, s))
			continue;
		if (!svc) {
			/* v matches it: its bucket is d */
			r = named_cluster(nm, n->valuestring, b->valuestring,
			    d);
		} else {
			at = nm->l.svc.len;
			if (tail_of(&nm->l, 0) == -1 || (r = rec_line(nm->l.st,
			    &nm->l.tail[0], VOL_SVC_DIR, n->valuestring,
			    b->valuestring, &nm->l.svc)) == -1)
				return -1;
			if (r == 1 && nm->clusters)
				r = named_svc_cluster(nm, at);
		}
		if (r == -1)
			return -1;
	}
	return 0;
}

int
vol_load_named(const struct store *st, const char *host,
    const char *cluster, const char *binary, int clusters,
    struct vol_db *db)
{
	struct named	 nm;
	cJSON		*d = NULL;
	int		 rc = -1;

	memset(db, 0, sizeof(*db));
	memset(&nm, 0, sizeof(nm));
	if ((rc = lookup_init(&nm.l, st)) != 1)
		return rc;
	rc = -1;
	nm.clusters = clusters;
	buf_init(&nm.done);
	if (host != NULL && ((d = lookup_doc(&nm.l, host)) == NULL ||
	    named_list(&nm, d, "services", host, binary) == -1))
		goto out;
	cJSON_Delete(d);
	d = NULL;
	if (cluster != NULL && ((d = lookup_doc(&nm.l, cluster)) == NULL ||
	    named_list(&nm, d, "clusters", cluster, binary) == -1))
		goto out;
	if (vol_load_texts(db, &nm.l.svc, &nm.l.cl) == 0)
		rc = 1;
out:
	cJSON_Delete(d);
	lookup_free(&nm.l);
	buf_free(&nm.done);
	return rc;
}
