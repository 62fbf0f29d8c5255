/* lib/base/store.c: flock + atomic rename (STYLE 19, 20).
 *
 * The lock file is never renamed.  store_write() renames a new JSON over
 * the old one: a writer waiting on a lock on the JSON itself would wake up
 * holding the old inode, read stale data and lose an update.
 */
#include <sys/file.h>
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
#include <uuid/uuid.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"

static int
store_path(const struct store *st, const char *rel, char *out)
{
	int	 n = snprintf(out, PATH_MAX, "%s/%s", st->dir, rel);

	if (n < 0 || n >= PATH_MAX) {
		log_warn("store %s/%s: path too long", st->dir, rel);
		return -1;
	}
	return 0;
}

static int store_nosync;

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
store_dirsync(const char *path)
{
	char	 dir[PATH_MAX], *slash;
	int	 fd, rc;

	if (store_nosync)
		return 0;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("store %s: open: %s", dir, strerror(errno));
		return -1;
	}
	rc = fsync(fd);
	if (rc == -1)
		log_warn("store %s: fsync: %s", dir, strerror(errno));
	close(fd);
	return rc;
}

/*
 * Once the rename (unlink, mkdir, rmdir) is done, every reader sees the
 * change: failing the request now would answer 500 for a change that was
 * made (SPEC 2.7: a fault leaves nothing half-written).  A folder that
 * cannot be synced is logged by store_dirsync() and the change stands.
 */
static int
store_settle(const char *path)
{
	(void)store_dirsync(path);
	return 0;
}

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
}

int
store_open(struct store *st, const char *dir, const char *name,
    enum store_mode mode)
{
	char	 path[PATH_MAX], rel[256];

	store_init(st, dir);
	if (mode == STORE_WRITE && mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("store %s: mkdir: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(rel, sizeof(rel), "%s.lock", name);
	if (store_path(st, rel, path) == -1)
		return -1;
	st->lockfd = open(path, (mode == STORE_WRITE ? O_RDWR | O_CREAT :
	    O_RDONLY) | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (st->lockfd == -1 && mode == STORE_READ && errno == ENOENT)
		return 0;	/* nothing was ever written */
	if (st->lockfd == -1) {
		log_warn("store %s: open: %s", path, strerror(errno));
		return -1;
	}
	if (flock(st->lockfd, mode == STORE_WRITE ? LOCK_EX : LOCK_SH) == -1) {
		log_warn("store %s: flock: %s", path, strerror(errno));
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
}

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

char *
store_read_text(const struct store *st, const char *rel, int *err)
{
	char		 path[PATH_MAX], *text;
	struct stat	 sb;
	size_t		 len;
	int		 fd, file;

	*err = 0;
	if (store_path(st, rel, path) == -1)
		return *err = 1, NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return NULL;
		log_warn("store %s: open: %s", path, strerror(errno));
		return *err = 1, NULL;
	}
	file = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	text = store_read_fd(fd, SIZE_MAX, &len);
	if (text == NULL || (!file && len == 0)) {
		log_warn("store %s: read: %s", path,
		    text == NULL ? strerror(errno) : "not a file");
		close(fd);
		free(text);
		return *err = 1, NULL;
	}
	close(fd);
	return text;
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

/* Temp file in the same directory, write, fsync, close, rename, fsync
 * the directory; the temp file is unlinked on any failure. */
int
store_write_text(const struct store *st, const char *rel, const char *text,
    size_t len)
{
	char		 path[PATH_MAX], tmp[PATH_MAX + 32];
	const char	*step;
	int		 fd;

	if (store_path(st, rel, path) == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		log_warn("store %s: open: %s", tmp, strerror(errno));
		return -1;
	}
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
	if (rename(tmp, path) == -1)
		goto fail;
	return store_settle(path);
fail:
	log_warn("store %s: %s: %s", tmp, step, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
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

int
store_remove(const struct store *st, const char *rel)
{
	char	 path[PATH_MAX];

	if (store_path(st, rel, path) == -1)
		return -1;
	if (unlink(path) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("store %s: unlink: %s", path, strerror(errno));
		return -1;
	}
	return store_settle(path);
}

/* Atomic: a reader finds the document under one name or the other. */
int
store_rename(const struct store *st, const char *from, const char *to)
{
	char	 pf[PATH_MAX], pt[PATH_MAX];

	if (store_path(st, from, pf) == -1 || store_path(st, to, pt) == -1)
		return -1;
	if (rename(pf, pt) == -1) {
		log_warn("store %s: rename: %s", pf, strerror(errno));
		return -1;
	}
	(void)store_dirsync(pt);
	return store_settle(pf);
}

int
store_mkdir(const struct store *st, const char *rel)
{
	char	 path[PATH_MAX];

	if (store_path(st, rel, path) == -1)
		return -1;
	if (mkdir(path, 0700) == -1) {
		if (errno == EEXIST)
			return 0;
		log_warn("store %s: mkdir: %s", path, strerror(errno));
		return -1;
	}
	return store_settle(path);
}

int
store_rmdir(const struct store *st, const char *rel)
{
	char	 path[PATH_MAX];

	if (store_path(st, rel, path) == -1)
		return -1;
	if (rmdir(path) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("store %s: rmdir: %s", path, strerror(errno));
		return -1;
	}
	return store_settle(path);
}

int
store_exists(const struct store *st, const char *rel)
{
	char	 path[PATH_MAX];

	if (store_path(st, rel, path) == -1)
		return 0;
	return access(path, F_OK) == 0;
}

static int
is_json_name(const char *n)
{
	size_t	 l = strlen(n);

	return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".json") == 0;
}

int
store_scan(const struct store *st, const char *rel,
    int (*fn)(const char *, void *), void *arg)
{
	char		 path[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if (store_path(st, rel, path) == -1)
		return -1;
	if ((d = opendir(path)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warn("store %s: opendir: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL)
		if (is_json_name(de->d_name))
			rc = fn(de->d_name, arg);
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
	size_t		 i;

	crypto_hash_sha256(md, (const unsigned char *)s, strlen(s));
	for (i = 0; i < sizeof(md); i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
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
	uuid_t	 u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}
