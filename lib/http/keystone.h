/* lib/http/keystone.h: Keystone tokens in the programs (SPEC 2.2.1).
 *
 * HACGI_AUTH=keystone: a token's identity comes from a cache in the data
 * directory, keyed by the SHA-256 of the token (never the token); on a
 * miss the programs run `hacgi-manage keystone validate` (the token on
 * its standard input), which asks Keystone and writes the entry.  This
 * side links no HTTP client: the programs stay static-safe (libc,
 * libsodium, cJSON).
 *
 * The cache, DATA_DIR/keystone/cache/HASH.json (docs/FORMAT.md):
 *	{"valid": true, "cached_at": S, "expires_at": S, "user_id": U,
 *	 "user_name": N, "project_id": P, "project_name": N,
 *	 "roles": [R, ...]}
 *	{"valid": false, "cached_at": S}
 * S: seconds since the epoch.  A valid entry serves until cached_at +
 * HACGI_TOKEN_CACHE_TIME and never past expires_at (the token's own
 * expiry); an invalid one until cached_at +
 * HACGI_INVALID_TOKEN_CACHE_TIME.
 */
#ifndef HACGI_KEYSTONE_H
#define HACGI_KEYSTONE_H

#include <time.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "http/auth.h"

#define KS_CACHE_DIR	"keystone/cache"
#define KS_CACHE_LOCK	"keystone-cache"
#define KS_CONF_NAME	"keystone.conf"
#define KS_TOKEN_MAX	8192	/* longer: refused, never sent on */

/* The validator's exit status: what the programs answer. */
enum ks_exit {
	KS_EXIT_VALID = 0,	/* identity on standard output */
	KS_EXIT_INVALID = 1,	/* 401 */
	KS_EXIT_UNREACHABLE = 2,	/* Keystone down, slow, failing: 503 */
	KS_EXIT_SERVICE = 3,	/* our own credentials refused: 503 */
	KS_EXIT_ERROR = 4	/* anything else (logged): 500 */
};

/* The settings, from the environment (SPEC 6). */
struct ks_env {
	int		 mode;		/* HACGI_AUTH: KS_LOCAL, KS_KEYSTONE,
					   KS_BADMODE (every request: 500) */
	const char	*mode_text;	/* as given */
	const char	*conf;		/* HACGI_KEYSTONE_CONF, NULL =
					   DATA_DIR/keystone.conf */
	const char	*manage;	/* HACGI_MANAGE */
	long		 cache_time;	/* HACGI_TOKEN_CACHE_TIME, 300 */
	long		 invalid_time;	/* HACGI_INVALID_TOKEN_CACHE_TIME,
					   10 */
	long		 timeout;	/* HACGI_KEYSTONE_TIMEOUT, 10 */
	long		 connect_timeout;	/* ..._CONNECT_TIMEOUT, 3 */
};

#define KS_LOCAL	0
#define KS_KEYSTONE	1
#define KS_BADMODE	2

/* The settings through get(ctx, name): the request's own environment
 * in req_init() (a FastCGI responder's is per request), the process
 * environment in hacgi-manage's keystone commands. */
typedef const char *(*ks_getenv)(const void *ctx, const char *name);
void	 ks_env_init(struct ks_env *, ks_getenv get, const void *ctx);

/* The credentials file (SPEC 6): "key = value" lines, '#' comments.
 * The values of the keys it knows (owned), NULL when not given. */
struct ks_conf {
	char	*auth_url;
	char	*www_authenticate_uri;
	char	*username;
	char	*password;
	char	*user_domain_name;
	char	*user_domain_id;
	char	*project_name;
	char	*project_id;
	char	*project_domain_name;
	char	*project_domain_id;
	char	*application_credential_id;
	char	*application_credential_secret;
};

/* Read it: 0, or -1 with the reason in why (never a value from the
 * file).  Refused: a file group or others may read or write, a link, a
 * key it does not know, a line without '=', no auth_url. */
int	 ks_conf_load(struct ks_conf *, const char *dir, const struct ks_env *,
	    struct buf *why);
void	 ks_conf_free(struct ks_conf *);

/* Can token be sent to Keystone at all (1..KS_TOKEN_MAX visible ASCII
 * characters)?  Any other is invalid without asking. */
int	 ks_token_ok(const char *token);

/* The entry of hash (64 hex digits) if it still serves at now: 1 and a
 * filled struct auth for a valid token, 0 for an invalid one, -1 when
 * there is none (or it is out of date), -2 when the cache could not be
 * read (logged). */
int	 ks_cache_get(const char *dir, const char *hash, const struct ks_env *,
	    time_t now, struct auth *);
/* A cache entry (valid or invalid) into a struct auth: 0, or -1 when it
 * is not a valid identity. */
int	 ks_identity_auth(const cJSON *id, struct auth *);

/*
 * The programs' lookup: 0 = valid (a filled), -1 = none (401), -2 = the
 * cache or the validator failed (500), -3 = Keystone could not answer
 * (503).  reqid goes to the validator, for its log lines.
 */
int	 ks_lookup(struct auth *, const char *dir, const struct ks_env *,
	    const char *token, const char *reqid);

/* The URI a 401 names (WWW-Authenticate): www_authenticate_uri, else
 * auth_url, of the credentials file; NULL when it cannot be read. */
char	*ks_auth_uri(const char *dir, const struct ks_env *);

#endif
