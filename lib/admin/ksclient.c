/* lib/admin/ksclient.c: hacgi's client of Keystone v3 with libcurl: the
 * service token, token validation as keystonemiddleware does it, the
 * cache entries (lib/admin/ksclient.h, SPEC 2.2.1).
 *
 * Nothing here logs a token, a password or a Keystone answer's body
 * (Keystone's 404 names the token it could not find).
 *
 * DATA_DIR/keystone/service.json (0600, under DATA_DIR/keystone.lock):
 * {"token": T, "issued_at": S, "expires_at": S, "for": HEX}; "for" is
 * the SHA-256 of the auth_url and the identity the token was made for,
 * so that a changed credentials file gets a new token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "admin/ksclient.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"

#define SVC_LOCK	KSC_SERVICE_LOCK
#define SVC_FILE	KSC_SERVICE_FILE
#define REPLY_MAX	(4L << 20)

struct reply {
	long		 status;
	struct buf	 body;
	char		*subject;	/* owned: X-Subject-Token */
	int		 big;		/* the body went past REPLY_MAX */
};

int
ksc_open(struct ksc *k, const char *dir, const struct ks_env *ke)
{
	struct buf	 why;
	size_t		 n;
	int		 rc = KS_EXIT_VALID;

	memset(k, 0, sizeof(*k));
	k->dir = dir;
	k->env = ke;
	k->deadline = clock_now_us() + (int64_t)ke->timeout * 1000000;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	buf_init(&why);
	if (ks_conf_load(&k->conf, dir, ke, &why) == -1) {
		log_warn("keystone: credentials file %s: %s", ke->conf != NULL ?
		    ke->conf : KS_CONF_NAME, buf_str(&why));
		rc = KS_EXIT_SERVICE;
	} else {
		n = strlen(k->conf.auth_url);
		while (n > 0 && k->conf.auth_url[n - 1] == '/')
			n--;
		buf_reset(&why);
		buf_put(&why, k->conf.auth_url, n);
		if (n < 3 || strncmp(k->conf.auth_url + n - 3, "/v3", 3) != 0)
			buf_puts(&why, "/v3");
		k->base = buf_take(&why);
	}
	buf_free(&why);
	return rc;
}

void
ksc_close(struct ksc *k)
{
	ks_conf_free(&k->conf);
	free(k->base);
	k->base = NULL;
	curl_global_cleanup();
}

