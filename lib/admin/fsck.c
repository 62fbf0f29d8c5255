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

static const char *const level_names[] = { "error", "leftover", "warning" };

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
		*(lv == L_ERROR ? &fk->errors : lv == L_LEFTOVER ?
		    &fk->leftovers : &fk->warnings) += 1;
		fprintf(fk->out, "%s: %s: %s%s\n", level_names[lv], rel,
		    buf_str(&msg), fk->repair && fix != NULL ?
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
lock_names(const struct store *st, char **names)
{
	DIR		*d = NULL;
	struct dirent	*de;
	size_t		 i;
	int		 fd, n = 0, u = 0;

	for (i = 0; i < NELEM(known_locks); i++)
		names[n++] = xstrdup(known_locks[i]);
	if ((fd = store_dirfd(st, "")) != -1)
		d = dir_list(fd);
	while (d != NULL && (de = readdir(d)) != NULL && n < MAXLOCKS)
		if (is_lock_name(de->d_name))
			names[n++] = xstrndup(de->d_name,
			    strlen(de->d_name) - 5);
	if (d != NULL)
		closedir(d);
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
lock_one(struct locks *lk, const struct store *st, const char *name,
    int excl)
{
	char		 rel[NAME_MAX + 1];
	struct stat	 sb;
	int		 fd;

	snprintf(rel, sizeof(rel), "%s.lock", name);
	fd = store_fd(st, rel, excl ? O_RDWR | O_CREAT : O_RDONLY, 0600, &sb);
	if (fd == -1 && !excl && errno == ENOENT)
		return 0;
	if (fd == -1 || flock(fd, excl ? LOCK_EX : LOCK_SH) == -1) {
		fprintf(stderr, "hacgi-manage: %s/%s: %s\n", st->dir, rel,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	lk->fd[lk->n++] = fd;
	return 0;
}

int
locks_take(struct locks *lk, const struct store *st, int excl)
{
	char	*names[MAXLOCKS + NELEM(known_locks)];
	int	 i, n, rc = 0;

	lk->n = 0;
	n = lock_names(st, names);
	for (i = 0; i < n; i++) {
		if (rc == 0 && lock_one(lk, st, names[i], excl) == -1)
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
	(void)arg;
	return store_remove(&fk->st, rel);
}

int
fix_rmdir(struct fsck *fk, const char *rel, void *arg)
{
	(void)arg;
	return store_rmdir(&fk->st, rel);
}

/* What fix_chmod changes: name in the folder dfd (NULL: dfd itself), as
 * the walk found it. */
struct target {
	int		 dfd;
	const char	*name;
	mode_t		 mode;		/* the one to set */
	dev_t		 dev;
	ino_t		 ino;
};

/* chmod what the walk saw, on a descriptor, never through a link: a
 * file swapped (for a link or another file) since is left alone. */
static int
fix_chmod(struct fsck *fk, const char *rel, void *arg)
{
	const struct target	*t = arg;
	struct stat		 sb;
	int			 fd, rc = -1;

	(void)fk;
	(void)rel;
	if (t->name == NULL)
		return fchmod(t->dfd, t->mode);
	fd = openat(t->dfd, t->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1)	/* not readable by us: by name, still no link */
		return errno == EACCES ? fchmodat(t->dfd, t->name, t->mode,
		    AT_SYMLINK_NOFOLLOW) : -1;
	if (fstat(fd, &sb) == 0 && sb.st_dev == t->dev && sb.st_ino == t->ino)
		rc = fchmod(fd, t->mode);
	close(fd);
	return rc;
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
	char	 to[PATH_MAX], flat[PATH_MAX], *p;
	int	 n;

	(void)arg;
	if (store_mkdir(&fk->st, LOST) == -1)
		return -1;
	snprintf(flat, sizeof(flat), "%s", rel);
	for (p = flat; *p != '\0'; p++)
		if (*p == '/')
			*p = '%';
	n = snprintf(to, sizeof(to), "%s/%s.%lld.%ld", LOST, flat,
	    (long long)(clock_now_us() / 1000000), (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(to) || strlen(strrchr(to, '/')) >
	    NAME_MAX)
		return -1;
	return store_rename(&fk->st, rel, to);
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
check_mode(struct fsck *fk, const char *rel, const struct stat *sb,
    struct target *t)
{
	if (sb->st_uid != geteuid())
		finding(fk, L_ERROR, rel, NULL, NULL, "owned by uid %lu, not "
		    "by uid %lu (fsck's): the programs refuse its folders",
		    (unsigned long)sb->st_uid, (unsigned long)geteuid());
	if ((sb->st_mode & 077) == 0)
		return;
	t->mode = S_ISDIR(sb->st_mode) ? 0700 : 0600;
	t->dev = sb->st_dev;
	t->ino = sb->st_ino;
	finding(fk, L_ERROR, rel, fix_chmod, t, "mode %04o lets other users "
	    "in", (unsigned)(sb->st_mode & 07777));
}

static void	walk(struct fsck *, int, const char *);

/* One entry of the folder dfd, by descriptor: a link swapped in is seen
 * as a link, never followed. */
static void
walk_entry(struct fsck *fk, int dfd, const char *rel, const char *name)
{
	struct target	 t = { dfd, name, 0, 0, 0 };
	struct stat	 sb;
	int		 fd;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
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
	check_mode(fk, rel, &sb, &t);
	if (!S_ISDIR(sb.st_mode) || strcmp(rel, LOST) == 0 ||
	    strcmp(rel, STAGE) == 0)
		return;
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		finding(fk, L_ERROR, rel, NULL, NULL, "open: %s",
		    strerror(errno));
		return;
	}
	walk(fk, fd, rel);
	close(fd);
}

DIR *
dir_list(int dfd)
{
	DIR	*d;
	int	 fd;

	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return NULL;
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

static void
walk(struct fsck *fk, int dfd, const char *rel)
{
	char		 child[PATH_MAX];
	DIR		*d;
	struct dirent	*de;

	if ((d = dir_list(dfd)) == NULL) {
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
		walk_entry(fk, dfd, child, de->d_name);
	}
	closedir(d);
}

char *
read_rel(const struct store *st, const char *rel, size_t *len)
{
	struct stat	 sb;
	char		*text;
	int		 fd, e;

	if ((fd = store_fd(st, rel, O_RDONLY, 0, &sb)) == -1)
		return NULL;
	text = store_read_fd(fd, SIZE_MAX, len);
	e = errno;
	close(fd);
	errno = e;
	return text;
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

void
record_add(cJSON *recs, struct hmap *ix, const char *key, cJSON *rec)
{
	cJSON_AddItemToObject(recs, key, rec);
	if (hmap_gets(ix, rec->string) == NULL)
		hmap_puts(ix, rec->string, rec);
}

/* ---- fsck ---- */

static void
fsck_free(struct fsck *fk)
{
	hmap_free(&fk->segs_ix);
	hmap_free(&fk->hosts_ix);
	hmap_free(&fk->notifs_ix);
	cJSON_Delete(fk->segs);
	cJSON_Delete(fk->hosts);
	cJSON_Delete(fk->notifs);
}

int
fsck_run(const char *dir, const char *policy_file, int repair, FILE *out)
{
	struct fsck	 fk;
	struct locks	 lk;
	struct target	 t = { -1, NULL, 0, 0, 0 };
	struct stat	 sb;

	memset(&fk, 0, sizeof(fk));
	if (data_dir_open(&fk.st, dir, STORE_LAX, "fsck") == -1) {
		store_close(&fk.st);
		return -1;
	}
	t.dfd = store_dirfd(&fk.st, "");
	if (fstat(t.dfd, &sb) == -1 || locks_take(&lk, &fk.st, repair) == -1) {
		store_close(&fk.st);
		return -1;
	}
	fk.out = out;
	fk.policy_file = policy_file;
	fk.repair = repair;
	fk.segs = cJSON_CreateObject();
	fk.hosts = cJSON_CreateObject();
	fk.notifs = cJSON_CreateObject();
	check_mode(&fk, ".", &sb, &t);
	check_stage(&fk);
	walk(&fk, t.dfd, "");
	if (check_format(&fk) == 0) {
		check_tokens(&fk);
		check_policy(&fk);
		check_ha(&fk);
		check_vol(&fk);
	}
	fprintf(out, "fsck: %d error(s), %d leftover(s), %d repaired\n",
	    fk.errors, fk.leftovers, fk.repaired);
	fsck_free(&fk);
	locks_release(&lk);
	store_close(&fk.st);
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
	rc = fsck_run(mc->data_dir, mc->policy_file, repair, stdout);
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
