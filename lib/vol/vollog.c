/* lib/vol/vollog.c: the log levels of set-log and get-log (vollog.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/store.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/vollog.h"

#define API_FILE	"vol/log-levels.json"
#define SVC_FILE	"vol/log-levels-services.json"
#define API_BINARY	"cinder-api"
#define DEFAULT_LEVEL	"INFO"

/*
 * cinder-api's loggers, in the order get-log lists them: the ones under
 * cinder.api.contrib that the reference reports (its extensions; none
 * logs anything in hacgi), then one per kind of hacgi program.
 */
static const char *const api_loggers[] = {
	"cinder.api.contrib",
	"cinder.api.contrib.volume_image_metadata",
	"cinder.api.contrib.volume_unmanage",
	"cinder.api.contrib.admin_actions",
	"cinder.api.contrib.cgsnapshots",
	"cinder.api.contrib.snapshot_unmanage",
	"cinder.api.contrib.consistencygroups",
	"cinder.api.contrib.snapshot_actions",
	"cinder.api.contrib.backups",
	"cinder.api.contrib.services",
	"cinder.api.contrib.hosts",
	"cinder.api.contrib.snapshot_manage",
	"cinder.api.contrib.qos_specs_manage",
	"cinder.api.contrib.volume_manage",
	"cinder.api.contrib.volume_transfer",
	"cinder.api.v3.clusters",
	"cinder.api.versions",
};

static const struct {
	const char	*prog;
	const char	*logger;
} progs[] = {
	{ "vol-services",	"cinder.api.contrib.services" },
	{ "vol-service",	"cinder.api.contrib.services" },
	{ "vol-heartbeat",	"cinder.api.contrib.services" },
	{ "vol-clusters",	"cinder.api.v3.clusters" },
	{ "vol-cluster",	"cinder.api.v3.clusters" },
	{ "vol-root",		"cinder.api.versions" },
};

/* cinder.common.constants.LOG_BINARIES, cinder-api aside */
static const char *const svc_binaries[] = {
	"cinder-scheduler", "cinder-volume", "cinder-backup",
};

static const char *const levels[] = { "DEBUG", "INFO", "WARNING", "ERROR" };

/* ---- levels ---- */

/* Python's str.upper() as far as it can give one of the level names:
 * ASCII letters, and the dotless i, whose upper case is "I". */
static char *
py_upper_ascii(const char *s)
{
	struct buf	 b;
	size_t		 len = strlen(s), i = 0;
	uint32_t	 cp;

	buf_init(&b);
	while (i < len && utf8_next(s, len, &i, &cp) == 0) {
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		else if (cp == 0x131)
			cp = 'I';
		buf_putc(&b, cp < 0x80 ? (int)cp : 0x80);
	}
	return buf_take(&b);
}

const char *
vollog_level_name(const char *s)
{
	const char	*name = NULL;
	char		*up;
	size_t		 i;

	if (s == NULL)
		return NULL;
	up = py_upper_ascii(s);
	for (i = 0; up != NULL && i < NELEM(levels); i++)
		if (strcmp(up, levels[i]) == 0)
			name = levels[i];
	free(up);
	return name;
}

static enum log_level
level_of(const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < NELEM(levels); i++)
		if (strcmp(name, levels[i]) == 0)
			return (enum log_level)i;
	return LOG_INFO;
}

static int
starts(const char *s, const char *prefix)
{
	return prefix == NULL || strncmp(s, prefix, strlen(prefix)) == 0;
}

int
vollog_names_api(const struct vollog_req *rq)
{
	return rq->binary == NULL || *rq->binary == '\0' ||
	    strcmp(rq->binary, "*") == 0 || strcmp(rq->binary, API_BINARY) == 0;
}

