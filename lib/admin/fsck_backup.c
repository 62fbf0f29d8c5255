/* lib/admin/fsck_backup.c: hacgi-manage backup and restore (SPEC 6,
 * fsck.h), and the restore staging that fsck --repair finishes.  What a
 * backup reads, and how it keeps the programs from waiting, is in
 * fsck_bundle.c. */
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

#include "admin/fsck.h"
#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/store.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/keystone.h"

#define BUNDLE_VERSION	1

/* ---- restore staging (also used by fsck --repair) ---- */

/* Move DATA_DIR/T aside into STAGE/old/T (T absent: nothing to do). */
static int
stage_retire(const struct store *st, const char *t)
{
	char	 old[PATH_MAX];
	int	 there;

	snprintf(old, sizeof(old), "%s/old/%s", STAGE, t);
	if ((there = store_exists(st, t)) != 1)
		return there;
	if (store_rmtree(st, old) == -1 || store_rename(st, t, old) == -1)
		return -1;
	return 0;
}

/* Replace DATA_DIR/T by STAGE/new/T, unless that was done already. */
static int
stage_install(const struct store *st, const char *t)
{
	char	 fresh[PATH_MAX];
	int	 there;

	snprintf(fresh, sizeof(fresh), "%s/new/%s", STAGE, t);
	if ((there = store_exists(st, fresh)) != 1)
		return there;
	if (stage_retire(st, t) == -1 || store_rename(st, fresh, t) == -1)
		return -1;
	return 0;
}

/* A top-level name of the plan: one plain component. */
static int
stage_name_ok(const cJSON *t)
{
	return cJSON_IsString(t) && *t->valuestring != '\0' &&
	    strchr(t->valuestring, '/') == NULL && *t->valuestring != '.';
}

/*
 * Apply STAGE/COMMIT: {"replace": [T...], "remove": [T...]}, the
 * top-level entries of DATA_DIR.  Each step is a rename and can be run
 * again, so a restore cut short is finished by running this again.
 */
static int
stage_commit(const struct store *st)
{
	const cJSON	*t;
	cJSON		*plan;
	int		 err, rc = 0;

	if ((plan = store_read(st, STAGE "/COMMIT", &err)) == NULL)
		return -1;
	if (store_mkdir(st, STAGE "/old") == -1)
		rc = -1;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(plan, "replace"))
		if (rc == 0 && stage_name_ok(t))
			rc = stage_install(st, t->valuestring);
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(plan, "remove"))
		if (rc == 0 && stage_name_ok(t))
			rc = stage_retire(st, t->valuestring);
	cJSON_Delete(plan);
	if (rc == 0 && store_dirsync(st, STAGE) == -1)
		rc = -1;
	if (rc == 0 && store_rmtree(st, STAGE) == -1)
		rc = -1;
	return rc;
}

static int
fix_stage_commit(struct fsck *fk, const char *rel, void *arg)
{
	(void)rel;
	(void)arg;
	return stage_commit(&fk->st);
}

static int
fix_stage_drop(struct fsck *fk, const char *rel, void *arg)
{
	(void)arg;
	return store_rmtree(&fk->st, rel);
}

void
check_stage(struct fsck *fk)
{
	if (store_exists(&fk->st, STAGE) != 1)
		return;
	if (store_exists(&fk->st, STAGE "/COMMIT") == 1)
		finding(fk, L_ERROR, STAGE, fix_stage_commit, NULL, "a restore "
		    "was cut short: documents are half old, half restored");
	else
		finding(fk, L_LEFTOVER, STAGE, fix_stage_drop, NULL, "an "
		    "abandoned restore (never applied)");
}

/* ---- backup ---- */

/* Text when it is UTF-8 without NUL (every document is), else base64. */
void
bundle_content(cJSON *e, const char *p, size_t len)
{
	size_t		 n;
	char		*b64;

	if (memchr(p, '\0', len) == NULL && utf8_valid(p, len)) {
		cJSON_AddStringToObject(e, "text", p);
		return;
	}
	n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(n);
	sodium_bin2base64(b64, n, (const unsigned char *)p, len,
	    sodium_base64_VARIANT_ORIGINAL);
	cJSON_AddStringToObject(e, "base64", b64);
	free(b64);
}

