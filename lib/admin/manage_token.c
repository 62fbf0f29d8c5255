/* lib/admin/manage_token.c: the token store's administration (hacgi-manage
 * token create|revoke|list).  Apart from lib/http/auth.c so that the CGI
 * programs, which only look tokens up, do not carry libsodium's random
 * number generator and its start-up.
 *
 * DATA_DIR/tokens.json: {"tokens": [{"sha256": HEX, "user": U,
 * "project": P, "roles": [R, ...], "hosts": [H, ...], "created_at": T},
 * ...]} ("hosts" only for a token bound to hosts, SPEC 3.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "admin/manage.h"
#include "base/clock.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "http/auth.h"

#define TOKENS	"tokens.json"

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

	if (sodium_init() < 0)
		abort();
	randombytes_buf(raw, sizeof(raw));
	hex_encode(hex, raw, sizeof(raw));
	return hex;
}

int
manage_token_create(const char *dir, const char *user, const char *project,
    const char *roles, const cJSON *hosts, const char *token, char **out)
{
	struct store	 st;
	cJSON		*doc = NULL, *t;
	char		 hex[65], now[27];
	int		 err, rc = -1;

	*out = token != NULL ? xstrdup(token) : token_random();
	if (store_open(&st, dir, "tokens", STORE_WRITE) == -1)
		goto out;
	if ((doc = auth_tokens_load(dir, &err)) == NULL)
		goto out;
	if (auth_tokens_find(doc, *out) != NULL) {
		log_warn("token create: the token is already registered");
		goto out;
	}
	store_sha256_hex(*out, hex);
	clock_now(now, 0);
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "sha256", hex);
	cJSON_AddStringToObject(t, "user", user);
	cJSON_AddStringToObject(t, "project", project);
	cJSON_AddItemToObject(t, "roles", roles_parse(roles));
	if (hosts != NULL)
		cJSON_AddItemToObject(t, "hosts", cJSON_Duplicate(hosts, 1));
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

/* Remove every entry of the token's hash: a hand-edited or merged
 * tokens.json may hold it twice, and the lookup takes any of them.
 * The number removed. */
static int
revoke_all(cJSON *doc, const char *token)
{
	cJSON		*arr = cJSON_GetObjectItemCaseSensitive(doc, "tokens");
	cJSON		*t, *next;
	const char	*h;
	char		 hex[65];
	int		 n = 0;

	store_sha256_hex(token, hex);
	for (t = arr != NULL ? arr->child : NULL; t != NULL; t = next) {
		next = t->next;
		h = json_str(t, "sha256");
		if (h != NULL && strcmp(h, hex) == 0) {
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, t));
			n++;
		}
	}
	return n;
}

int
manage_token_revoke(const char *dir, const char *token)
{
	struct store	 st;
	cJSON		*doc = NULL;
	int		 err, rc = -1;

	if (store_open(&st, dir, "tokens", STORE_WRITE) == -1)
		goto out;
	if ((doc = auth_tokens_load(dir, &err)) == NULL)
		goto out;
	if (revoke_all(doc, token) == 0) {
		log_warn("token revoke: no such token");
		goto out;
	}
	rc = store_write(&st, TOKENS, doc);
out:
	cJSON_Delete(doc);
	store_close(&st);
	return rc;
}

/* The strings of arr, comma-separated, padded to width ("-" if none). */
static void
list_print(FILE *fp, const cJSON *arr, int width)
{
	const cJSON	*r;
	int		 n = 0;

	cJSON_ArrayForEach(r, arr)
		if (cJSON_IsString(r))
			n += fprintf(fp, "%s%s", n > 0 ? "," : "",
			    r->valuestring);
	if (n == 0)
		n = fprintf(fp, "-");
	for (; n < width; n++)
		fputc(' ', fp);
}

int
manage_token_list(const char *dir, FILE *fp)
{
	const cJSON	*t;
	cJSON		*doc;
	int		 err;

	if ((doc = auth_tokens_load(dir, &err)) == NULL)
		return -1;
	fprintf(fp, "%-12s %-16s %-34s %-16s %s\n", "HASH", "USER", "PROJECT",
	    "ROLES", "HOSTS");
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tokens")) {
		fprintf(fp, "%-12.12s %-16s %-34s ",
		    json_str(t, "sha256"), json_str(t, "user"),
		    json_str(t, "project"));
		list_print(fp, cJSON_GetObjectItemCaseSensitive(t, "roles"),
		    16);
		fputc(' ', fp);
		list_print(fp, cJSON_GetObjectItemCaseSensitive(t, "hosts"),
		    0);
		fputc('\n', fp);
	}
	cJSON_Delete(doc);
	return 0;
}