/* Does the request name services of binary b (cinder-api aside)? */
static int
names_binary(const struct vollog_req *rq, struct vstr b)
{
	size_t	 i;

	if (rq->binary != NULL && *rq->binary != '\0' &&
	    strcmp(rq->binary, "*") != 0)
		return vol_str_eq(b, rq->binary) &&
		    strcmp(rq->binary, API_BINARY) != 0;
	for (i = 0; i < NELEM(svc_binaries); i++)
		if (vol_str_eq(b, svc_binaries[i]))
			return 1;
	return 0;
}

/* ---- the files ---- */

static cJSON *
read_doc(const struct store *st, const char *rel, int *err)
{
	cJSON	*doc = store_read(st, rel, err);

	if (doc != NULL && !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		doc = NULL;
		*err = 1;
	}
	return doc != NULL || *err ? doc : cJSON_CreateObject();
}

static const char *
api_level(const cJSON *doc, const char *logger)
{
	const char	*v = json_str(doc, logger);

	return v != NULL ? v : DEFAULT_LEVEL;
}

enum log_level
vollog_program_level(const char *data_dir, const char *self)
{
	struct store	 st;
	cJSON		*doc;
	enum log_level	 lv = LOG_INFO;
	size_t		 i;
	int		 err;

	for (i = 0; i < NELEM(progs); i++)
		if (strcmp(progs[i].prog, self) == 0)
			break;
	if (i == NELEM(progs))
		return LOG_INFO;
	store_init(&st, data_dir);	/* no lock: every write is a rename */
	doc = read_doc(&st, API_FILE, &err);
	store_close(&st);
	if (doc == NULL)
		return LOG_INFO;
	lv = level_of(api_level(doc, progs[i].logger));
	cJSON_Delete(doc);
	return lv;
}

void
vollog_start(const struct req *rq, const char *self)
{
	if (rq->data_dir[0] == '/')
		log_setlevel(vollog_program_level(rq->data_dir, self));
}

static int
field_is(const cJSON *e, const char *key, struct vstr want)
{
	const char	*v = json_str(e, key);

	return v != NULL && vol_str_eq(want, v);
}

/* e, its "levels" made an object if it was something else. */
static cJSON *
with_levels(cJSON *e)
{
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(e, "levels"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(e, "levels");
		cJSON_AddObjectToObject(e, "levels");
	}
	return e;
}

/* {"host", "binary", "levels"} of a service, made if missing. */
static cJSON *
svc_entry(cJSON *arr, struct vstr host, struct vstr binary, int make)
{
	cJSON	*e;
	char	*h, *b;

	cJSON_ArrayForEach(e, arr)
		if (field_is(e, "host", host) && field_is(e, "binary", binary))
			return with_levels(e);
	if (!make)
		return NULL;
	h = xstrndup(host.p, host.n);
	b = xstrndup(binary.p, binary.n);
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "host", h);
	cJSON_AddStringToObject(e, "binary", b);
	cJSON_AddObjectToObject(e, "levels");
	cJSON_AddItemToArray(arr, e);
	free(h);
	free(b);
	return e;
}

/* ---- the services a request names ---- */

struct walk {
	const struct vollog_req	*rq;
	cJSON			*arr;	/* the services' entries */
	cJSON			*out;	/* get-log: the answer; else NULL */
	int			 changed;
};

/* Cinder's is_up filter of the services table: created or heartbeat
 * within SERVICE_DOWN_TIME. */
static int
db_up(const struct vol_db *db, const struct vol_svc *s)
{
	int64_t	 floor_us = db->now_us - (int64_t)db->down_time * 1000000;

	return s->created_us >= floor_us || (s->hb_us != INT64_MIN &&
	    s->hb_us >= floor_us);
}

static int
server_names(const char *server, const struct vol_svc *s)
{
	return server == NULL || *server == '\0' ||
	    vol_name_match(server, s->host) ||
	    (s->cluster.p != NULL && vol_name_match(server, s->cluster));
}

