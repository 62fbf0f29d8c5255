/* lib/admin/fsck_bundle.c: the documents of a backup, read without
 * keeping the programs waiting (fsck_backup.c writes the bundle).
 *
 * As fsck_check.c does, the locks are taken (shared) twice, briefly.
 * The first window opens the Volume journals and notes their sizes; the
 * documents are then read without the locks, the times of each folder
 * noted as it is read; the second window takes the journals' lines
 * written since, reads again the record files those lines touched and
 * the small documents of vol/, and checks that no other folder changed.
 * A part that changed is read again; the last of BUNDLE_TRIES tries
 * reads the top and Instance-HA parts, if still unsure, holding ha.lock
 * (and tokens.lock).  The bundle is the data directory as it was in the
 * second window: every write is a rename in a folder, or a journal line
 * and the record file it names (vol/volume.h), so what did not change
 * was read whole.
 *
 * Every folder and file is opened from the data directory's descriptor,
 * one component at a time, through no link, and a FIFO never blocks
 * (O_NONBLOCK, then fstat): openat() below a folder this walk opened,
 * store_fd() for what the second window reads again.
 */
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

#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/store.h"
#include "base/util.h"
#include "ha/layout.h"
#include "vol/volint.h"
#include "vol/volume.h"

#define BUNDLE_TRIES	3

enum { P_TOP, P_HA, P_VOL, P__MAX };

static const char *const roots[P__MAX] = { "", "ha", "vol" };
static const char *const journals[] = { VOLJ_SERVICES, VOLJ_CLUSTERS };
static const char *const rec_dirs[] = {	/* the key of their records */
	VOL_SVC_DIR, VOL_CL_DIR,
};
static const char *const rec_keys[] = { "host", "name" };

struct bpart {
	cJSON		*files;		/* owned: its entries, in walk order */
	struct watches	 watch;		/* the folders it read */
	int		 ok;		/* confirmed */
	int		 held;		/* read under its lock: sure */
	int		 had;		/* its folder existed */
};

struct bundle {
	struct store	*st;
	struct bpart	 part[P__MAX];
	struct vsnap	 snap[2];	/* the first window's journals */
	off_t		 end[2];	/* the end of their last full line */
	cJSON		*journal[2];	/* their entries (in part[P_VOL]) */
	char		*text[2];	/* what was read of them, owned */
	size_t		 len[2];
};

static int
part_of(const char *rel)
{
	size_t	 n = strcspn(rel, "/");

	if (n == 2 && strncmp(rel, "ha", 2) == 0)
		return P_HA;
	if (n == 3 && strncmp(rel, "vol", 3) == 0)
		return P_VOL;
	return P_TOP;
}

/* The folders of vol/ that change with every heartbeat are not watched:
 * what changes there is read again from the journals' new lines. */
static int
watched(int p, const char *rel)
{
	return p != P_VOL || (strcmp(rel, "vol") != 0 &&
	    strcmp(rel, rec_dirs[0]) != 0 && strcmp(rel, rec_dirs[1]) != 0);
}

static cJSON *
entry_new(cJSON *files, const char *rel)
{
	cJSON	*e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "path", rel);
	cJSON_AddItemToArray(files, e);
	return e;
}

/* The content of the file open on fd (closed here) into e: 0, or -1
 * (errno; EINVAL: not a regular file). */
