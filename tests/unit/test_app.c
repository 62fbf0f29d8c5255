/*
 * tests/unit/test_app.c: lib/http/app.c runs more than one request in one
 * process (what a persistent mode needs).  Each request gets its own
 * environment, stdin and stdout; every answer must be the one its own
 * request asks for, with nothing left over from the one before.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "http/app.h"
#include "unit.h"

static char		 dir[64];
static app_start_fn	 hook;		/* one()'s start hook; NULL: app_run */
static int		 started;	/* the calls of start_level() */

/* GET: what the pipeline read from this request. */
static int
echo_list(struct req *rq, struct resp *rs)
{
	cJSON	*doc = cJSON_CreateObject();
	char	 mv[24];

	mv_format(&rq->mv, mv);
	cJSON_AddStringToObject(doc, "host", rq->host);
	cJSON_AddStringToObject(doc, "limit", req_query(rq, "limit") != NULL ?
	    req_query(rq, "limit") : "-");
	cJSON_AddStringToObject(doc, "mv", mv);
	cJSON_AddStringToObject(doc, "user", rq->auth.user);
	log_info("list: info");
	log_debug("list: debug");
	resp_json(rs, 200, doc);
	cJSON_Delete(doc);
	return 0;
}

/* POST: the name in the body. */
static int
echo_create(struct req *rq, struct resp *rs)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "name", json_str(
	    cJSON_GetObjectItemCaseSensitive(rq->json, "segment"), "name"));
	resp_json(rs, 201, doc);
	cJSON_Delete(doc);
	return 0;
}

static const struct handler handlers[] = {
	{ EP_HA_SEGMENTS, "GET", echo_list, "os_masakari_api:segments:index",
	    NULL, 0 },
	{ EP_HA_SEGMENTS, "POST", echo_create,
	    "os_masakari_api:segments:create", NULL, 0 },
};

/* A start hook as the Volume programs' (vollog_start): the level from
 * ?level=, else the level as it is. */
static void
start_level(const struct req *rq, const char *self)
{
	const char	*lv = req_query(rq, "level");

	(void)self;
	started++;
	if (lv != NULL && strcmp(lv, "debug") == 0)
		log_setlevel(LOG_DEBUG);
	else if (lv != NULL && strcmp(lv, "warning") == 0)
		log_setlevel(LOG_WARNING);
}

