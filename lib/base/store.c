/* lib/base/store.c: flock + atomic rename (STYLE 19, 20).
 *
 * The lock file is never renamed.  store_write() renames a new JSON over
 * the old one: a writer waiting on a lock on the JSON itself would wake up
 * holding the old inode, read stale data and lose an update.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/storeint.h"
#include "base/util.h"


static int store_nosync;

/* ---- sync ---- */

void
store_set_nosync(int on)
{
	store_nosync = on;
}

int
store_datasync(int fd)
{
	return store_nosync ? 0 : fdatasync(fd);
}

/* syncfs(2) is Linux-only; sync(2) is enough for a rare bulk load. */
int
store_sync(const struct store *st)
{
	(void)st;
	sync();
	return 0;
}

int
store_dirsync(const struct store *st, const char *rel)
{
	const char	*name;
	int		 fd;

	if (store_nosync)
		return 0;
	if ((fd = storedir_of(st, rel, &name)) == -1 || fsync(fd) == -1) {
		log_warn("store %s/%s: fsync of its folder: %s", st->dir, rel,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Once the rename (unlink, mkdir, rmdir) is done, every reader sees the
 * change: failing the request now would answer 500 for a change that was
 * made (SPEC 2.7: a fault leaves nothing half-written).  A folder that
 * cannot be synced is logged by store_dirsync() and the change stands.
 */
static int
store_settle(const struct store *st, const char *rel)
{
	(void)store_dirsync(st, rel);
	return 0;
}

/* ---- open, lock, close ---- */

static int
store_format(struct store *st)
{
	cJSON	*doc, *v;
	int	 err, rc = -1;

	doc = store_read(st, "FORMAT", &err);
	if (doc == NULL && err)
		return -1;
	if (doc == NULL) {
		doc = cJSON_CreateObject();
		cJSON_AddNumberToObject(doc, "format", STORE_FORMAT);
		rc = store_write(st, "FORMAT", doc);
	} else if ((v = cJSON_GetObjectItemCaseSensitive(doc, "format")) ==
	    NULL || !cJSON_IsNumber(v) || v->valuedouble != STORE_FORMAT)
		log_warn("store %s/FORMAT: unsupported data format", st->dir);
	else
		rc = 0;
	cJSON_Delete(doc);
	return rc;
}

void
store_init(struct store *st, const char *dir)
{
	st->lockfd = -1;
	st->dir = dir;
	st->flags = 0;
	st->dirs = NULL;	/* DATA_DIR is opened at its first use */
}

int
store_open(struct store *st, const char *dir, const char *name,
    enum store_mode mode)
{
	struct stat	 sb;
	char		 rel[256];

	store_init(st, dir);
	if (mode == STORE_WRITE && mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("store %s: mkdir: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(rel, sizeof(rel), "%s.lock", name);
	st->lockfd = store_fd(st, rel, mode == STORE_WRITE ? O_RDWR | O_CREAT :
	    O_RDONLY, 0600, &sb);
	if (st->lockfd == -1 && mode == STORE_READ && errno == ENOENT)
		return 0;	/* nothing was ever written */
	if (st->lockfd == -1) {
		if (errno == ENOENT)
			log_warn("store %s: vanished", dir);
		store_close(st);	/* the folders it opened */
		return -1;
	}
	if (flock(st->lockfd, mode == STORE_WRITE ? LOCK_EX : LOCK_SH) == -1) {
		log_warn("store %s/%s: flock: %s", dir, rel, strerror(errno));
		store_close(st);
		return -1;
	}
	if (mode == STORE_WRITE && store_format(st) == -1) {
		store_close(st);
		return -1;
	}
	return 0;
}

void
store_close(struct store *st)
{
	if (st->lockfd != -1)
		close(st->lockfd);	/* releases the flock */
	st->lockfd = -1;
	storedir_free(st);
}

/* ---- files ---- */

char *
store_read_fd(int fd, size_t max, size_t *len)
{
	struct stat	 sb;
	size_t		 cap = 8192, got = 0, want;
	ssize_t		 n;
	char		*p;
	int		 e;

	/* a regular file: one allocation, and one read more to see the end
	 * unless max stops there */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uintmax_t)sb.st_size < SIZE_MAX / 2)
		cap = ((size_t)sb.st_size < max ? (size_t)sb.st_size : max) + 2;
	p = xmalloc(cap);
	while (got < max) {
		if (cap - got < 2)
			p = xrealloc(p, cap *= 2);
		want = cap - 1 - got < max - got ? cap - 1 - got : max - got;
		if ((n = read(fd, p + got, want)) == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			e = errno;
			free(p);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	p[got] = '\0';
	*len = got;
	return p;
}

/* The document open on fd, at most STORE_DOC_MAX bytes, and its length
 * (it may hold a NUL byte) into *len unless len is NULL; closes fd. */
static char *
read_doc(int fd, const char *where, const char *rel, const struct stat *sb,
    size_t *len, int *err)
{
	char	*text = NULL;
	size_t	 n = 0;
	int	 e = 0;

	if (sb->st_size <= STORE_DOC_MAX &&
	    (text = store_read_fd(fd, (size_t)STORE_DOC_MAX + 1, &n)) ==
	    NULL)
		e = errno != 0 ? errno : EIO;
	close(fd);
	if (text != NULL && n <= STORE_DOC_MAX) {
		if (len != NULL)
			*len = n;
		return text;
	}
	free(text);
	if (e != 0)
		log_warn("store %s%s%s: read: %s", where, storedir_sep(rel),
		    rel, strerror(e));
	else
		log_warn("store %s%s%s: over %ld bytes: refused", where,
		    storedir_sep(rel), rel, STORE_DOC_MAX);
	return *err = 1, NULL;
}

char *
store_read_text(const struct store *st, const char *rel, int *err)
{
	struct stat	 sb;
	int		 fd;

	*err = 0;
	if ((fd = store_fd(st, rel, O_RDONLY, 0, &sb)) == -1) {
		if (errno != ENOENT)
			*err = 1;
		return NULL;
	}
	return read_doc(fd, st->dir, rel, &sb, NULL, err);
}

/* A file that says who may do what: writable by group or others, anyone
 * could have granted themselves anything. */
static int
private_ok(const char *where, const char *rel, const struct stat *sb)
{
	if ((sb->st_mode & 022) == 0)
		return 1;
	log_warn("store %s%s%s: mode %04o lets other users write: refused "
	    "(chmod 0600)", where, storedir_sep(rel), rel,
	    (unsigned)(sb->st_mode & 07777));
	return 0;
}

char *
store_read_private(const struct store *st, const char *rel, size_t *len,
    int *err)
{
	struct stat	 sb;
	int		 fd;

	*err = 0;
	if ((fd = store_fd(st, rel, O_RDONLY, 0, &sb)) == -1) {
		if (errno != ENOENT)
			*err = 1;
		return NULL;
	}
	if (!private_ok(st->dir, rel, &sb)) {
		close(fd);
		return *err = 1, NULL;
	}
	return read_doc(fd, st->dir, rel, &sb, len, err);
}

char *
store_read_file(const char *path, size_t *len, int *err)
{
	struct stat	 sb;
	int		 fd;

	*err = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return NULL;
		log_warn("store %s: open: %s", path, errno == ELOOP ?
		    "a link, refused" : strerror(errno));
		return *err = 1, NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		log_warn("store %s: not a regular file: refused", path);
		close(fd);
		return *err = 1, NULL;
	}
	if (!private_ok(path, "", &sb)) {
		close(fd);
		return *err = 1, NULL;
	}
	return read_doc(fd, path, "", &sb, len, err);
}

cJSON *
store_read(const struct store *st, const char *rel, int *err)
{
	char	*text;
	cJSON	*doc;

	if ((text = store_read_text(st, rel, err)) == NULL)
		return NULL;
	/* our own documents: cJSON alone, no request-body checks */
	doc = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, NULL, 1);
	free(text);
	if (doc == NULL) {
		log_warn("store %s/%s: unparseable document", st->dir, rel);
		*err = 1;
	}
	return doc;
}

int
store_write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * A new temp file for name in the folder dfd: "NAME.tmp." and 12 random
 * letters or digits, created with O_EXCL (mode 0600), so that nobody can
 * have made it first, under a name nobody could guess.  Its name into tmp.
 */
static int
tmp_create(int dfd, const char *name, char tmp[NAME_MAX + 1])
{
	static const char	 abc[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char		 r[12];
	size_t			 i, n = strlen(name);
	int			 tries, fd;

	if (n + 5 + sizeof(r) > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (tries = 0; tries < 8; tries++) {
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -1;
		memcpy(tmp, name, n);
		memcpy(tmp + n, ".tmp.", 5);
		for (i = 0; i < sizeof(r); i++)
			tmp[n + 5 + i] = abc[r[i] % (sizeof(abc) - 1)];
		tmp[n + 5 + sizeof(r)] = '\0';
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		if (fd != -1 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int
store_replace(int dfd, const char *where, const char *name, const char *text,
    size_t len)
{
	char		 tmp[NAME_MAX + 1];
	const char	*step = "open";
	int		 fd;

	*tmp = '\0';
	if ((fd = tmp_create(dfd, name, tmp)) == -1)
		goto fail;
	step = "write";
	if (store_write_all(fd, text, len) == -1)
		goto fail;
	step = "fsync";
	if (!store_nosync && fsync(fd) == -1)
		goto fail;
	step = "close";
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	step = "rename";
	if (renameat(dfd, tmp, dfd, name) == -1)
		goto fail;
	/* renamed: the change stands even if the folder cannot be synced
	 * (store_settle) */
	if (!store_nosync && fsync(dfd) == -1)
		log_warn("store %s: fsync of its folder: %s", where,
		    strerror(errno));
	return 0;
fail:
	log_warn("store %s (%s): %s: %s", where, *tmp != '\0' ? tmp : "temp",
	    step, strerror(errno));
	if (fd != -1)
		close(fd);
	if (*tmp != '\0')
		unlinkat(dfd, tmp, 0);
	return -1;
}

int
store_write_text(const struct store *st, const char *rel, const char *text,
    size_t len)
{
	if (len > STORE_DOC_MAX) {
		log_warn("store %s/%s: %zu bytes, over %ld: not written",
		    st->dir, rel, len, STORE_DOC_MAX);
		return -1;
	}
	return store_write_log(st, rel, text, len);
}

int
store_write_log(const struct store *st, const char *rel, const char *text,
    size_t len)
{
	struct buf	 where;
	const char	*name;
	int		 dfd, rc;

	if ((dfd = storedir_of(st, rel, &name)) == -1) {
		log_warn("store %s/%s: no folder to write in", st->dir, rel);
		return -1;
	}
	buf_init(&where);
	buf_printf(&where, "%s/%s", st->dir, rel);
	rc = store_replace(dfd, buf_str(&where), name, text, len);
	buf_free(&where);
	return rc;
}

int
store_write(const struct store *st, const char *rel, const cJSON *doc)
{
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	json_write(&b, doc);
	buf_putc(&b, '\n');
	rc = store_write_text(st, rel, b.p, b.len);
	buf_free(&b);
	return rc;
}

/* ---- names ---- */

int
store_remove(const struct store *st, const char *rel)
{
	const char	*name;
	int		 dfd;

	if ((dfd = storedir_of(st, rel, &name)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (unlinkat(dfd, name, 0) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("store %s/%s: unlink: %s", st->dir, rel,
		    strerror(errno));
		return -1;
	}
	return store_settle(st, rel);
}

/* Atomic: a reader finds the document under one name or the other. */
int
store_rename(const struct store *st, const char *from, const char *to)
{
	const char	*nf, *nt;
	int		 df, dt;

	if ((df = storedir_of(st, from, &nf)) == -1 ||
	    (dt = storedir_of(st, to, &nt)) == -1 ||
	    renameat(df, nf, dt, nt) == -1) {
		log_warn("store %s/%s: rename to %s: %s", st->dir, from, to,
		    strerror(errno));
		return -1;
	}
	storedir_forget(st, from);
	storedir_forget(st, to);
	(void)store_dirsync(st, to);
	return store_settle(st, from);
}

int
store_mkdir(const struct store *st, const char *rel)
{
	const char	*name;
	int		 dfd;

	if ((dfd = storedir_of(st, rel, &name)) == -1 ||
	    mkdirat(dfd, name, 0700) == -1) {
		if (dfd != -1 && errno == EEXIST)
			return 0;
		log_warn("store %s/%s: mkdir: %s", st->dir, rel,
		    strerror(errno));
		return -1;
	}
	return store_settle(st, rel);
}

int
store_rmdir(const struct store *st, const char *rel)
{
	const char	*name;
	int		 dfd;

	storedir_forget(st, rel);
	if ((dfd = storedir_of(st, rel, &name)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (unlinkat(dfd, name, AT_REMOVEDIR) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("store %s/%s: rmdir: %s", st->dir, rel,
		    strerror(errno));
		return -1;
	}
	return store_settle(st, rel);
}

int
store_exists(const struct store *st, const char *rel)
{
	struct stat	 sb;
	const char	*name;
	int		 dfd;

	if ((dfd = storedir_of(st, rel, &name)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	log_warn("store %s/%s: fstatat: %s", st->dir, rel, strerror(errno));
	return -1;
}

static int
is_json_name(const char *n)
{
	size_t	 l = strlen(n);

	return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".json") == 0;
}

/* The folder's own open file description (its kept one would share the
 * read position with every other scan of it). */
int
store_scan(const struct store *st, const char *rel,
    int (*fn)(const char *, void *), void *arg)
{
	DIR		*d = NULL;
	struct dirent	*de;
	int		 dfd, fd = -1, rc = 0;

	if ((dfd = storedir_get(st, rel, strlen(rel))) == -1) {
		return errno == ENOENT ? 0 : -1;
	}
	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fd)) == NULL) {
		log_warn("store %s/%s: opendir: %s", st->dir, rel,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	errno = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (is_json_name(de->d_name))
			rc = fn(de->d_name, arg);
		errno = 0;
	}
	if (rc == 0 && errno != 0) {	/* a failed read, not the end */
		log_warn("store %s/%s: readdir: %s", st->dir, rel,
		    strerror(errno));
		rc = -1;
	}
	closedir(d);
	return rc;
}

long long
store_next_id(const struct store *st, const char *rel, const char *kind)
{
	cJSON		*doc, *v;
	long long	 id;
	int		 err;

	doc = store_read(st, rel, &err);
	if (doc == NULL && err)
		return -1;
	if (doc == NULL)
		doc = cJSON_CreateObject();
	v = cJSON_GetObjectItemCaseSensitive(doc, kind);
	id = cJSON_IsNumber(v) ? (long long)v->valuedouble + 1 : 1;
	cJSON_DeleteItemFromObjectCaseSensitive(doc, kind);
	cJSON_AddNumberToObject(doc, kind, (double)id);
	if (store_write(st, rel, doc) == -1)
		id = -1;
	cJSON_Delete(doc);
	return id;
}

void
store_sha256_hex(const char *s, char out[65])
{
	unsigned char	 md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)s, strlen(s));
	hex_encode(out, md, sizeof(md));
}

int
store_uuid_name(const char *file, char uuid[37])
{
	if (strlen(file) != 36 + 5 || strcmp(file + 36, ".json") != 0)
		return 0;
	memcpy(uuid, file, 36);
	uuid[36] = '\0';
	return 1;
}

/* Only the canonical lower-case form may reach a path (STYLE 15). */
int
store_uuid_ok(const char *s)
{
	size_t	 i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

void
store_uuid_new(char out[37])
{
	hex_uuid4(out);
}