static int
entry_fill(cJSON *e, int fd)
{
	struct stat	 sb;
	char		*text = NULL;
	size_t		 len;
	int		 err = EINVAL;

	if (fstat(fd, &sb) == -1)
		err = errno;
	else if (S_ISREG(sb.st_mode) &&
	    (text = store_read_fd(fd, SIZE_MAX, &len)) == NULL)
		err = errno;
	close(fd);
	if (text == NULL) {
		errno = err;
		return -1;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(e, "text");
	cJSON_DeleteItemFromObjectCaseSensitive(e, "base64");
	bundle_content(e, text, len);
	free(text);
	return 0;
}

/* name in the folder dfd, read into e: 0, 1 when it is gone, -1. */
static int
entry_read_at(cJSON *e, int dfd, const char *name)
{
	int	 fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return errno == ENOENT ? 1 : -1;
	return entry_fill(e, fd);
}

/* rel of the store, read into e: 0, 1 when it is gone, -1. */
static int
entry_read_rel(const struct store *st, cJSON *e, const char *rel)
{
	struct stat	 sb;
	int		 fd;

	if ((fd = store_fd(st, rel, O_RDONLY, 0, &sb)) == -1)
		return errno == ENOENT ? 1 : -1;
	return entry_fill(e, fd);
}

static int	walk_part(struct bundle *, int, int, const char *);

/* One entry of the folder dfd (rel: child): its bundle entry, or none. */
static int
walk_entry(struct bundle *b, int p, int dfd, const char *child,
    const char *name)
{
	cJSON		*files = b->part[p].files, *e;
	struct stat	 sb;
	int		 i, fd, r;

	if (bundle_skip(child, name) || bundle_derived(child) ||
	    is_tmp_name(name) || part_of(child) != p ||
	    fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode)))
		return 0;	/* (gone: its folder changed) */
	e = entry_new(files, child);
	if (S_ISDIR(sb.st_mode)) {
		cJSON_AddTrueToObject(e, "dir");
		if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1)
			return errno == ENOENT ? 0 : -1;
		r = walk_part(b, p, fd, child);
		close(fd);
		return r;
	}
	for (i = 0; i < 2; i++)
		if (strcmp(child, journals[i]) == 0) {
			b->journal[i] = e;	/* from the first window's */
			return 0;
		}
	if ((r = entry_read_at(e, dfd, name)) == 1)	/* gone meanwhile */
		cJSON_Delete(cJSON_DetachItemViaPointer(files, e));
	return r == -1 ? -1 : 0;
}

