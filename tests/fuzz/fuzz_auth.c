/*
 * tests/fuzz/fuzz_auth.c: the token store reader and the policy file
 * (auth_lookup, auth_allows; SPEC 2.2) on hostile files.
 *
 * Input: the presented token, a newline, the text of tokens.json, a NUL
 * byte, the text of policy.json.  Invariants: a token is accepted only
 * if the file holds its SHA-256; a policy rule never passes without a
 * valid token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/store.h"
#include "http/auth.h"
#include "http/req.h"
#include "fuzz.h"

static const char *const rules[] = {
	"os_masakari_api:segments:index", "clusters:update",
	"hacgi:services:heartbeat", "no:such:rule",
};

/* Does any string in j equal s, ignoring case (the file may spell it
 * with escapes, and hex digits in either case)? */
static int
has_string(const cJSON *j, const char *s)
{
	const cJSON	*c;

	if (cJSON_IsString(j) && strcasecmp(j->valuestring, s) == 0)
		return 1;
	for (c = j != NULL ? j->child : NULL; c != NULL; c = c->next)
		if (has_string(c, s))
			return 1;
	return 0;
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 policy[128];
	struct req	 rq;
	const uint8_t	*nl, *nul;
	char		*token, hex[65];
	cJSON		*doc;
	size_t		 i, tlen, plen;
	const char	*dir = fuzz_data_dir();

	nl = memchr(data, '\n', size);
	if (nl == NULL)
		return 0;
	token = fuzz_str(data, (size_t)(nl - data));
	tlen = size - (size_t)(nl + 1 - data);
	nul = memchr(nl + 1, '\0', tlen);
	plen = nul != NULL ? tlen - (size_t)(nul + 1 - (nl + 1)) : 0;
	if (nul != NULL)
		tlen = (size_t)(nul - (nl + 1));
	fuzz_file(dir, "tokens.json", nl + 1, tlen);
	fuzz_file(dir, "policy.json", nul != NULL ? nul + 1 : nl, plen);
	snprintf(policy, sizeof(policy), "%s/policy.json", dir);

	memset(&rq, 0, sizeof(rq));
	rq.data_dir = dir;
	rq.policy_file = policy;
	rq.token = token;
	if (auth_lookup(&rq.auth, rq.data_dir, rq.token) == 0) {
		doc = cJSON_ParseWithLength((const char *)nl + 1, tlen);
		store_sha256_hex(token, hex);
		if (!has_string(doc, hex))
			fuzz_fail("a token accepted without its hash");
		cJSON_Delete(doc);
	} else
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			if (auth_allows(&rq.auth, dir, policy, rules[i]) != 0)
				fuzz_fail("a rule passed without a token");
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		auth_allows(&rq.auth, dir, policy, rules[i]);
	auth_free(&rq.auth);
	free(token);
	return 0;
}