/* set-log: the prefix's level replaces those of the prefixes under it. */
static void
levels_set(cJSON *lv, const char *prefix, const char *level)
{
	cJSON	*e, *next;

	for (e = lv->child; e != NULL; e = next) {
		next = e->next;
		if (starts(e->string, prefix))
			cJSON_DeleteItemFromObjectCaseSensitive(lv, e->string);
	}
	cJSON_AddStringToObject(lv, prefix != NULL ? prefix : "", level);
}

static cJSON *
levels_get(const cJSON *lv, const char *prefix)
{
	const cJSON	*e;
	cJSON		*out = cJSON_CreateObject();

	cJSON_ArrayForEach(e, lv)
		if (starts(e->string, prefix) && cJSON_IsString(e))
			cJSON_AddStringToObject(out, e->string, e->valuestring);
	return out;
}

static int
walk_one(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct walk	*w = arg;
	cJSON		*e, *item;
	char		*h, *b;

	if (!db_up(db, s) || !names_binary(w->rq, s->binary) ||
	    !server_names(w->rq->server, s))
		return 0;
	e = svc_entry(w->arr, s->host, s->binary, w->out == NULL);
	if (w->out == NULL) {
		levels_set(cJSON_GetObjectItemCaseSensitive(e, "levels"),
		    w->rq->prefix, w->rq->level);
		w->changed = 1;
		return 0;
	}
	h = xstrndup(s->host.p, s->host.n);
	b = xstrndup(s->binary.p, s->binary.n);
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "host", h);
	cJSON_AddStringToObject(item, "binary", b);
	cJSON_AddItemToObject(item, "levels", e != NULL ? levels_get(
	    cJSON_GetObjectItemCaseSensitive(e, "levels"), w->rq->prefix) :
	    cJSON_CreateObject());
	cJSON_AddItemToArray(w->out, item);
	free(h);
	free(b);
	return 0;
}

/* The services' file, and the walk over the services named. */
static int
walk_services(const struct store *st, struct walk *w, cJSON **doc)
{
	struct vol_db	 db;
	int		 err, ix, rc = -1;

	memset(&db, 0, sizeof(db));
	if ((*doc = read_doc(st, SVC_FILE, &err)) == NULL)
		return -1;
	if ((w->arr = cJSON_GetObjectItemCaseSensitive(*doc, "services")) ==
	    NULL || !cJSON_IsArray(w->arr)) {
		cJSON_DeleteItemFromObjectCaseSensitive(*doc, "services");
		w->arr = cJSON_AddArrayToObject(*doc, "services");
	}
	/* a server: the services it names as a host or as a cluster,
	 * through the name index; none: all */
	if (w->rq->server == NULL || *w->rq->server == '\0')
		ix = 0;
	else
		ix = vol_load_named(st, w->rq->server, w->rq->server, NULL,
		    0, &db);
	if (ix != -1 && (ix == 1 ||
	    vol_load(st, VOL_SERVICES | VOL_CLUSTERS, &db) == 0) &&
	    vol_derive(&db, w->rq->down_time) == 0 &&
	    vol_svc_each(&db, walk_one, w) == 0)
		rc = 0;
	vol_free(&db);
	return rc;
}

/* ---- set-log ---- */

static int
set_api(const struct store *st, const struct vollog_req *rq)
{
	cJSON	*doc;
	size_t	 i;
	int	 err, rc;

	if ((doc = read_doc(st, API_FILE, &err)) == NULL)
		return -1;
	for (i = 0; i < NELEM(api_loggers); i++) {
		if (!starts(api_loggers[i], rq->prefix))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(doc, api_loggers[i]);
		cJSON_AddStringToObject(doc, api_loggers[i], rq->level);
	}
	rc = store_write(st, API_FILE, doc);
	cJSON_Delete(doc);
	if (rc == 0)
		log_info("set-log: cinder-api loggers %s* now %s",
		    rq->prefix != NULL ? rq->prefix : "", rq->level);
	return rc;
}