/* The folder open on dfd, rel in the store. */
static int
walk_part(struct bundle *b, int p, int dfd, const char *rel)
{
	char		 child[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if (watched(p, rel))
		watch_at(&b->part[p].watch, *rel ? rel : ".", dfd);
	if ((d = dir_list(dfd)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		rc = walk_entry(b, p, dfd, child, de->d_name);
	}
	closedir(d);
	return rc;
}

static void
part_clear(struct bpart *bp)
{
	cJSON_Delete(bp->files);
	bp->files = NULL;
	watches_free(&bp->watch);
}

/* ---- Volume: the journals and what their new lines touched ---- */

static void
snap_journals(struct bundle *b)
{
	struct stat	 sb;
	struct vsnap	*s;
	int		 i;

	for (i = 0; i < 2; i++) {
		s = &b->snap[i];
		if (s->fd != -1)
			close(s->fd);
		memset(s, 0, sizeof(*s));
		if ((s->fd = store_fd(b->st, journals[i], O_RDONLY, 0, &sb)) ==
		    -1)
			continue;
		s->dev = sb.st_dev;
		s->ino = sb.st_ino;
		s->size = sb.st_size;
	}
}

/* fd from at to size (to its end when size is -1), or NULL. */
static char *
read_from(int fd, off_t at, off_t size, size_t *len)
{
	if (lseek(fd, at, SEEK_SET) == -1)
		return NULL;
	return store_read_fd(fd, size < 0 ? SIZE_MAX : (size_t)(size - at),
	    len);
}

/* Without the locks: journal i up to the first window's size. */
static int
journal_head(struct bundle *b, int i)
{
	const struct vsnap	*s = &b->snap[i];
	char			*nl;

	free(b->text[i]);
	b->text[i] = NULL;
	b->len[i] = 0;
	b->end[i] = 0;
	if (s->fd == -1)
		return 0;
	if ((b->text[i] = read_from(s->fd, 0, s->size, &b->len[i])) == NULL)
		return -1;
	for (nl = b->text[i] + b->len[i]; nl > b->text[i] && nl[-1] != '\n';
	    nl--)
		;
	b->end[i] = nl - b->text[i];	/* a torn end is read again */
	return 0;
}

/* The record file a journal line is about, or -1 (not a line). */
static int
line_file(int i, const char *p, size_t n, char rel[PATH_MAX])
{
	cJSON	*j = cJSON_ParseWithLengthOpts(p, n, NULL, 0);
	char	 file[80];
	int	 rc = -1;

	if (json_str(j, rec_keys[i]) != NULL && json_str(j, "binary") != NULL) {
		vol_rec_file(file, json_str(j, rec_keys[i]),
		    json_str(j, "binary"));
		snprintf(rel, PATH_MAX, "%s/%s", rec_dirs[i], file);
		rc = 0;
	}
	cJSON_Delete(j);
	return rc;
}

/* The entry of rel in the Volume part, as it is now. */
static int
vol_reread(struct bundle *b, struct hmap *ix, const char *rel)
{
	cJSON	*files = b->part[P_VOL].files, *e;
	int	 r;

	if ((e = hmap_gets(ix, rel)) == NULL) {
		e = entry_new(files, rel);
		hmap_puts(ix, json_str(e, "path"), e);
	}
	if ((r = entry_read_rel(b->st, e, rel)) == 1) {	/* removed */
		hmap_del(ix, rel, strlen(rel));
		cJSON_Delete(cJSON_DetachItemViaPointer(files, e));
		return 0;
	}
	return r;
}

/* The documents of vol/ itself but the journals (counters, log levels):
 * few and small, read again whole. */
static int
vol_top(struct bundle *b, struct hmap *ix)
{
	char		 rel[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	int		 dfd, rc = 0;

	if ((dfd = store_dirfd(b->st, "vol")) == -1)
		return errno == ENOENT ? 0 : -1;
	if ((d = dir_list(dfd)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		snprintf(rel, sizeof(rel), "vol/%s", de->d_name);
		if (de->d_name[0] == '.' || is_tmp_name(de->d_name) ||
		    strcmp(rel, journals[0]) == 0 ||
		    strcmp(rel, journals[1]) == 0 ||
		    fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(sb.st_mode))
			continue;
		rc = vol_reread(b, ix, rel);
	}
	closedir(d);
	return rc;
}

/* The journal entry i: what was read of it, and what was added since. */
static int
journal_tail(struct bundle *b, struct hmap *ix, int i)
{
	struct buf	 j;
	char		 rel[PATH_MAX], *tail, *p, *nl;
	size_t		 len;
	int		 rc = 0;

	if (b->journal[i] == NULL)
		return 0;	/* none when the walk passed */
	if (b->snap[i].fd == -1 || (tail = read_from(b->snap[i].fd,
	    b->end[i], -1, &len)) == NULL)
		return -1;
	buf_init(&j);
	buf_put(&j, b->text[i], (size_t)b->end[i]);
	buf_put(&j, tail, len);
	bundle_content(b->journal[i], j.p, j.len);
	buf_free(&j);
	for (p = tail; rc == 0 && (nl = memchr(p, '\n', (size_t)(tail +
	    len - p))) != NULL; p = nl + 1)
		rc = line_file(i, p, (size_t)(nl - p), rel) == 0 ?
		    vol_reread(b, ix, rel) : -1;
	free(tail);
	return rc;
}

/* Under the locks: the lines since, the record files they touched, the
 * small documents of vol/.  -1: read it again (a journal was compacted
 * meanwhile, a record folder made). */
static int
vol_catch_up(struct bundle *b)
{
	struct hmap	 ix;
	cJSON		*e;
	int		 i, rc = 0;

	hmap_init(&ix);
	cJSON_ArrayForEach(e, b->part[P_VOL].files)
		hmap_puts(&ix, json_str(e, "path"), e);
	for (i = 0; i < 2 && rc == 0; i++)
		if (hmap_gets(&ix, rec_dirs[i]) == NULL &&
		    store_exists(b->st, rec_dirs[i]) != 0)
			rc = -1;
	for (i = 0; i < 2 && rc == 0; i++)
		rc = journal_tail(b, &ix, i);
	if (rc == 0)
		rc = vol_top(b, &ix);
	hmap_free(&ix);
	return rc;
}

/* The same journals as in the first window, and vol/ as it was? */
static int
journals_same(struct bundle *b)
{
	struct stat	 sb;
	int		 i, fd;

	if (store_exists(b->st, "vol") != b->part[P_VOL].had)
		return 0;
	for (i = 0; i < 2; i++) {
		fd = store_fd(b->st, journals[i], O_RDONLY, 0, &sb);
		if (fd == -1 ? errno != ENOENT || b->snap[i].fd != -1 :
		    b->snap[i].fd == -1 || sb.st_dev != b->snap[i].dev ||
		    sb.st_ino != b->snap[i].ino) {
			if (fd != -1)
				close(fd);
			return 0;
		}
		if (fd != -1)
			close(fd);
	}
	return 1;
}

/* ---- the run ---- */

/* Part p's folder: its entry and everything below it. */
static int
read_part(struct bundle *b, int p)
{
	struct bpart	*bp = &b->part[p];
	int		 root, fd, rc;

	if ((root = store_dirfd(b->st, "")) == -1)
		return -1;
	if (p == P_TOP)
		return walk_part(b, p, root, "");
	if ((fd = openat(root, roots[p], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		watch_add(b->st, &bp->watch, roots[p]);	/* made later? */
		return errno == ENOENT ? 0 : -1;
	}
	bp->had = 1;
	cJSON_AddTrueToObject(entry_new(bp->files, roots[p]), "dir");
	rc = walk_part(b, p, fd, roots[p]);
	close(fd);
	return rc;
}

static int
bundle_read(struct bundle *b)
{
	struct bpart	*bp;
	int		 p;

	for (p = 0; p < P__MAX; p++) {
		bp = &b->part[p];
		if (bp->ok)
			continue;
		part_clear(bp);
		bp->files = cJSON_CreateArray();
		bp->had = 0;
		if (p == P_VOL) {
			b->journal[0] = b->journal[1] = NULL;
			if (journal_head(b, 0) == -1 ||
			    journal_head(b, 1) == -1)
				return -1;
		}
		if (read_part(b, p) == -1)
			return -1;
	}
	return 0;
}

static void
bundle_confirm(struct bundle *b)
{
	int	 p;

	for (p = P_TOP; p <= P_HA; p++)
		if (!b->part[p].ok)
			b->part[p].ok = b->part[p].held ||
			    watches_still(b->st, &b->part[p].watch);
	if (!b->part[P_VOL].ok)
		b->part[P_VOL].ok = journals_same(b) &&
		    watches_still(b->st, &b->part[P_VOL].watch) &&
		    vol_catch_up(b) == 0;
}

/* The last try: the top and Instance-HA parts still unsure are read
 * holding their locks (shared), ha.lock first: the order of every holder
 * of several locks (FORMAT.md), or a restore could wait for us and we
 * for it. */
static int
bundle_hold(struct bundle *b, struct locks *held)
{
	held->n = 0;
	if (b->part[P_TOP].ok && b->part[P_HA].ok)
		return 0;
	if (lock_one(held, b->st, HA_LOCK, 0) == -1 || (!b->part[P_TOP].ok &&
	    lock_one(held, b->st, "tokens", 0) == -1))
		return -1;
	b->part[P_TOP].held = !b->part[P_TOP].ok;
	b->part[P_HA].held = !b->part[P_HA].ok;
	return 0;
}

static void
bundle_free(struct bundle *b)
{
	int	 i;

	for (i = 0; i < P__MAX; i++)
		part_clear(&b->part[i]);
	for (i = 0; i < 2; i++) {
		free(b->text[i]);
		if (b->snap[i].fd != -1)
			close(b->snap[i].fd);
	}
}

/* A window: the store's folders opened again, every lock shared. */
static int
window_open(struct store *st, struct locks *lk)
{
	if (store_reattach(st) == -1)
		return -1;
	return locks_take(lk, st, 0);
}

int
bundle_files(struct store *st, cJSON *files)
{
	struct bundle	 b;
	struct locks	 lk, held = { { 0 }, 0 };
	cJSON		*e;
	int		 tries, p, rc = -1;

	memset(&b, 0, sizeof(b));
	b.st = st;
	b.snap[0].fd = b.snap[1].fd = -1;
	for (tries = 0; tries < BUNDLE_TRIES && rc == -1; tries++) {
		if (tries > 0)
			usleep(100000 * tries);	/* let the writes pass */
		if ((tries == BUNDLE_TRIES - 1 && bundle_hold(&b, &held) == -1)
		    || window_open(st, &lk) == -1)
			break;
		if (!b.part[P_VOL].ok)
			snap_journals(&b);
		locks_release(&lk);
		if (bundle_read(&b) == -1 || window_open(st, &lk) == -1)
			break;
		bundle_confirm(&b);
		locks_release(&lk);
		if (b.part[P_TOP].ok && b.part[P_HA].ok && b.part[P_VOL].ok)
			rc = 0;
	}
	if (rc == -1 && tries == BUNDLE_TRIES) {
		fprintf(stderr, "hacgi-manage: backup: %s: the journals were "
		    "compacted during every try\n", st->dir);
		errno = EAGAIN;
	}
	for (p = 0; rc == 0 && p < P__MAX; p++)
		while ((e = b.part[p].files->child) != NULL)
			cJSON_AddItemToArray(files,
			    cJSON_DetachItemViaPointer(b.part[p].files, e));
	locks_release(&held);
	bundle_free(&b);
	return rc;
}
