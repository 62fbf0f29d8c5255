/* lib/http/auth.h: tokens (stored as SHA-256 hashes) and the policy table
 * (SPEC 2.2, STYLE 17). */
#ifndef HACGI_AUTH_H
#define HACGI_AUTH_H

#include <cjson/cJSON.h>

struct auth {
	int	 ok;		/* a valid token was presented */
	char	*user;		/* owned */
	char	*project;	/* owned */
	char	**roles;	/* owned, NULL-terminated */
	char	**hosts;	/* owned, NULL-terminated: what the token
				   may send heartbeats for (SPEC 3.7) */
};

/* SPEC 3.7: who may report for any host, and move a service. */
#define RULE_HB_ANY_HOST	"hacgi:services:heartbeat:any_host"
#define RULE_HB_MOVE		"hacgi:services:heartbeat:move"

/* Fill the struct auth (initialised to zero) from the token store of
 * DATA_DIR dir: 0 = valid token, -1 = none (401), -2 = the token store
 * could not be read (500). */
int	 auth_lookup(struct auth *, const char *dir, const char *token);
void	 auth_free(struct auth *);
/* Does the policy let a (a valid token) use rule?  The override file is
 * policy_file, or dir/policy.json when NULL.  1 = allowed, 0 = denied
 * (403), -1 = the policy file could not be read (500). */
int	 auth_allows(const struct auth *, const char *dir,
	    const char *policy_file, const char *rule);

/* Is host one the token is bound to: a name it lists, or one starting
 * with a listed prefix that ends in '*' ("host1@*", "rack2-*")? */
int	 auth_host_ok(const struct auth *, const char *host);
/* Is name a rule of the policy table (policy.json may only override
 * those)? */
int	 auth_rule_known(const char *name);

/* The token store: DATA_DIR/tokens.json as a cJSON tree (always with a
 * "tokens" array; NULL on a read error, and on a file that a duplicate
 * key or \u0000 makes ambiguous, or that others may write), and the
 * entry of a token. */
cJSON	*auth_tokens_load(const char *dir, int *err);
const cJSON *auth_tokens_find(const cJSON *doc, const char *token);

#endif
