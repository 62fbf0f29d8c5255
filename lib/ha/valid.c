/*
 * lib/ha/valid.c: the Instance-HA request-body schemas (SPEC 2.9, 4.3-4.6).
 *
 * The reference validates with jsonschema (Draft 4) and reports the first
 * error in schema order, so the schemas here are field tables walked in
 * that order: per field the type, the length, then the value rule; per
 * object the properties, then required/anyOf and additionalProperties
 * (additionalProperties first inside "segment" and "host", whose schemas
 * list it before required/anyOf).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/unicode.h"
#include "base/util.h"
#include "ha/valid.h"
#include "ha/valid_tab.h"
#include "ha/validint.h"

/* JSON types, as jsonschema's "type" names them. */
#define T_STRING	0x01
#define T_NULL		0x02
#define T_BOOL		0x04
#define T_OBJECT	0x08

/* field flags */
#define FL_REQUIRED	0x01	/* in "required" (create schemas) */
#define FL_V12		0x02	/* a property only from instance-ha 1.2 */
#define FL_ENUM_FIRST	0x04	/* the schema lists enum before type */
#define FL_NULL_STRING	0x08	/* divergence 6: null is "not 'string'",
				 * once the rest of the body is valid */

/* schema flags */
#define S_AP_FIRST	0x01	/* additionalProperties before required */
#define S_REQUIRED	0x02	/* FL_REQUIRED fields are required */
#define S_ANYOF		0x04	/* at least one property (update) */

struct field;
typedef int	(*valid_rule)(const struct field *, const cJSON *,
		    struct buf *);

struct venum {
	const char *const	*vals;	/* NULL-terminated strings */
	int			 bools;	/* true and false are members too */
	const char		*repr;	/* the list as the message shows it */
};

struct field {
	const char		*key;
	unsigned		 types;	/* T_* */
	const char		*tname;	/* the types, as messages list them */
	size_t			 min;	/* length in code points */
	size_t			 max;	/* 0: no maximum */
	valid_rule		 rule;	/* pattern, enum or format; or NULL */
	const struct venum	*en;
	unsigned		 flags;
};

struct schema {
	const char		*wrapper; /* "segment"; NULL: no prefix */
	const struct field	*fields;
	size_t			 nfields;
	unsigned		 flags;
	int			 v12;	/* FL_V12 fields are properties */
};

/* ---- messages ---- */

/* "Invalid input for field/attribute F. Value: str(v). ", for an error
 * inside an object member; nothing for a top-level one. */
static void
valid_prefix(struct buf *msg, const char *f, const cJSON *v)
{
	buf_reset(msg);
	if (f == NULL)
		return;
	buf_printf(msg, "Invalid input for field/attribute %s. Value: ", f);
	pystr(msg, v);
	buf_puts(msg, ". ");
}

/* prefix + repr(v) + text */
static int
valid_fail(struct buf *msg, const char *f, const cJSON *v, const char *text)
{
	valid_prefix(msg, f, v);
	pyrepr(msg, v);
	buf_puts(msg, text);
	return -1;
}

static int
valid_fail_type(struct buf *msg, const char *f, const cJSON *v,
    const char *tname)
{
	valid_fail(msg, f, v, " is not of type ");
	buf_puts(msg, tname);
	return -1;
}

/* ---- value rules ---- */

const char *const *
valid_find(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return list;
	return NULL;
}

static int
valid_enum_has(const struct venum *en, const cJSON *v)
{
	if (cJSON_IsBool(v))
		return en->bools;
	return cJSON_IsString(v) && valid_find(en->vals, v->valuestring);
}

static int
rule_enum(const struct field *f, const cJSON *v, struct buf *msg)
{
	if (valid_enum_has(f->en, v))
		return 0;
	valid_fail(msg, f->key, v, " is not one of ");
	buf_puts(msg, f->en->repr);
	return -1;
}

size_t
valid_dollar(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && s[n - 1] == '\n' ? n - 1 : n;
}

/* ^[set]*$ over ASCII characters */
static int
valid_charset(const char *s, const char *extra)
{
	size_t	 n = valid_dollar(s), i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (c == '\0' || strchr(extra, c) == NULL)
			return 0;
	}
	return 1;
}

