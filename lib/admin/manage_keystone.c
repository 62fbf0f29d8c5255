/* lib/admin/manage_keystone.c: hacgi-manage keystone validate|check|
 * cache-clear (SPEC 2.2.1, SPEC 6).
 *
 * `validate` is what the programs run on a cache miss (lib/http/
 * keystone.c): the token on standard input, never in the arguments or
 * the environment; the identity on standard output; its exit status a
 * struct ks_exit.  It is a subcommand of hacgi-manage rather than a
 * program of its own because hacgi-manage is already the one program
 * linked with more than the programs' static-safe libraries (libcurl,
 * here), is installed and copied beside them (make install, make run),
 * and `keystone check` shares every step of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/ksclient.h"
#include "admin/manage.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "http/keystone.h"

/* A token from standard input (one line), or NULL. */
/* ks_env_init()'s getter: the process environment. */
static const char *
env_get(const void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static char *
token_stdin(void)
{
	char	*text;
	size_t	 len;

	if ((text = store_read_fd(0, KS_TOKEN_MAX + 2, &len)) == NULL)
		return NULL;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	return text;
}

static void
print_json(const cJSON *j)
{
	struct buf	 b;

	buf_init(&b);
	json_write(&b, j);
	printf("%s\n", buf_str(&b));
	buf_free(&b);
}

/* hacgi-manage keystone validate < TOKEN */
static int
ks_validate_cmd(const char *dir, const struct ks_env *ke)
{
	struct ksc	 k;
	cJSON		*id = NULL;
	char		*token;
	int		 rc;

	if ((token = token_stdin()) == NULL)
		return KS_EXIT_ERROR;
	if (!ks_token_ok(token)) {
		free(token);
		return KS_EXIT_INVALID;
	}
	if ((rc = ksc_open(&k, dir, ke)) == KS_EXIT_VALID)
		rc = ksc_validate(&k, token, &id);
	if ((rc == KS_EXIT_VALID || rc == KS_EXIT_INVALID) &&
	    ksc_cache_put(dir, token, id, ke) == -1)
		rc = KS_EXIT_ERROR;
	if (rc == KS_EXIT_VALID)
		print_json(id);
	cJSON_Delete(id);
	ksc_close(&k);
	free(token);
	return rc;
}

static const char *const exit_text[] = {
	"valid", "invalid (unknown, expired, revoked or not project-scoped)",
	"Keystone could not be reached or failed",
	"the service credentials were refused", "failed",
};

/* hacgi-manage keystone check [--token-stdin] */
static int
ks_check_cmd(const char *dir, const struct ks_env *ke, int with_token)
{
	struct ksc	 k;
	cJSON		*id = NULL;
	char		*token = NULL, *svc = NULL, *version = NULL;
	int		 rc;

	if (with_token && (token = token_stdin()) == NULL)
		return manage_fail("keystone check: no token on standard "
		    "input");
	if ((rc = ksc_open(&k, dir, ke)) != KS_EXIT_VALID)
		goto out;
	if (ksc_ping(&k, &version) == -1) {
		rc = KS_EXIT_UNREACHABLE;
		goto out;
	}
	printf("keystone: %s (API %s)\n", k.base, version ? version : "?");
	if ((rc = ksc_service_token(&k, 1, &svc)) != KS_EXIT_VALID)
		goto out;
	printf("service user: %s: authenticated\n",
	    k.conf.application_credential_id != NULL ?
	    "application credential" : k.conf.username);
	if (token == NULL)
		goto out;
	if (!ks_token_ok(token))
		rc = KS_EXIT_INVALID;
	else
		rc = ksc_validate(&k, token, &id);
	if (rc == KS_EXIT_VALID) {
		printf("token: ");
		print_json(id);
	}
out:
	if (rc != KS_EXIT_VALID)
		manage_fail("keystone check: %s", exit_text[rc]);
	cJSON_Delete(id);
	ksc_close(&k);
	free(version);
	free(svc);
	free(token);
	return rc == KS_EXIT_VALID ? 0 : 1;
}

int
manage_keystone(struct mctx *mc, int argc, char **argv)
{
	static const char *const flags[] = { "--token-stdin", NULL };
	struct ks_env	 ke;
	int		 n;

	ks_env_init(&ke, env_get, NULL);
	log_setid(getenv("HACGI_REQUEST_ID"));
	if (argc < 1)
		return manage_fail("usage: keystone validate|check "
		    "[--token-stdin]|cache-clear");
	if (strcmp(argv[0], "validate") == 0 && argc == 1)
		return ks_validate_cmd(mc->data_dir, &ke);
	if (strcmp(argv[0], "check") == 0) {
		if (manage_check_opts(argc - 1, argv + 1, NULL, flags) == -1)
			return 2;
		return ks_check_cmd(mc->data_dir, &ke, manage_flag(argc - 1,
		    argv + 1, "--token-stdin"));
	}
	if (strcmp(argv[0], "cache-clear") == 0 && argc == 1) {
		if ((n = ksc_cache_clear(mc->data_dir)) == -1)
			return manage_fail("keystone cache-clear failed");
		printf("%d cached tokens removed\n", n);
		return 0;
	}
	return manage_fail("usage: keystone validate|check "
	    "[--token-stdin]|cache-clear");
}
