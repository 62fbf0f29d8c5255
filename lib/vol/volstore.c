/* lib/vol/volstore.c: Volume services and clusters: the writing side (record
 * files, journals; heartbeats in volhb.c).  Layout in volume.h; every
 * function here expects the exclusive lock (store_open(.., VOL_LOCK,
 * STORE_WRITE)). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/log.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"

#define COMPACT_SLACK	65536	/* bytes a journal may grow for free */

enum vkind { VK_SVC, VK_CL };

static const struct kind {
	const char	*dir;		/* record files */
	const char	*journal;
	const char	*base_key;	/* size after compaction, in counters */
	const char	*key1;		/* the key: (key1, "binary") */
} kinds[] = {
	[VK_SVC] = { VOL_SVC_DIR, VOLJ_SERVICES, "services.log", "host" },
	[VK_CL] = { VOL_CL_DIR, VOLJ_CLUSTERS, "clusters.log", "name" },
};

static int	journal_settle(const struct store *, const struct kind *);

int
vol_dirs(const struct store *st)
{
	if (store_mkdir(st, "vol") == -1 ||
	    store_mkdir(st, kinds[VK_SVC].dir) == -1 ||
	    store_mkdir(st, kinds[VK_CL].dir) == -1)
		return -1;
	return 0;
}

/* sha256("<len(a)>:<a><b>").json: unambiguous for any a, b. */
void
vol_rec_file(char out[80], const char *a, const char *b)
{
	struct buf	 key;

	buf_init(&key);
	buf_putint(&key, (long long)strlen(a));	/* "%zu:%s%s" */
	buf_putc(&key, ':');
	buf_puts(&key, a);
	buf_puts(&key, b);
	store_sha256_hex(buf_str(&key), out);	/* 64 digits and a NUL */
	buf_free(&key);
	memcpy(out + 64, ".json", 6);
}

/* vol/<kind>/vol_rec_file() */
static void
key_path(char out[128], const struct kind *k, const char *a, const char *b)
{
	char	 file[80];

	vol_rec_file(file, a, b);
	snprintf(out, 128, "%s/%s", k->dir, file);
}

static cJSON *
rec_get(const struct store *st, const struct kind *k, const char *a,
    const char *b, int *err)
{
	char	 rel[128];
	cJSON	*doc;

	if (journal_settle(st, k) == -1) {
		*err = 1;
		return NULL;
	}
	key_path(rel, k, a, b);
	if ((doc = store_read(st, rel, err)) != NULL && !cJSON_IsObject(doc)) {
		log_warn("store %s/%s: not an object", st->dir, rel);
		cJSON_Delete(doc);
		*err = 1;
		return NULL;
	}
	return doc;
}

cJSON *
vol_svc_get(const struct store *st, const char *host, const char *binary,
    int *err)
{
	return rec_get(st, &kinds[VK_SVC], host, binary, err);
}

cJSON *
vol_cluster_get(const struct store *st, const char *name, const char *binary,
    int *err)
{
	return rec_get(st, &kinds[VK_CL], name, binary, err);
}

/* ---- journals ---- */

