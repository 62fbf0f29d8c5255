/* lib/vol/volsvccheck.c: the os-services action bodies (volsvccheck.h).
 * Each schema is a table of the schema engine (base/schema.h), whose
 * walk is jsonschema's order: the object's type, each property present
 * in the schema's order (type, length, then pattern, enum or format),
 * anyOf, additional properties. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/schema.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/vollog.h"
#include "vol/volsvccheck.h"
#include "vol/volume.h"

/* parameter_types.hostname's pattern, as its message prints it */
#define HOST_PATTERN	"^[a-zA-Z0-9-._#@:/+\\[\\]]*$"

#define T_STR	"'string'"
#define T_NSTR	"'string', 'null'"

/* format: the field's own name (issue 13: control characters) */
static int
fail_format(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	schema_fail(msg, f->key, v, " is not a '");
	buf_printf(msg, "%s'", f->key);
	return -1;
}

/* a string or null, no control characters */
static int
rule_clean(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || utf8_clean(v->valuestring))
		return 0;
	return fail_format(f, v, msg);
}

/* The whole string in the pattern's class (no final newline either). */
static int
rule_host(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	const char	*s;

	if (!cJSON_IsString(v))
		return 0;
	s = v->valuestring;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-._#@:/+[]") == strlen(s))
		return 0;
	schema_fail(msg, f->key, v, " does not match ");
	pyrepr_str(msg, HOST_PATTERN);
	return -1;
}

/* cinder's disabled_reason format: 1-255 characters once stripped. */
static int
rule_reason(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	char	*t = vol_strip(v->valuestring);
	size_t	 n = utf8_count(t);

	free(t);
	if (n >= 1 && n <= VOL_NAME_MAX && utf8_clean(v->valuestring))
		return 0;
	return fail_format(f, v, msg);
}

/* The format checker calls utils.get_log_method, whose InvalidInput is
 * not a schema error: it ends the request as it is. */
static int
rule_level(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	const char	*s = cJSON_IsString(v) ? v->valuestring : NULL;

	(void)f;
	if (vollog_level_name(s) != NULL)
		return 0;
	buf_reset(msg);
	buf_printf(msg, "Invalid input received: %s is not a valid log level.",
	    s != NULL ? s : "");
	return -1;
}

static const char *const log_binaries[] = { "cinder-scheduler",
	"cinder-volume", "cinder-backup", "cinder-api", "", "*", NULL };
static const struct sc_enum log_binary = { log_binaries, 0,
	"['cinder-scheduler', 'cinder-volume', 'cinder-backup', "
	"'cinder-api', '', '*']" };

#define IN(m)	offsetof(struct volsvc_in, m)
#define F(key, types, tname, min, max, rule, en, flags) { #key, types, \
	tname, min, max, rule, en, flags, schema_store_str, IN(key) }
#define STR(key, min, flags) \
	F(key, SC_STRING, T_STR, min, 255, rule_clean, NULL, flags)
#define NSTR(key) \
	F(key, SC_STRING | SC_NULL, T_NSTR, 0, 255, rule_clean, NULL, 0)
#define HOST	F(host, SC_STRING | SC_NULL, T_NSTR, 1, 255, rule_host, \
	NULL, 0)

/* disabled_reason: disable-log-reason only (later) */
static const struct sc_field able_fields[] = {
	STR(binary, 1, SC_ANY),
	HOST,
	NSTR(cluster),
	STR(service, 1, SC_ANY),
	F(disabled_reason, SC_STRING, T_STR, 1, 255, rule_reason, NULL,
	    SC_LATER),
};

static const struct sc_field freeze_fields[] = {
	NSTR(cluster),
	HOST,
};

static const struct sc_field failover_fields[] = {
	HOST,
	NSTR(backend_id),
	NSTR(cluster),
};

/* level: set-log only (later) */
static const struct sc_field log_fields[] = {
	F(binary, SC_STRING, T_STR, 0, 0, schema_rule_enum, &log_binary, 0),
	NSTR(server),
	NSTR(prefix),
	F(level, SC_STRING | SC_NULL, T_NSTR, 0, 0, rule_level, NULL,
	    SC_LATER),
};

#define SCHEMA(f, flags, later)	{ NULL, f, NELEM(f), flags, later }

static const struct sc_schema schemas[VSB__MAX] = {
	[VSB_ABLE] = SCHEMA(able_fields, SC_ANYOF, 0),
	[VSB_REASON] = SCHEMA(able_fields, SC_ANYOF, 1),
	[VSB_FREEZE] = SCHEMA(freeze_fields, 0, 0),
	[VSB_FAILOVER] = SCHEMA(failover_fields, 0, 0),
	[VSB_SET_LOG] = SCHEMA(log_fields, 0, 1),
	[VSB_GET_LOG] = SCHEMA(log_fields, 0, 0),
};

int
volsvccheck_body(enum volsvc_body which, const cJSON *body,
    struct volsvc_in *in, struct buf *msg)
{
	memset(in, 0, sizeof(*in));
	return schema_object(&schemas[which], body, in, msg);
}

int
volsvc_input(const struct req *rq, struct resp *rs, enum volsvc_body which,
    struct volsvc_in *in)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, volsvccheck_body(which, rq->json, in, &msg),
	    &msg);
}