/* ---- HTTP ---- */

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct reply	*r = arg;

	if (r->body.len + size * n > (size_t)REPLY_MAX) {
		r->big = 1;
		return 0;	/* stops the transfer */
	}
	buf_put(&r->body, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	static const char	 name[] = "x-subject-token:";
	struct reply		*r = arg;
	size_t			 len = size * n, i;

	if (len <= sizeof(name) - 1 || strncasecmp(p, name, sizeof(name) -
	    1) != 0)
		return len;
	p += sizeof(name) - 1;
	len -= sizeof(name) - 1;
	while (len > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	for (i = 0; i < len && p[i] != '\r' && p[i] != '\n'; i++)
		;
	free(r->subject);
	r->subject = xstrndup(p, i);
	return size * n;
}

static void
reply_free(struct reply *r)
{
	buf_free(&r->body);
	free(r->subject);
	r->subject = NULL;
}

/* Milliseconds left before the deadline (at least 1, so that curl
 * fails at once rather than waiting forever on 0). */
static long
ms_left(const struct ksc *k)
{
	int64_t	 left = (k->deadline - clock_now_us()) / 1000;

	return left > 0 ? (long)left : 1;
}

static struct curl_slist *
headers(const char *auth, const char *subject, int json_body)
{
	struct curl_slist	*h = NULL;
	struct buf		 b;

	buf_init(&b);
	h = curl_slist_append(h, "Accept: application/json");
	if (json_body)
		h = curl_slist_append(h, "Content-Type: application/json");
	if (auth != NULL) {
		buf_printf(&b, "X-Auth-Token: %s", auth);
		h = curl_slist_append(h, buf_str(&b));
		buf_reset(&b);
	}
	if (subject != NULL) {
		buf_printf(&b, "X-Subject-Token: %s", subject);
		h = curl_slist_append(h, buf_str(&b));
	}
	buf_free(&b);
	return h;
}

/* One call: 0 with the status in r, or -1 (logged: no answer). */
static int
http(struct ksc *k, const char *method, const char *path, const char *auth,
    const char *subject, const char *body, struct reply *r)
{
	struct curl_slist	*h;
	struct buf		 url;
	CURL			*c;
	CURLcode		 cc;
	long			 left = ms_left(k), conn;

	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	if ((c = curl_easy_init()) == NULL) {
		log_warn("keystone: curl_easy_init failed");
		return -1;
	}
	conn = k->env->connect_timeout * 1000;
	buf_init(&url);
	buf_printf(&url, "%s%s", k->base, path);
	h = headers(auth, subject, body != NULL);
	curl_easy_setopt(c, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, conn < left ? conn :
	    left);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hacgi-keystone");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	else
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	else
		log_warn("keystone: %s %s: %s%s", method, buf_str(&url),
		    curl_easy_strerror(cc), r->big ? " (answer too large)" :
		    "");
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	buf_free(&url);
	if (cc != CURLE_OK)
		reply_free(r);
	return cc == CURLE_OK ? 0 : -1;
}

int
ksc_ping(struct ksc *k, char **version)
{
	struct reply	 r;
	cJSON		*doc;
	const cJSON	*v;
	int		 bad = 0;

	*version = NULL;
	if (http(k, "GET", "", NULL, NULL, NULL, &r) == -1)
		return -1;
	if (r.status != 200) {
		log_warn("keystone: GET %s: status %ld", k->base, r.status);
		reply_free(&r);
		return -1;
	}
	doc = json_parse(r.body.p, r.body.len, &bad);
	v = cJSON_GetObjectItemCaseSensitive(doc, "version");
	if (json_str(v, "id") != NULL)
		*version = xstrdup(json_str(v, "id"));
	cJSON_Delete(doc);
	reply_free(&r);
	return 0;
}

/* ---- times ---- */

/* Keystone's "2026-12-06T23:43:26.000000Z" (UTC) -> seconds, or -1. */
static double
ks_time(const char *s)
{
	struct tm	 tm;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) !=
	    6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	return (double)t;
}

/* ---- the service token ---- */

/* The body of POST /v3/auth/tokens for our credentials: a password and
 * a project, or an application credential (which carries its scope). */
static cJSON *
auth_body(const struct ks_conf *c)
{
	cJSON	*root = cJSON_CreateObject(), *id, *m, *o, *u, *d, *p;

	id = cJSON_AddObjectToObject(cJSON_AddObjectToObject(root, "auth"),
	    "identity");
	m = cJSON_AddArrayToObject(id, "methods");
	if (c->application_credential_id != NULL) {
		cJSON_AddItemToArray(m, cJSON_CreateString(
		    "application_credential"));
		o = cJSON_AddObjectToObject(id, "application_credential");
		cJSON_AddStringToObject(o, "id", c->application_credential_id);
		cJSON_AddStringToObject(o, "secret",
		    c->application_credential_secret);
		return root;
	}
	cJSON_AddItemToArray(m, cJSON_CreateString("password"));
	u = cJSON_AddObjectToObject(cJSON_AddObjectToObject(id, "password"),
	    "user");
	cJSON_AddStringToObject(u, "name", c->username);
	cJSON_AddStringToObject(u, "password", c->password);
	d = cJSON_AddObjectToObject(u, "domain");
	if (c->user_domain_id != NULL)
		cJSON_AddStringToObject(d, "id", c->user_domain_id);
	else
		cJSON_AddStringToObject(d, "name", c->user_domain_name != NULL
		    ? c->user_domain_name : "Default");
	p = cJSON_AddObjectToObject(cJSON_AddObjectToObject(
	    cJSON_GetObjectItemCaseSensitive(root, "auth"), "scope"),
	    "project");
	if (c->project_id != NULL) {
		cJSON_AddStringToObject(p, "id", c->project_id);
		return root;
	}
	cJSON_AddStringToObject(p, "name", c->project_name);
	d = cJSON_AddObjectToObject(p, "domain");
	if (c->project_domain_id != NULL)
		cJSON_AddStringToObject(d, "id", c->project_domain_id);
	else
		cJSON_AddStringToObject(d, "name", c->project_domain_name !=
		    NULL ? c->project_domain_name : "Default");
	return root;
}

