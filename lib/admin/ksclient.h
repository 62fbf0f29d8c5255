/* lib/admin/ksclient.h: hacgi's client of Keystone v3 (libcurl), for
 * `hacgi-manage keystone ...` only: the programs never link it
 * (lib/http/keystone.h runs the validator instead). */
#ifndef HACGI_KSCLIENT_H
#define HACGI_KSCLIENT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "http/keystone.h"

struct ksc {
	const char		*dir;	/* DATA_DIR */
	const struct ks_env	*env;
	struct ks_conf		 conf;	/* owned (ksc_open) */
	char			*base;	/* owned: auth_url ending in /v3 */
	int64_t			 deadline;	/* clock_now_us() */
};

/* Read the credentials file, start the clock (HACGI_KEYSTONE_TIMEOUT):
 * KS_EXIT_VALID (0), or KS_EXIT_SERVICE with a log line.  Then
 * ksc_close() either way. */
int	 ksc_open(struct ksc *, const char *dir, const struct ks_env *);
void	 ksc_close(struct ksc *);

/* GET base: the API answers (0), or -1 (logged); its version id into
 * *version (owned) when it says. */
int	 ksc_ping(struct ksc *, char **version);

/* Where the service token is kept (FORMAT.md), and its lock. */
#define KSC_SERVICE_FILE	"keystone/service.json"
#define KSC_SERVICE_LOCK	"keystone"

/* hacgi's own service token (kept in DATA_DIR/keystone/service.json,
 * shared by every program under DATA_DIR/keystone.lock): the kept one
 * while it has more than min(120 s, half its life) left, else a new
 * one; fresh = 1 asks Keystone anyway.  A struct ks_exit, the token
 * (owned) in *token on KS_EXIT_VALID, the failure logged. */
int	 ksc_service_token(struct ksc *, int fresh, char **token);

/* Validate a user's token (GET /v3/auth/tokens): a struct ks_exit; on
 * KS_EXIT_VALID the identity (a cache entry, lib/http/keystone.h) in
 * *id, owned. */
int	 ksc_validate(struct ksc *, const char *token, cJSON **id);

/* The cache entry of a token (id: an identity, or NULL for an invalid
 * token), written atomically under DATA_DIR/keystone-cache.lock: 0 or
 * -1 (logged).  Now and then, entries past their time are swept. */
int	 ksc_cache_put(const char *dir, const char *token, const cJSON *id,
	    const struct ks_env *);
/* Remove every cache entry and the kept service token: the number of
 * entries removed, or -1 (logged). */
int	 ksc_cache_clear(const char *dir);

#endif
