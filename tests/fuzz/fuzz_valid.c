/*
 * tests/fuzz/fuzz_valid.c: the JSON parser, the Instance-HA body
 * validators and the Volume bodies (lib/base/json.h, lib/ha/valid.h,
 * lib/vol/volsvccheck.h, lib/vol/volinput.h).
 *
 * Input: a request body.  It is parsed as the programs parse it, written
 * back (json_write), and every schema runs on it at every microversion;
 * the value rules run on every string inside it.  Invariants: a parse
 * that succeeds gives a tree json_write can print and json_parse reads
 * back to an equal tree; a schema that fails says why.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/unicode.h"
#include "ha/valid.h"
#include "vol/volinput.h"
#include "vol/vollog.h"
#include "vol/volsvccheck.h"
#include "fuzz.h"

static void
strings(const cJSON *j)
{
	const cJSON	*c;
	char		 out[37], ts[27];
	int		 b;

	if (cJSON_IsString(j)) {
		valid_timestamp(j->valuestring, ts);
		valid_uuid_like(j->valuestring, out);
		valid_name(j->valuestring);
		valid_bool_query(j->valuestring, &b);
		vollog_level_name(j->valuestring);
	}
	valid_bool(j, &b);
	for (c = j->child; c != NULL; c = c->next)
		strings(c);
}

static void
check(int rc, struct buf *msg)
{
	if (rc == -1 && msg->len == 0)
		fuzz_fail("a schema failed without a message");
	if (rc == -1 && !utf8_valid(msg->p, msg->len))
		fuzz_fail("a schema message is not UTF-8");
	buf_reset(msg);
}

static void
schemas(const cJSON *body)
{
	struct ha_segment_in		 seg;
	struct ha_host_in		 host;
	struct ha_notification_in	 notif;
	struct volsvc_in		 svc;
	struct vol_able_in		 able;
	struct vol_hb			 hb;
	struct buf			 msg;
	int				 minor, i;

	buf_init(&msg);
	for (minor = 0; minor <= 2; minor++) {
		check(valid_segment_create(body, minor, &seg, &msg), &msg);
		check(valid_segment_update(body, minor, &seg, &msg), &msg);
	}
	check(valid_host_create(body, &host, &msg), &msg);
	check(valid_host_update(body, &host, &msg), &msg);
	for (i = 0; i < VSB__MAX; i++)
		check(volsvccheck_body((enum volsvc_body)i, body, &svc, &msg),
		    &msg);
	for (i = 0; i < 2; i++)
		check(volin_cluster_body(body, i, &able, &msg), &msg);
	check(volin_heartbeat_body(body, &hb, &msg), &msg);
	if (valid_notification_create(body, &notif, &msg) == 0)
		check(valid_notification_payload(&notif, &msg), &msg);
	else
		check(-1, &msg);
	buf_free(&msg);
}

static int
all_finite(const cJSON *j)
{
	const cJSON	*c;

	if (cJSON_IsNumber(j) && !isfinite(j->valuedouble))
		return 0;
	for (c = j->child; c != NULL; c = c->next)
		if (!all_finite(c))
			return 0;
	return 1;
}

/* json_write's text parses back to the same tree (1e400 is written as
 * Python writes it, Infinity, which is not JSON: left out). */
static void
roundtrip(const cJSON *j)
{
	struct buf	 b;
	cJSON		*again;
	int		 err;

	if (!all_finite(j))
		return;
	buf_init(&b);
	json_write(&b, j);
	again = json_parse(b.p, b.len, &err);
	if (again == NULL || !cJSON_Compare(j, again, 1))
		fuzz_fail("json_write output does not parse back equal");
	cJSON_Delete(again);
	buf_free(&b);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON	*j;
	int	 err;

	j = json_parse((const char *)data, size, &err);
	if (j == NULL)
		return 0;
	if (!utf8_valid((const char *)data, size))
		fuzz_fail("json_parse accepted invalid UTF-8");
	roundtrip(j);
	schemas(j);
	strings(j);
	cJSON_Delete(j);
	return 0;
}