/* A whole file into b. */
static void
slurp(const char *path, struct buf *b)
{
	char	 chunk[4096];
	FILE	*f = fopen(path, "r");
	size_t	 n;

	buf_reset(b);
	while (f != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(b, chunk, n);
	if (f != NULL)
		fclose(f);
}

/* fd 'to' now reads or writes path; returns the old fd to restore. */
static int
redirect(int to, const char *path, int flags)
{
	int	 saved = dup(to), fd = open(path, flags, 0600);

	dup2(fd, to);
	close(fd);
	return saved;
}

static void
restore(int to, int saved)
{
	dup2(saved, to);
	close(saved);
}

/*
 * Run one request: env is "NAME=value" strings (NULL-terminated), the
 * only environment it sees; body goes to stdin.  The answer (status line
 * to body) and what was logged land in out and err.
 */
static void
one(const char *const *env, const char *body, struct buf *out,
    struct buf *err)
{
	char		 in[96], o[96], e[96], len[32];
	FILE		*f;
	int		 s0, s1, s2;

	snprintf(in, sizeof(in), "%s/stdin", dir);
	snprintf(o, sizeof(o), "%s/stdout", dir);
	snprintf(e, sizeof(e), "%s/stderr", dir);
	if ((f = fopen(in, "w")) != NULL) {
		fputs(body != NULL ? body : "", f);
		fclose(f);
	}
	clearenv();
	for (; *env != NULL; env++)
		putenv((char *)*env);
	setenv("DATA_DIR", getenv("DATA_DIR") ? getenv("DATA_DIR") : dir, 1);
	if (body != NULL) {
		snprintf(len, sizeof(len), "%zu", strlen(body));
		setenv("CONTENT_LENGTH", len, 1);
		setenv("CONTENT_TYPE", "application/json", 1);
	}
	fflush(stdout);
	fflush(stderr);
	s0 = redirect(0, in, O_RDONLY);
	s1 = redirect(1, o, O_WRONLY | O_CREAT | O_TRUNC);
	s2 = redirect(2, e, O_WRONLY | O_CREAT | O_TRUNC);
	if (hook != NULL)
		app_run_with(API_HA, "ha-segments", handlers,
		    NELEM(handlers), hook);
	else
		app_run(API_HA, "ha-segments", handlers, NELEM(handlers));
	fflush(stdout);
	fflush(stderr);
	restore(0, s0);
	restore(1, s1);
	restore(2, s2);
	slurp(o, out);
	slurp(e, err);
}

/* The value of header name in an answer ("" if none), into v. */
static const char *
header(struct buf *ans, const char *name, char v[128])
{
	const char	*p = buf_str(ans), *e;
	size_t		 n = strlen(name);

	v[0] = '\0';
	for (; p != NULL && *p != '\0' && strncmp(p, "\r\n", 2) != 0;
	    p = e != NULL ? e + 2 : NULL) {
		e = strstr(p, "\r\n");
		if (strncmp(p, name, n) == 0 && p[n] == ':' && e != NULL)
			snprintf(v, 128, "%.*s", (int)(e - p - n - 2),
			    p + n + 2);
	}
	return v;
}

static const char *
body_of(struct buf *ans)
{
	const char	*p = strstr(buf_str(ans), "\r\n\r\n");

	return p != NULL ? p + 4 : "";
}

/* tokens.json with admin-token (admin) and member-token (member). */
static void
tokens(void)
{
	char	 path[96], a[65], m[65];
	FILE	*f;

	store_sha256_hex("admin-token", a);
	store_sha256_hex("member-token", m);
	snprintf(path, sizeof(path), "%s/tokens.json", dir);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "{\"tokens\": [{\"sha256\": \"%s\", \"user\": \"admin\", "
	    "\"project\": \"p\", \"roles\": [\"admin\"]}, {\"sha256\": "
	    "\"%s\", \"user\": \"member\", \"project\": \"p\", \"roles\": "
	    "[\"member\", \"reader\"]}]}", a, m);
	fclose(f);
}

