/* lib/admin/fsck_tokens.c: fsck of FORMAT, tokens.json and policy.json
 * (fsck.h). */
#include <stdio.h>
#include <string.h>

#include "admin/fsckint.h"
#include "base/json.h"
#include "base/store.h"

/* ---- FORMAT, tokens, policy ---- */

/* -1: an unknown format, nothing else may be checked.  (A folder
 * without FORMAT holds nothing but lock files: data_dir_open.) */
int
check_format(struct fsck *fk)
{
	cJSON		*doc;
	const cJSON	*v;
	int		 err, rc = 0;

	doc = store_read(&fk->st, "FORMAT", &err);
	if (doc == NULL && !err)
		return 0;
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

int
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

/*
 * Entries sharing a hash: the lookup takes the last one, and a revoke
 * used to remove only one of them.  The repair keeps the last (the one
 * in effect) and drops the others from doc; the number dropped.
 */
static int
token_dups(cJSON *doc)
{
	cJSON		*arr = cJSON_GetObjectItemCaseSensitive(doc, "tokens");
	cJSON		*t, *u, *next;
	const char	*h;
	int		 n = 0;

	for (t = arr->child; t != NULL; t = next) {
		next = t->next;
		h = json_str(t, "sha256");
		for (u = t->next; u != NULL; u = u->next)
			if (strcmp(json_str(u, "sha256"), h) == 0)
				break;
		if (u != NULL) {
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, t));
			n++;
		}
	}
	return n;
}

void
check_tokens(struct fsck *fk)
{
	cJSON		*doc;
	const cJSON	*arr, *t;
	const char	*why = NULL;
	int		 err, n;

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
	else if ((n = token_dups(doc)) > 0)
		finding(fk, L_ERROR, "tokens.json", fix_write, doc, "%d "
		    "entr%s repeat%s the hash of a later one (the last one is "
		    "in effect and is kept)", n, n == 1 ? "y" : "ies",
		    n == 1 ? "s" : "");
	cJSON_Delete(doc);
}

void
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
