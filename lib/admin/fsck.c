/* lib/admin/fsck.c: hacgi-manage fsck, backup and restore (SPEC 6; what is
 * checked and what is repaired: fsck.h). */
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

#include <sodium.h>

#include "admin/fsck.h"
#include "admin/manage.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/store.h"
#include "base/unicode.h"
#include "base/util.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/segment.h"
#include "vol/volume.h"

#define LOST		"lost+found"	/* quarantined documents */
#define STAGE		".restore"	/* a restore being built or applied */
#define MAXLOCKS	32
#define BUNDLE_VERSION	1

/* The locks the programs take; any other DATA_DIR/NAME.lock found is
 * taken too. */
static const char *const known_locks[] = { "ha", "tokens", "vol" };

struct locks {
	int	 fd[MAXLOCKS];
	int	 n;
};

enum level { L_ERROR, L_LEFTOVER };

struct fsck {
	const char	*dir;
	struct store	 st;		/* lockfd unused: struct locks holds */
	FILE		*out;
	int		 repair;
	int		 errors;	/* left unrepaired */
	int		 leftovers;	/* left unrepaired */
	int		 repaired;
	cJSON		*segs;		/* uuid -> record */
	cJSON		*hosts;		/* uuid -> record */
	cJSON		*notifs;	/* uuid -> record */
};

static char	*read_all(const char *, size_t *);

/* A repair: 0 done, -1 failed. */
typedef int	(*fixfn)(struct fsck *, const char *rel, void *);

/* a/b into out; -1 (out cut) when too long. */
static int
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

static int
abspath(const struct fsck *fk, const char *rel, char out[PATH_MAX])
{
	return join(out, PATH_MAX, fk->dir, rel);
}

/*
 * One finding: printed as "error: REL: MSG" or "leftover: REL: MSG"; with
 * --repair and a fix, the fix runs and the line says "repaired" (or
 * "repair failed").
 */
static void
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

static int
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

static void
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

static int
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

