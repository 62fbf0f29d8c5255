/* lib/base/storedir.c: the folders of a store (lib/base/store.h): opened
 * once, from DATA_DIR down, one component at a time, never through a
 * link, and checked once; the files opened from them (store_fd); and
 * removing a tree (store_rmtree).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/store.h"
#include "base/storeint.h"
#include "base/util.h"

#define STORE_NDIRS	16	/* folders kept open: a path has at most a
				   few components, so one lookup never
				   evicts the folder the one before found */

struct store_dirs {
	int		 root;		/* DATA_DIR; -1: not opened */
	int		 root_err;	/* then why: ENOENT (absent), EPERM */
	unsigned long	 clock;
	struct sdir {
		char		*rel;	/* owned; NULL: a free slot */
		int		 fd;
		unsigned long	 used;
	} d[STORE_NDIRS];
};

static const char *
sep(const char *rel)
{
	return *rel != '\0' ? "/" : "";
}

const char *
storedir_sep(const char *rel)
{
	return sep(rel);
}

/* Ours, and writable by nobody else: a folder another user can write
 * lets that user swap documents, links or FIFOs in. */
static int
dir_ok(const struct store *st, int fd, const char *rel)
{
	struct stat	 sb;

	if (fstat(fd, &sb) == -1) {
		log_warn("store %s%s%s: fstat: %s", st->dir, sep(rel), rel,
		    strerror(errno));
		return -1;
	}
	if (st->flags & STORE_LAX)
		return 0;
	if (sb.st_uid != geteuid()) {
		log_warn("store %s%s%s: owned by uid %lu, not by uid %lu that "
		    "the programs run as: refused", st->dir, sep(rel), rel,
		    (unsigned long)sb.st_uid, (unsigned long)geteuid());
		return -1;
	}
	if ((sb.st_mode & 022) != 0) {
		log_warn("store %s%s%s: mode %04o lets other users write: "
		    "refused (chmod 0700, or hacgi-manage fsck --repair)",
		    st->dir, sep(rel), rel, (unsigned)(sb.st_mode & 07777));
		return -1;
	}
	return 0;
}

static struct sdir *
dir_find(struct store_dirs *ds, const char *rel, size_t len)
{
	size_t	 i;

	for (i = 0; i < STORE_NDIRS; i++)
		if (ds->d[i].rel != NULL && strlen(ds->d[i].rel) == len &&
		    memcmp(ds->d[i].rel, rel, len) == 0)
			return &ds->d[i];
	return NULL;
}

/* Keep fd for rel: a free slot, else the least recently used one. */
static void
dir_keep(struct store_dirs *ds, const char *rel, int fd)
{
	struct sdir	*e = &ds->d[0];
	size_t		 i;

	for (i = 0; i < STORE_NDIRS && e->rel != NULL; i++)
		if (ds->d[i].rel == NULL || ds->d[i].used < e->used)
			e = &ds->d[i];
	if (e->rel != NULL) {
		close(e->fd);
		free(e->rel);
	}
	e->rel = xstrdup(rel);
	e->fd = fd;
	e->used = ++ds->clock;
}

void
storedir_forget(const struct store *st, const char *rel)
{
	struct store_dirs	*ds = st->dirs;
	size_t			 i, n = strlen(rel);

	for (i = 0; ds != NULL && i < STORE_NDIRS; i++)
		if (ds->d[i].rel != NULL && strncmp(ds->d[i].rel, rel, n) ==
		    0 && (ds->d[i].rel[n] == '\0' || ds->d[i].rel[n] == '/')) {
			close(ds->d[i].fd);
			free(ds->d[i].rel);
			ds->d[i].rel = NULL;
		}
}

/* A component we may open: not empty, not "." or "..". */
static int
name_ok(const struct store *st, const char *rel, const char *name)
{
	if (*name != '\0' && strcmp(name, ".") != 0 &&
	    strcmp(name, "..") != 0 && strlen(name) <= NAME_MAX)
		return 1;
	log_warn("store %s/%s: not a plain path", st->dir, rel);
	errno = EINVAL;
	return 0;
}

/* Why the folder rel (name in pfd) could not be opened: a link or
 * anything else that is not a folder is refused (errno EPERM), never
 * taken for a missing one. */