/* Not part of the data: locks, debris, quarantine, a restore, and
 * keystone mode's credentials file (the service password: a bundle is
 * copied off the machine; a restore keeps the one there). */
int
bundle_skip(const char *rel, const char *name)
{
	return strchr(rel, '/') == NULL && (is_lock_name(name) ||
	    strcmp(name, LOST) == 0 || strcmp(name, STAGE) == 0 ||
	    strcmp(name, KS_CONF_NAME) == 0);
}

/* Left out of a bundle, and removed by a restore (it is in no bundle):
 * keystone mode's identity cache (derived) and kept service token (a
 * live secret).  The programs get them from Keystone again. */
int
bundle_derived(const char *rel)
{
	return strcmp(rel, "keystone") == 0;
}

/* Write FILE atomically, mode 0600 (it holds the token hashes), through
 * a temp file nobody can have made or guessed first: the folder may be
 * shared with other users (store_replace). */
static int
bundle_save(const char *file, const struct buf *b)
{
	char		*copy = xstrdup(file), *slash;
	const char	*dir;
	int		 dfd, rc = -1;

	slash = strrchr(copy, '/');
	if (slash == NULL) {
		dir = ".";
		slash = copy - 1;
	} else if (slash == copy)
		dir = "/";
	else {
		*slash = '\0';
		dir = copy;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fprintf(stderr, "hacgi-manage: backup: %s: %s\n", dir,
		    strerror(errno));
	else {
		rc = store_replace(dfd, file, slash + 1, b->p, b->len);
		close(dfd);
	}
	free(copy);
	return rc;
}

int
fsck_backup(const char *dir, const char *file)
{
	struct store	 st;
	struct buf	 b;
	cJSON		*doc, *files;
	char		 now[27];
	int		 rc;

	if (data_dir_open(&st, dir, STORE_LAX, "backup") == -1) {
		store_close(&st);
		return -1;
	}
	doc = cJSON_CreateObject();
	clock_now(now, 0);
	cJSON_AddNumberToObject(doc, "hacgi-backup", BUNDLE_VERSION);
	cJSON_AddNumberToObject(doc, "format", STORE_FORMAT);
	cJSON_AddStringToObject(doc, "created_at", now);
	files = cJSON_AddArrayToObject(doc, "files");
	rc = bundle_files(&st, files);
	store_close(&st);
	if (rc == -1)
		fprintf(stderr, "hacgi-manage: backup: cannot read %s: %s\n",
		    dir, strerror(errno));
	buf_init(&b);
	json_write(&b, doc);
	buf_putc(&b, '\n');
	if (rc == 0 && (rc = bundle_save(file, &b)) == -1)
		fprintf(stderr, "hacgi-manage: backup: cannot write %s\n",
		    file);
	else if (rc == 0)
		printf("backup: %d entries written to %s\n",
		    cJSON_GetArraySize(files), file);
	buf_free(&b);
	cJSON_Delete(doc);
	return rc;
}

/* ---- restore ---- */

/* A bundle path: relative, plain components, nothing we do not own. */
static int
bundle_path_ok(const char *p)
{
	const char	*c = p, *e;
	size_t		 l;

	if (strlen(p) == 0 || strlen(p) > 1024)
		return 0;
	do {
		e = c + strcspn(c, "/");
		l = (size_t)(e - c);
		if (l == 0 || l > 255 || *c == '.' || strspn(c,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._+-") < l)
			return 0;
		c = *e ? e + 1 : e;
	} while (*c != '\0' || *e == '/');
	l = strcspn(p, "/");
	return !(strncmp(p, LOST, l) == 0 && l == strlen(LOST)) &&
	    !is_tmp_name(p) && !(p[l] == '\0' && is_lock_name(p));
}

static const char *
bundle_problem(const cJSON *doc)
{
	const cJSON	*v, *e;

	v = cJSON_GetObjectItemCaseSensitive(doc, "hacgi-backup");
	if (!cJSON_IsNumber(v) || v->valuedouble != BUNDLE_VERSION)
		return "not a hacgi backup (or of another version)";
	v = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsNumber(v) || v->valuedouble != STORE_FORMAT)
		return "data format not supported by this program";
	v = cJSON_GetObjectItemCaseSensitive(doc, "files");
	if (!cJSON_IsArray(v))
		return "no file list";
	cJSON_ArrayForEach(e, v) {
		if (json_str(e, "path") == NULL ||
		    !bundle_path_ok(json_str(e, "path")))
			return "a path is not a plain relative path";
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "dir")) &&
		    json_str(e, "text") == NULL &&
		    json_str(e, "base64") == NULL)
			return "a file has no content";
	}
	return NULL;
}

