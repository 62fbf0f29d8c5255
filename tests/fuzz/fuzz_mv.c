/*
 * tests/fuzz/fuzz_mv.c: the OpenStack-API-Version header (version_negotiate,
 * SPEC 2.4) for both APIs.  Invariants: an accepted version is within
 * the API's range; a refusal is a 400 or a 406 fault.
 */
#include <stdlib.h>
#include <string.h>

#include "http/req.h"
#include "http/resp.h"
#include "http/version.h"
#include "fuzz.h"

static void
one(enum api api, const char *hdr)
{
	struct req	 rq;
	struct resp	 rs;
	int		 rc;

	memset(&rq, 0, sizeof(rq));
	rq.api = api;
	rq.mvhdr = hdr;
	resp_init(&rs, api);
	rc = version_negotiate(&rq, &rs);
	if (rc == 0) {
		if (api == API_HA && (rq.mv.major != 1 || rq.mv.minor < 0 ||
		    rq.mv.minor > 2))
			fuzz_fail("instance-ha version out of range");
		if (api == API_VOLUME && (rq.mv.major != 3 ||
		    rq.mv.minor < 0 || rq.mv.minor > 70))
			fuzz_fail("volume version out of range");
	} else if (resp_status(&rs) != 400 && resp_status(&rs) != 406)
		fuzz_fail("a refusal that is neither 400 nor 406");
	resp_free(&rs);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*hdr = fuzz_str(data, size);

	one(API_HA, hdr);
	one(API_VOLUME, hdr);
	free(hdr);
	return 0;
}