static int
fix_unlink(struct fsck *fk, const char *rel, void *arg)
{
	char	 path[PATH_MAX];

	(void)arg;
	abspath(fk, rel, path);
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

static int
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
static int
fix_write(struct fsck *fk, const char *rel, void *arg)
{
	return store_write(&fk->st, rel, arg);
}

/* Move a document (or folder) to lost+found/, never delete it. */
static int
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

/* "X.tmp.PID": a temp file of store_write_text(). */
static int
is_tmp_name(const char *n)
{
	const char	*t = strstr(n, ".tmp.");
	const char	*p;

	while (t != NULL && strstr(t + 1, ".tmp.") != NULL)
		t = strstr(t + 1, ".tmp.");
	if (t == NULL || t == n || t[5] == '\0')
		return 0;
	for (p = t + 5; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
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

/* ---- FORMAT, tokens, policy ---- */

static int
has_data(const struct fsck *fk)
{
	return store_exists(&fk->st, "ha") ||
	    store_exists(&fk->st, "volume") ||
	    store_exists(&fk->st, "tokens.json");
}

/* -1: an unknown format, nothing else may be checked. */
static int
check_format(struct fsck *fk)
{
	cJSON		*doc, *want;
	const cJSON	*v;
	int		 err, rc = 0;

	doc = store_read(&fk->st, "FORMAT", &err);
	if (doc == NULL && !err) {
		if (!has_data(fk))
			return 0;
		want = cJSON_CreateObject();
		cJSON_AddNumberToObject(want, "format", STORE_FORMAT);
		finding(fk, L_ERROR, "FORMAT", fix_write, want, "missing");
		cJSON_Delete(want);
		return 0;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (doc == NULL || !cJSON_IsNumber(v)) {
		finding(fk, L_ERROR, "FORMAT", NULL, NULL, "unreadable: not a "
		    "hacgi data directory?");
		rc = -1;
	} else if (v->valuedouble != STORE_FORMAT) {
		finding(fk, L_ERROR, "FORMAT", NULL, NULL, "format %g is not "
		    "supported (this program knows %d)", v->valuedouble,
		    STORE_FORMAT);
		rc = -1;
	}
	cJSON_Delete(doc);
	return rc;
}

static int
is_hex64(const char *s)
{
	return s != NULL && strlen(s) == 64 &&
	    strspn(s, "0123456789abcdef") == 64;
}

static int
is_string_array(const cJSON *a)
{
	const cJSON	*r;

	if (!cJSON_IsArray(a))
		return 0;
	cJSON_ArrayForEach(r, a)
		if (!cJSON_IsString(r))
			return 0;
	return 1;
}

/* A token entry: a hash, never the token itself. */
static const char *
token_problem(const cJSON *t)
{
	if (!cJSON_IsObject(t))
		return "an entry is not an object";
	if (!is_hex64(json_str(t, "sha256")))
		return "an entry has no SHA-256 hash";
	if (cJSON_GetObjectItemCaseSensitive(t, "token") != NULL)
		return "an entry holds a token in clear";
	if (json_str(t, "user") == NULL || json_str(t, "project") == NULL ||
	    !is_string_array(cJSON_GetObjectItemCaseSensitive(t, "roles")))
		return "an entry lacks user, project or roles";
	return NULL;
}

static void
check_tokens(struct fsck *fk)
{
	cJSON		*doc;
	const cJSON	*arr, *t;
	const char	*why = NULL;
	int		 err;

	if ((doc = store_read(&fk->st, "tokens.json", &err)) == NULL) {
		if (err)
			finding(fk, L_ERROR, "tokens.json", NULL, NULL,
			    "unparseable: every token is refused");
		return;
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "tokens");
	if (!cJSON_IsArray(arr))
		why = "no \"tokens\" array";
	cJSON_ArrayForEach(t, arr)
		if (why == NULL)
			why = token_problem(t);
	if (why != NULL)
		finding(fk, L_ERROR, "tokens.json", NULL, NULL, "%s", why);
	cJSON_Delete(doc);
}

static void
check_policy(struct fsck *fk)
{
	cJSON		*doc;
	const cJSON	*r;
	int		 err, bad = 0;

	if ((doc = store_read(&fk->st, "policy.json", &err)) == NULL) {
		if (err)
			finding(fk, L_ERROR, "policy.json", NULL, NULL,
			    "unparseable: every policy check denies");
		return;
	}
	bad = !cJSON_IsObject(doc);
	cJSON_ArrayForEach(r, doc)
		bad |= !is_string_array(r);
	if (bad)
		finding(fk, L_ERROR, "policy.json", NULL, NULL, "not an "
		    "object of role lists");
	cJSON_Delete(doc);
}

/* ---- record shapes ---- */

enum {
	T_STR = 1, T_NULL = 2, T_BOOL = 4, T_ID = 8, T_TIME = 16,
	T_UUID = 32, T_OBJ = 64
};

struct shape {
	const char	*key;
	int		 types;
};

static const struct shape seg_shape[] = {
	{ "id", T_ID }, { "uuid", T_UUID }, { "name", T_STR },
	{ "service_type", T_STR }, { "enabled", T_BOOL },
	{ "description", T_STR | T_NULL }, { "recovery_method", T_STR },
	{ "created_at", T_TIME }, { "updated_at", T_TIME | T_NULL },
	{ NULL, 0 },
};

static const struct shape host_shape[] = {
	{ "id", T_ID }, { "uuid", T_UUID }, { "name", T_STR },
	{ "failover_segment_id", T_UUID }, { "type", T_STR },
	{ "reserved", T_BOOL }, { "control_attributes", T_STR },
	{ "on_maintenance", T_BOOL }, { "created_at", T_TIME },
	{ "updated_at", T_TIME | T_NULL },
	{ NULL, 0 },
};

static const struct shape notif_shape[] = {
	{ "id", T_ID }, { "notification_uuid", T_UUID },
	{ "generated_time", T_TIME }, { "source_host_uuid", T_UUID },
	{ "type", T_STR }, { "payload", T_OBJ }, { "status", T_STR },
	{ "created_at", T_TIME }, { "updated_at", T_TIME | T_NULL },
	{ NULL, 0 },
};

/* "YYYY-MM-DDTHH:MM:SS.ffffff" */
static int
is_time(const char *s)
{
	static const char	 pat[] = "dddd-dd-ddTdd:dd:dd.dddddd";
	size_t			 i;

	if (s == NULL || strlen(s) != sizeof(pat) - 1)
		return 0;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	return 1;
}

static int
type_ok(const cJSON *v, int t)
{
	double	 d = cJSON_IsNumber(v) ? v->valuedouble : 0;

	return ((t & T_STR) && cJSON_IsString(v)) ||
	    ((t & T_NULL) && cJSON_IsNull(v)) ||
	    ((t & T_BOOL) && cJSON_IsBool(v)) ||
	    ((t & T_OBJ) && cJSON_IsObject(v)) ||
	    ((t & T_ID) && cJSON_IsNumber(v) && d >= 1 && d <= 9e15 &&
	    d == (double)(long long)d) ||
	    ((t & T_TIME) && cJSON_IsString(v) && is_time(v->valuestring)) ||
	    ((t & T_UUID) && cJSON_IsString(v) &&
	    store_uuid_ok(v->valuestring));
}

/* The first key missing or of the wrong type, or NULL. */
static const char *
shape_problem(const cJSON *rec, const struct shape *sh)
{
	for (; sh->key != NULL; sh++)
		if (!type_ok(cJSON_GetObjectItemCaseSensitive(rec, sh->key),
		    sh->types))
			return sh->key;
	return NULL;
}

/* "UUID.json", UUID canonical -> 1 and uuid, else 0. */
static int
uuid_file(const char *file, char uuid[37])
{
	return store_uuid_name(file, uuid) && store_uuid_ok(uuid);
}

/*
 * Read one record of a kind: its file name must be UUID.json and its
 * idkey that uuid.  A document that cannot be trusted is quarantined;
 * a malformed field is reported.  Returns the record (caller owns) or
 * NULL.
 */
static cJSON *
load_record(struct fsck *fk, const char *rel, const char *file,
    const char *idkey, const struct shape *sh)
{
	char		 uuid[37];
	cJSON		*rec;
	const char	*bad;
	int		 err;

	if (!uuid_file(file, uuid)) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, "file name is "
		    "not UUID.json, yet the programs read it");
		return NULL;
	}
	rec = store_read(&fk->st, rel, &err);
	if (rec == NULL || !cJSON_IsObject(rec) ||
	    json_str(rec, idkey) == NULL ||
	    strcmp(json_str(rec, idkey), uuid) != 0) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, rec == NULL ?
		    "unparseable document" : "not a record of this file's %s",
		    idkey);
		cJSON_Delete(rec);
		return NULL;
	}
	if ((bad = shape_problem(rec, sh)) != NULL)
		finding(fk, L_ERROR, rel, NULL, NULL, "field \"%s\" missing or "
		    "of the wrong type", bad);
	return rec;
}