static int
pread_all(int fd, char *p, size_t n, off_t at)
{
	ssize_t	 r;

	while (n > 0) {
		if ((r = pread(fd, p, n, at)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		at += r;
	}
	return 0;
}

/*
 * The tail of a journal of size bytes: *endp = the end of its complete
 * lines (just after its last '\n'; 0 when it has none) and, with out,
 * the last complete line itself with its '\n' (out left empty when
 * there is none).  Reads a window from the end, doubled while a torn
 * line or the wanted line does not fit in it.
 */
int
volj_tail(int fd, off_t size, off_t *endp, struct buf *out)
{
	char	*p = NULL;
	off_t	 w, start;
	size_t	 len, b, e;
	int	 rc = -1;

	for (w = 8192;; w *= 2) {
		start = size > w ? size - w : 0;
		len = (size_t)(size - start);
		p = xrealloc(p, len + 1);
		if (pread_all(fd, p, len, start) == -1)
			break;
		for (e = len; e > 0 && p[e - 1] != '\n'; e--)
			;
		if (e == 0 && start > 0)
			continue;	/* a torn line longer than w */
		for (b = e > 0 ? e - 1 : 0; b > 0 && p[b - 1] != '\n'; b--)
			;
		if (out != NULL && b == 0 && start > 0)
			continue;	/* the last line longer than w */
		*endp = start + (off_t)e;
		if (out != NULL && e > 0)
			buf_put(out, p + b, e - b);
		rc = 0;
		break;
	}
	free(p);
	return rc;
}

/* A crash may have left a line without its '\n': cut it off. */
static int
journal_repair(int fd, off_t *size)
{
	off_t	 end;

	if (volj_tail(fd, *size, &end, NULL) == -1)
		return -1;
	if (end == *size)
		return 0;
	log_warn("journal: cutting a torn line at %lld", (long long)end);
	if (ftruncate(fd, end) == -1)
		return -1;
	*size = end;
	return 0;
}

/* Append one line (with its '\n') and sync it: the commit.  0, and *sb
 * describes the journal afterwards; or -1 and the journal is as before. */
static int
journal_append(const struct store *st, const struct kind *k,
    const char *line, size_t len, struct stat *sb)
{
	off_t		 size;
	int		 fd, ok;

	fd = store_fd(st, k->journal, O_RDWR | O_APPEND | O_CREAT, 0600, sb);
	if (fd == -1) {
		log_warn("store %s/%s: cannot append", st->dir, k->journal);
		return -1;
	}
	size = sb->st_size;
	/* a line that is not on disk is taken back: the caller answers
	 * a failure, so readers must not see the line either */
	ok = size <= VOLJ_MAX && journal_repair(fd, &size) == 0 &&
	    store_write_all(fd, line, len) == 0 && store_datasync(fd) == 0 &&
	    (size > 0 || store_dirsync(st, k->journal) == 0);
	if (!ok) {
		log_warn("store %s/%s: append: %s", st->dir, k->journal,
		    size > VOLJ_MAX ? "over the size limit" : strerror(errno));
		if (ftruncate(fd, size) == -1)
			log_warn("store %s/%s: ftruncate: %s", st->dir,
			    k->journal, strerror(errno));
	}
	if (ok && fstat(fd, sb) == -1)
		sb->st_size = -1;	/* unknown: settle again next time */
	close(fd);
	return ok ? 0 : -1;
}

/* A whole journal replaced atomically, up to VOLJ_MAX: past the limit
 * of a document (store_write_text), which 100,000 services' lines are. */
static int
journal_write(const struct store *st, const struct kind *k,
    const char *text, size_t len)
{
	if (len > (size_t)VOLJ_MAX) {
		log_warn("store %s/%s: %zu bytes, over %ld: not written",
		    st->dir, k->journal, len, VOLJ_MAX);
		return -1;
	}
	return store_write_log(st, k->journal, text, len);
}

static int
base_set(const struct store *st, const struct kind *k, size_t size)
{
	cJSON	*doc;
	int	 err, rc;

	if ((doc = store_read(st, VOL_COUNTERS, &err)) == NULL && err)
		return -1;
	if (doc == NULL)
		doc = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(doc, k->base_key);
	cJSON_AddNumberToObject(doc, k->base_key, (double)size);
	rc = store_write(st, VOL_COUNTERS, doc);
	cJSON_Delete(doc);
	return rc;
}

static long long
base_get(const struct store *st, const struct kind *k)
{
	cJSON		*doc, *v;
	long long	 n = 0;
	int		 err;

	if ((doc = store_read(st, VOL_COUNTERS, &err)) == NULL)
		return err ? -1 : 0;
	v = cJSON_GetObjectItemCaseSensitive(doc, k->base_key);
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		n = (long long)v->valuedouble;
	cJSON_Delete(doc);
	return n;
}

/* One line per live record, in seq (creation) order, written atomically. */
static int
journal_compact(const struct store *st, const struct kind *k)
{
	struct buf	  out;
	const char	**last = NULL, *e;
	char		 *text;
	size_t		  len, n = 0, i;
	int		  err, rc = -1;

	if ((text = volj_slurp(st, k->journal, &len, &err)) == NULL)
		return err ? -1 : 0;
	buf_init(&out);
	if (volj_index(text, len, &last, &n) == 0) {
		for (i = 0; i < n; i++) {
			e = strchr(last[i], '\n');
			if (!volj_is_removal(last[i], (size_t)(e - last[i])))
				buf_put(&out, last[i],
				    (size_t)(e - last[i] + 1));
		}
		if (journal_write(st, k, buf_str(&out), out.len) == 0)
			rc = base_set(st, k, out.len);
	} else
		log_warn("store %s/%s: corrupt journal", st->dir, k->journal);
	free(last);
	free(text);
	buf_free(&out);
	return rc;
}

/* Amortised O(1): compact when the journal grew by half since the last
 * compaction (plus some slack).  A failure only delays it. */
static void
journal_maybe_compact(const struct store *st, const struct kind *k,
    off_t size)
{
	long long	 base = base_get(st, k);

	if (base >= 0 && size > base + base / 2 + COMPACT_SLACK &&
	    journal_compact(st, k) == -1)
		log_warn("store %s/%s: compaction failed", st->dir, k->journal);
}

/* ---- the commit point ---- */

/*
 * A write appends its journal line (fdatasync: the commit) and only then
 * replaces the record file, which is a cache of the journal for writers.
 * Writers hold the lock exclusively, so only the record of a journal's
 * last complete line can be behind (a write killed, or whose record file
 * could not be replaced, after its commit).  journal_settle() brings that
 * one record file up to date before a writer reads a record file or
 * appends: O(1), and the next write never starts from a stale record.
 */
/* The journals as this process last found them settled: any append or
 * compaction by anyone changes the size, the inode or the mtime. */
static struct settled {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	int		 ok;
} settled[2];

static int
same_journal(const struct settled *s, const struct stat *sb)
{
	return s->ok && s->dev == sb->st_dev && s->ino == sb->st_ino &&
	    s->size == sb->st_size && s->mtime.tv_sec == sb->st_mtim.tv_sec &&
	    s->mtime.tv_nsec == sb->st_mtim.tv_nsec;
}

static void
settled_set(const struct kind *k, const struct stat *sb)
{
	struct settled	*s = &settled[k - kinds];

	s->dev = sb->st_dev;
	s->ino = sb->st_ino;
	s->size = sb->st_size;
	s->mtime = sb->st_mtim;
	s->ok = 1;
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * The name index entries that a committed line (now: a record or a
 * removal) ends, dropped after the line and before the record file,
 * whose old text (old) says what they were: so journal_settle(), which
 * redoes the record file of a write cut short, redoes this too.  A
 * failure leaves an entry too many, which readers ignore.
 */
static void
index_drop(const struct store *st, const struct kind *k, const cJSON *o,
    const cJSON *now)
{
	const char	*oc = json_str(o, "cluster"), *nc;
	const char	*host = json_str(o, "host");
	const char	*bin = json_str(o, "binary");
	int		 gone, member, rc = 0;

	gone = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(now, "removed"));
	nc = gone ? NULL : json_str(now, "cluster");
	member = k == &kinds[VK_SVC] && oc != NULL && !same_str(oc, nc) &&
	    host != NULL && bin != NULL;
	if (o == NULL || (!gone && !member) || volx_kept(st) != 1)
		return;
	if (gone)
		rc = k == &kinds[VK_CL] ? volx_cluster(st, o, 0) :
		    volx_service(st, o, 0);
	if (rc == 0 && member)
		rc = volx_member(st, oc, bin, host, 0);
	if (rc == -1)
		log_warn("store %s: the name index keeps an entry too many "
		    "(ignored; fsck --repair drops it)", st->dir);
}

/* index_drop() from the old record file's text */
static void
index_drop_text(const struct store *st, const struct kind *k,
    const char *old, const cJSON *now)
{
	cJSON	*o = cJSON_Parse(old);

	index_drop(st, k, o, now);
	cJSON_Delete(o);
}

/* Make the record file say what line (a record or a keyed removal, len
 * bytes with the '\n') says, and the index (index_drop). */
static int
record_settle(const struct store *st, const struct kind *k,
    const char *line, size_t len)
{
	char		 rel[128], *text;
	cJSON		*rec;
	const char	*a, *b;
	int		 err, rc = 0;

	if ((rec = cJSON_ParseWithLengthOpts(line, len, NULL, 0)) == NULL) {
		log_warn("store %s/%s: the last line is not a record (run "
		    "hacgi-manage fsck)", st->dir, k->journal);
		return -1;
	}
	a = json_str(rec, k->key1);
	b = json_str(rec, "binary");
	if (a == NULL || b == NULL) {
		/* a removal written before removals carried their key:
		 * those removed the record file first */
		cJSON_Delete(rec);
		return 0;
	}
	key_path(rel, k, a, b);
	text = store_read_text(st, rel, &err);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "removed"))) {
		if (text != NULL)
			index_drop_text(st, k, text, rec);
		rc = store_remove(st, rel);
	} else if (text == NULL || strlen(text) != len ||
	    memcmp(text, line, len) != 0) {
		log_warn("store %s/%s: behind the journal, rewritten",
		    st->dir, rel);
		if (text != NULL)
			index_drop_text(st, k, text, rec);
		rc = store_write_text(st, rel, line, len);
	}
	free(text);
	cJSON_Delete(rec);
	return rc;
}