/* Are the credentials complete?  Names what is missing, never a value. */
static int
creds_ok(const struct ks_conf *c)
{
	if (c->application_credential_id != NULL) {
		if (c->application_credential_secret != NULL)
			return 1;
		log_warn("keystone: credentials file: "
		    "application_credential_id without "
		    "application_credential_secret");
		return 0;
	}
	if (c->username == NULL || c->password == NULL ||
	    (c->project_name == NULL && c->project_id == NULL)) {
		log_warn("keystone: credentials file: needs username, "
		    "password and project_name (or project_id), or "
		    "application_credential_id and _secret");
		return 0;
	}
	return 1;
}

/* What the kept token was made for (see the top of the file). */
static void
svc_for(const struct ksc *k, char hex[65])
{
	const struct ks_conf	*c = &k->conf;
	struct buf		 b;

	buf_init(&b);
	buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", k->base,
	    c->username ? c->username : "", c->user_domain_name ?
	    c->user_domain_name : "", c->user_domain_id ? c->user_domain_id :
	    "", c->project_name ? c->project_name : "", c->project_id ?
	    c->project_id : "", c->project_domain_name ?
	    c->project_domain_name : "", c->application_credential_id ?
	    c->application_credential_id : "");
	store_sha256_hex(buf_str(&b), hex);
	buf_free(&b);
}

/* The kept token, if it was made for these credentials and has time
 * left: 1 and *token (owned), else 0. */
static int
svc_load(const struct ksc *k, const struct store *st, char **token)
{
	cJSON		*doc;
	const cJSON	*n;
	char		 want[65];
	const char	*t, *f;
	double		 now = (double)time(NULL), is, ex, margin;
	int		 err, rc = 0;

	if ((doc = store_read(st, SVC_FILE, &err)) == NULL)
		return 0;
	svc_for(k, want);
	t = json_str(doc, "token");
	f = json_str(doc, "for");
	n = cJSON_GetObjectItemCaseSensitive(doc, "issued_at");
	is = cJSON_IsNumber(n) ? n->valuedouble : 0;
	n = cJSON_GetObjectItemCaseSensitive(doc, "expires_at");
	ex = cJSON_IsNumber(n) ? n->valuedouble : 0;
	margin = (ex - is) / 2 < 120 ? (ex - is) / 2 : 120;
	if (t != NULL && ks_token_ok(t) && f != NULL && strcmp(f, want) == 0
	    && now < ex - margin) {
		*token = xstrdup(t);
		rc = 1;
	}
	cJSON_Delete(doc);
	return rc;
}

static int
svc_store(const struct ksc *k, const struct store *st, const char *token,
    const cJSON *body)
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(body, "token");
	cJSON		*doc;
	char		 hex[65];
	double		 is = ks_time(json_str(t, "issued_at"));
	double		 ex = ks_time(json_str(t, "expires_at"));
	int		 rc;

	if (ex < 0) {
		log_warn("keystone: the service token came without "
		    "expires_at: not kept");
		return 0;
	}
	svc_for(k, hex);
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "token", token);
	cJSON_AddNumberToObject(doc, "issued_at", is < 0 ? (double)time(NULL)
	    : is);
	cJSON_AddNumberToObject(doc, "expires_at", ex);
	cJSON_AddStringToObject(doc, "for", hex);
	rc = store_mkdir(st, "keystone") == -1 ? -1 : store_write(st,
	    SVC_FILE, doc);
	cJSON_Delete(doc);
	return rc;
}