/* ---- Instance-HA: records ---- */

struct scanctx {
	struct fsck	*fk;
	const char	*dir;
	const char	*seg;	/* hosts: the folder's segment */
	int		 n;	/* documents seen */
};

static int
seg_one(const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;

	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, file);
	if ((rec = load_record(sc->fk, rel, file, "uuid", seg_shape)) != NULL)
		cJSON_AddItemToObject(sc->fk->segs, json_str(rec, "uuid"), rec);
	return 0;
}

static int
host_one(const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;
	const char	*seg;

	sc->n++;
	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, file);
	if ((rec = load_record(sc->fk, rel, file, "uuid", host_shape)) == NULL)
		return 0;
	seg = json_str(rec, "failover_segment_id");
	if (seg == NULL || strcmp(seg, sc->seg) != 0)
		finding(sc->fk, L_ERROR, rel, NULL, NULL, "failover_segment_id "
		    "is not the folder's segment");
	cJSON_AddItemToObject(sc->fk->hosts, json_str(rec, "uuid"), rec);
	return 0;
}

static int
notif_one(const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;

	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, file);
	if ((rec = load_record(sc->fk, rel, file, "notification_uuid",
	    notif_shape)) != NULL)
		cJSON_AddItemToObject(sc->fk->notifs,
		    json_str(rec, "notification_uuid"), rec);
	return 0;
}

static int
host_one_count(const char *file, void *arg)
{
	(void)file;
	((struct scanctx *)arg)->n++;
	return 0;
}

/* A host of a deleted segment, garbage until purged (segment.h): only
 * a document that the purge could not read is reported. */
static int
host_one_dead(const char *file, void *arg)
{
	struct scanctx	*sc = arg;
	char		 rel[PATH_MAX];
	cJSON		*rec;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", sc->dir, file);
	if ((rec = store_read(&sc->fk->st, rel, &err)) == NULL && err)
		finding(sc->fk, L_ERROR, rel, fix_quarantine, NULL,
		    "unparseable document: the delete of its segment cannot "
		    "finish");
	cJSON_Delete(rec);
	return 0;
}

static int
has_tombstone(const struct fsck *fk, const char *uuid)
{
	char	 rel[96];

	snprintf(rel, sizeof(rel), "%s/%s.json", HA_TOMBSTONES, uuid);
	return store_exists(&fk->st, rel);
}

/* One folder ha/hosts/SEG: an orphan without its segment, or the hosts
 * of an unfinished delete (reported with its tombstone). */
static void
host_folder(struct fsck *fk, const char *name)
{
	char		 rel[PATH_MAX];
	struct scanctx	 sc = { fk, rel, name, 0 };
	char		 uuid[37];
	int		 orphan;

	snprintf(rel, sizeof(rel), "ha/hosts/%s", name);
	if (strlen(name) == 36)
		memcpy(uuid, name, 37);
	if (strlen(name) != 36 || !store_uuid_ok(uuid)) {
		finding(fk, L_LEFTOVER, rel, NULL, NULL, "not a segment's "
		    "folder (ignored by the programs)");
		return;
	}
	orphan = cJSON_GetObjectItemCaseSensitive(fk->segs, name) == NULL;
	if (orphan && has_tombstone(fk, uuid)) {
		store_scan(&fk->st, rel, host_one_dead, &sc);
		return;
	}
	if (orphan) {
		store_scan(&fk->st, rel, host_one_count, &sc);
		if (sc.n == 0)
			finding(fk, L_LEFTOVER, rel, fix_rmdir, NULL, "empty "
			    "folder of a deleted segment");
		else
			finding(fk, L_ERROR, rel, fix_quarantine, NULL, "%d "
			    "orphan host(s): the segment does not exist",
			    sc.n);
		return;
	}
	store_scan(&fk->st, rel, host_one, &sc);
}

/* The folders of ha/hosts; files there are ignored by the programs. */
static void
check_host_folders(struct fsck *fk)
{
	char		 path[PATH_MAX], rel[PATH_MAX];
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;

	abspath(fk, "ha/hosts", path);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || is_tmp_name(de->d_name))
			continue;
		snprintf(rel, sizeof(rel), "ha/hosts/%s", de->d_name);
		abspath(fk, rel, path);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			host_folder(fk, de->d_name);
		else
			finding(fk, L_LEFTOVER, rel, NULL, NULL, "unexpected "
			    "file (ignored by the programs)");
	}
	closedir(d);
}

/* ---- Instance-HA: unfinished segment deletes ---- */

/* arg: the segment's uuid. */
static int
fix_purge(struct fsck *fk, const char *rel, void *arg)
{
	(void)rel;
	return segment_purge(&fk->st, arg);
}

/* An unparseable tombstone still names a deleted segment: it goes to
 * lost+found with the segment's host folder, whose names the index check
 * (later in the same run) then frees.  arg: the segment's uuid. */
static int
fix_dead_tombstone(struct fsck *fk, const char *rel, void *arg)
{
	char	 hosts[96];

	if (fix_quarantine(fk, rel, NULL) == -1)
		return -1;
	snprintf(hosts, sizeof(hosts), "ha/hosts/%s", (const char *)arg);
	if (store_exists(&fk->st, hosts) && fix_quarantine(fk, hosts,
	    NULL) == -1)
		return -1;
	return 0;
}

