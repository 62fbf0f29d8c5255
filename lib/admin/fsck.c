/* lib/admin/fsck.c: hacgi-manage fsck (SPEC 6; what is checked and what
 * is repaired: fsck.h): the run, findings, repairs, locks and the walk.
 * The checks by kind are in fsck_tokens.c, fsck_ha.c and fsck_vol.c
 * (record shapes: lib/base/shape.h); backup and restore in
 * fsck_backup.c. */
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
#include "base/store.h"
#include "base/util.h"

/* The locks the programs take; any other DATA_DIR/NAME.lock found is
 * taken too. */
static const char *const known_locks[] = { "ha", "tokens", "vol" };

/* a/b into out; -1 (out cut) when too long. */
int
join(char *out, size_t size, const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la + 1 + lb >= size)
		return -1;
	memcpy(out, a, la);
	out[la] = '/';
	memcpy(out + la + 1, b, lb + 1);
	return 0;
}

int
abspath(const struct fsck *fk, const char *rel, char out[PATH_MAX])
{
	return join(out, PATH_MAX, fk->dir, rel);
}

void
finding(struct fsck *fk, enum level lv, const char *rel, fixfn fix,
    void *arg, const char *fmt, ...)
{
	struct buf	 msg;
	va_list		 ap;
	int		 ok = -1;

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (fk->repair && fix != NULL)
		ok = fix(fk, rel, arg);
	if (ok == 0) {
		fk->repaired++;
		fprintf(fk->out, "repaired: %s: %s\n", rel, buf_str(&msg));
	} else {
		*(lv == L_ERROR ? &fk->errors : &fk->leftovers) += 1;
		fprintf(fk->out, "%s: %s: %s%s\n", lv == L_ERROR ? "error" :
		    "leftover", rel, buf_str(&msg), fk->repair && fix != NULL ?
		    " (repair failed)" : "");
	}
	buf_free(&msg);
}

/* ---- locks ---- */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
is_lock_name(const char *n)
{
	size_t	 l = strlen(n);

	return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".lock") == 0;
}

/* Known names and every NAME.lock present, sorted and unique: every
 * holder of several locks takes them in this order. */
static int
lock_names(const char *dir, char **names)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 i;
	int		 n = 0, u = 0;

	for (i = 0; i < NELEM(known_locks); i++)
		names[n++] = xstrdup(known_locks[i]);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL && n < MAXLOCKS)
			if (is_lock_name(de->d_name))
				names[n++] = xstrndup(de->d_name,
				    strlen(de->d_name) - 5);
		closedir(d);
	}
	qsort(names, (size_t)n, sizeof(*names), name_cmp);
	for (i = 0; i < (size_t)n; i++) {
		if (u > 0 && strcmp(names[u - 1], names[i]) == 0)
			free(names[i]);
		else
			names[u++] = names[i];
	}
	return u;
}

void
locks_release(struct locks *lk)
{
	while (lk->n > 0)
		close(lk->fd[--lk->n]);	/* releases the flock */
}

/* One lock file: created (0600) when we may write, else opened if it
 * exists (a missing one means nobody ever wrote under it). */