static int
journal_settle(const struct store *st, const struct kind *k)
{
	struct stat	 sb;
	struct buf	 line;
	off_t		 end;
	int		 fd, rc = -1;

	if ((fd = store_fd(st, k->journal, O_RDONLY, 0, &sb)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (sb.st_size > VOLJ_MAX) {
		log_warn("store %s/%s: over %ld bytes: refused", st->dir,
		    k->journal, VOLJ_MAX);
		close(fd);
		return -1;
	}
	if (same_journal(&settled[k - kinds], &sb)) {
		close(fd);
		return 0;
	}
	buf_init(&line);
	if (volj_tail(fd, sb.st_size, &end, &line) == -1)
		log_warn("store %s/%s: read: %s", st->dir, k->journal,
		    strerror(errno));
	else if (line.len == 0 || record_settle(st, k, line.p, line.len) == 0)
		rc = 0;
	buf_free(&line);
	close(fd);
	if (rc == 0)
		settled_set(k, &sb);
	return rc;
}

/* ---- records ---- */

/*
 * Commit line (rec, or the removal gone), then bring the record file of
 * rec's key up to date.  Once the line is on disk the write stands: a
 * record file that cannot be replaced is left to the next writer's
 * journal_settle(), and the journal is compacted only when every record
 * file agrees with it (the stale one must stay on the last line).
 */
static int
rec_commit(const struct store *st, const struct kind *k, const cJSON *old,
    const cJSON *rec, const cJSON *gone)
{
	char		 rel[128];
	struct buf	 line;
	struct stat	 sb;
	int		 rc = -1, cached;

	key_path(rel, k, json_str(rec, k->key1), json_str(rec, "binary"));
	buf_init(&line);
	json_write(&line, gone != NULL ? gone : rec);
	buf_putc(&line, '\n');
	if (journal_settle(st, k) == 0 &&
	    journal_append(st, k, line.p, line.len, &sb) == 0) {
		rc = 0;
		index_drop(st, k, old, gone != NULL ? gone : rec);
		cached = gone != NULL ? store_remove(st, rel) :
		    store_write_text(st, rel, line.p, line.len);
		if (cached == 0) {
			settled_set(k, &sb);
			journal_maybe_compact(st, k, sb.st_size);
		} else
			log_warn("store %s/%s: behind the journal until the "
			    "next write", st->dir, rel);
	}
	buf_free(&line);
	return rc;
}

/* old: the current record (NULL: none or of no matter), for index_drop */
static int
rec_put(const struct store *st, const struct kind *k, const cJSON *old,
    const cJSON *rec)
{
	return rec_commit(st, k, old, rec, NULL);
}

/* The removal line carries the key, so that journal_settle() can find
 * the record file; "removed" stays last (volj_is_removal). */
static int
rec_remove(const struct store *st, const struct kind *k, const cJSON *rec)
{
	const cJSON	*seq = cJSON_GetObjectItemCaseSensitive(rec, "seq");
	cJSON		*gone;
	int		 rc;

	if (!cJSON_IsNumber(seq) || json_str(rec, k->key1) == NULL ||
	    json_str(rec, "binary") == NULL)
		return -1;
	gone = cJSON_CreateObject();
	cJSON_AddNumberToObject(gone, "seq", seq->valuedouble);
	cJSON_AddStringToObject(gone, k->key1, json_str(rec, k->key1));
	cJSON_AddStringToObject(gone, "binary", json_str(rec, "binary"));
	cJSON_AddTrueToObject(gone, "removed");
	rc = rec_commit(st, k, rec, rec, gone);
	cJSON_Delete(gone);
	return rc;
}

/*
 * The name index (volindex.c) follows the records it serves: an entry
 * is added before the commit that needs it and dropped after the one
 * that ends it (index_drop), so that a write cut short leaves at most an
 * entry too many, which readers check against the record (volume.h).
 */
/* A service's write (gone: its removal) from old, its current record
 * (NULL: none), to rec. */
static int
svc_write(const struct store *st, const cJSON *old, const cJSON *rec,
    int gone)
{
	const char	*host = json_str(rec, "host");
	const char	*bin = json_str(rec, "binary");
	const char	*oc = old != NULL ? json_str(old, "cluster") : NULL;
	const char	*nc = gone ? NULL : json_str(rec, "cluster");
	int		 add = nc != NULL && !same_str(oc, nc), kept = 1;
	int		 fresh = old == NULL && !gone;

	/* a known service's heartbeat neither changes the index nor can
	 * make it (there are records): not even a look */
	if ((add || old == NULL) && (kept = volx_kept(st)) == -1)
		return -1;
	add = add && kept && host != NULL && bin != NULL;
	fresh = fresh && kept && host != NULL && bin != NULL;
	if (fresh && volx_service(st, rec, 1) == -1)
		return -1;
	if (add && volx_member(st, nc, bin, host, 1) == -1)
		goto undo;
	if ((gone ? rec_remove(st, &kinds[VK_SVC], rec) :
	    rec_put(st, &kinds[VK_SVC], old, rec)) == 0) {
		(void)volx_count(st, fresh + add);
		return 0;
	}
	/* not committed: the entries go again (a failure leaves them,
	 * ignored) */
	if (add)
		(void)volx_member(st, nc, bin, host, 0);
undo:
	if (fresh)
		(void)volx_service(st, rec, 0);
	return -1;
}

int
vol_svc_replace(const struct store *st, const cJSON *old, const cJSON *rec)
{
	return svc_write(st, old, rec, 0);
}

int
vol_svc_put(const struct store *st, const cJSON *rec)
{
	const char	*host = json_str(rec, "host");
	const char	*bin = json_str(rec, "binary");
	cJSON		*old;
	int		 err, rc;

	if (host == NULL || bin == NULL)
		return -1;
	if ((old = vol_svc_get(st, host, bin, &err)) == NULL && err)
		return -1;
	rc = svc_write(st, old, rec, 0);
	cJSON_Delete(old);
	return rc;
}

int
vol_svc_remove(const struct store *st, const cJSON *rec)
{
	return svc_write(st, rec, rec, 1);
}

/* A new cluster's entries go in before its commit. */
int
vol_cluster_put(const struct store *st, const cJSON *rec)
{
	const char	*name = json_str(rec, "name");
	const char	*bin = json_str(rec, "binary");
	char		 rel[128];
	int		 kept, have = 1;

	if (name == NULL || bin == NULL || (kept = volx_kept(st)) == -1)
		return -1;
	if (kept) {
		key_path(rel, &kinds[VK_CL], name, bin);
		if (journal_settle(st, &kinds[VK_CL]) == -1 ||
		    (have = store_exists(st, rel)) == -1 ||
		    (have == 0 && volx_cluster(st, rec, 1) == -1))
			return -1;
	}
	if (rec_put(st, &kinds[VK_CL], NULL, rec) == 0) {
		if (kept && have == 0)
			(void)volx_count(st, 1);
		return 0;
	}
	if (kept && have == 0)	/* not committed: as svc_write */
		(void)volx_cluster(st, rec, 0);
	return -1;
}

int
vol_cluster_remove(const struct store *st, const cJSON *rec)
{
	return rec_remove(st, &kinds[VK_CL], rec);
}

/* ---- rebuilding the journals from the record files (fsck) ---- */

struct collect {
	const struct store	*st;
	const struct kind	*k;
	cJSON			*recs;
	int			 err;
};

static int
collect_one(const char *name, void *arg)
{
	struct collect	*c = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", c->k->dir, name);
	rec = store_read(c->st, rel, &err);
	if (rec == NULL || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
	    rec, "seq"))) {
		log_warn("store %s/%s: unusable record", c->st->dir, rel);
		cJSON_Delete(rec);
		c->err = 1;
		return 0;
	}
	cJSON_AddItemToArray(c->recs, rec);
	return 0;
}

