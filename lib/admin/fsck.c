/* lib/admin/fsck.c: hacgi-manage fsck (SPEC 6; what is checked and what
 * is repaired: fsck.h): the run under the locks, findings, repairs,
 * locks, the walk, reading documents.  A check without the locks is in
 * fsck_check.c (the folders it watches: fsck_dir.c); the checks by kind
 * are in fsck_tokens.c, fsck_ha.c and fsck_vol*.c (record shapes:
 * lib/base/shape.h); backup and restore in fsck_backup.c and
 * fsck_bundle.c. */
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

/* Held back without --repair (fsckint.h, fsck_check.c). */
static void
note_add(struct fsck *fk, enum level lv, const char *rel, struct buf *msg)
{
	struct notes	*ns = fk->defer;
	struct note	*n;

	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	n = &ns->v[ns->n++];
	n->lv = lv;
	n->rel = xstrdup(rel);
	n->msg = buf_take(msg);
	n->walked = fk->walking;
}

void
notes_free(struct notes *ns)
{
	size_t	 i;

	for (i = 0; i < ns->n; i++) {
		free(ns->v[i].rel);
		free(ns->v[i].msg);
	}
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
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
	if (fk->defer != NULL) {
		note_add(fk, lv, rel, &msg);
		return;
	}
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
int
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

int
store_reattach(struct store *st)
{
	const char	*dir = st->dir;
	int		 flags = st->flags;

	store_close(st);
	return store_attach(st, dir, flags);
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

int
parent_fd(const struct store *st, const char *rel, const char **name)
{
	char		 dir[PATH_MAX];
	const char	*slash = strrchr(rel, '/');

	*name = slash != NULL ? slash + 1 : rel;
	if (slash == NULL)
		return store_dirfd(st, "");
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
	return store_dirfd(st, dir);
}

/*
 * walk_entry() again on an entry the walk made a finding of without the
 * locks, now under them: the same verdict, or none when the entry is
 * gone (a write was in flight: its temp file, a record being replaced).
 */
void
walk_again(struct fsck *fk, const char *rel)
{
	struct target	 t = { -1, NULL, 0, 0, 0 };
	struct stat	 sb;
	const char	*name;

	if ((t.dfd = parent_fd(&fk->st, rel, &name)) == -1 ||
	    fstatat(t.dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno != ENOENT)
			finding(fk, L_ERROR, rel, NULL, NULL, "lstat: %s",
			    strerror(errno));
		return;
	}
	t.name = name;
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
		finding(fk, L_ERROR, rel, NULL, NULL, "not a regular file or "
		    "folder (a link?)");
	else if (S_ISREG(sb.st_mode) && is_tmp_name(name))
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "stale temp "
		    "file of an interrupted write");
	else
		check_mode(fk, rel, &sb, &t);
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

/*
 * One read(2) of the size fstat gave, and a byte more, is the whole of a
 * regular file (a read is short only at its end); store_read_text()
 * also makes a second fstat(2) and a read that returns 0.  A read that
 * fills the buffer (the file grew) goes on with store_read_fd().
 */
char *
fsck_text(const struct fsck *fk, const char *rel, size_t *len, int *err)
{
	const struct store	*st = &fk->st;
	struct stat		 sb;
	char			*text = NULL, *more;
	ssize_t			 n = -1;
	size_t			 cap = 0, m;
	int			 fd, e = 0;

	*err = 0;
	if ((fd = store_fd(st, rel, O_RDONLY, 0, &sb)) == -1) {
		if (errno != ENOENT)
			*err = 1;
		return NULL;
	}
	if (sb.st_size <= STORE_DOC_MAX) {
		cap = (size_t)sb.st_size + 1;
		text = xmalloc(cap + 1);
		while ((n = read(fd, text, cap)) == -1 && errno == EINTR)
			;
		e = errno;
	}
	if (n == (ssize_t)cap) {
		if ((more = store_read_fd(fd, (size_t)STORE_DOC_MAX + 1 - cap,
		    &m)) != NULL) {
			text = xrealloc(text, cap + m + 1);
			memcpy(text + cap, more, m + 1);
			n += (ssize_t)m;
			free(more);
		} else {
			e = errno;
			n = -1;
		}
	}
	close(fd);
	if (n >= 0 && n <= STORE_DOC_MAX) {
		text[n] = '\0';
		*len = (size_t)n;
		return text;
	}
	free(text);
	if (n == -1 && text != NULL)
		log_warn("store %s/%s: read: %s", st->dir, rel, strerror(e));
	else
		log_warn("store %s/%s: over %ld bytes: refused", st->dir, rel,
		    STORE_DOC_MAX);
	return *err = 1, NULL;
}

cJSON *
fsck_read(const struct fsck *fk, const char *rel, int *err)
{
	char	*text;
	size_t	 len;
	cJSON	*doc;

	if ((text = fsck_text(fk, rel, &len, err)) == NULL)
		return NULL;
	doc = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, NULL, 1);
	free(text);
	if (doc == NULL) {
		log_warn("store %s/%s: unparseable document", fk->st.dir, rel);
		*err = 1;
	}
	return doc;
}

void
record_add(cJSON *recs, struct hmap *ix, const char *key, cJSON *rec)
{
	cJSON_AddItemToObject(recs, key, rec);
	if (hmap_gets(ix, rec->string) == NULL)
		hmap_puts(ix, rec->string, rec);
}

/* ---- fsck ---- */

void
fsck_free(struct fsck *fk)
{
	hmap_free(&fk->segs_ix);
	hmap_free(&fk->hosts_ix);
	hmap_free(&fk->notifs_ix);
	hmap_free(&fk->names_ix);
	cJSON_Delete(fk->names);
	cJSON_Delete(fk->segs);
	cJSON_Delete(fk->hosts);
	cJSON_Delete(fk->notifs);
	fk->names = fk->segs = fk->hosts = fk->notifs = NULL;
}

int
check_top(struct fsck *fk)
{
	struct target	 t = { -1, NULL, 0, 0, 0 };
	struct stat	 sb;

	fsck_watch(fk, ".");
	t.dfd = store_dirfd(&fk->st, "");
	if (t.dfd == -1 || fstat(t.dfd, &sb) == -1) {
		finding(fk, L_ERROR, ".", NULL, NULL, "fstat: %s",
		    strerror(errno));
		return -1;
	}
	check_mode(fk, ".", &sb, &t);
	check_stage(fk);
	fk->walking = 1;
	walk(fk, t.dfd, "");
	fk->walking = 0;
	if (check_format(fk) == -1)
		return -1;
	check_tokens(fk);
	check_policy(fk);
	check_keystone(fk);
	return 0;
}

int
fsck_locked(struct fsck *fk)
{
	struct locks	 lk;

	if (locks_take(&lk, &fk->st, fk->repair) == -1)
		return -1;
	fk->segs = cJSON_CreateObject();
	fk->hosts = cJSON_CreateObject();
	fk->notifs = cJSON_CreateObject();
	if (check_top(fk) == 0) {
		check_ha(fk);
		check_vol(fk);
	}
	fprintf(fk->out, "fsck: %d error(s), %d leftover(s), %d repaired\n",
	    fk->errors, fk->leftovers, fk->repaired);
	locks_release(&lk);
	return fk->errors > 0 ? 1 : 0;
}

int
fsck_run(const char *dir, const char *policy_file, int repair, FILE *out)
{
	struct fsck	 fk;
	int		 rc;

	memset(&fk, 0, sizeof(fk));
	if (data_dir_open(&fk.st, dir, STORE_LAX, "fsck") == -1) {
		store_close(&fk.st);
		return -1;
	}
	fk.out = out;
	fk.policy_file = policy_file;
	fk.repair = repair;
	rc = repair ? fsck_locked(&fk) : fsck_check(&fk);
	fsck_free(&fk);
	store_close(&fk.st);
	return rc;
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
