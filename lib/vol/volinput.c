/*
 * lib/vol/volinput.c: the Volume request bodies as schema tables
 * (volinput.h): the cluster actions and the heartbeat.  The walk is the
 * engine's (base/schema.c): the object's type, each property in table
 * order (type, length, then the rule), required, additional properties.
 * The os-services action bodies: lib/vol/volsvccheck.c; the query
 * tables: lib/vol/volquery.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/schema.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/volinput.h"

#define T_STR	"'string'"
#define T_NSTR	"'string', 'null'"

/* Python str.strip(): the Unicode white space at both ends. */
char *
vol_strip(const char *s)
{
	size_t		 len = strlen(s), i = 0, at, start = len, end = 0;
	uint32_t	 cp;

	while (i < len) {
		at = i;
		if (utf8_next(s, len, &i, &cp) == -1) {
			i = at + 1;
			cp = 0xFFFD;
		}
		if (!uni_isspace(cp)) {
			if (start == len)
				start = at;
			end = i;
		}
	}
	return start < end ? xstrndup(s + start, end - start) : xstrdup("");
}

/* cinder's name format: InvalidName when only whitespace is left. */
static int
rule_name(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	char	*t = vol_strip(v->valuestring);
	int	 blank = *t == '\0';

	free(t);
	if (!blank)
		return 0;
	buf_reset(msg);
	buf_printf(msg, "An invalid '%s' value was provided. The '%s' can "
	    "not be empty.", f->key, f->key);
	return -1;
}

/*
 * A heartbeat's names (SPEC 3.7): the name rule, then hacgi's: no
 * control characters.  They end up in an admin's terminal (cinder
 * service-list), where ESC or CSI starts an escape sequence.
 */
static int
rule_hb(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (rule_name(f, v, msg) == -1)
		return -1;
	if (utf8_clean(v->valuestring))
		return 0;
	return schema_fail(msg, f->key, v, " holds a control character");
}

/* cinder's disabled_reason format: "" or 1-255 once stripped. */
static int
rule_reason(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	char	*t;
	size_t	 n;

	if (!cJSON_IsString(v) || *v->valuestring == '\0')
		return 0;
	t = vol_strip(v->valuestring);
	n = utf8_count(t);
	free(t);
	if (n >= 1 && n <= VOL_NAME_MAX)
		return 0;
	schema_fail(msg, f->key, v, " is not a '");
	buf_printf(msg, "%s'", f->key);
	return -1;
}

/* ---- PUT clusters/enable, clusters/disable (SPEC 3.5) ---- */

struct able_body {
	const char		*name;
	struct sc_optstr	 binary;
	const char		*reason;
};

static const struct sc_field able_fields[] = {
	{ "name", SC_STRING, T_STR, 1, VOL_NAME_MAX, rule_name, NULL,
	    SC_REQUIRED, schema_store_str, offsetof(struct able_body, name) },
	{ "binary", SC_STRING | SC_NULL, T_NSTR, 0, VOL_NAME_MAX, NULL, NULL,
	    0, schema_store_optstr, offsetof(struct able_body, binary) },
	{ "disabled_reason", SC_STRING | SC_NULL, T_NSTR, 0, 0, rule_reason,
	    NULL, SC_LATER, schema_store_str,
	    offsetof(struct able_body, reason) },
};

/* the reason is a property of disable only */
static const struct sc_schema able_schema[2] = {
	{ NULL, able_fields, NELEM(able_fields), SC_REQUIRE, 0 },
	{ NULL, able_fields, NELEM(able_fields), SC_REQUIRE, 1 },
};

int
volin_cluster_body(const cJSON *body, int disable, struct vol_able_in *in,
    struct buf *msg)
{
	struct able_body	 b;
	char			*t;

	memset(in, 0, sizeof(*in));
	if (schema_object(&able_schema[disable != 0], body, &b, msg) == -1)
		return -1;
	in->op.name = b.name;
	in->op.binary = b.binary.set ? b.binary.s : VOL_DEFAULT_BINARY;
	in->op.disable = disable;
	if (b.reason != NULL) {
		t = vol_strip(b.reason);
		snprintf(in->reason, sizeof(in->reason), "%s", t);
		free(t);
		in->op.reason = in->reason;
	}
	return 0;
}

int
volin_cluster_able(const struct req *rq, struct resp *rs, int disable,
    struct vol_able_in *in)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, volin_cluster_body(rq->json, disable, in,
	    &msg), &msg);
}

/* ---- PUT os-hacgi-heartbeat (SPEC 3.7) ---- */

#define HB_FIELD(key, flags) { #key, SC_STRING, T_STR, 1, VOL_NAME_MAX, \
	rule_hb, NULL, flags, schema_store_str, offsetof(struct vol_hb, key) }

static const struct sc_field hb_fields[] = {
	HB_FIELD(host, SC_REQUIRED),
	HB_FIELD(binary, SC_REQUIRED),
	HB_FIELD(cluster, 0),
	HB_FIELD(zone, 0),
};

static const struct sc_schema hb_schema = {
	"service", hb_fields, NELEM(hb_fields), SC_REQUIRE | SC_BARE, 0
};

int
volin_heartbeat_body(const cJSON *body, struct vol_hb *hb, struct buf *msg)
{
	memset(hb, 0, sizeof(*hb));
	return schema_body(&hb_schema, body, hb, msg);
}

int
volin_heartbeat(const struct req *rq, struct resp *rs, struct vol_hb *hb)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, volin_heartbeat_body(rq->json, hb, &msg),
	    &msg);
}

/* "Cluster {'binary': B, 'name': N} could not be found." (SPEC 3.4) */
void
vol_not_found(struct buf *m, const char *binary, const char *name)
{
	buf_puts(m, "Cluster {'binary': ");
	if (binary != NULL)
		pyrepr_str(m, binary);
	else
		buf_puts(m, "None");
	buf_puts(m, ", 'name': ");
	pyrepr_str(m, name);
	buf_puts(m, "} could not be found.");
}