static int
lock_one(struct locks *lk, const char *dir, const char *name, int excl)
{
	char	 path[PATH_MAX];
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s.lock", dir, name);
	fd = open(path, excl ? O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW :
	    O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 && !excl && errno == ENOENT)
		return 0;
	if (fd == -1 || flock(fd, excl ? LOCK_EX : LOCK_SH) == -1) {
		fprintf(stderr, "hacgi-manage: %s: %s\n", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	lk->fd[lk->n++] = fd;
	return 0;
}

int
locks_take(struct locks *lk, const char *dir, int excl)
{
	char	*names[MAXLOCKS + NELEM(known_locks)];
	int	 i, n, rc = 0;

	lk->n = 0;
	n = lock_names(dir, names);
	for (i = 0; i < n; i++) {
		if (rc == 0 && lock_one(lk, dir, names[i], excl) == -1)
			rc = -1;
		free(names[i]);
	}
	if (rc == -1)
		locks_release(lk);
	return rc;
}

/* ---- repairs ---- */

int
fix_unlink(struct fsck *fk, const char *rel, void *arg)
{
	char	 path[PATH_MAX];

	(void)arg;
	abspath(fk, rel, path);
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

int
fix_rmdir(struct fsck *fk, const char *rel, void *arg)
{
	char	 path[PATH_MAX];

	(void)arg;
	abspath(fk, rel, path);
	return rmdir(path);
}

static int
fix_chmod(struct fsck *fk, const char *rel, void *arg)
{
	char	 path[PATH_MAX];

	abspath(fk, rel, path);
	return chmod(path, *(mode_t *)arg);
}

/* arg: the document to write. */
int
fix_write(struct fsck *fk, const char *rel, void *arg)
{
	return store_write(&fk->st, rel, arg);
}

/* Move a document (or folder) to lost+found/, never delete it. */
int
fix_quarantine(struct fsck *fk, const char *rel, void *arg)
{
	char	 from[PATH_MAX], to[PATH_MAX], flat[PATH_MAX], *p;
	int	 n;

	(void)arg;
	if (store_mkdir(&fk->st, LOST) == -1)
		return -1;
	snprintf(flat, sizeof(flat), "%s", rel);
	for (p = flat; *p != '\0'; p++)
		if (*p == '/')
			*p = '%';
	abspath(fk, rel, from);
	n = snprintf(to, sizeof(to), "%s/%s/%s.%lld.%ld", fk->dir, LOST, flat,
	    (long long)(clock_now_us() / 1000000), (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(to))
		return -1;
	return rename(from, to);
}

/* ---- the walk: debris, modes, foreign file types ---- */

/* "X.tmp.RANDOM": a temp file of store_replace() (letters and digits;
 * older versions wrote "X.tmp.PID"). */
int
is_tmp_name(const char *n)
{
	const char	*t = strstr(n, ".tmp.");
	size_t		 l;

	while (t != NULL && strstr(t + 1, ".tmp.") != NULL)
		t = strstr(t + 1, ".tmp.");
	if (t == NULL || t == n || t[5] == '\0')
		return 0;
	l = strlen(t + 5);
	return strspn(t + 5, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == l;
}

static void
check_mode(struct fsck *fk, const char *rel, const struct stat *sb)
{
	static mode_t	 dmode = 0700, fmode = 0600;

	if ((sb->st_mode & 077) == 0)
		return;
	finding(fk, L_ERROR, rel, fix_chmod, S_ISDIR(sb->st_mode) ? &dmode :
	    &fmode, "mode %04o lets other users in", (unsigned)(sb->st_mode &
	    07777));
}

static void	walk(struct fsck *, const char *);

static void
walk_entry(struct fsck *fk, const char *rel, const char *name)
{
	char		 path[PATH_MAX];
	struct stat	 sb;

	abspath(fk, rel, path);
	if (lstat(path, &sb) == -1) {
		finding(fk, L_ERROR, rel, NULL, NULL, "lstat: %s",
		    strerror(errno));
		return;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
		finding(fk, L_ERROR, rel, NULL, NULL, "not a regular file or "
		    "folder (a link?)");
		return;
	}
	if (S_ISREG(sb.st_mode) && is_tmp_name(name)) {
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "stale temp "
		    "file of an interrupted write");
		return;
	}
	check_mode(fk, rel, &sb);
	if (S_ISDIR(sb.st_mode) && strcmp(rel, LOST) != 0 &&
	    strcmp(rel, STAGE) != 0)
		walk(fk, rel);
}

static void
walk(struct fsck *fk, const char *rel)
{
	char		 path[PATH_MAX], child[PATH_MAX];
	DIR		*d;
	struct dirent	*de;

	abspath(fk, rel, path);
	if ((d = opendir(path)) == NULL) {
		finding(fk, L_ERROR, *rel ? rel : ".", NULL, NULL,
		    "opendir: %s", strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		walk_entry(fk, child, de->d_name);
	}
	closedir(d);
}

char *
read_all(const char *path, size_t *len)
{
	char	*text;
	int	 fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	text = store_read_fd(fd, SIZE_MAX, len);
	e = errno;
	close(fd);
	errno = e;
	return text;
}

/* ---- fsck ---- */

static void
fsck_free(struct fsck *fk)
{
	cJSON_Delete(fk->segs);
	cJSON_Delete(fk->hosts);
	cJSON_Delete(fk->notifs);
}

int
fsck_run(const char *dir, int repair, FILE *out)
{
	struct fsck	 fk;
	struct locks	 lk;
	struct stat	 sb;

	errno = 0;
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "hacgi-manage: fsck: %s: %s\n", dir,
		    errno != 0 ? strerror(errno) : "not a folder");
		return -1;
	}
	if (locks_take(&lk, dir, repair) == -1)
		return -1;
	memset(&fk, 0, sizeof(fk));
	fk.dir = dir;
	if (store_attach(&fk.st, dir, 1) == -1) {
		store_close(&fk.st);
		locks_release(&lk);
		return -1;
	}
	fk.out = out;
	fk.repair = repair;
	fk.segs = cJSON_CreateObject();
	fk.hosts = cJSON_CreateObject();
	fk.notifs = cJSON_CreateObject();
	check_mode(&fk, ".", &sb);
	check_stage(&fk);
	walk(&fk, "");
	if (check_format(&fk) == 0) {
		check_tokens(&fk);
		check_policy(&fk);
		check_ha(&fk);
		check_vol(&fk);
	}
	fprintf(out, "fsck: %d error(s), %d leftover(s), %d repaired\n",
	    fk.errors, fk.leftovers, fk.repaired);
	fsck_free(&fk);
	store_close(&fk.st);
	locks_release(&lk);
	return fk.errors > 0 ? 1 : 0;
}

/* ---- hacgi-manage ---- */

int
manage_fsck(struct mctx *mc, int argc, char **argv)
{
	int	 repair = argc == 1 && strcmp(argv[0], "--repair") == 0;
	int	 rc;

	if (argc > 1 || (argc == 1 && !repair))
		return manage_fail("usage: fsck [--repair]");
	rc = fsck_run(mc->data_dir, repair, stdout);
	if (rc == -1)
		return 2;
	if (rc == 1)
		manage_fail("fsck: %s has errors%s", mc->data_dir, repair ?
		    " that could not be repaired" : " (see above; --repair "
		    "fixes some)");
	return rc;
}

int
manage_backup(struct mctx *mc, int argc, char **argv)
{
	if (argc != 1)
		return manage_fail("usage: backup FILE");
	return fsck_backup(mc->data_dir, argv[0]) == 0 ? 0 : 1;
}

int
manage_restore(struct mctx *mc, int argc, char **argv)
{
	if (argc != 1)
		return manage_fail("usage: restore FILE");
	if (fsck_restore(mc->data_dir, argv[0]) == -1)
		return 1;
	printf("restore: %s restored from %s\n", mc->data_dir, argv[0]);
	return 0;
}