static int
valid_fail_pattern(struct buf *msg, const struct field *f, const cJSON *v,
    const char *pattern_repr)
{
	valid_fail(msg, f->key, v, " does not match ");
	buf_puts(msg, pattern_repr);
	return -1;
}

static int
rule_alnum(const struct field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || valid_charset(v->valuestring, ""))
		return 0;
	return valid_fail_pattern(msg, f, v, "'^[a-zA-Z0-9]*$'");
}

static int
rule_hostname(const struct field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || valid_charset(v->valuestring, "-._"))
		return 0;
	return valid_fail_pattern(msg, f, v, "'^[a-zA-Z0-9-._]*$'");
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
rule_description(const struct field *f, const cJSON *v, struct buf *msg)
{
	if (!cJSON_IsString(v) || valid_description(v->valuestring))
		return 0;
	return valid_fail_pattern(msg, f, v, valid_desc_pattern);
}

static int
rule_name(const struct field *f, const cJSON *v, struct buf *msg)
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
rule_datetime(const struct field *f, const cJSON *v, struct buf *msg)
{
	char	 out[27];

	if (!cJSON_IsString(v) || valid_timestamp(v->valuestring, out) == 0)
		return 0;
	return valid_fail(msg, f->key, v, " is not a 'date-time'");
}

static int
rule_uuid(const struct field *f, const cJSON *v, struct buf *msg)
{
	char	 out[37];

	if (!cJSON_IsString(v) || valid_uuid_like(v->valuestring, out) == 0)
		return 0;
	return valid_fail(msg, f->key, v, " is not a 'uuid'");
}

/* ---- the generic walk ---- */

static unsigned
valid_type(const cJSON *v)
{
	if (cJSON_IsString(v))
		return T_STRING;
	if (cJSON_IsNull(v))
		return T_NULL;
	if (cJSON_IsBool(v))
		return T_BOOL;
	if (cJSON_IsObject(v))
		return T_OBJECT;
	return 0;
}

/* minLength, maxLength (strings only, in code points) */
static int
valid_length(const struct field *f, const char *name, const cJSON *v,
    struct buf *msg)
{
	size_t	 n;

	if (!cJSON_IsString(v))
		return 0;
	n = utf8_count(v->valuestring);
	if (n < f->min)
		return valid_fail(msg, name, v, " is too short");
	if (f->max != 0 && n > f->max)
		return valid_fail(msg, name, v, " is too long");
	return 0;
}

/* One property value; name is the field/attribute the message names. */
static int
valid_field(const struct field *f, const char *name, const cJSON *v,
    struct buf *msg)
{
	if ((f->flags & FL_ENUM_FIRST) && !valid_enum_has(f->en, v))
		return rule_enum(f, v, msg);
	if ((valid_type(v) & f->types) == 0)
		return valid_fail_type(msg, name, v, f->tname);
	if (valid_length(f, name, v, msg) == -1)
		return -1;
	return f->rule != NULL ? f->rule(f, v, msg) : 0;
}

static int
valid_active(const struct schema *sc, const struct field *f)
{
	return !(f->flags & FL_V12) || sc->v12;
}

static const struct field *
valid_lookup(const struct schema *sc, const char *key)
{
	size_t	 i;

	for (i = 0; i < sc->nfields; i++)
		if (valid_active(sc, &sc->fields[i]) &&
		    strcmp(sc->fields[i].key, key) == 0)
			return &sc->fields[i];
	return NULL;
}

static int
valid_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef int	(*valid_known)(const void *, const char *);

static int
valid_known_field(const void *sc, const char *key)
{
	return valid_lookup(sc, key) != NULL;
}

static int
valid_known_key(const void *wrapper, const char *key)
{
	return strcmp(wrapper, key) == 0;
}

/* The keys of obj that known() rejects, sorted by code point (UTF-8 byte
 * order is code point order); caller frees. */
static const char **
valid_extras(const cJSON *obj, valid_known known, const void *ctx,
    size_t *np)
{
	const char	**keys;
	const cJSON	 *e;
	size_t		  n = 0;

	keys = xcalloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*keys));
	for (e = obj->child; e != NULL; e = e->next)
		if (!known(ctx, e->string))
			keys[n++] = e->string;
	qsort(keys, n, sizeof(*keys), valid_strcmp);
	*np = n;
	return keys;
}

