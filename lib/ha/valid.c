/*
 * lib/ha/valid.c: the Instance-HA request-body schemas (SPEC 2.9, 4.3-4.6)
 * as tables for the schema engine (lib/base/schema.h): masakari's
 * jsonschema schemas, field by field in their order, the rules of their
 * patterns and formats, and where each value goes in the typed structs
 * of valid.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/unicode.h"
#include "base/util.h"
#include "ha/valid.h"
#include "ha/valid_tab.h"

/* ---- value rules ---- */

static int
rule_alnum(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || schema_charset(v->valuestring, ""))
		return 0;
	return schema_fail_pattern(msg, f, v, "'^[a-zA-Z0-9]*$'");
}

static int
rule_hostname(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || schema_charset(v->valuestring, "-._"))
		return 0;
	return schema_fail_pattern(msg, f, v, "'^[a-zA-Z0-9-._]*$'");
}

/* description rule: every character "\n" or printable */
static int
valid_description(const char *s)
{
	size_t		 n = strlen(s), i = 0;
	uint32_t	 cp;

	while (i < n)
		if (utf8_next(s, n, &i, &cp) == -1 ||
		    (cp != '\n' && !uni_printable(cp)))
			return 0;
	return 1;
}

static int
rule_description(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || valid_description(v->valuestring))
		return 0;
	return schema_fail_pattern(msg, f, v, valid_desc_pattern);
}

static int
rule_name(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	(void)f;
	if (!cJSON_IsString(v) || valid_name(v->valuestring))
		return 0;
	buf_reset(msg);
	buf_puts(msg, "An invalid 'name' value was provided. The name must "
	    "be: printable characters. Can not start or end with "
	    "whitespace.");
	return -1;
}

static int
rule_datetime(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	char	 out[27];

	if (!cJSON_IsString(v) || valid_timestamp(v->valuestring, out) == 0)
		return 0;
	return schema_fail(msg, f->key, v, " is not a 'date-time'");
}

static int
rule_uuid(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	char	 out[37];

	if (!cJSON_IsString(v) || valid_uuid_like(v->valuestring, out) == 0)
		return 0;
	return schema_fail(msg, f->key, v, " is not a 'uuid'");
}

/* ---- the notification payload (parameter_types.payload) ---- */

#define PAYLOAD_KEY_RE	"'^[a-zA-Z0-9-_:. ]{1,255}$'"

/* patternProperties key: ^[a-zA-Z0-9-_:. ]{1,255}$ */
static int
valid_payload_key(const void *ctx, const char *key)
{
	size_t	 n = schema_dollar(key);

	(void)ctx;
	return n >= 1 && n <= 255 && schema_charset(key, "-_:. ");
}

static const struct sc_field payload_value = {
	"", SC_STRING, "'string'", 0, 255, NULL, NULL, 0, NULL, 0
};

static int
valid_payload_extras(const struct sc_field *f, const cJSON *v,
    struct buf *msg)
{
	const char	**keys;
	size_t		  n;

	keys = schema_extras(v, valid_payload_key, NULL, &n);
	if (n > 0) {
		schema_prefix(msg, f->key, v);
		schema_key_list(msg, keys, n);
		buf_puts(msg, n == 1 ? " does" : " do");
		buf_puts(msg, " not match any of the regexes: " PAYLOAD_KEY_RE);
	}
	free(keys);
	return n > 0 ? -1 : 0;
}

/* values of matching keys (in body order), then the other keys */
static int
rule_payload(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	const cJSON	*e;

	for (e = v->child; e != NULL; e = e->next)
		if (valid_payload_key(NULL, e->string) &&
		    schema_field(&payload_value, e->string, e, msg) == -1)
			return -1;
	return valid_payload_extras(f, v, msg);
}

/* ---- the typed values ---- */

/* int: 0 or 1 (the bool enum passed), -1 when absent */
static void
store_bool(const struct sc_field *f, const cJSON *v, void *dst)
{
	int	 b = -1;

	(void)f;
	if (v != NULL && valid_bool(v, &b) == -1)
		b = -1;
	*(int *)dst = b;
}

