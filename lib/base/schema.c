/*
 * lib/base/schema.c: the schema engine (schema.h).
 *
 * jsonschema reports the first error in schema order, so the walk is:
 * per field the type, the length, then the value rule; per object the
 * properties, then required/anyOf and additionalProperties (in the order
 * the schema lists them, SC_AP_FIRST); the top level last.  Only a body
 * that passed the whole walk is stored.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/schema.h"
#include "base/unicode.h"
#include "base/util.h"

/* ---- messages ---- */

/* "Invalid input for field/attribute F. Value: str(v). ", for an error
 * inside an object member; nothing for a top-level one. */
void
schema_prefix(struct buf *msg, const char *f, const cJSON *v)
{
	buf_reset(msg);
	if (f == NULL)
		return;
	buf_printf(msg, "Invalid input for field/attribute %s. Value: ", f);
	pystr(msg, v);
	buf_puts(msg, ". ");
}

/* prefix + repr(v) + text */
int
schema_fail(struct buf *msg, const char *f, const cJSON *v, const char *text)
{
	schema_prefix(msg, f, v);
	pyrepr(msg, v);
	buf_puts(msg, text);
	return -1;
}

static int
schema_fail_type(struct buf *msg, const char *f, const cJSON *v,
    const char *tname)
{
	schema_fail(msg, f, v, " is not of type ");
	buf_puts(msg, tname);
	return -1;
}

int
schema_fail_pattern(struct buf *msg, const struct sc_field *f,
    const cJSON *v, const char *pattern_repr)
{
	schema_fail(msg, f->key, v, " does not match ");
	buf_puts(msg, pattern_repr);
	return -1;
}

/* ---- value rules ---- */

const char *const *
schema_find(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return list;
	return NULL;
}

static int
schema_enum_has(const struct sc_enum *en, const cJSON *v)
{
	if (cJSON_IsBool(v))
		return en->bools;
	return cJSON_IsString(v) && schema_find(en->vals, v->valuestring);
}

int
schema_rule_enum(const struct sc_field *f, const cJSON *v, struct buf *msg)
{
	if (schema_enum_has(f->en, v))
		return 0;
	schema_fail(msg, f->key, v, " is not one of ");
	buf_puts(msg, f->en->repr);
	return -1;
}

size_t
schema_dollar(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && s[n - 1] == '\n' ? n - 1 : n;
}

int
schema_charset(const char *s, const char *extra)
{
	size_t	 n = schema_dollar(s), i;

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

/* ---- the walk ---- */

static unsigned
schema_type(const cJSON *v)
{
	if (cJSON_IsString(v))
		return SC_STRING;
	if (cJSON_IsNull(v))
		return SC_NULL;
	if (cJSON_IsBool(v))
		return SC_BOOL;
	if (cJSON_IsObject(v))
		return SC_OBJECT;
	return 0;
}

/* minLength, maxLength (strings only, in code points) */
static int
schema_length(const struct sc_field *f, const char *name, const cJSON *v,
    struct buf *msg)
{
	size_t	 n;

	if (!cJSON_IsString(v))
		return 0;
	n = utf8_count(v->valuestring);
	if (n < f->min)
		return schema_fail(msg, name, v, " is too short");
	if (f->max != 0 && n > f->max)
		return schema_fail(msg, name, v, " is too long");
	return 0;
}

int
schema_field(const struct sc_field *f, const char *name, const cJSON *v,
    struct buf *msg)
{
	if ((f->flags & SC_ENUM_FIRST) && !schema_enum_has(f->en, v))
		return schema_rule_enum(f, v, msg);
	if ((schema_type(v) & f->types) == 0)
		return schema_fail_type(msg, name, v, f->tname);
	if (schema_length(f, name, v, msg) == -1)
		return -1;
	return f->rule != NULL ? f->rule(f, v, msg) : 0;
}

static int
schema_active(const struct sc_schema *sc, const struct sc_field *f)
{
	return !(f->flags & SC_LATER) || sc->later;
}

static const struct sc_field *
schema_lookup(const struct sc_schema *sc, const char *key)
{
	size_t	 i;

	for (i = 0; i < sc->nfields; i++)
		if (schema_active(sc, &sc->fields[i]) &&
		    strcmp(sc->fields[i].key, key) == 0)
			return &sc->fields[i];
	return NULL;
}

static int
schema_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef int	(*schema_known)(const void *, const char *);

static int
schema_known_field(const void *sc, const char *key)
{
	return schema_lookup(sc, key) != NULL;
}

static int
schema_known_key(const void *wrapper, const char *key)
{
	return strcmp(wrapper, key) == 0;
}

/* UTF-8 byte order is code point order. */
const char **
schema_extras(const cJSON *obj, schema_known known, const void *ctx,
    size_t *np)
{
	const char	**keys;
	const cJSON	 *e;
	size_t		  n = 0;

	keys = xcalloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*keys));
	for (e = obj->child; e != NULL; e = e->next)
		if (!known(ctx, e->string))
			keys[n++] = e->string;
	qsort(keys, n, sizeof(*keys), schema_strcmp);
	*np = n;
	return keys;
}

void
schema_key_list(struct buf *msg, const char **keys, size_t n)
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
schema_additional(const char *name, const cJSON *obj, schema_known known,
    const void *ctx, struct buf *msg)
{
	const char	**keys;
	size_t		  n;

	keys = schema_extras(obj, known, ctx, &n);
	if (n > 0) {
		schema_prefix(msg, name, obj);
		buf_puts(msg, "Additional properties are not allowed (");
		schema_key_list(msg, keys, n);
		buf_puts(msg, n == 1 ? " was" : " were");
		buf_puts(msg, " unexpected)");
	}
	free(keys);
	return n > 0 ? -1 : 0;
}

