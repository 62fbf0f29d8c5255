/* lib/http/auth.c: X-Auth-Token -> user, project, roles; policy rules.
 *
 * DATA_DIR/tokens.json: {"tokens": [{"sha256": HEX, "user": U,
 * "project": P, "roles": [R, ...], "hosts": [H, ...], "created_at": T},
 * ...]}; "hosts" (optional): what a service token may send heartbeats
 * for.  Only hashes are stored; a presented token is hashed and compared
 * in constant time.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "http/auth.h"

#define TOKENS	"tokens.json"

static const struct rule {
	const char	*name;
	const char	*roles[3];
} rules[] = {
	{ "clusters:get_all",			{ "admin" } },
	{ "clusters:get",			{ "admin" } },
	{ "clusters:update",			{ "admin" } },
	{ "volume_extension:services:index",	{ "admin" } },
	{ "volume_extension:services:update",	{ "admin" } },
	{ "volume:freeze_host",			{ "admin" } },
	{ "volume:thaw_host",			{ "admin" } },
	{ "volume:failover_host",		{ "admin" } },
	{ "hacgi:services:heartbeat",		{ "admin", "service" } },
	{ RULE_HB_ANY_HOST,			{ "admin" } },
	{ RULE_HB_MOVE,				{ "admin" } },
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

int
auth_rule_known(const char *name)
{
	size_t	 i;

	for (i = 0; i < NELEM(rules); i++)
		if (strcmp(rules[i].name, name) == 0)
			return 1;
	return 0;
}

cJSON *
auth_tokens_load(const char *dir, int *err)
{
	struct store	 st;
	struct buf	 why;
	cJSON		*doc = NULL;
	char		*text;
	size_t		 len;

	store_init(&st, dir);
	text = store_read_private(&st, TOKENS, &len, err);
	store_close(&st);
	buf_init(&why);
	if (text != NULL && (doc = json_parse_unique(text, len, &why)) ==
	    NULL) {
		log_warn("store %s/%s: %s: every token is refused", dir,
		    TOKENS, buf_str(&why));
		*err = 1;
	}
	buf_free(&why);
	free(text);
	if (doc == NULL && !*err)
		doc = cJSON_CreateObject();
	if (doc != NULL && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(
	    doc, "tokens")))
		cJSON_AddArrayToObject(doc, "tokens");
	return doc;
}

/* The strings of arr (none when it is not an array), NULL-terminated. */
static char **
strings_dup(const cJSON *arr)
{
	const cJSON	*r;
	char		**v;
	size_t		 n = 0;

	if (!cJSON_IsArray(arr))
		return xcalloc(1, sizeof(*v));
	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));
	cJSON_ArrayForEach(r, arr)
		if (cJSON_IsString(r))
			v[n++] = xstrdup(r->valuestring);
	return v;
}

/*
 * Every entry is compared, in constant time (crypto_verify_64 on the hex
 * digests), so the time does not depend on which one matches nor on
 * where the hashes first differ.  (libsodium's sodium_memcmp would link
 * its whole start-up into every program.)
 */
const cJSON *
auth_tokens_find(const cJSON *doc, const char *token)
{
	const cJSON	*t, *h, *found = NULL;
	char		 want[65];

	store_sha256_hex(token, want);
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tokens")) {
		h = cJSON_GetObjectItemCaseSensitive(t, "sha256");
		if (!cJSON_IsString(h) || strlen(h->valuestring) != 64)
			continue;
		if (crypto_verify_64((const unsigned char *)want,
		    (const unsigned char *)h->valuestring) == 0)
			found = t;
	}
	return found;
}

int
auth_lookup(struct auth *a, const char *dir, const char *token)
{
	const cJSON	*t;
	cJSON		*doc;
	int		 err;

	if (token == NULL || *token == '\0')
		return -1;
	if ((doc = auth_tokens_load(dir, &err)) == NULL)
		return -2;	/* the store failed, not the client: 500 */
	/* an entry without user or project (a hand-edited file) is no
	 * valid token, rather than a NULL dereference */
	if ((t = auth_tokens_find(doc, token)) != NULL &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "user")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(t, "project"))) {
		a->ok = 1;
		a->user = xstrdup(json_str(t, "user"));
		a->project = xstrdup(json_str(t, "project"));
		a->roles = strings_dup(cJSON_GetObjectItemCaseSensitive(t,
		    "roles"));
		a->hosts = strings_dup(cJSON_GetObjectItemCaseSensitive(t,
		    "hosts"));
	}
	cJSON_Delete(doc);
	return a->ok ? 0 : -1;
}

static void
strings_free(char **v)
{
	char	**r;

	for (r = v; r != NULL && *r != NULL; r++)
		free(*r);
	free(v);
}

void
auth_free(struct auth *a)
{
	free(a->user);
	free(a->project);
	strings_free(a->roles);
	strings_free(a->hosts);
	a->user = a->project = NULL;
	a->roles = a->hosts = NULL;
}

int
auth_host_ok(const struct auth *a, const char *host)
{
	char	**h;
	size_t	  n;

	for (h = a->hosts; h != NULL && *h != NULL; h++) {
		n = strlen(*h);
		if (n > 0 && (*h)[n - 1] == '*' ? strncmp(*h, host, n - 1) ==
		    0 : strcmp(*h, host) == 0)
			return 1;
	}
	return 0;
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
policy_override(const struct auth *a, const char *dir, const char *file,
    const char *rule)
{
	char		 path[4096], *text;
	struct buf	 why;
	const cJSON	*roles, *r;
	cJSON		*doc;
	size_t		 len;
	int		 err, rc = -1;

	if (file != NULL)
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s/policy.json", dir);
	if ((text = store_read_file(path, &len, &err)) == NULL)
		return err ? -2 : -1;
	buf_init(&why);
	doc = json_parse_unique(text, len, &why);
	free(text);
	if (doc == NULL)
		log_warn("policy %s: %s: every check denies", path,
		    buf_str(&why));
	buf_free(&why);
	if (doc == NULL)
		return -2;
	roles = cJSON_GetObjectItemCaseSensitive(doc, rule);
	if (cJSON_IsArray(roles)) {
		rc = 0;
		cJSON_ArrayForEach(r, roles)
			if (cJSON_IsString(r) && has_role(a, r->valuestring))
				rc = 1;
	}
	cJSON_Delete(doc);
	return rc;
}

int
auth_allows(const struct auth *a, const char *dir, const char *policy_file,
    const char *rule)
{
	size_t	 i, j;
	int	 o;

	if (!a->ok)
		return 0;
	if ((o = policy_override(a, dir, policy_file, rule)) != -1)
		return o == -2 ? -1 : o;
	for (i = 0; i < NELEM(rules); i++) {
		if (strcmp(rules[i].name, rule) != 0)
			continue;
		for (j = 0; j < NELEM(rules[i].roles) &&
		    rules[i].roles[j] != NULL; j++)
			if (has_role(a, rules[i].roles[j]))
				return 1;
		return 0;
	}
	return 0;
}