/* char[27]: the stored form of a valid timestamp, "" when absent */
static void
store_time(const struct sc_field *f, const cJSON *v, void *dst)
{
	char	*out = dst;

	(void)f;
	if (!cJSON_IsString(v) || valid_timestamp(v->valuestring, out) == -1)
		out[0] = '\0';
}

/* ---- the schemas ---- */

static const char *const rm_vals[] = {
	"auto", "reserved_host", "auto_priority", "rh_priority", NULL
};
static const struct sc_enum rm_enum = { rm_vals, 0,
	"['auto', 'reserved_host', 'auto_priority', 'rh_priority']" };

static const char *const bool_vals[] = {
	"True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
	"False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no",
	NULL
};
static const struct sc_enum bool_enum = { bool_vals, 1,
	"[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', "
	"'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', "
	"'NO', 'No', 'no']" };

static const char *const ntype_vals[] = {
	"COMPUTE_HOST", "VM", "PROCESS", NULL
};
static const struct sc_enum ntype_enum = { ntype_vals, 0,
	"('COMPUTE_HOST', 'VM', 'PROCESS')" };

static const char *const event_vals[] = { "STARTED", "STOPPED", NULL };
static const struct sc_enum event_enum = { event_vals, 0,
	"('STARTED', 'STOPPED')" };
static const char *const hstatus_vals[] = { "NORMAL", "UNKNOWN", NULL };
static const struct sc_enum hstatus_enum = { hstatus_vals, 0,
	"('NORMAL', 'UNKNOWN')" };
static const char *const cstatus_vals[] = { "ONLINE", "OFFLINE", NULL };
static const struct sc_enum cstatus_enum = { cstatus_vals, 0,
	"('ONLINE', 'OFFLINE')" };

#define S	"'string'"
#define SN	"'string', 'null'"
#define BS	"'boolean', 'string'"
#define STR	SC_STRING
#define NUL	SC_NULL
#define REQ	SC_REQUIRED
/* where a value goes: the store and the member of the typed struct */
#define TO(fn, type, member)	(fn), offsetof(type, member)
#define SEG(fn, m)	TO(fn, struct ha_segment_in, m)
#define HOST(fn, m)	TO(fn, struct ha_host_in, m)
#define NOTIF(fn, m)	TO(fn, struct ha_notification_in, m)
#define KEEP_NONE	NULL, 0

/* SPEC 4.4: masakari schemas/segments.py */
static const struct sc_field seg_fields[] = {
	/* key types tname min max rule enum flags; store */
	{ "name", STR, S, 1, 255, rule_name, NULL, REQ,
	    SEG(schema_store_str, name) },
	{ "description", STR | NUL, SN, 0, 0, rule_description, NULL, 0,
	    SEG(schema_store_optstr, description) },
	{ "recovery_method", STR, S, 0, 0, schema_rule_enum, &rm_enum, REQ,
	    SEG(schema_store_str, recovery_method) },
	{ "service_type", STR, S, 1, 255, rule_name, NULL, REQ,
	    SEG(schema_store_str, service_type) },
	{ "enabled", SC_BOOL | STR, BS, 0, 0, schema_rule_enum, &bool_enum,
	    SC_LATER, SEG(store_bool, enabled) },
};

/* SPEC 4.5: masakari schemas/hosts.py; divergence 6 for nulls */
static const struct sc_field host_fields[] = {
	{ "name", STR, S, 1, 255, rule_name, NULL, REQ,
	    HOST(schema_store_str, name) },
	{ "type", STR | NUL, SN, 0, 255, rule_alnum, NULL,
	    REQ | SC_NULL_STRING, HOST(schema_store_str, type) },
	{ "control_attributes", STR | NUL, SN, 0, 0, rule_description, NULL,
	    REQ | SC_NULL_STRING,
	    HOST(schema_store_str, control_attributes) },
	{ "reserved", SC_BOOL | STR, BS, 0, 0, schema_rule_enum, &bool_enum,
	    0, HOST(store_bool, reserved) },
	{ "on_maintenance", SC_BOOL | STR, BS, 0, 0, schema_rule_enum,
	    &bool_enum, 0, HOST(store_bool, on_maintenance) },
};

