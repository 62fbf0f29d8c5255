/* lib/admin/fsck_keystone.c: fsck of keystone mode's files (fsck.h,
 * SPEC 2.2.1): the credentials file keystone.conf, the kept service
 * token keystone/service.json and the identity cache keystone/cache/.
 * Their modes are the walk's.  A finding names the file, never a value
 * from it: the password, the service token and the cached identities
 * stay out of the output. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsckint.h"
#include "admin/ksclient.h"
#include "base/buf.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/store.h"
#include "http/auth.h"
#include "http/keystone.h"

/* rel parsed, or NULL: missing (*bad 0), or unreadable or unparseable
 * (*bad 1, reported as such by the caller).  A link or a FIFO is the
 * walk's finding: missing here. */
static cJSON *
ks_doc(struct fsck *fk, const char *rel, int *bad)
{
	cJSON	*doc;
	char	*text;
	size_t	 len;

	*bad = 0;
	if ((text = read_rel(&fk->st, rel, &len)) == NULL) {
		*bad = errno != ENOENT && errno != ELOOP;
		return NULL;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	*bad = doc == NULL;
	return doc;
}

static int
is_number(const cJSON *o, const char *key)
{
	return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* keystone.conf, read as the programs read it (but always DATA_DIR's:
 * a HACGI_KEYSTONE_CONF elsewhere is the administrator's). */
static void
check_ks_conf(struct fsck *fk)
{
	struct ks_env	 ke;
	struct ks_conf	 kc;
	struct stat	 sb;
	struct buf	 why;
	int		 fd;

	if ((fd = store_fd(&fk->st, KS_CONF_NAME, O_RDONLY, 0, &sb)) == -1)
		return;		/* missing, or the walk's finding */
	close(fd);
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077) != 0)
		return;		/* the walk's finding */
	memset(&ke, 0, sizeof(ke));
	buf_init(&why);
	if (ks_conf_load(&kc, fk->st.dir, &ke, &why) == 0)
		ks_conf_free(&kc);
	else
		finding(fk, L_ERROR, KS_CONF_NAME, NULL, NULL, "%s: in "
		    "keystone mode, every token not cached gets a 503",
		    buf_str(&why));
	buf_free(&why);
}

/* The kept service token: one the programs cannot use, they replace. */
static void
check_ks_service(struct fsck *fk)
{
	const char	*rel = KSC_SERVICE_FILE, *why = NULL, *t, *f;
	cJSON		*doc;
	int		 bad;

	if ((doc = ks_doc(fk, rel, &bad)) == NULL && !bad)
		return;
	t = json_str(doc, "token");
	f = json_str(doc, "for");
	if (doc == NULL)
		why = "unreadable or unparseable";
	else if (t == NULL || !ks_token_ok(t) || !hex_is_sha256(f) ||
	    !is_number(doc, "issued_at") || !is_number(doc, "expires_at"))
		why = "malformed";
	if (why != NULL)
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "%s kept "
		    "service token: the programs get a new one", why);
	cJSON_Delete(doc);
}

/* A cache entry as ks_cache_get() reads it: NULL when it serves. */
static const char *
entry_problem(const cJSON *e)
{
	struct auth	 a;
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(e, "valid");
	int		 rc;

	if (!cJSON_IsObject(e) || !cJSON_IsBool(v) ||
	    !is_number(e, "cached_at"))
		return "malformed";
	if (cJSON_IsFalse(v))
		return NULL;
	memset(&a, 0, sizeof(a));
	rc = ks_identity_auth(e, &a);
	auth_free(&a);
	return rc == 0 && is_number(e, "expires_at") ? NULL :
	    "not an identity";
}

/* One file of keystone/cache (stale temp files are the walk's). */
static void
check_ks_entry(struct fsck *fk, const char *name)
{
	char		 rel[PATH_MAX], hash[65];
	const char	*why;
	cJSON		*e;
	int		 bad;

	if (is_tmp_name(name) ||
	    join(rel, sizeof(rel), KS_CACHE_DIR, name) == -1)
		return;
	snprintf(hash, sizeof(hash), "%s", name);
	if (strlen(name) != 69 || strcmp(name + 64, ".json") != 0 ||
	    !hex_is_sha256(hash)) {
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "not a cache "
		    "entry (HASH.json): nothing reads it");
		return;
	}
	if ((e = ks_doc(fk, rel, &bad)) == NULL) {
		/* ks_cache_get: the cache could not be read, a 500 */
		if (bad)
			finding(fk, L_ERROR, rel, fix_unlink, NULL,
			    "unreadable or unparseable cache entry: its token "
			    "gets a 500 (--repair removes it)");
		return;
	}
	if ((why = entry_problem(e)) != NULL)
		finding(fk, L_LEFTOVER, rel, fix_unlink, NULL, "%s cache "
		    "entry: the programs ask Keystone again", why);
	cJSON_Delete(e);
}

static void
check_ks_cache(struct fsck *fk)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	int		 dfd;

	if ((dfd = store_dirfd(&fk->st, KS_CACHE_DIR)) == -1 ||
	    (d = dir_list(dfd)) == NULL)
		return;		/* missing, or the walk's finding */
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && fstatat(dfd, de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
			check_ks_entry(fk, de->d_name);
	closedir(d);
}

void
check_keystone(struct fsck *fk)
{
	check_ks_conf(fk);
	check_ks_service(fk);
	check_ks_cache(fk);
}