static int
seq_cmp(const void *a, const void *b)
{
	double	 x = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)a,
		    "seq")->valuedouble;
	double	 y = cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)b,
		    "seq")->valuedouble;

	return (x > y) - (x < y);
}

static int
rebuild_one(const struct store *st, const struct kind *k)
{
	struct collect	  c = { st, k, cJSON_CreateArray(), 0 };
	struct buf	  out;
	cJSON		**v, *e;
	size_t		  n = 0, i;
	int		  rc = -1;

	buf_init(&out);
	if (store_scan(st, k->dir, collect_one, &c) == 0 && !c.err) {
		v = xcalloc((size_t)cJSON_GetArraySize(c.recs) + 1, sizeof(*v));
		cJSON_ArrayForEach(e, c.recs)
			v[n++] = e;
		qsort(v, n, sizeof(*v), seq_cmp);
		for (i = 0; i < n; i++) {
			json_write(&out, v[i]);
			buf_putc(&out, '\n');
		}
		free(v);
		if (journal_write(st, k, buf_str(&out), out.len) == 0)
			rc = base_set(st, k, out.len);
	}
	buf_free(&out);
	cJSON_Delete(c.recs);
	return rc;
}

int
vol_rebuild(const struct store *st, int what)
{
	if (vol_dirs(st) == -1 ||
	    ((what & VOL_SERVICES) && rebuild_one(st, &kinds[VK_SVC]) == -1) ||
	    ((what & VOL_CLUSTERS) && rebuild_one(st, &kinds[VK_CL]) == -1))
		return -1;
	(void)vol_index_rebuild(st);	/* else none: readers read the
					   journals until fsck builds it */
	return 0;
}