/* SPEC 4.6: masakari schemas/notifications.py */
static const struct sc_field notif_fields[] = {
	{ "type", STR, S, 0, 0, schema_rule_enum, &ntype_enum, REQ,
	    NOTIF(schema_store_str, type) },
	{ "hostname", STR, S, 1, 255, rule_hostname, NULL, REQ,
	    NOTIF(schema_store_str, hostname) },
	{ "generated_time", STR, S, 0, 0, rule_datetime, NULL, REQ,
	    NOTIF(store_time, generated_time) },
	{ "payload", SC_OBJECT, "'object'", 0, 0, rule_payload, NULL, REQ,
	    NOTIF(schema_store_json, payload) },
};

/* SPEC 4.6: masakari schemas/payload.py (enum listed before type) */
static const struct sc_field ch_fields[] = {
	{ "host_status", STR, S, 0, 0, NULL, &hstatus_enum, SC_ENUM_FIRST,
	    KEEP_NONE },
	{ "cluster_status", STR, S, 0, 0, NULL, &cstatus_enum, SC_ENUM_FIRST,
	    KEEP_NONE },
	{ "event", STR, S, 0, 0, NULL, &event_enum, SC_ENUM_FIRST | REQ,
	    KEEP_NONE },
};

static const struct sc_field process_fields[] = {
	{ "process_name", STR, S, 1, 4096, NULL, NULL, REQ, KEEP_NONE },
	{ "event", STR, S, 0, 0, NULL, &event_enum, SC_ENUM_FIRST | REQ,
	    KEEP_NONE },
};

static const struct sc_field vm_fields[] = {
	{ "instance_uuid", STR, S, 0, 0, rule_uuid, NULL, REQ, KEEP_NONE },
	{ "vir_domain_event", STR, S, 1, 255, NULL, NULL, REQ, KEEP_NONE },
	{ "event", STR, S, 1, 255, NULL, NULL, REQ, KEEP_NONE },
};

#undef S
#undef SN
#undef BS
#undef STR
#undef NUL
#undef REQ

#define SCHEMA(w, t, fl, later)	{ (w), (t), NELEM(t), (fl), (later) }

int
valid_segment_create(const cJSON *body, int mv_minor,
    struct ha_segment_in *out, struct buf *msg)
{
	const struct sc_schema sc = SCHEMA("segment", seg_fields,
	    SC_AP_FIRST | SC_REQUIRE, mv_minor >= 2);

	return schema_body(&sc, body, out, msg);
}

int
valid_segment_update(const cJSON *body, int mv_minor,
    struct ha_segment_in *out, struct buf *msg)
{
	const struct sc_schema sc = SCHEMA("segment", seg_fields,
	    SC_AP_FIRST | SC_ANYOF, mv_minor >= 2);

	return schema_body(&sc, body, out, msg);
}

int
valid_host_create(const cJSON *body, struct ha_host_in *out,
    struct buf *msg)
{
	static const struct sc_schema sc = SCHEMA("host", host_fields,
	    SC_AP_FIRST | SC_REQUIRE, 0);

	return schema_body(&sc, body, out, msg);
}

int
valid_host_update(const cJSON *body, struct ha_host_in *out,
    struct buf *msg)
{
	static const struct sc_schema sc = SCHEMA("host", host_fields,
	    SC_AP_FIRST | SC_ANYOF, 0);

	return schema_body(&sc, body, out, msg);
}

int
valid_notification_create(const cJSON *body, struct ha_notification_in *out,
    struct buf *msg)
{
	static const struct sc_schema sc = SCHEMA("notification",
	    notif_fields, SC_REQUIRE, 0);

	return schema_body(&sc, body, out, msg);
}

int
valid_notification_payload(const struct ha_notification_in *in,
    struct buf *msg)
{
	static const struct sc_schema by_type[] = {
		SCHEMA(NULL, ch_fields, SC_REQUIRE, 0),
		SCHEMA(NULL, vm_fields, SC_REQUIRE, 0),
		SCHEMA(NULL, process_fields, SC_REQUIRE, 0),
	};
	const char *const	*t;

	if (in->type == NULL || in->payload == NULL ||
	    (t = schema_find(ntype_vals, in->type)) == NULL)
		return 0;	/* the schema part reports these */
	return schema_object(&by_type[t - ntype_vals], in->payload, NULL,
	    msg);
}
