/* lib/auth.c: X-Auth-Token -> user, project, roles; policy rules.
 *
 * DATA_DIR/tokens.json: {"tokens": [{"sha256": HEX, "user": U,
 * "project": P, "roles": [R, ...], "created_at": T}, ...]}.  Only hashes
 * are stored; a presented token is hashed and compared in constant time.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json.h"
#include "log.h"
#include "req.h"
#include "store.h"
#include "util.h"

#define TOKENS	"tokens.json"

static const struct rule {
	const char	*name;
	const char	*roles[3];
} rules[] = {
	{ "clusters:get_all",			{ "admin" } },
	{ "clusters:get",			{ "admin" } },
	{ "clusters:update",			{ "admin" } },
	{ "volume_extension:services:index",	{ "admin" } },
	{ "hacgi:services:heartbeat",		{ "admin", "service" } },
	{ "os_masakari_api:segments:index",	{ "admin" } },
	{ "os_masakari_api:segments:detail",	{ "admin" } },
	{ "os_masakari_api:segments:create",	{ "admin" } },
	{ "os_masakari_api:segments:update",	{ "admin" } },
	{ "os_masakari_api:segments:delete",	{ "admin" } },
	{ "os_masakari_api:os-hosts:index",	{ "admin" } },
	{ "os_masakari_api:os-hosts:detail",	{ "admin" } },
	{ "os_masakari_api:os-hosts:create",	{ "admin" } },
	{ "os_masakari_api:os-hosts:update",	{ "admin" } },
	{ "os_masakari_api:os-hosts:delete",	{ "admin" } },
	{ "os_masakari_api:notifications:index", { "admin" } },
	{ "os_masakari_api:notifications:detail", { "admin" } },
	{ "os_masakari_api:notifications:create", { "admin" } },
	{ "os_masakari_api:extensions:index",	{ "admin" } },
	{ "os_masakari_api:extensions:detail",	{ "admin" } },
};

static int
hex2bin(const char *hex, unsigned char *out, size_t n)
{
	size_t	 got = 0;

	if (strlen(hex) != 2 * n ||
	    sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) != 0)
		return -1;
	return got == n ? 0 : -1;
}

static cJSON *
tokens_load(const char *dir, int *err)
{
	struct store	 st = { -1, dir };
	cJSON		*doc;

	doc = store_read(&st, TOKENS, err);
	if (doc == NULL && !*err)
		doc = cJSON_CreateObject();
	if (doc != NULL && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(
	    doc, "tokens")))
		cJSON_AddArrayToObject(doc, "tokens");
	return doc;
}

static char **
roles_dup(const cJSON *arr)
{
	const cJSON	*r;
	char		**v;
	size_t		 n = 0;

	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));
	cJSON_ArrayForEach(r, arr)
		if (cJSON_IsString(r))
			v[n++] = xstrdup(r->valuestring);
	return v;
}

/* Every entry is compared, so the time does not depend on which one
 * matches (nor on where the hashes first differ). */
static const cJSON *
tokens_find(const cJSON *doc, const char *token)
{
	const cJSON	*t, *h, *found = NULL;
	unsigned char	 want[32], have[32];
	char		 hex[65];

	store_sha256_hex(token, hex);
	hex2bin(hex, want, sizeof(want));
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tokens")) {
		h = cJSON_GetObjectItemCaseSensitive(t, "sha256");
		if (!cJSON_IsString(h) ||
		    hex2bin(h->valuestring, have, sizeof(have)) == -1)
			continue;
		if (sodium_memcmp(want, have, sizeof(want)) == 0)
			found = t;
	}
	return found;
}

int
auth_lookup(struct req *rq)
{
	const cJSON	*t;
	cJSON		*doc;
	int		 err;

	if (rq->token == NULL || *rq->token == '\0')
		return -1;
	if ((doc = tokens_load(rq->data_dir, &err)) == NULL)
		return -2;	/* the store failed, not the client: 500 */
	/* an entry without user or project (a hand-edited file) is no
	 * valid token, rather than a NULL dereference */
	if ((t = tokens_find(doc, rq->token)) != NULL &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "user")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "project"))) {
		rq->auth.ok = 1;
		rq->auth.user = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(t, "user")));
		rq->auth.project = xstrdup(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(t, "project")));
		rq->auth.roles = roles_dup(
		    cJSON_GetObjectItemCaseSensitive(t, "roles"));
	}
	cJSON_Delete(doc);
	return rq->auth.ok ? 0 : -1;
}

void
auth_free(struct auth *a)
{
	char	**r;

	free(a->user);
	free(a->project);
	for (r = a->roles; r != NULL && *r != NULL; r++)
		free(*r);
	free(a->roles);
	a->user = a->project = NULL;
	a->roles = NULL;
}

static int
has_role(const struct auth *a, const char *role)
{
	char	**r;

	for (r = a->roles; r != NULL && *r != NULL; r++)
		if (strcmp(*r, role) == 0)
			return 1;
	return 0;
}

/* The override file: {"rule": ["role", ...]}; a listed rule replaces its
 * default ([] denies all).  Returns -1 when the rule is not overridden,
 * -2 when the file cannot be read or parsed (a 500: it still denies). */