/* 'a', 'b' */
static void
valid_key_list(struct buf *msg, const char **keys, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(msg, ", ");
		pyrepr_str(msg, keys[i]);
	}
}

/* additionalProperties: false */
static int
valid_additional(const char *name, const cJSON *obj, valid_known known,
    const void *ctx, struct buf *msg)
{
	const char	**keys;
	size_t		  n;

	keys = valid_extras(obj, known, ctx, &n);
	if (n > 0) {
		valid_prefix(msg, name, obj);
		buf_puts(msg, "Additional properties are not allowed (");
		valid_key_list(msg, keys, n);
		buf_puts(msg, n == 1 ? " was" : " were");
		buf_puts(msg, " unexpected)");
	}
	free(keys);
	return n > 0 ? -1 : 0;
}

static int
valid_required(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	const struct field	*f;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (!(f->flags & FL_REQUIRED) || !valid_active(sc, f) ||
		    cJSON_GetObjectItemCaseSensitive(obj, f->key) != NULL)
			continue;
		valid_prefix(msg, sc->wrapper, obj);
		pyrepr_str(msg, f->key);
		buf_puts(msg, " is a required property");
		return -1;
	}
	return 0;
}

/* anyOf [{required: [p]} for each property p]: one known key at least */
static int
valid_anyof(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	const cJSON	*e;

	for (e = obj->child; e != NULL; e = e->next)
		if (valid_lookup(sc, e->string) != NULL)
			return 0;
	return valid_fail(msg, sc->wrapper, obj,
	    " is not valid under any of the given schemas");
}

static int
valid_presence(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	if (sc->flags & S_REQUIRED)
		return valid_required(sc, obj, msg);
	if (sc->flags & S_ANYOF)
		return valid_anyof(sc, obj, msg);
	return 0;
}

static int
valid_properties(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	const struct field	*f;
	const cJSON		*v;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (!valid_active(sc, f))
			continue;
		v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
		if (v != NULL && valid_field(f, f->key, v, msg) == -1)
			return -1;
	}
	return 0;
}

/* An object schema: type, properties, then required/anyOf and
 * additionalProperties in the schema's order. */
static int
valid_object(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	const char	*w = sc->wrapper;

	if (!cJSON_IsObject(obj))
		return valid_fail_type(msg, w, obj, "'object'");
	if (valid_properties(sc, obj, msg) == -1)
		return -1;
	if (sc->flags & S_AP_FIRST) {
		if (valid_additional(w, obj, valid_known_field, sc, msg) == -1)
			return -1;
		return valid_presence(sc, obj, msg);
	}
	if (valid_presence(sc, obj, msg) == -1)
		return -1;
	return valid_additional(w, obj, valid_known_field, sc, msg);
}

/*
 * Divergence 6: the reference's schema takes a null host type or
 * control_attributes, and its database then fails (500).  hacgi answers
 * 400 instead, where the reference would have failed: after every other
 * schema check.
 */
static int
valid_nulls(const struct schema *sc, const cJSON *obj, struct buf *msg)
{
	const struct field	*f;
	const cJSON		*v;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
		if ((f->flags & FL_NULL_STRING) && cJSON_IsNull(v))
			return valid_fail_type(msg, f->key, v, "'string'");
	}
	return 0;
}

/* The top level: {"<wrapper>": {...}}, required, nothing else. */
static int
valid_body(const struct schema *sc, const cJSON *body, struct buf *msg)
{
	const cJSON	*w;

	if (!cJSON_IsObject(body))
		return valid_fail_type(msg, NULL, body, "'object'");
	w = cJSON_GetObjectItemCaseSensitive(body, sc->wrapper);
	if (w != NULL && valid_object(sc, w, msg) == -1)
		return -1;
	if (w == NULL) {
		buf_reset(msg);
		pyrepr_str(msg, sc->wrapper);
		buf_puts(msg, " is a required property");
		return -1;
	}
	if (valid_additional(NULL, body, valid_known_key, sc->wrapper,
	    msg) == -1)
		return -1;
	return valid_nulls(sc, w, msg);
}

/* ---- the notification payload (parameter_types.payload) ---- */

#define PAYLOAD_KEY_RE	"'^[a-zA-Z0-9-_:. ]{1,255}$'"

