/* lib/admin/fsck_tokens.c: fsck of FORMAT, tokens.json and policy.json
 * (fsck.h). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/store.h"
#include "http/auth.h"

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

/* A document people edit by hand (tokens.json, policy.json), parsed as
 * the programs do: a duplicate key or \u0000 is an error (what is the
 * consequence: effect).  NULL when missing or reported. */
static cJSON *
read_strict(struct fsck *fk, const char *rel, const char *effect)
{
	struct buf	 why;
	cJSON		*doc;
	char		*text;
	size_t		 len;

	if ((text = read_rel(&fk->st, rel, &len)) == NULL) {
		if (errno != ENOENT)
			finding(fk, L_ERROR, rel, NULL, NULL, "unreadable: %s",
			    effect);
		return NULL;
	}
	buf_init(&why);
	if ((doc = json_parse_unique(text, len, &why)) == NULL)
		finding(fk, L_ERROR, rel, NULL, NULL, "unparseable (%s): %s",
		    buf_str(&why), effect);
	buf_free(&why);
	free(text);
	return doc;
}

/* A token entry: a hash, never the token itself. */
static const char *
token_problem(const cJSON *t)
{
	if (!cJSON_IsObject(t))
		return "an entry is not an object";
	if (!hex_is_sha256(json_str(t, "sha256")))
		return "an entry has no SHA-256 hash";
	if (cJSON_GetObjectItemCaseSensitive(t, "token") != NULL)
		return "an entry holds a token in clear";
	if (json_str(t, "user") == NULL || json_str(t, "project") == NULL ||
	    !is_string_array(cJSON_GetObjectItemCaseSensitive(t, "roles")))
		return "an entry lacks user, project or roles";
	if (cJSON_GetObjectItemCaseSensitive(t, "hosts") != NULL &&
	    !is_string_array(cJSON_GetObjectItemCaseSensitive(t, "hosts")))
		return "an entry's hosts are not a list of names";
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
	int		 n;

	if ((doc = read_strict(fk, "tokens.json", "every token is refused")) ==
	    NULL)
		return;
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

/* The policy file the programs read, outside DATA_DIR: its text, or NULL
 * (missing, or reported).  Others able to write it could grant any role:
 * the programs refuse it then, and so is it reported. */
static char *
policy_outside(struct fsck *fk, size_t *len)
{
	const char	*p = fk->policy_file;
	struct stat	 sb;
	char		*text = NULL;
	int		 fd;

	if ((fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		if (errno != ENOENT)
			finding(fk, L_ERROR, p, NULL, NULL, "open: %s: every "
			    "policy check denies", errno == ELOOP ? "a link" :
			    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		finding(fk, L_ERROR, p, NULL, NULL, "not a regular file: every "
		    "policy check denies");
	else if ((sb.st_mode & 022) != 0)
		finding(fk, L_ERROR, p, NULL, NULL, "mode %04o lets other "
		    "users write it: the programs refuse it (every policy "
		    "check denies)", (unsigned)(sb.st_mode & 07777));
	else if ((text = store_read_fd(fd, SIZE_MAX, len)) == NULL)
		finding(fk, L_ERROR, p, NULL, NULL, "read: %s: every policy "
		    "check denies", strerror(errno));
	close(fd);
	return text;
}

/* Does POLICY_FILE name DATA_DIR/policy.json (or is it unset)? */
static int
policy_inside(const struct fsck *fk)
{
	const char	*p = fk->policy_file;
	size_t		 n = strlen(fk->st.dir);

	return p == NULL || (strncmp(p, fk->st.dir, n) == 0 &&
	    strcmp(p + n, "/policy.json") == 0);
}

/* POLICY_FILE as the programs see it: a relative one (which would depend
 * on the folder a program runs in) is refused, every check a 500. */
static cJSON *
policy_read(struct fsck *fk, const char *label)
{
	struct buf	 why;
	cJSON		*doc;
	char		*text;
	size_t		 len;

	if (policy_inside(fk))
		return read_strict(fk, label, "every policy check denies");
	if (*fk->policy_file != '/') {
		finding(fk, L_ERROR, label, NULL, NULL, "POLICY_FILE is not "
		    "an absolute path: the programs answer 500");
		return NULL;
	}
	if ((text = policy_outside(fk, &len)) == NULL)
		return NULL;
	buf_init(&why);
	if ((doc = json_parse_unique(text, len, &why)) == NULL)
		finding(fk, L_ERROR, label, NULL, NULL, "unparseable (%s): "
		    "every policy check denies", buf_str(&why));
	buf_free(&why);
	free(text);
	return doc;
}

void
check_policy(struct fsck *fk)
{
	const char	*label = policy_inside(fk) ? "policy.json" :
			    fk->policy_file;
	cJSON		*doc;
	const cJSON	*r;
	int		 bad = 0;

	if ((doc = policy_read(fk, label)) == NULL)
		return;
	bad = !cJSON_IsObject(doc);
	cJSON_ArrayForEach(r, doc)
		bad |= !is_string_array(r);
	if (bad)
		finding(fk, L_ERROR, label, NULL, NULL, "not an object of role "
		    "lists");
	cJSON_ArrayForEach(r, doc)
		if (!bad && !auth_rule_known(r->string))
			finding(fk, L_WARNING, label, NULL, NULL, "unknown "
			    "rule \"%s\": no check uses it (a typo?)",
			    r->string);
	cJSON_Delete(doc);
}