/* A new file rel (O_EXCL), written and synced. */
static int
write_new(const struct store *st, const char *rel, const char *p,
    size_t len)
{
	struct stat	 sb;
	int		 fd, rc;

	if ((fd = store_fd(st, rel, O_WRONLY | O_CREAT | O_EXCL, 0600, &sb)) ==
	    -1)
		return -1;
	rc = store_write_all(fd, p, len);
	if (rc == 0 && fsync(fd) == -1)
		rc = -1;
	if (close(fd) == -1)
		rc = -1;
	return rc;
}

/* One bundle entry under STAGE/new; folders come before their files. */
static int
stage_entry(const struct store *st, const cJSON *e)
{
	char		 rel[PATH_MAX];
	const char	*t = json_str(e, "text"), *b64 = json_str(e, "base64");
	unsigned char	*raw;
	size_t		 len, rawlen = 0;
	int		 n, rc;

	if (join(rel, sizeof(rel), STAGE "/new", json_str(e, "path")) == -1)
		return -1;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "dir")))
		return store_mkdir(st, rel);
	if (t != NULL)
		return write_new(st, rel, t, strlen(t));
	len = strlen(b64);
	raw = xmalloc(len / 4 * 3 + 3);
	n = sodium_base642bin(raw, len / 4 * 3 + 3, b64, len, NULL, &rawlen,
	    NULL, sodium_base64_VARIANT_ORIGINAL);
	rc = n != 0 ? -1 : write_new(st, rel, (const char *)raw, rawlen);
	free(raw);
	return rc;
}

/* fsync every folder of the tree open on dfd, children first. */
static int
fsync_tree(int dfd)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	int		 fd, rc = 0;

	if ((d = dir_list(dfd)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(sb.st_mode))
			continue;
		if ((fd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1)
			rc = -1;
		else {
			rc |= fsync_tree(fd);
			close(fd);
		}
	}
	closedir(d);
	return fsync(dfd) == -1 ? -1 : rc;
}

/* The plan: bundle top-level entries replace, others present go. */
static cJSON *
stage_plan(const struct store *st, const cJSON *files)
{
	cJSON		*plan = cJSON_CreateObject(), *rep, *rem;
	const cJSON	*e;
	DIR		*d;
	struct dirent	*de;
	char		 top[256];
	const char	*p;
	int		 dfd;

	rep = cJSON_AddArrayToObject(plan, "replace");
	rem = cJSON_AddArrayToObject(plan, "remove");
	cJSON_ArrayForEach(e, files) {
		p = json_str(e, "path");
		if (strchr(p, '/') == NULL)
			cJSON_AddItemToArray(rep, cJSON_CreateString(p));
	}
	if ((dfd = store_dirfd(st, "")) == -1 || (d = dir_list(dfd)) == NULL)
		return plan;
	while ((de = readdir(d)) != NULL) {
		snprintf(top, sizeof(top), "%s", de->d_name);
		if (top[0] == '.' || bundle_skip(top, top) ||
		    is_tmp_name(top))
			continue;
		cJSON_ArrayForEach(e, rep)
			if (strcmp(e->valuestring, top) == 0)
				break;
		if (e == NULL)
			cJSON_AddItemToArray(rem, cJSON_CreateString(top));
	}
	closedir(d);
	return plan;
}

