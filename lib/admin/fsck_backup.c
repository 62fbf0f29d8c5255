/* lib/admin/fsck_backup.c: hacgi-manage backup and restore (SPEC 6,
 * fsck.h), and the restore staging that fsck --repair finishes. */
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

#define BUNDLE_VERSION	1

/* ---- restore staging (also used by fsck --repair) ---- */

/* Remove a tree we created; links are removed, never followed. */
static int
rm_rf(const char *path)
{
	char		 child[PATH_MAX];
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		rc |= rm_rf(child);
	}
	closedir(d);
	return rmdir(path) == -1 ? -1 : rc;
}

static int
fsync_path(const char *path)
{
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Move DATA_DIR/T aside into STAGE/old/T (T absent: nothing to do). */
static int
stage_retire(const char *dir, const char *t)
{
	char	 cur[PATH_MAX], old[PATH_MAX];

	snprintf(cur, sizeof(cur), "%s/%s", dir, t);
	snprintf(old, sizeof(old), "%s/%s/old/%s", dir, STAGE, t);
	if (access(cur, F_OK) == -1)
		return 0;
	if (rm_rf(old) == -1 || rename(cur, old) == -1)
		return -1;
	return 0;
}

/* Replace DATA_DIR/T by STAGE/new/T, unless that was done already. */
static int
stage_install(const char *dir, const char *t)
{
	char	 cur[PATH_MAX], fresh[PATH_MAX];

	snprintf(fresh, sizeof(fresh), "%s/%s/new/%s", dir, STAGE, t);
	snprintf(cur, sizeof(cur), "%s/%s", dir, t);
	if (access(fresh, F_OK) == -1)
		return 0;
	if (stage_retire(dir, t) == -1 || rename(fresh, cur) == -1)
		return -1;
	return 0;
}

/*
 * Apply STAGE/COMMIT: {"replace": [T...], "remove": [T...]}, the
 * top-level entries of DATA_DIR.  Each step is a rename and can be run
 * again, so a restore cut short is finished by running this again.
 */
static int
stage_commit(const char *dir)
{
	struct store	 st;
	char		 path[PATH_MAX];
	const cJSON	*t;
	cJSON		*plan = NULL;
	int		 err, rc = 0;

	if (store_attach(&st, dir, 1) == 0)
		plan = store_read(&st, STAGE "/COMMIT", &err);
	store_close(&st);
	if (plan == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/old", dir, STAGE);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		rc = -1;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(plan, "replace"))
		if (rc == 0 && cJSON_IsString(t))
			rc = stage_install(dir, t->valuestring);
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(plan, "remove"))
		if (rc == 0 && cJSON_IsString(t))
			rc = stage_retire(dir, t->valuestring);
	cJSON_Delete(plan);
	if (rc == 0 && fsync_path(dir) == -1)
		rc = -1;
	snprintf(path, sizeof(path), "%s/%s", dir, STAGE);
	if (rc == 0 && rm_rf(path) == -1)
		rc = -1;
	return rc;
}

static int
fix_stage_commit(struct fsck *fk, const char *rel, void *arg)
{
	(void)rel;
	(void)arg;
	return stage_commit(fk->dir);
}

static int
fix_stage_drop(struct fsck *fk, const char *rel, void *arg)
{
	char	 path[PATH_MAX];

	(void)arg;
	abspath(fk, rel, path);
	return rm_rf(path);
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
static void
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

/* Not part of the data: locks, debris, quarantine, a restore. */
static int
bundle_skip(const char *rel, const char *name)
{
	return strchr(rel, '/') == NULL && (is_lock_name(name) ||
	    strcmp(name, LOST) == 0 || strcmp(name, STAGE) == 0);
}

static int
bundle_walk(const char *dir, const char *rel, cJSON *files)
{
	char		 path[PATH_MAX], child[PATH_MAX], *text;
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	cJSON		*e;
	size_t		 len;
	int		 rc = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
	if ((d = opendir(path)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		if (join(path, sizeof(path), dir, child) == -1)
			continue;
		if (bundle_skip(child, de->d_name) || is_tmp_name(de->d_name)
		    || lstat(path, &sb) == -1)
			continue;
		if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
			continue;
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "path", child);
		cJSON_AddItemToArray(files, e);
		if (S_ISDIR(sb.st_mode)) {
			cJSON_AddTrueToObject(e, "dir");
			rc = bundle_walk(dir, child, files);
		} else if ((text = read_all(path, &len)) == NULL)
			rc = -1;
		else {
			bundle_content(e, text, len);
			free(text);
		}
	}
	closedir(d);
	return rc;
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
	struct locks	 lk;
	struct buf	 b;
	cJSON		*doc, *files;
	char		 now[27];
	int		 rc;

	if (locks_take(&lk, dir, 0) == -1)
		return -1;
	doc = cJSON_CreateObject();
	clock_now(now, 0);
	cJSON_AddNumberToObject(doc, "hacgi-backup", BUNDLE_VERSION);
	cJSON_AddNumberToObject(doc, "format", STORE_FORMAT);
	cJSON_AddStringToObject(doc, "created_at", now);
	files = cJSON_AddArrayToObject(doc, "files");
	rc = bundle_walk(dir, "", files);
	locks_release(&lk);
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

static int
write_new(const char *path, const char *p, size_t len)
{
	int	 fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
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
stage_entry(const char *root, const cJSON *e)
{
	char		 path[PATH_MAX];
	const char	*t = json_str(e, "text"), *b64 = json_str(e, "base64");
	unsigned char	*raw;
	size_t		 len, rawlen = 0;
	int		 n, rc;

	if (join(path, sizeof(path), root, json_str(e, "path")) == -1)
		return -1;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "dir")))
		return mkdir(path, 0700);
	if (t != NULL)
		return write_new(path, t, strlen(t));
	len = strlen(b64);
	raw = xmalloc(len / 4 * 3 + 3);
	n = sodium_base642bin(raw, len / 4 * 3 + 3, b64, len, NULL, &rawlen,
	    NULL, sodium_base64_VARIANT_ORIGINAL);
	rc = n != 0 ? -1 : write_new(path, (const char *)raw, rawlen);
	free(raw);
	return rc;
}

/* fsync every folder of a tree, children first. */
static int
fsync_tree(const char *path)
{
	char		 child[PATH_MAX];
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	int		 rc = 0;

	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (lstat(child, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc |= fsync_tree(child);
	}
	closedir(d);
	return fsync_path(path) == -1 ? -1 : rc;
}

/* The plan: bundle top-level entries replace, others present go. */
static cJSON *
stage_plan(const char *dir, const cJSON *files)
{
	cJSON		*plan = cJSON_CreateObject(), *rep, *rem;
	const cJSON	*e;
	DIR		*d;
	struct dirent	*de;
	char		 top[256];
	const char	*p;

	rep = cJSON_AddArrayToObject(plan, "replace");
	rem = cJSON_AddArrayToObject(plan, "remove");
	cJSON_ArrayForEach(e, files) {
		p = json_str(e, "path");
		if (strchr(p, '/') == NULL)
			cJSON_AddItemToArray(rep, cJSON_CreateString(p));
	}
	if ((d = opendir(dir)) == NULL)
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
stage_build(const char *dir, const cJSON *files)
{
	struct store	 st;
	char		 root[PATH_MAX];
	const cJSON	*e;
	cJSON		*plan;
	int		 rc = 0;

	snprintf(root, sizeof(root), "%s/%s", dir, STAGE);
	if (rm_rf(root) == -1 || mkdir(root, 0700) == -1)
		return -1;
	snprintf(root, sizeof(root), "%s/%s/new", dir, STAGE);
	if (mkdir(root, 0700) == -1)
		return -1;
	cJSON_ArrayForEach(e, files)
		if (rc == 0 && stage_entry(root, e) == -1)
			rc = -1;
	snprintf(root, sizeof(root), "%s/%s", dir, STAGE);
	if (rc == 0 && fsync_tree(root) == -1)
		rc = -1;
	if (rc == -1)
		return -1;
	plan = stage_plan(dir, files);
	store_init(&st, dir);
	rc = store_write(&st, STAGE "/COMMIT", plan);
	store_close(&st);
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
	struct locks	 lk;
	char		*text, stage[PATH_MAX];
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
	    locks_take(&lk, dir, 1) == -1) {
		cJSON_Delete(doc);
		return -1;
	}
	if (stage_build(dir, cJSON_GetObjectItemCaseSensitive(doc, "files"))
	    == 0 && stage_commit(dir) == 0)
		rc = 0;
	else {
		fprintf(stderr, "hacgi-manage: restore: failed (%s); the data "
		    "is unchanged unless fsck reports an interrupted restore\n",
		    strerror(errno));
		snprintf(stage, sizeof(stage), "%s/%s/COMMIT", dir, STAGE);
		if (access(stage, F_OK) == -1) {
			snprintf(stage, sizeof(stage), "%s/%s", dir, STAGE);
			rm_rf(stage);
		}
	}
	locks_release(&lk);
	cJSON_Delete(doc);
	return rc;
}
