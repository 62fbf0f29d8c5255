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
};

struct req;

/* 0 = valid token, -1 = none (401), -2 = the token store could not be
 * read (500) */
int	 auth_lookup(struct req *);
void	 auth_free(struct auth *);
/* 1 = allowed, 0 = denied (403), -1 = the policy file could not be
 * read (500) */
int	 auth_allows(const struct req *, const char *rule);

/* The token store: DATA_DIR/tokens.json as a cJSON tree (always with a
 * "tokens" array; NULL on a read error), and the entry of a token. */
cJSON	*auth_tokens_load(const char *dir, int *err);
const cJSON *auth_tokens_find(const cJSON *doc, const char *token);

#endif