/* Build STAGE/new from the bundle, then write STAGE/COMMIT. */
static int
stage_build(const struct store *st, const cJSON *files)
{
	const cJSON	*e;
	cJSON		*plan;
	int		 fd, rc = 0;

	if (store_rmtree(st, STAGE) == -1 || store_mkdir(st, STAGE) == -1 ||
	    store_mkdir(st, STAGE "/new") == -1)
		return -1;
	cJSON_ArrayForEach(e, files)
		if (rc == 0 && stage_entry(st, e) == -1)
			rc = -1;
	if (rc == 0 && ((fd = store_dirfd(st, STAGE)) == -1 ||
	    fsync_tree(fd) == -1))
		rc = -1;
	if (rc == -1)
		return -1;
	plan = stage_plan(st, files);
	rc = store_write(st, STAGE "/COMMIT", plan);
	cJSON_Delete(plan);
	return rc;
}

/*
 * The bundle's text, if it is a regular file of ours that nobody else
 * may write: restore installs its token hashes, so a bundle someone else
 * could have edited would let them in (*why says what is wrong).
 */
static char *
bundle_read(const char *file, size_t *len, const char **why)
{
	struct stat	 sb;
	char		*text = NULL;
	int		 fd;

	*why = NULL;
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		*why = errno == ELOOP ? "a link: name the bundle itself" :
		    strerror(errno);
		return NULL;
	}
	if (fstat(fd, &sb) == -1)
		*why = strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		*why = "not a regular file";
	else if (sb.st_uid != geteuid())
		*why = "not yours: refused (its owner could have edited it; "
		    "copy it, check it and restore the copy)";
	else if ((sb.st_mode & 022) != 0)
		*why = "writable by group or others: refused (anyone could "
		    "have edited it; chmod 0600 it once you checked it)";
	else if ((text = store_read_fd(fd, SIZE_MAX, len)) == NULL)
		*why = strerror(errno);
	close(fd);
	return text;
}

int
fsck_restore(const char *dir, const char *file)
{
	struct store	 st = { .lockfd = -1 };	/* dirs NULL: closable */
	struct locks	 lk;
	char		*text;
	const char	*why;
	cJSON		*doc = NULL;
	size_t		 len;
	int		 bad, rc = -1;

	if ((text = bundle_read(file, &len, &why)) == NULL) {
		fprintf(stderr, "hacgi-manage: restore: %s: %s\n", file, why);
		return -1;
	}
	doc = json_parse(text, len, &bad);
	free(text);
	why = doc == NULL ? "not JSON" : bundle_problem(doc);
	if (why != NULL) {
		fprintf(stderr, "hacgi-manage: restore: %s: %s\n", file, why);
		cJSON_Delete(doc);
		return -1;
	}
	if ((mkdir(dir, 0700) == -1 && errno != EEXIST) ||
	    data_dir_open(&st, dir, 0, "restore") == -1 ||
	    locks_take(&lk, &st, 1) == -1) {
		store_close(&st);
		cJSON_Delete(doc);
		return -1;
	}
	if (stage_build(&st, cJSON_GetObjectItemCaseSensitive(doc, "files"))
	    == 0 && stage_commit(&st) == 0)
		rc = 0;
	else {
		fprintf(stderr, "hacgi-manage: restore: failed (%s); the data "
		    "is unchanged unless fsck reports an interrupted restore\n",
		    strerror(errno));
		if (store_exists(&st, STAGE "/COMMIT") == 0)
			store_rmtree(&st, STAGE);
	}
	locks_release(&lk);
	store_close(&st);
	cJSON_Delete(doc);
	return rc;
}