static int
tombstone_one(const char *file, void *arg)
{
	struct fsck	*fk = arg;
	char		 rel[PATH_MAX], uuid[37];
	cJSON		*rec;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", HA_TOMBSTONES, file);
	if (!uuid_file(file, uuid)) {
		finding(fk, L_LEFTOVER, rel, fix_quarantine, NULL, "file name "
		    "is not UUID.json (ignored by the programs)");
		return 0;
	}
	if (cJSON_GetObjectItemCaseSensitive(fk->segs, uuid) != NULL) {
		finding(fk, L_ERROR, rel, fix_quarantine, NULL, "tombstone of "
		    "a segment that exists (the purge refuses it)");
		return 0;
	}
	if ((rec = store_read(&fk->st, rel, &err)) == NULL)
		finding(fk, L_ERROR, rel, fix_dead_tombstone, uuid,
		    "unparseable tombstone: the delete of its segment cannot "
		    "finish");
	else
		finding(fk, L_LEFTOVER, rel, fix_purge, uuid, "unfinished "
		    "delete of segment %s (hosts and index entries left to "
		    "purge)", uuid);
	cJSON_Delete(rec);
	return 0;
}

/* After the host folders: a repair here finds their garbage sound. */
static void
check_tombstones(struct fsck *fk)
{
	store_scan(&fk->st, HA_TOMBSTONES, tombstone_one, fk);
}

/* ---- Instance-HA: uniqueness ---- */

struct pair {
	char		*key;
	const char	*uuid;
};

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->uuid, y->uuid);
}

/* Two records of a kind with the same key (name or id): reported, never
 * repaired (which one should give way is the operator's call). */
static void
check_unique(struct fsck *fk, const cJSON *recs, const char *key,
    const char *kind)
{
	const cJSON	*r, *v;
	struct pair	*p;
	size_t		 n = 0, i, cap = (size_t)cJSON_GetArraySize(recs);

	p = xcalloc(cap + 1, sizeof(*p));
	cJSON_ArrayForEach(r, recs) {
		v = cJSON_GetObjectItemCaseSensitive(r, key);
		if (cJSON_IsString(v))
			p[n].key = xstrdup(v->valuestring);
		else if (cJSON_IsNumber(v)) {
			p[n].key = xmalloc(32);
			snprintf(p[n].key, 32, "%.0f", v->valuedouble);
		} else
			continue;
		p[n++].uuid = r->string;
	}
	qsort(p, n, sizeof(*p), pair_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(p[i].key, p[i - 1].key) == 0)
			finding(fk, L_ERROR, kind, NULL, NULL, "%s %s and %s "
			    "share the %s '%s'", kind, p[i - 1].uuid, p[i].uuid,
			    key, p[i].key);
	for (i = 0; i < n; i++)
		free(p[i].key);
	free(p);
}

/* ---- Instance-HA: the name index ---- */

/* "s-HEX.json" or "h-HEX.json": the kind letter, or 0. */
static int
index_kind(const char *file, char hex[65])
{
	if (strlen(file) != 2 + 64 + 5 || (file[0] != 's' && file[0] != 'h')
	    || file[1] != '-' || strcmp(file + 66, ".json") != 0)
		return 0;
	memcpy(hex, file + 2, 64);
	hex[64] = '\0';
	return is_hex64(hex) ? file[0] : 0;
}

/* Does the entry name a live record under that name? */
static int
index_live(const struct fsck *fk, int kind, const cJSON *e)
{
	const cJSON	*rec;
	const char	*u = json_str(e, "uuid"), *n = json_str(e, "name"), *s;

	if (u == NULL || n == NULL)
		return 0;
	rec = cJSON_GetObjectItemCaseSensitive(kind == 's' ? fk->segs :
	    fk->hosts, u);
	if (rec == NULL || json_str(rec, "name") == NULL ||
	    strcmp(json_str(rec, "name"), n) != 0)
		return 0;
	s = json_str(e, "segment");
	return kind == 's' || (s != NULL &&
	    strcmp(s, json_str(rec, "failover_segment_id")) == 0);
}

/* Is the entry e (or NULL) the one of its file name's hash hex? */
static int
index_hash_ok(const cJSON *e, const char *hex)
{
	const char	*name = json_str(e, "name");
	char		 want[65];

	if (name == NULL)
		return 0;
	store_sha256_hex(name, want);
	return strcmp(want, hex) == 0;
}

static void
index_entry(struct fsck *fk, const char *file)
{
	char		 rel[PATH_MAX], hex[65];
	cJSON		*e;
	int		 kind, err;

	snprintf(rel, sizeof(rel), "ha/names/%s", file);
	if ((kind = index_kind(file, hex)) == 0) {
		finding(fk, L_LEFTOVER, rel, fix_quarantine, NULL, "not a "
		    "name index entry (ignored by the programs)");
		return;
	}
	e = store_read(&fk->st, rel, &err);
	if (!index_hash_ok(e, hex))
		finding(fk, L_ERROR, rel, fix_unlink, NULL, e == NULL ?
		    "unparseable entry: creates of that name fail" :
		    "entry does not match its file name");
	else if (!index_live(fk, kind, e))
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "stale entry "
		    "of an interrupted write or delete");
	cJSON_Delete(e);
}

static int
index_one(const char *file, void *arg)
{
	index_entry(arg, file);
	return 0;
}