/* A new service token from Keystone: a struct ks_exit. */
static int
svc_fetch(struct ksc *k, const struct store *st, char **token)
{
	struct reply	 r;
	cJSON		*body, *doc;
	char		*text;
	int		 bad = 0, rc;

	if (!creds_ok(&k->conf))
		return KS_EXIT_SERVICE;
	body = auth_body(&k->conf);
	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	rc = http(k, "POST", "/auth/tokens?nocatalog", NULL, NULL, text, &r);
	free(text);
	if (rc == -1)
		return KS_EXIT_UNREACHABLE;
	if (r.status != 201 || r.subject == NULL || !ks_token_ok(r.subject)) {
		log_warn("keystone: POST %s/auth/tokens: status %ld: %s",
		    k->base, r.status, r.status == 401 ? "the service "
		    "credentials were refused (check the user name, "
		    "password, domain and project in the credentials file)"
		    : r.status >= 500 ? "Keystone failed" :
		    "no service token");
		rc = r.status >= 500 ? KS_EXIT_UNREACHABLE : KS_EXIT_SERVICE;
		reply_free(&r);
		return rc;
	}
	doc = json_parse(r.body.p, r.body.len, &bad);
	rc = svc_store(k, st, r.subject, doc) == -1 ? KS_EXIT_ERROR :
	    KS_EXIT_VALID;
	cJSON_Delete(doc);
	if (rc == KS_EXIT_VALID)
		*token = xstrdup(r.subject);
	reply_free(&r);
	return rc;
}

int
ksc_service_token(struct ksc *k, int fresh, char **token)
{
	struct store	 st;
	int		 rc;

	*token = NULL;
	store_init(&st, k->dir);
	if (!fresh && store_open(&st, k->dir, SVC_LOCK, STORE_READ) == 0 &&
	    svc_load(k, &st, token)) {
		store_close(&st);
		return KS_EXIT_VALID;
	}
	store_close(&st);
	/* one program asks Keystone, the others wait and take its token */
	if (store_open(&st, k->dir, SVC_LOCK, STORE_WRITE) == -1) {
		store_close(&st);
		return KS_EXIT_ERROR;
	}
	if (!fresh && svc_load(k, &st, token))
		rc = KS_EXIT_VALID;
	else
		rc = svc_fetch(k, &st, token);
	store_close(&st);
	return rc;
}

/* ---- validation ---- */

/* The identity a validated token maps to (a cache entry), from the body
 * of GET /v3/auth/tokens: a struct ks_exit.  Scoped to no project (a
 * domain or system scope, or none): invalid (SPEC 2.2.1). */
static int
identity(const cJSON *body, cJSON **id)
{
	const cJSON	*t = cJSON_GetObjectItemCaseSensitive(body, "token");
	const cJSON	*u, *p, *r;
	cJSON		*roles;
	double		 ex = ks_time(json_str(t, "expires_at"));

	u = cJSON_GetObjectItemCaseSensitive(t, "user");
	p = cJSON_GetObjectItemCaseSensitive(t, "project");
	if (ex < 0 || json_str(u, "id") == NULL) {
		log_warn("keystone: a validation answer without user or "
		    "expires_at");
		return KS_EXIT_UNREACHABLE;
	}
	if (json_str(p, "id") == NULL || *json_str(p, "id") == '\0') {
		log_info("keystone: a token scoped to no project (domain, "
		    "system or unscoped): refused");
		return KS_EXIT_INVALID;
	}
	*id = cJSON_CreateObject();
	cJSON_AddTrueToObject(*id, "valid");
	cJSON_AddNumberToObject(*id, "cached_at", (double)time(NULL));
	cJSON_AddNumberToObject(*id, "expires_at", ex);
	cJSON_AddStringToObject(*id, "user_id", json_str(u, "id"));
	cJSON_AddStringToObject(*id, "user_name", json_str(u, "name") ?
	    json_str(u, "name") : "");
	cJSON_AddStringToObject(*id, "project_id", json_str(p, "id"));
	cJSON_AddStringToObject(*id, "project_name", json_str(p, "name") ?
	    json_str(p, "name") : "");
	roles = cJSON_AddArrayToObject(*id, "roles");
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t, "roles"))
		if (json_str(r, "name") != NULL)
			cJSON_AddItemToArray(roles, cJSON_CreateString(
			    json_str(r, "name")));
	return KS_EXIT_VALID;
}

/* One GET /v3/auth/tokens: a struct ks_exit, or -1 for a 401 (our
 * service token refused: the caller gets a new one). */