/* patternProperties key: ^[a-zA-Z0-9-_:. ]{1,255}$ */
static int
valid_payload_key(const void *ctx, const char *key)
{
	size_t	 n = valid_dollar(key);

	(void)ctx;
	return n >= 1 && n <= 255 && valid_charset(key, "-_:. ");
}

static const struct field payload_value = {
	"", T_STRING, "'string'", 0, 255, NULL, NULL, 0
};

static int
valid_payload_extras(const struct field *f, const cJSON *v, struct buf *msg)
{
	const char	**keys;
	size_t		  n;

	keys = valid_extras(v, valid_payload_key, NULL, &n);
	if (n > 0) {
		valid_prefix(msg, f->key, v);
		valid_key_list(msg, keys, n);
		buf_puts(msg, n == 1 ? " does" : " do");
		buf_puts(msg, " not match any of the regexes: " PAYLOAD_KEY_RE);
	}
	free(keys);
	return n > 0 ? -1 : 0;
}

/* values of matching keys (in body order), then the other keys */
static int
rule_payload(const struct field *f, const cJSON *v, struct buf *msg)
{
	const cJSON	*e;

	for (e = v->child; e != NULL; e = e->next)
		if (valid_payload_key(NULL, e->string) &&
		    valid_field(&payload_value, e->string, e, msg) == -1)
			return -1;
	return valid_payload_extras(f, v, msg);
}

/* ---- the schemas ---- */

static const char *const rm_vals[] = {
	"auto", "reserved_host", "auto_priority", "rh_priority", NULL
};
static const struct venum rm_enum = { rm_vals, 0,
	"['auto', 'reserved_host', 'auto_priority', 'rh_priority']" };

static const char *const bool_vals[] = {
	"True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
	"False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no",
	NULL
};
static const struct venum bool_enum = { bool_vals, 1,
	"[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', "
	"'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', "
	"'NO', 'No', 'no']" };

static const char *const ntype_vals[] = {
	"COMPUTE_HOST", "VM", "PROCESS", NULL
};
static const struct venum ntype_enum = { ntype_vals, 0,
	"('COMPUTE_HOST', 'VM', 'PROCESS')" };

static const char *const event_vals[] = { "STARTED", "STOPPED", NULL };
static const struct venum event_enum = { event_vals, 0,
	"('STARTED', 'STOPPED')" };
static const char *const hstatus_vals[] = { "NORMAL", "UNKNOWN", NULL };
static const struct venum hstatus_enum = { hstatus_vals, 0,
	"('NORMAL', 'UNKNOWN')" };
static const char *const cstatus_vals[] = { "ONLINE", "OFFLINE", NULL };
static const struct venum cstatus_enum = { cstatus_vals, 0,
	"('ONLINE', 'OFFLINE')" };

#define S	"'string'"
#define SN	"'string', 'null'"
#define BS	"'boolean', 'string'"

/* SPEC 4.4: masakari schemas/segments.py */
static const struct field seg_fields[] = {
	/* key		types		tname	min max	rule	 enum  flags */
	{ "name", T_STRING, S, 1, 255, rule_name, NULL, FL_REQUIRED },
	{ "description", T_STRING | T_NULL, SN, 0, 0, rule_description,
	    NULL, 0 },
	{ "recovery_method", T_STRING, S, 0, 0, rule_enum, &rm_enum,
	    FL_REQUIRED },
	{ "service_type", T_STRING, S, 1, 255, rule_name, NULL, FL_REQUIRED },
	{ "enabled", T_BOOL | T_STRING, BS, 0, 0, rule_enum, &bool_enum,
	    FL_V12 },
};

/* SPEC 4.5: masakari schemas/hosts.py; divergence 6 for nulls */
static const struct field host_fields[] = {
	{ "name", T_STRING, S, 1, 255, rule_name, NULL, FL_REQUIRED },
	{ "type", T_STRING | T_NULL, SN, 0, 255, rule_alnum, NULL,
	    FL_REQUIRED | FL_NULL_STRING },
	{ "control_attributes", T_STRING | T_NULL, SN, 0, 0,
	    rule_description, NULL, FL_REQUIRED | FL_NULL_STRING },
	{ "reserved", T_BOOL | T_STRING, BS, 0, 0, rule_enum, &bool_enum, 0 },
	{ "on_maintenance", T_BOOL | T_STRING, BS, 0, 0, rule_enum,
	    &bool_enum, 0 },
};