/* Every record must be found by its name, or a duplicate could be
 * created.  Names shared by two records are reported once, above. */
static void
index_expect(struct fsck *fk, int kind, const cJSON *rec)
{
	char		 rel[96];
	const char	*name = json_str(rec, "name");
	cJSON		*e, *want;
	int		 err;

	if (name == NULL)
		return;
	ha_name_path(rel, (char)kind, name);
	e = store_read(&fk->st, rel, &err);
	if (e != NULL && index_live(fk, kind, e) &&
	    strcmp(json_str(e, "uuid"), rec->string) != 0) {
		cJSON_Delete(e);
		return;	/* a duplicate name */
	}
	if (e == NULL || json_str(e, "uuid") == NULL ||
	    strcmp(json_str(e, "uuid"), rec->string) != 0) {
		want = cJSON_CreateObject();
		cJSON_AddStringToObject(want, "name", name);
		cJSON_AddStringToObject(want, "uuid", rec->string);
		if (kind == 'h')
			cJSON_AddStringToObject(want, "segment",
			    json_str(rec, "failover_segment_id"));
		finding(fk, L_ERROR, rel, fix_write, want, "name index entry "
		    "of %s missing: its name could be taken twice",
		    rec->string);
		cJSON_Delete(want);
	}
	cJSON_Delete(e);
}

/* ---- Instance-HA: active notifications, counters ---- */

/* ha/active.json may hold more than the active notifications (an entry
 * is added before a record becomes active, removed after it stops), but
 * never fewer. */
static void
check_active(struct fsck *fk)
{
	const cJSON	*n, *a;
	cJSON		*act, *want = cJSON_CreateObject();
	const char	*h;
	int		 err, missing = 0, stale = 0;

	act = store_read(&fk->st, HA_ACTIVE, &err);
	cJSON_ArrayForEach(n, fk->notifs) {
		if (!notification_active(json_str(n, "status")))
			continue;
		h = json_str(n, "source_host_uuid");
		cJSON_AddStringToObject(want, n->string, h ? h : "");
		a = cJSON_GetObjectItemCaseSensitive(act, n->string);
		missing += !cJSON_IsString(a) || h == NULL ||
		    strcmp(a->valuestring, h) != 0;
	}
	cJSON_ArrayForEach(a, act)
		stale += cJSON_GetObjectItemCaseSensitive(want,
		    a->string) == NULL;
	if (err || (act != NULL && !cJSON_IsObject(act)))
		finding(fk, L_ERROR, HA_ACTIVE, fix_write, want, "unreadable: "
		    "segments cannot be changed");
	else if (missing)
		finding(fk, L_ERROR, HA_ACTIVE, fix_write, want, "%d active "
		    "notification(s) missing: their segments look free",
		    missing);
	else if (stale)
		finding(fk, L_LEFTOVER, HA_ACTIVE, fix_write, want,
		    "%d entries of notifications no longer (or never) active",
		    stale);
	cJSON_Delete(act);
	cJSON_Delete(want);
}

static double
max_id(const cJSON *recs)
{
	const cJSON	*r, *v;
	double		 m = 0;

	cJSON_ArrayForEach(r, recs) {
		v = cJSON_GetObjectItemCaseSensitive(r, "id");
		if (cJSON_IsNumber(v) && v->valuedouble > m)
			m = v->valuedouble;
	}
	return m;
}

/* A counter behind the largest id would hand out an id again. */
static void
check_counters(struct fsck *fk)
{
	static const char *const kinds[] = {
		"segment", "host", "notification",
	};
	const cJSON	*sets[3] = { fk->segs, fk->hosts, fk->notifs };
	const cJSON	*v;
	cJSON		*doc, *want;
	size_t		 i;
	double		 m;
	int		 err, behind = 0;

	doc = store_read(&fk->st, HA_COUNTERS, &err);
	want = cJSON_IsObject(doc) ? cJSON_Duplicate(doc, 1) :
	    cJSON_CreateObject();
	for (i = 0; i < NELEM(kinds); i++) {
		m = max_id(sets[i]);
		v = cJSON_GetObjectItemCaseSensitive(want, kinds[i]);
		if (m > 0 && (!cJSON_IsNumber(v) || v->valuedouble < m)) {
			behind = 1;
			cJSON_DeleteItemFromObjectCaseSensitive(want, kinds[i]);
			cJSON_AddNumberToObject(want, kinds[i], m);
		}
	}
	if (err || (doc != NULL && !cJSON_IsObject(doc)))
		finding(fk, L_ERROR, HA_COUNTERS, fix_write, want, "unreadable "
		    "(rebuilt from the largest ids: ids of deleted rows above "
		    "them may be handed out again)");
	else if (behind)
		finding(fk, L_ERROR, HA_COUNTERS, fix_write, want, "behind the "
		    "largest id in use");
	cJSON_Delete(doc);
	cJSON_Delete(want);
}

static void
check_ha(struct fsck *fk)
{
	struct scanctx	 sc = { fk, NULL, NULL, 0 };
	const cJSON	*r;

	sc.dir = "ha/segments";
	store_scan(&fk->st, sc.dir, seg_one, &sc);
	check_host_folders(fk);
	check_tombstones(fk);
	sc.dir = "ha/notifications";
	store_scan(&fk->st, sc.dir, notif_one, &sc);
	check_unique(fk, fk->segs, "name", "segments");
	check_unique(fk, fk->segs, "id", "segments");
	check_unique(fk, fk->hosts, "name", "hosts");
	check_unique(fk, fk->hosts, "id", "hosts");
	check_unique(fk, fk->notifs, "id", "notifications");
	store_scan(&fk->st, "ha/names", index_one, fk);
	cJSON_ArrayForEach(r, fk->segs)
		index_expect(fk, 's', r);
	cJSON_ArrayForEach(r, fk->hosts)
		index_expect(fk, 'h', r);
	check_active(fk);
	check_counters(fk);
}