static int
validate_once(struct ksc *k, const char *svc, const char *token,
    cJSON **id)
{
	struct reply	 r;
	cJSON		*doc;
	int		 bad = 0, rc;

	if (http(k, "GET", "/auth/tokens?nocatalog", svc, token, NULL, &r) ==
	    -1)
		return KS_EXIT_UNREACHABLE;
	switch (r.status) {
	case 200:
		doc = json_parse(r.body.p, r.body.len, &bad);
		rc = identity(doc, id);
		cJSON_Delete(doc);
		break;
	case 404:	/* unknown, expired or revoked */
		rc = KS_EXIT_INVALID;
		break;
	case 401:
		rc = -1;
		break;
	case 403:
		log_warn("keystone: GET %s/auth/tokens: status 403: the "
		    "service user may not validate tokens (give it the "
		    "service role)", k->base);
		rc = KS_EXIT_SERVICE;
		break;
	default:
		log_warn("keystone: GET %s/auth/tokens: status %ld", k->base,
		    r.status);
		rc = KS_EXIT_UNREACHABLE;
	}
	reply_free(&r);
	return rc;
}

int
ksc_validate(struct ksc *k, const char *token, cJSON **id)
{
	char	*svc;
	int	 fresh, rc = -1;

	*id = NULL;
	for (fresh = 0; fresh < 2 && rc == -1; fresh++) {
		if ((rc = ksc_service_token(k, fresh, &svc)) != KS_EXIT_VALID)
			return rc;
		rc = validate_once(k, svc, token, id);
		free(svc);
	}
	if (rc == -1) {
		log_warn("keystone: GET %s/auth/tokens: status 401: a new "
		    "service token was refused too", k->base);
		rc = KS_EXIT_SERVICE;
	}
	return rc;
}

/* ---- the cache ---- */

struct sweep {
	const struct store	*st;
	const struct ks_env	*env;
	time_t			 now;
};

/* An entry past its time goes (now and then, from ksc_cache_put). */
static int
sweep_one(const char *name, void *arg)
{
	struct sweep	*sw = arg;
	struct auth	 a;
	char		 hash[65], rel[128];

	if (strlen(name) != 69)	/* HASH.json */
		return 0;
	memcpy(hash, name, 64);
	hash[64] = '\0';
	if (!hex_is_sha256(hash))
		return 0;
	memset(&a, 0, sizeof(a));
	if (ks_cache_get(sw->st->dir, hash, sw->env, sw->now, &a) == -1) {
		snprintf(rel, sizeof(rel), "%s/%s", KS_CACHE_DIR, name);
		store_remove(sw->st, rel);
	}
	auth_free(&a);
	return 0;
}

int
ksc_cache_put(const char *dir, const char *token, const cJSON *id,
    const struct ks_env *ke)
{
	struct store	 st;
	struct sweep	 sw;
	cJSON		*e;
	char		 hash[65], rel[128];
	int		 rc = -1;

	store_sha256_hex(token, hash);
	snprintf(rel, sizeof(rel), "%s/%s.json", KS_CACHE_DIR, hash);
	if (id != NULL)
		e = cJSON_Duplicate(id, 1);
	else {
		e = cJSON_CreateObject();
		cJSON_AddFalseToObject(e, "valid");
		cJSON_AddNumberToObject(e, "cached_at", (double)time(NULL));
	}
	if (store_open(&st, dir, KS_CACHE_LOCK, STORE_WRITE) == 0 &&
	    store_mkdir(&st, "keystone") == 0 &&
	    store_mkdir(&st, KS_CACHE_DIR) == 0)
		rc = store_write(&st, rel, e);
	if (rc == 0 && getpid() % 32 == 0) {
		sw.st = &st;
		sw.env = ke;
		sw.now = time(NULL);
		store_scan(&st, KS_CACHE_DIR, sweep_one, &sw);
	}
	store_close(&st);
	cJSON_Delete(e);
	return rc;
}

static int
count_one(const char *name, void *arg)
{
	(void)name;
	(*(int *)arg)++;
	return 0;
}

int
ksc_cache_clear(const char *dir)
{
	struct store	 st;
	int		 n = 0, rc = -1;

	if (store_open(&st, dir, KS_CACHE_LOCK, STORE_WRITE) == 0 &&
	    store_scan(&st, KS_CACHE_DIR, count_one, &n) == 0 &&
	    store_rmtree(&st, KS_CACHE_DIR) == 0)
		rc = n;
	store_close(&st);
	if (rc == -1)
		return -1;
	if (store_open(&st, dir, SVC_LOCK, STORE_WRITE) == -1 ||
	    store_remove(&st, SVC_FILE) == -1)
		rc = -1;
	store_close(&st);
	return rc;
}