static int
policy_override(const struct req *rq, const char *rule)
{
	struct store	 st = { -1, "/" };
	char		 path[4096];
	const cJSON	*roles, *r;
	cJSON		*doc;
	int		 err, rc = -1;

	if (rq->policy_file != NULL)
		snprintf(path, sizeof(path), "%s", rq->policy_file);
	else
		snprintf(path, sizeof(path), "%s/policy.json", rq->data_dir);
	doc = store_read(&st, path[0] == '/' ? path + 1 : path, &err);
	if (doc == NULL)
		return err ? -2 : -1;
	roles = cJSON_GetObjectItemCaseSensitive(doc, rule);
	if (cJSON_IsArray(roles)) {
		rc = 0;
		cJSON_ArrayForEach(r, roles)
			if (cJSON_IsString(r) && has_role(&rq->auth,
			    r->valuestring))
				rc = 1;
	}
	cJSON_Delete(doc);
	return rc;
}

int
auth_allows(const struct req *rq, const char *rule)
{
	size_t	 i, j;
	int	 o;

	if (!rq->auth.ok)
		return 0;
	if ((o = policy_override(rq, rule)) != -1)
		return o == -2 ? -1 : o;
	for (i = 0; i < NELEM(rules); i++) {
		if (strcmp(rules[i].name, rule) != 0)
			continue;
		for (j = 0; j < NELEM(rules[i].roles) &&
		    rules[i].roles[j] != NULL; j++)
			if (has_role(&rq->auth, rules[i].roles[j]))
				return 1;
		return 0;
	}
	return 0;
}

static cJSON *
roles_parse(const char *csv)
{
	cJSON		*arr = cJSON_CreateArray();
	const char	*p = csv, *e;

	while (*p != '\0') {
		e = p + strcspn(p, ",");
		if (e > p) {
			char *r = xstrndup(p, (size_t)(e - p));
			cJSON_AddItemToArray(arr, cJSON_CreateString(r));
			free(r);
		}
		p = *e ? e + 1 : e;
	}
	return arr;
}

static char *
token_random(void)
{
	unsigned char	 raw[20];
	char		*hex = xmalloc(2 * sizeof(raw) + 1);
	size_t		 i;

	if (sodium_init() < 0)
		abort();
	randombytes_buf(raw, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return hex;
}

int
auth_token_create(const char *dir, const char *user, const char *project,
    const char *roles, const char *token, char **out)
{
	struct store	 st;
	cJSON		*doc = NULL, *t;
	char		 hex[65], now[27];
	int		 err, rc = -1;

	*out = token != NULL ? xstrdup(token) : token_random();
	if (store_open(&st, dir, "tokens", STORE_WRITE) == -1)
		goto out;
	if ((doc = tokens_load(dir, &err)) == NULL)
		goto out;
	if (tokens_find(doc, *out) != NULL) {
		log_warn("token create: the token is already registered");
		goto out;
	}
	store_sha256_hex(*out, hex);
	store_now(now, 0);
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "sha256", hex);
	cJSON_AddStringToObject(t, "user", user);
	cJSON_AddStringToObject(t, "project", project);
	cJSON_AddItemToObject(t, "roles", roles_parse(roles));
	cJSON_AddStringToObject(t, "created_at", now);
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "tokens"),
	    t);
	rc = store_write(&st, TOKENS, doc);
out:
	cJSON_Delete(doc);
	store_close(&st);
	if (rc == -1) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
auth_token_revoke(const char *dir, const char *token)
{
	struct store	 st;
	cJSON		*doc = NULL, *arr, *t;
	const cJSON	*found;
	int		 err, rc = -1;

	if (store_open(&st, dir, "tokens", STORE_WRITE) == -1)
		goto out;
	if ((doc = tokens_load(dir, &err)) == NULL)
		goto out;
	if ((found = tokens_find(doc, token)) == NULL) {
		log_warn("token revoke: no such token");
		goto out;
	}
	arr = cJSON_GetObjectItemCaseSensitive(doc, "tokens");
	cJSON_ArrayForEach(t, arr)
		if (t == found)
			break;
	cJSON_Delete(cJSON_DetachItemViaPointer(arr, t));
	rc = store_write(&st, TOKENS, doc);
out:
	cJSON_Delete(doc);
	store_close(&st);
	return rc;
}

int
auth_token_list(const char *dir, FILE *fp)
{
	const cJSON	*t, *r;
	cJSON		*doc;
	int		 err, first;

	if ((doc = tokens_load(dir, &err)) == NULL)
		return -1;
	fprintf(fp, "%-12s %-16s %-34s %s\n", "HASH", "USER", "PROJECT",
	    "ROLES");
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tokens")) {
		fprintf(fp, "%-12.12s %-16s %-34s ",
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t,
		    "sha256")), cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(t, "user")),
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t,
		    "project")));
		first = 1;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t,
		    "roles")) {
			fprintf(fp, "%s%s", first ? "" : ",",
			    cJSON_GetStringValue(r));
			first = 0;
		}
		fputc('\n', fp);
	}
	cJSON_Delete(doc);
	return 0;
}