/* ---- Volume: record files and journals (layout in volume.h) ---- */

static const struct shape svc_shape[] = {
	{ "seq", T_ID }, { "host", T_STR }, { "binary", T_STR },
	{ "cluster", T_STR | T_NULL }, { "zone", T_STR },
	{ "disabled", T_BOOL }, { "disabled_reason", T_STR | T_NULL },
	{ "heartbeat", T_TIME | T_NULL }, { "created_at", T_TIME },
	{ "modified_at", T_TIME | T_NULL },
	{ NULL, 0 },
};

static const struct shape cl_shape[] = {
	{ "seq", T_ID }, { "name", T_STR }, { "binary", T_STR },
	{ "disabled", T_BOOL }, { "disabled_reason", T_STR | T_NULL },
	{ "replication_status", T_STR }, { "frozen", T_BOOL },
	{ "active_backend_id", T_STR | T_NULL }, { "created_at", T_TIME },
	{ "updated_at", T_TIME | T_NULL },
	{ NULL, 0 },
};

static const struct vkind {
	const char	*dir;
	const char	*journal;
	const char	*key1;		/* the key is (key1, binary) */
	const char	*counter;
	const struct shape *shape;
} vkinds[] = {
	{ "vol/services", "vol/services.log", "host", "service", svc_shape },
	{ "vol/clusters", "vol/clusters.log", "name", "cluster", cl_shape },
};

/* A live journal line and the name of its record file (a sha256: made
 * once per line, so that the checks are not quadratic in hashes). */
struct vlive {
	char		 file[80];
	const cJSON	*line;
};

struct vstate {
	struct fsck		*fk;
	const struct vkind	*k;
	cJSON			*recs;	/* file name -> record file */
	cJSON			*live;	/* seq -> its last journal line */
	struct vlive		*lv;	/* the live lines, by file name */
	size_t			 nlv;
	cJSON			*prev;	/* seq -> the line before that */
	double			 last;	/* seq of the last complete line */
	int			 corrupt;	/* a complete line is no JSON */
	int			 torn;		/* a last line without '\n' */
};

/* The name of rec's file in vol/KIND/ (vol_rec_file()). */
static void
vol_file(const cJSON *rec, const struct vkind *k, char out[80])
{
	const char	*a = json_str(rec, k->key1);
	const char	*b = json_str(rec, "binary");

	vol_rec_file(out, a ? a : "", b ? b : "");
}

static int
vol_rec_one(const char *file, void *arg)
{
	struct vstate	*vs = arg;
	char		 rel[PATH_MAX], want[80];
	cJSON		*rec;
	const char	*bad;
	int		 err;

	snprintf(rel, sizeof(rel), "%s/%s", vs->k->dir, file);
	rec = store_read(&vs->fk->st, rel, &err);
	if (rec == NULL || !cJSON_IsObject(rec)) {
		finding(vs->fk, L_ERROR, rel, fix_quarantine, NULL,
		    "unparseable record");
		cJSON_Delete(rec);
		return 0;
	}
	vol_file(rec, vs->k, want);
	if (strcmp(want, file) != 0) {
		finding(vs->fk, L_ERROR, rel, fix_quarantine, NULL, "file name "
		    "is not the hash of the record's key");
		cJSON_Delete(rec);
		return 0;
	}
	if ((bad = shape_problem(rec, vs->k->shape)) != NULL)
		finding(vs->fk, L_ERROR, rel, NULL, NULL,
		    "field \"%s\" missing or of the wrong type", bad);
	cJSON_AddItemToObject(vs->recs, file, rec);
	return 0;
}

/* One complete journal line: the record of its seq, or its removal. */
static void
vol_line(struct vstate *vs, const char *p, size_t n)
{
	cJSON		*j, *old;
	const cJSON	*seq;
	char		 key[32];
	int		 err;

	j = json_parse(p, n, &err);
	seq = cJSON_GetObjectItemCaseSensitive(j, "seq");
	if (!cJSON_IsObject(j) || !type_ok(seq, T_ID)) {
		vs->corrupt = 1;
		cJSON_Delete(j);
		return;
	}
	snprintf(key, sizeof(key), "%.0f", seq->valuedouble);
	cJSON_DeleteItemFromObjectCaseSensitive(vs->prev, key);
	if ((old = cJSON_DetachItemFromObjectCaseSensitive(vs->live, key)) !=
	    NULL)
		cJSON_AddItemToObject(vs->prev, key, old);
	vs->last = seq->valuedouble;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "removed")))
		cJSON_Delete(j);
	else
		cJSON_AddItemToObject(vs->live, key, j);
}

static void
vol_journal(struct vstate *vs)
{
	char		 path[PATH_MAX], *text, *p, *nl;
	size_t		 len;

	if (abspath(vs->fk, vs->k->journal, path) == -1 ||
	    (text = read_all(path, &len)) == NULL)
		return;		/* none yet */
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL) {
			vs->torn = 1;
			break;
		}
		vol_line(vs, p, (size_t)(nl - p));
	}
	free(text);
}