static int
schema_required(const struct sc_schema *sc, const cJSON *obj,
    struct buf *msg)
{
	const struct sc_field	*f;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (!(f->flags & SC_REQUIRED) || !schema_active(sc, f) ||
		    cJSON_GetObjectItemCaseSensitive(obj, f->key) != NULL)
			continue;
		schema_prefix(msg, sc->flags & SC_BARE ? NULL : sc->wrapper,
		    obj);
		pyrepr_str(msg, f->key);
		buf_puts(msg, " is a required property");
		return -1;
	}
	return 0;
}

/* anyOf [{required: [p]} for each property p]: one known key at least;
 * when some fields are SC_ANY, p is one of those. */
static int
schema_anyof(const struct sc_schema *sc, const cJSON *obj, struct buf *msg)
{
	const struct sc_field	*f;
	unsigned		 want = 0;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++)
		want |= sc->fields[i].flags & SC_ANY;
	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (schema_active(sc, f) && (f->flags & SC_ANY) == want &&
		    cJSON_GetObjectItemCaseSensitive(obj, f->key) != NULL)
			return 0;
	}
	return schema_fail(msg, sc->wrapper, obj,
	    " is not valid under any of the given schemas");
}

static int
schema_presence(const struct sc_schema *sc, const cJSON *obj,
    struct buf *msg)
{
	if (sc->flags & SC_REQUIRE)
		return schema_required(sc, obj, msg);
	if (sc->flags & SC_ANYOF)
		return schema_anyof(sc, obj, msg);
	return 0;
}

static int
schema_properties(const struct sc_schema *sc, const cJSON *obj,
    struct buf *msg)
{
	const struct sc_field	*f;
	const cJSON		*v;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (!schema_active(sc, f))
			continue;
		v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
		if (v != NULL && schema_field(f, f->key, v, msg) == -1)
			return -1;
	}
	return 0;
}

/* An object schema: type, properties, then required/anyOf and
 * additionalProperties in the schema's order. */
static int
schema_walk(const struct sc_schema *sc, const cJSON *obj, struct buf *msg)
{
	const char	*w = sc->flags & SC_BARE ? NULL : sc->wrapper;

	if (!cJSON_IsObject(obj))
		return schema_fail_type(msg, sc->wrapper, obj, "'object'");
	if (schema_properties(sc, obj, msg) == -1)
		return -1;
	if (sc->flags & SC_AP_FIRST) {
		if (schema_additional(w, obj, schema_known_field, sc,
		    msg) == -1)
			return -1;
		return schema_presence(sc, obj, msg);
	}
	if (schema_presence(sc, obj, msg) == -1)
		return -1;
	return schema_additional(w, obj, schema_known_field, sc, msg);
}

/*
 * SC_NULL_STRING (Instance-HA divergence 6): the reference's schema
 * takes a null host type or control_attributes, and its database then
 * fails (500).  hacgi answers 400 instead, where the reference would
 * have failed: after every other schema check.
 */
static int
schema_nulls(const struct sc_schema *sc, const cJSON *obj, struct buf *msg)
{
	const struct sc_field	*f;
	const cJSON		*v;
	size_t			 i;

	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
		if ((f->flags & SC_NULL_STRING) && cJSON_IsNull(v))
			return schema_fail_type(msg, f->key, v, "'string'");
	}
	return 0;
}

/* Every field into out, absent ones too (their store says what absent
 * is). */
static void
schema_store(const struct sc_schema *sc, const cJSON *obj, void *out)
{
	const struct sc_field	*f;
	const cJSON		*v;
	size_t			 i;

	if (out == NULL)
		return;
	for (i = 0; i < sc->nfields; i++) {
		f = &sc->fields[i];
		if (f->store == NULL)
			continue;
		v = schema_active(sc, f) ?
		    cJSON_GetObjectItemCaseSensitive(obj, f->key) : NULL;
		f->store(f, v, (char *)out + f->off);
	}
}

int
schema_object(const struct sc_schema *sc, const cJSON *obj, void *out,
    struct buf *msg)
{
	if (schema_walk(sc, obj, msg) == -1 || schema_nulls(sc, obj,
	    msg) == -1)
		return -1;
	schema_store(sc, obj, out);
	return 0;
}

int
schema_body(const struct sc_schema *sc, const cJSON *body, void *out,
    struct buf *msg)
{
	const cJSON	*w;

	if (!cJSON_IsObject(body))
		return schema_fail_type(msg, NULL, body, "'object'");
	w = cJSON_GetObjectItemCaseSensitive(body, sc->wrapper);
	if (w != NULL && schema_walk(sc, w, msg) == -1)
		return -1;
	if (w == NULL) {
		buf_reset(msg);
		pyrepr_str(msg, sc->wrapper);
		buf_puts(msg, " is a required property");
		return -1;
	}
	if (schema_additional(NULL, body, schema_known_key, sc->wrapper,
	    msg) == -1 || schema_nulls(sc, w, msg) == -1)
		return -1;
	schema_store(sc, w, out);
	return 0;
}

/* ---- stores ---- */

void
schema_store_str(const struct sc_field *f, const cJSON *v, void *dst)
{
	(void)f;
	*(const char **)dst = cJSON_IsString(v) ? v->valuestring : NULL;
}

void
schema_store_optstr(const struct sc_field *f, const cJSON *v, void *dst)
{
	struct sc_optstr	*o = dst;

	(void)f;
	o->set = v != NULL;
	o->s = cJSON_IsString(v) ? v->valuestring : NULL;
}

void
schema_store_json(const struct sc_field *f, const cJSON *v, void *dst)
{
	(void)f;
	*(const cJSON **)dst = v;
}
