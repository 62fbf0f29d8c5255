/* lib/admin/fsck_dir.c: the data directory as fsck, backup and restore
 * see it: which folders they work on (data_dir_open), and the folders
 * read without the locks, watched for a change (fsck_check.c,
 * fsck_bundle.c). */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsck.h"
#include "admin/fsckint.h"
#include "admin/manage.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"

/* ---- folders read without the locks (fsck_check.c, fsck_bundle.c) ---- */

/* A folder's times change with every entry made, renamed or removed in
 * it; the clock that sets them ticks in jiffies, so a change within one
 * tick of the stat would leave them as they were: such a folder is
 * "hot", and what was read of it is read again. */
#define WATCH_HOT_NS	20000000LL

/* rel ("." or "": DATA_DIR) as it is now, through no link: 0, or -1
 * (errno ENOENT: there is none). */
static int
rel_stat(const struct store *st, const char *rel, struct stat *sb)
{
	const char	*name;
	int		 dfd;

	if (*rel == '\0' || strcmp(rel, ".") == 0)
		return (dfd = store_dirfd(st, "")) == -1 ? -1 : fstat(dfd, sb);
	if ((dfd = parent_fd(st, rel, &name)) == -1)
		return -1;
	return fstatat(dfd, name, sb, AT_SYMLINK_NOFOLLOW);
}

static void
watch_set(struct watches *ws, const char *rel, const struct stat *sb)
{
	struct watch	*w;
	struct timespec	 now;

	ws->v = xrealloc(ws->v, (ws->n + 1) * sizeof(*ws->v));
	w = &ws->v[ws->n++];
	memset(w, 0, sizeof(*w));
	w->rel = xstrdup(rel);
	if (sb == NULL)
		return;
	w->exists = 1;
	w->dev = sb->st_dev;
	w->ino = sb->st_ino;
	w->mtime = sb->st_mtim;
	w->ctime = sb->st_ctim;
	clock_gettime(CLOCK_REALTIME, &now);
	if ((now.tv_sec - sb->st_ctim.tv_sec) * 1000000000LL +
	    (now.tv_nsec - sb->st_ctim.tv_nsec) < WATCH_HOT_NS)
		ws->hot = 1;
}

void
watch_add(const struct store *st, struct watches *ws, const char *rel)
{
	struct stat	 sb;

	watch_set(ws, rel, rel_stat(st, rel, &sb) == 0 ? &sb : NULL);
}

void
watch_at(struct watches *ws, const char *rel, int fd)
{
	struct stat	 sb;

	watch_set(ws, rel, fstat(fd, &sb) == 0 ? &sb : NULL);
}

static int
ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

int
watches_still(const struct store *st, const struct watches *ws)
{
	const struct watch	*w;
	struct stat		 sb;
	size_t			 i;
	int			 exists;

	if (ws->hot)
		return 0;
	for (i = 0; i < ws->n; i++) {
		w = &ws->v[i];
		exists = rel_stat(st, w->rel, &sb) == 0;
		if (exists != w->exists || (exists && (sb.st_dev != w->dev ||
		    sb.st_ino != w->ino || !ts_eq(&sb.st_mtim, &w->mtime) ||
		    !ts_eq(&sb.st_ctim, &w->ctime))))
			return 0;
	}
	return 1;
}

void
watches_free(struct watches *ws)
{
	size_t	 i;

	for (i = 0; i < ws->n; i++)
		free(ws->v[i].rel);
	free(ws->v);
	memset(ws, 0, sizeof(*ws));
}

void
fsck_watch(struct fsck *fk, const char *rel)
{
	if (fk->watch != NULL)
		watch_add(&fk->st, fk->watch, rel);
}

/* ---- which folders fsck, backup and restore work on ---- */

/* Is rel a regular file below the folder dfd, through no link? */
static int
file_at(int dfd, const char *rel)
{
	char		 part[NAME_MAX + 1];
	const char	*slash;
	struct stat	 sb;
	int		 fd = dfd, next, ok;

	while ((slash = strchr(rel, '/')) != NULL) {
		snprintf(part, sizeof(part), "%.*s", (int)(slash - rel), rel);
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd != dfd)
			close(fd);
		if (next == -1)
			return 0;
		fd = next;
		rel = slash + 1;
	}
	ok = fstatat(fd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode);
	if (fd != dfd)
		close(fd);
	return ok;
}

/* An entry of a folder that has never held data: "." and "..", a lock
 * file (a reader or a failed first write), an empty hidden file (git's
 * .gitkeep in the source tree's data/). */
static int
is_blank_entry(int dfd, const char *name)
{
	struct stat	 sb;

	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 1;
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISREG(sb.st_mode))
		return 0;
	return is_lock_name(name) || (name[0] == '.' && sb.st_size == 0);
}

/* 0 when the folder open on dfd has a FORMAT (or a restore cut short
 * has it in its staging) or holds only blank entries, 1 when it has
 * other things and no FORMAT, -1 on an error. */
static int
data_dir_kind(int dfd)
{
	struct dirent	*de;
	DIR		*d;
	int		 other = 0;

	if (file_at(dfd, "FORMAT") || (file_at(dfd, STAGE "/COMMIT") &&
	    (file_at(dfd, STAGE "/new/FORMAT") ||
	    file_at(dfd, STAGE "/old/FORMAT"))))
		return 0;
	if ((d = dir_list(dfd)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (!is_blank_entry(dirfd(d), de->d_name))
			other = 1;
	closedir(d);
	return other;
}

int
data_dir_open(struct store *st, const char *dir, int flags, const char *cmd)
{
	int	 fd, err;

	if (geteuid() == 0)
		flags |= STORE_NOLINK;
	if (store_attach(st, dir, flags) == -1 ||
	    (fd = store_dirfd(st, "")) == -1) {
		fprintf(stderr, "hacgi-manage: %s: %s: %s\n", cmd, dir,
		    errno == ENOENT ? "no such folder" : "cannot open it (see "
		    "above)");
		return -1;
	}
	if ((err = data_dir_kind(fd)) == 0)
		return 0;
	fprintf(stderr, "hacgi-manage: %s: %s: %s\n", cmd, dir, err == -1 ?
	    strerror(errno) : "no FORMAT file and not empty: not a hacgi data "
	    "directory, left alone (if it is one, restore its FORMAT: echo "
	    "'{\"format\": 1}' > FORMAT)");
	return -1;
}