static int
vlive_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vlive *)a)->file,
	    ((const struct vlive *)b)->file);
}

/* vs->lv from vs->live, sorted by file name. */
static void
vol_live_files(struct vstate *vs)
{
	const cJSON	*l;

	vs->lv = xcalloc((size_t)cJSON_GetArraySize(vs->live) + 1,
	    sizeof(*vs->lv));
	cJSON_ArrayForEach(l, vs->live) {
		vol_file(l, vs->k, vs->lv[vs->nlv].file);
		vs->lv[vs->nlv++].line = l;
	}
	qsort(vs->lv, vs->nlv, sizeof(*vs->lv), vlive_cmp);
}

/*
 * The journal is the truth (its lines are the commits); a record file is
 * what the next writer starts from.  Only the record of the last line
 * may be behind (volume.h): the line before it of that seq, or no file
 * when that seq has no earlier line; the next writer brings it up to
 * date (*behind).  Any other difference would surface with the next
 * write of that record: an error.
 */
static int
vol_behind(const struct vstate *vs, const cJSON *seq_of, const cJSON *r)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(seq_of, "seq");
	const cJSON	*p;
	char		 key[32];

	if (!cJSON_IsNumber(v) || v->valuedouble != vs->last)
		return 0;
	snprintf(key, sizeof(key), "%.0f", vs->last);
	p = cJSON_GetObjectItemCaseSensitive(vs->prev, key);
	return r == NULL ? p == NULL : p != NULL && cJSON_Compare(p, r, 1);
}

static int
vol_agree(const struct vstate *vs, int *behind)
{
	const cJSON	*l, *r;
	struct vlive	 want = { "", NULL };	/* the key: file */
	size_t		 i;
	int		 bad = 0;

	for (i = 0; i < vs->nlv; i++) {
		l = vs->lv[i].line;
		r = cJSON_GetObjectItemCaseSensitive(vs->recs, vs->lv[i].file);
		if (r != NULL && cJSON_Compare(l, r, 1))
			continue;
		if (vol_behind(vs, l, r))
			*behind = 1;
		else
			bad++;
	}
	cJSON_ArrayForEach(r, vs->recs) {
		snprintf(want.file, sizeof(want.file), "%s", r->string);
		if (bsearch(&want, vs->lv, vs->nlv, sizeof(*vs->lv),
		    vlive_cmp) != NULL)
			continue;
		if (vol_behind(vs, r, r))	/* removed by the last line */
			*behind = 1;
		else
			bad++;
	}
	return bad;
}

/* Make the record files say what the journal says, then rewrite the
 * journal from them (vol_rebuild: one line per record, no duplicates). */
static int
fix_vol(struct fsck *fk, const char *rel, void *arg)
{
	struct vstate	*vs = arg;
	const cJSON	*l, *r;
	char		 file[80], path[PATH_MAX];
	int		 rc = 0;

	(void)rel;
	if (!vs->corrupt) {
		cJSON_ArrayForEach(r, vs->recs) {
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir,
			    r->string);
			rc |= store_remove(&fk->st, path);
		}
		cJSON_ArrayForEach(l, vs->live) {
			vol_file(l, vs->k, file);
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir, file);
			rc |= store_write(&fk->st, path, l);
		}
	}
	return rc != 0 ? -1 : vol_rebuild(&fk->st, vs->k == &vkinds[0] ?
	    VOL_SERVICES : VOL_CLUSTERS);
}

/* Two live journal records with one key: readers list both.  Counts the
 * pairs: k lines of one key are k(k-1)/2. */
static int
vol_dups(const struct vstate *vs)
{
	size_t	 i, run = 0;
	int	 n = 0;

	for (i = 1; i < vs->nlv; i++) {
		run = strcmp(vs->lv[i].file, vs->lv[i - 1].file) == 0 ?
		    run + 1 : 0;
		n += (int)run;
	}
	return n;
}

static void
vol_kind(struct fsck *fk, struct vstate *vs)
{
	int	 n, behind = 0;

	store_scan(&fk->st, vs->k->dir, vol_rec_one, vs);
	vol_journal(vs);
	vol_live_files(vs);
	if (vs->corrupt)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "a line is "
		    "not a record: every read fails (rebuilt from the record "
		    "files)");
	else if ((n = vol_dups(vs)) > 0)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "%d key(s) "
		    "live twice: listed twice", n);
	else if ((n = vol_agree(vs, &behind)) > 0)
		finding(fk, L_ERROR, vs->k->dir, fix_vol, vs, "%d record "
		    "file(s) disagree with the journal (the next write of the "
		    "record would start from it)", n);
	else if (behind)
		finding(fk, L_LEFTOVER, vs->k->dir, fix_vol, vs, "the record "
		    "file of the last journal line is behind it (a write cut "
		    "short after its commit; the next write brings it up to "
		    "date)");
	if (vs->torn)
		finding(fk, L_LEFTOVER, vs->k->journal, NULL, NULL, "a torn "
		    "last line (ignored; the next write cuts it)");
}

static double
vol_max_seq(const struct vstate *vs)
{
	const cJSON	*sets[2] = { vs->recs, vs->live }, *r, *v;
	double		 m = 0;
	int		 i;

	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(r, sets[i]) {
			v = cJSON_GetObjectItemCaseSensitive(r, "seq");
			if (cJSON_IsNumber(v) && v->valuedouble > m)
				m = v->valuedouble;
		}
	return m;
}