/* SPEC 4.6: masakari schemas/notifications.py */
static const struct field notif_fields[] = {
	{ "type", T_STRING, S, 0, 0, rule_enum, &ntype_enum, FL_REQUIRED },
	{ "hostname", T_STRING, S, 1, 255, rule_hostname, NULL, FL_REQUIRED },
	{ "generated_time", T_STRING, S, 0, 0, rule_datetime, NULL,
	    FL_REQUIRED },
	{ "payload", T_OBJECT, "'object'", 0, 0, rule_payload, NULL,
	    FL_REQUIRED },
};

/* SPEC 4.6: masakari schemas/payload.py (enum listed before type) */
static const struct field ch_fields[] = {
	{ "host_status", T_STRING, S, 0, 0, NULL, &hstatus_enum,
	    FL_ENUM_FIRST },
	{ "cluster_status", T_STRING, S, 0, 0, NULL, &cstatus_enum,
	    FL_ENUM_FIRST },
	{ "event", T_STRING, S, 0, 0, NULL, &event_enum,
	    FL_ENUM_FIRST | FL_REQUIRED },
};

static const struct field process_fields[] = {
	{ "process_name", T_STRING, S, 1, 4096, NULL, NULL, FL_REQUIRED },
	{ "event", T_STRING, S, 0, 0, NULL, &event_enum,
	    FL_ENUM_FIRST | FL_REQUIRED },
};

static const struct field vm_fields[] = {
	{ "instance_uuid", T_STRING, S, 0, 0, rule_uuid, NULL, FL_REQUIRED },
	{ "vir_domain_event", T_STRING, S, 1, 255, NULL, NULL, FL_REQUIRED },
	{ "event", T_STRING, S, 1, 255, NULL, NULL, FL_REQUIRED },
};

#undef S
#undef SN
#undef BS

#define SCHEMA(w, t, fl, v12)	{ (w), (t), NELEM(t), (fl), (v12) }

int
valid_segment_create(const cJSON *body, int mv_minor, struct buf *msg)
{
	const struct schema sc = SCHEMA("segment", seg_fields,
	    S_AP_FIRST | S_REQUIRED, mv_minor >= 2);

	return valid_body(&sc, body, msg);
}

int
valid_segment_update(const cJSON *body, int mv_minor, struct buf *msg)
{
	const struct schema sc = SCHEMA("segment", seg_fields,
	    S_AP_FIRST | S_ANYOF, mv_minor >= 2);

	return valid_body(&sc, body, msg);
}

int
valid_host_create(const cJSON *body, struct buf *msg)
{
	static const struct schema sc = SCHEMA("host", host_fields,
	    S_AP_FIRST | S_REQUIRED, 0);

	return valid_body(&sc, body, msg);
}

int
valid_host_update(const cJSON *body, struct buf *msg)
{
	static const struct schema sc = SCHEMA("host", host_fields,
	    S_AP_FIRST | S_ANYOF, 0);

	return valid_body(&sc, body, msg);
}

int
valid_notification_create(const cJSON *body, struct buf *msg)
{
	static const struct schema sc = SCHEMA("notification", notif_fields,
	    S_REQUIRED, 0);

	return valid_body(&sc, body, msg);
}

int
valid_notification_payload(const cJSON *notification, struct buf *msg)
{
	static const struct schema by_type[] = {
		SCHEMA(NULL, ch_fields, S_REQUIRED, 0),
		SCHEMA(NULL, vm_fields, S_REQUIRED, 0),
		SCHEMA(NULL, process_fields, S_REQUIRED, 0),
	};
	const cJSON		 *type, *payload;
	const char *const	 *t;

	type = cJSON_GetObjectItemCaseSensitive(notification, "type");
	payload = cJSON_GetObjectItemCaseSensitive(notification, "payload");
	if (!cJSON_IsString(type) || payload == NULL ||
	    (t = valid_find(ntype_vals, type->valuestring)) == NULL)
		return 0;	/* the schema part reports these */
	return valid_object(&by_type[t - ntype_vals], payload, msg);
}