/* *wrote = 1 when the file was replaced. */
static int
set_services(const struct store *st, const struct vollog_req *rq,
    int *wrote)
{
	struct walk	 w = { rq, NULL, NULL, 0 };
	cJSON		*doc = NULL;
	int		 rc = -1;

	if (walk_services(st, &w, &doc) == 0)
		rc = w.changed ? store_write(st, SVC_FILE, doc) : 0;
	*wrote = rc == 0 && w.changed;
	cJSON_Delete(doc);
	return rc;
}

/* The services' file back as it was (old NULL: none), so that a failed
 * set-log has changed nothing. */
static void
services_undo(const struct store *st, const char *old)
{
	if ((old != NULL ? store_write_text(st, SVC_FILE, old, strlen(old)) :
	    store_remove(st, SVC_FILE)) == -1)
		log_warn("store %s/%s: kept the new levels of a failed set-log",
		    st->dir, SVC_FILE);
}

static int
set_all(const struct store *st, const struct vollog_req *rq)
{
	char	*old;
	int	 err, wrote = 0, rc = -1;

	if ((old = store_read_text(st, SVC_FILE, &err)) == NULL && err)
		return -1;
	if (set_services(st, rq, &wrote) == -1)
		goto out;
	if (vollog_names_api(rq) && set_api(st, rq) == -1) {
		if (wrote)
			services_undo(st, old);
		goto out;
	}
	rc = 0;
out:
	free(old);
	return rc;
}

enum op_rc
vollog_set(const char *data_dir, const struct vollog_req *rq)
{
	struct store	 st;
	int		 rc = -1;

	if (rq->level == NULL)
		return OP_OK;	/* nobody takes a null level */
	if (store_open(&st, data_dir, VOL_LOCK, STORE_WRITE) == 0 &&
	    vol_dirs(&st) == 0 && set_all(&st, rq) == 0)
		rc = 0;
	store_close(&st);
	return rc == 0 ? OP_OK : OP_IO;
}

/* ---- get-log ---- */

static cJSON *
get_api(const struct store *st, const struct vollog_req *rq)
{
	cJSON	*doc, *item, *lv;
	size_t	 i;
	int	 err;

	if ((doc = read_doc(st, API_FILE, &err)) == NULL)
		return NULL;
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "host", rq->api_host);
	cJSON_AddStringToObject(item, "binary", API_BINARY);
	lv = cJSON_AddObjectToObject(item, "levels");
	for (i = 0; i < NELEM(api_loggers); i++)
		if (starts(api_loggers[i], rq->prefix))
			cJSON_AddStringToObject(lv, api_loggers[i],
			    api_level(doc, api_loggers[i]));
	cJSON_Delete(doc);
	return item;
}

/* cinder-api answers unless a server other than its own is asked for. */
static int
get_names_api(const struct vollog_req *rq)
{
	return vollog_names_api(rq) && (rq->server == NULL ||
	    *rq->server == '\0' || strcmp(rq->server, rq->api_host) == 0);
}

static cJSON *
get_all(const struct store *st, const struct vollog_req *rq)
{
	struct walk	 w = { rq, NULL, cJSON_CreateArray(), 0 };
	cJSON		*doc = NULL, *api = NULL;

	if (get_names_api(rq) && (api = get_api(st, rq)) == NULL)
		goto fail;
	if (api != NULL)
		cJSON_AddItemToArray(w.out, api);
	if ((rq->binary == NULL || strcmp(rq->binary, API_BINARY) != 0) &&
	    walk_services(st, &w, &doc) == -1)
		goto fail;
	cJSON_Delete(doc);
	return w.out;
fail:
	cJSON_Delete(doc);
	cJSON_Delete(w.out);
	return NULL;
}

cJSON *
vollog_get(const char *data_dir, const struct vollog_req *rq)
{
	struct store	 st;
	cJSON		*out = NULL;

	if (store_open(&st, data_dir, VOL_LOCK, STORE_READ) == 0)
		out = get_all(&st, rq);
	store_close(&st);
	return out;
}