static void
vol_counters(struct fsck *fk, struct vstate vs[2])
{
	cJSON		*doc, *want;
	const cJSON	*v;
	double		 m;
	int		 i, err, behind = 0;

	doc = store_read(&fk->st, "vol/counters.json", &err);
	want = cJSON_IsObject(doc) ? cJSON_Duplicate(doc, 1) :
	    cJSON_CreateObject();
	for (i = 0; i < 2; i++) {
		m = vol_max_seq(&vs[i]);
		v = cJSON_GetObjectItemCaseSensitive(want, vs[i].k->counter);
		if (m > 0 && (!cJSON_IsNumber(v) || v->valuedouble < m)) {
			behind = 1;
			cJSON_DeleteItemFromObjectCaseSensitive(want,
			    vs[i].k->counter);
			cJSON_AddNumberToObject(want, vs[i].k->counter, m);
		}
	}
	if (err || (doc != NULL && !cJSON_IsObject(doc)))
		finding(fk, L_ERROR, "vol/counters.json", fix_write, want,
		    "unreadable (rebuilt from the largest sequence numbers)");
	else if (behind)
		finding(fk, L_ERROR, "vol/counters.json", fix_write, want,
		    "behind the largest sequence number in use");
	cJSON_Delete(doc);
	cJSON_Delete(want);
}

/* A service in a cluster that does not exist: no write makes one (a
 * heartbeat commits its new cluster first, cluster remove refuses a
 * cluster with services); reported, cluster set or a heartbeat decides. */
static void
vol_orphans(struct fsck *fk, const struct vstate vs[2])
{
	const cJSON	*s, *c;
	const char	*cl;
	int		 n = 0;

	cJSON_ArrayForEach(s, vs[0].live) {
		if ((cl = json_str(s, "cluster")) == NULL)
			continue;
		cJSON_ArrayForEach(c, vs[1].live)
			if (json_str(c, "name") != NULL &&
			    json_str(s, "binary") != NULL &&
			    strcmp(json_str(c, "name"), cl) == 0 &&
			    json_str(c, "binary") != NULL &&
			    strcmp(json_str(c, "binary"),
			    json_str(s, "binary")) == 0)
				break;
		if (c == NULL && ++n <= 5)
			finding(fk, L_ERROR, vs[0].k->journal, NULL, NULL,
			    "service (%s, %s) of a missing cluster %s "
			    "(hacgi-manage cluster set creates it)",
			    json_str(s, "host"), json_str(s, "binary"), cl);
	}
}

static void
check_vol(struct fsck *fk)
{
	struct vstate	 vs[2];
	int		 i;

	if (!store_exists(&fk->st, "vol"))
		return;
	for (i = 0; i < 2; i++) {
		vs[i].fk = fk;
		vs[i].k = &vkinds[i];
		vs[i].recs = cJSON_CreateObject();
		vs[i].live = cJSON_CreateObject();
		vs[i].prev = cJSON_CreateObject();
		vs[i].lv = NULL;
		vs[i].nlv = 0;
		vs[i].last = -1;
		vs[i].corrupt = vs[i].torn = 0;
		vol_kind(fk, &vs[i]);
	}
	vol_counters(fk, vs);
	if (!vs[0].corrupt && !vs[1].corrupt)
		vol_orphans(fk, vs);
	for (i = 0; i < 2; i++) {
		cJSON_Delete(vs[i].recs);
		cJSON_Delete(vs[i].live);
		cJSON_Delete(vs[i].prev);
		free(vs[i].lv);
	}
}

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
	struct store	 st = { -1, dir };
	char		 path[PATH_MAX];
	const cJSON	*t;
	cJSON		*plan;
	int		 err, rc = 0;

	if ((plan = store_read(&st, STAGE "/COMMIT", &err)) == NULL)
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

static void
check_stage(struct fsck *fk)
{
	if (!store_exists(&fk->st, STAGE))
		return;
	if (store_exists(&fk->st, STAGE "/COMMIT"))
		finding(fk, L_ERROR, STAGE, fix_stage_commit, NULL, "a restore "
		    "was cut short: documents are half old, half restored");
	else
		finding(fk, L_LEFTOVER, STAGE, fix_stage_drop, NULL, "an "
		    "abandoned restore (never applied)");
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
	fk.st.lockfd = -1;
	fk.st.dir = dir;
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
	locks_release(&lk);
	return fk.errors > 0 ? 1 : 0;
}

/* ---- backup ---- */

static char *
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

/* Write FILE atomically (temp, fsync, rename), mode 0600: it holds the
 * token hashes. */
static int
bundle_save(const char *file, const struct buf *b)
{
	struct store	 st;
	char		*copy = xstrdup(file), *slash;
	int		 rc;

	slash = strrchr(copy, '/');
	if (slash == NULL) {
		st.dir = ".";
		slash = copy - 1;
	} else if (slash == copy)
		st.dir = "/";
	else {
		*slash = '\0';
		st.dir = copy;
	}
	st.lockfd = -1;
	rc = store_write_text(&st, slash + 1, b->p, b->len);
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
	struct store	 st = { -1, dir };
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
	rc = store_write(&st, STAGE "/COMMIT", plan);
	cJSON_Delete(plan);
	return rc;
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

	if ((text = read_all(file, &len)) == NULL) {
		fprintf(stderr, "hacgi-manage: restore: %s: %s\n", file,
		    strerror(errno));
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