static void
test_sequence(void)
{
	static const char *const post[] = {
		"REQUEST_METHOD=POST", "REQUEST_URI=/v1/segments",
		"HTTP_HOST=a.example:1", "HTTP_X_AUTH_TOKEN=admin-token",
		"HTTP_OPENSTACK_API_VERSION=instance-ha 1.1", NULL,
	};
	static const char *const get[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments?limit=7",
		"SERVER_NAME=b.example", "SERVER_PORT=2",
		"HTTP_X_AUTH_TOKEN=admin-token", NULL,
	};
	static const char *const del[] = {
		"REQUEST_METHOD=DELETE", "REQUEST_URI=/v1/segments",
		"HTTP_X_AUTH_TOKEN=member-token", NULL,
	};
	static const char *const noauth[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments",
		"HTTP_HOST=c.example:3", "HTTP_X_AUTH_TOKEN=nobody", NULL,
	};
	static const char *const reldir[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments",
		"HTTP_X_AUTH_TOKEN=admin-token", "DATA_DIR=relative", NULL,
	};
	struct buf	 out, err;
	char		 v[128], id1[128], id2[128], line[192];

	buf_init(&out);
	buf_init(&err);

	one(post, "{\"segment\": {\"name\": \"first\"}}", &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 201 Created\r\n", 21) == 0);
	CHECK_STR(body_of(&out), "{\"name\": \"first\"}");
	CHECK_STR(header(&out, "OpenStack-API-Version", v), "masakari 1.1");
	snprintf(id1, sizeof(id1), "%s", header(&out,
	    "X-Openstack-Request-Id", v));
	CHECK(strncmp(id1, "req-", 4) == 0);

	/* another host, a query, no version header, no body */
	one(get, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 200 OK\r\n", 16) == 0);
	CHECK_STR(body_of(&out), "{\"host\": \"b.example:2\", "
	    "\"limit\": \"7\", \"mv\": \"1.0\", \"user\": \"admin\"}");
	CHECK_STR(header(&out, "OpenStack-API-Version", v), "masakari 1.0");
	snprintf(id2, sizeof(id2), "%s", header(&out,
	    "X-Openstack-Request-Id", v));
	CHECK(strncmp(id2, "req-", 4) == 0 && strcmp(id1, id2) != 0);

	/* a method the table does not serve: 405, Allow from the table */
	one(del, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 405 ", 12) == 0);
	CHECK_STR(header(&out, "Allow", v), "GET, POST");

	/* a token nobody holds: the last request's user is not kept */
	one(noauth, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 401 ", 12) == 0);
	CHECK_STR(header(&out, "WWW-Authenticate", v),
	    "Keystone uri=\"http://c.example:3/\"");

	/* the log line carries this request's id, and only while it runs */
	one(reldir, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 500 ", 12) == 0);
	header(&out, "X-Openstack-Request-Id", v);
	snprintf(line, sizeof(line), "hacgi[%s]: DATA_DIR relative", v);
	CHECK(strstr(buf_str(&err), line) != NULL);

	buf_free(&out);
	buf_free(&err);
}

/* Between requests, log lines carry no request id. */
static void
test_log_reset(void)
{
	struct buf	 err;
	char		 e[96];
	int		 s2;

	buf_init(&err);
	snprintf(e, sizeof(e), "%s/stderr", dir);
	fflush(stderr);
	s2 = redirect(2, e, O_WRONLY | O_CREAT | O_TRUNC);
	log_warn("between requests");
	fflush(stderr);
	restore(2, s2);
	slurp(e, &err);
	CHECK_STR(buf_str(&err), "hacgi[-]: between requests\n");
	buf_free(&err);
}

/*
 * The start hook runs on every request, before the handler; the level it
 * sets holds for its request only (INFO again for the next one and
 * between requests).
 */
static void
test_start_level(void)
{
	static const char *const debug[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments?level=debug",
		"HTTP_X_AUTH_TOKEN=admin-token", NULL,
	};
	static const char *const warning[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments?level=warning",
		"HTTP_X_AUTH_TOKEN=admin-token", NULL,
	};
	static const char *const plain[] = {
		"REQUEST_METHOD=GET", "REQUEST_URI=/v1/segments",
		"HTTP_X_AUTH_TOKEN=admin-token", NULL,
	};
	struct buf	 out, err;
	char		 e[96];
	int		 s2;

	buf_init(&out);
	buf_init(&err);
	hook = start_level;
	started = 0;

	one(debug, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 200 OK\r\n", 16) == 0);
	CHECK(started == 1);
	CHECK(strstr(buf_str(&err), "list: info") != NULL);
	CHECK(strstr(buf_str(&err), "list: debug") != NULL);
	CHECK(strstr(buf_str(&err), "GET /v1/segments: 200") != NULL);

	one(warning, NULL, &out, &err);
	CHECK(strncmp(buf_str(&out), "Status: 200 OK\r\n", 16) == 0);
	CHECK(started == 2);
	CHECK_STR(buf_str(&err), "");

	/* the hook sets nothing: INFO, not the WARNING of the last one */
	one(plain, NULL, &out, &err);
	CHECK(started == 3);
	CHECK(strstr(buf_str(&err), "list: info") != NULL);
	CHECK(strstr(buf_str(&err), "list: debug") == NULL);

	/* DEBUG, then between requests: INFO */
	one(debug, NULL, &out, &err);
	CHECK(started == 4);
	snprintf(e, sizeof(e), "%s/stderr", dir);
	fflush(stderr);
	s2 = redirect(2, e, O_WRONLY | O_CREAT | O_TRUNC);
	log_debug("between: debug");
	log_info("between: info");
	fflush(stderr);
	restore(2, s2);
	slurp(e, &err);
	CHECK_STR(buf_str(&err), "hacgi[-]: between: info\n");

	/* without a hook (app_run): the hook is not called */
	hook = NULL;
	one(debug, NULL, &out, &err);
	CHECK(started == 4);
	CHECK(strstr(buf_str(&err), "list: debug") == NULL);

	buf_free(&out);
	buf_free(&err);
}

int
main(void)
{
	char	 cmd[96];

	snprintf(dir, sizeof(dir), "/tmp/test_app.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	tokens();
	test_sequence();
	test_log_reset();
	test_start_level();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_app: could not remove %s\n", dir);
	return UNIT_DONE();
}