static void
dir_refused(const struct store *st, int pfd, const char *rel,
    const char *name)
{
	struct stat	 sb;
	int		 e = errno;

	if (e == ENOTDIR && fstatat(pfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		log_warn("store %s/%s: open: %s", st->dir, rel,
		    S_ISLNK(sb.st_mode) ? "a link, refused" :
		    "not a folder, refused");
	else
		log_warn("store %s/%s: open: %s", st->dir, rel, e == ELOOP ?
		    "a link, refused" : strerror(e));
	errno = e == ENOTDIR || e == ELOOP ? EPERM : e;
}

/* DATA_DIR itself, checked: the root of every walk (STORE_NOLINK: not
 * through a link).  A missing one is no error (nothing was ever
 * written): root_err ENOENT, not logged. */
static void
root_open(const struct store *st, struct store_dirs *ds)
{
	struct stat	 sb;
	int		 nolink = st->flags & STORE_NOLINK, fd;

	fd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (nolink ? O_NOFOLLOW : 0));
	if (fd == -1) {
		ds->root_err = errno;
		if (errno != ENOENT)
			log_warn("store %s: open: %s", st->dir, nolink &&
			    lstat(st->dir, &sb) == 0 && S_ISLNK(sb.st_mode) ?
			    "a link, refused (name the folder itself)" :
			    strerror(ds->root_err));
		return;
	}
	if (dir_ok(st, fd, "") == -1) {
		close(fd);
		ds->root_err = EPERM;
		return;
	}
	ds->root = fd;
}

/* The folders of st, made (and DATA_DIR opened) at the first use: the
 * cache is the store's own state, so a store passed as const fills it
 * (no store is a const object). */
static struct store_dirs *
dirs_of(const struct store *st)
{
	struct store		*w = (struct store *)st;
	struct store_dirs	*ds;

	if (st->dirs != NULL)
		return st->dirs;
	w->dirs = ds = xcalloc(1, sizeof(*ds));
	ds->root = -1;
	root_open(st, ds);
	return ds;
}

int
storedir_get(const struct store *st, const char *rel, size_t len)
{
	struct store_dirs	*ds = dirs_of(st);
	struct sdir		*e;
	char			*path;
	size_t			 p;
	int			 pfd, fd = -1;

	if (ds->root == -1) {
		errno = ds->root_err;
		return -1;
	}
	if (len == 0)
		return ds->root;
	if ((e = dir_find(ds, rel, len)) != NULL) {
		e->used = ++ds->clock;
		return e->fd;
	}
	for (p = len; p > 0 && rel[p - 1] != '/'; p--)
		;
	if ((pfd = storedir_get(st, rel, p > 0 ? p - 1 : 0)) == -1)
		return -1;
	path = xstrndup(rel, len);
	if (name_ok(st, path, path + p) &&
	    (fd = openat(pfd, path + p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 && errno != ENOENT)
		dir_refused(st, pfd, path, path + p);
	if (fd != -1 && dir_ok(st, fd, path) == 0)
		dir_keep(ds, path, fd);
	else if (fd != -1) {
		close(fd);
		fd = -1;
		errno = EPERM;
	}
	free(path);
	return fd;
}

int
storedir_of(const struct store *st, const char *rel, const char **name)
{
	const char	*slash = strrchr(rel, '/');

	*name = slash != NULL ? slash + 1 : rel;
	if (!name_ok(st, rel, *name))
		return -1;
	return storedir_get(st, rel, slash != NULL ? (size_t)(slash - rel) :
	    0);
}

int
store_attach(struct store *st, const char *dir, int flags)
{
	struct store_dirs	*ds;

	store_init(st, dir);
	st->flags = flags;
	ds = dirs_of(st);
	if (ds->root == -1 && ds->root_err != ENOENT) {
		errno = ds->root_err;
		return -1;
	}
	return 0;
}

void
storedir_free(struct store *st)
{
	struct store_dirs	*ds = st->dirs;
	size_t			 i;

	if (ds == NULL)
		return;
	for (i = 0; i < STORE_NDIRS; i++)
		if (ds->d[i].rel != NULL) {
			close(ds->d[i].fd);
			free(ds->d[i].rel);
		}
	if (ds->root != -1)
		close(ds->root);
	free(ds);
	st->dirs = NULL;
}

int
store_dirfd(const struct store *st, const char *rel)
{
	return storedir_get(st, rel, strlen(rel));
}

static int
is_dot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* Remove name in the folder dfd, and all below it. */
static int
rmtree_at(int dfd, const char *name)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	int		 fd, rc = 0;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlinkat(dfd, name, 0) == -1 && errno != ENOENT ? -1 : 0;
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (!is_dot(de->d_name) && rmtree_at(fd, de->d_name) == -1)
			rc = -1;
	closedir(d);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) == -1)
		rc = -1;
	return rc;
}

int
store_rmtree(const struct store *st, const char *rel)
{
	const char	*name;
	int		 dfd;

	storedir_forget(st, rel);
	if ((dfd = storedir_of(st, rel, &name)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (rmtree_at(dfd, name) == -1) {
		log_warn("store %s/%s: remove: %s", st->dir, rel,
		    strerror(errno));
		return -1;
	}
	(void)store_dirsync(st, rel);	/* removed: the change stands */
	return 0;
}

/* ---- files ---- */

int
store_fd(const struct store *st, const char *rel, int flags, mode_t mode,
    struct stat *sb)
{
	const char	*name;
	int		 dfd, fd, e;

	if ((dfd = storedir_of(st, rel, &name)) == -1)
		return -1;
	fd = openat(dfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		e = errno;
		if (e != ENOENT)
			log_warn("store %s/%s: open: %s", st->dir, rel,
			    e == ELOOP ? "a link, refused" : strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, sb) == -1) {
		e = errno;
		log_warn("store %s/%s: fstat: %s", st->dir, rel,
		    strerror(e));
	} else if (!S_ISREG(sb->st_mode)) {
		log_warn("store %s/%s: not a regular file (a FIFO, a device?): "
		    "refused", st->dir, rel);
		e = EINVAL;
	} else
		return fd;
	close(fd);
	errno = e;
	return -1;
}

