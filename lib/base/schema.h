/*
 * lib/base/schema.h: the schema engine.  A request body is checked
 * against a table of fields, walked in the order jsonschema (Draft 4)
 * reports its first error, with its messages; what passed is stored
 * into a typed struct that the handler reads instead of the JSON.
 *
 * An API's tables, rules and typed structs are its own (Instance-HA:
 * lib/ha/valid.c); this file knows only JSON, the walk and the message
 * forms.
 */
#ifndef HACGI_SCHEMA_H
#define HACGI_SCHEMA_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/buf.h"

/* JSON types, as jsonschema's "type" names them. */
#define SC_STRING	0x01
#define SC_NULL		0x02
#define SC_BOOL		0x04
#define SC_OBJECT	0x08

/* field flags */
#define SC_REQUIRED	0x01	/* in "required" (create schemas) */
#define SC_LATER	0x02	/* a property only when the schema's later
				   is set (a later microversion) */
#define SC_ENUM_FIRST	0x04	/* the schema lists enum before type */
#define SC_NULL_STRING	0x08	/* null is "not 'string'", but only once
				   the rest of the body is valid */
#define SC_ANY		0x10	/* one of the keys SC_ANYOF asks for */

/* schema flags */
#define SC_AP_FIRST	0x01	/* additionalProperties before required */
#define SC_REQUIRE	0x02	/* SC_REQUIRED fields are required */
#define SC_ANYOF	0x04	/* at least one property (update); with
				   SC_ANY fields: one of those */
#define SC_BARE		0x08	/* the wrapped object's required and
				   additionalProperties messages carry
				   no field prefix (Volume heartbeat) */

struct sc_field;

/* A value rule (pattern, enum, format) run after the type and length
 * checks: 0, or -1 with msg set to the whole message. */
typedef int	(*sc_rule)(const struct sc_field *, const cJSON *,
		    struct buf *msg);
/* Stores a field of a valid body at dst (the typed struct + f->off);
 * v is NULL when the key is absent or not a property of this schema. */
typedef void	(*sc_store)(const struct sc_field *, const cJSON *v,
		    void *dst);

struct sc_enum {
	const char *const	*vals;	/* NULL-terminated strings */
	int			 bools;	/* true and false are members too */
	const char		*repr;	/* the list as the message shows it */
};

struct sc_field {
	const char		*key;
	unsigned		 types;	/* SC_STRING ... */
	const char		*tname;	/* the types, as messages list them */
	size_t			 min;	/* length in code points */
	size_t			 max;	/* 0: no maximum */
	sc_rule			 rule;	/* or NULL */
	const struct sc_enum	*en;	/* schema_rule_enum's, SC_ENUM_FIRST */
	unsigned		 flags;	/* SC_REQUIRED ... */
	sc_store		 store;	/* NULL: the value is not kept */
	size_t			 off;	/* of the member store fills */
};

struct sc_schema {
	const char		*wrapper; /* "segment"; NULL: no prefix */
	const struct sc_field	*fields;
	size_t			 nfields;
	unsigned		 flags;	/* SC_AP_FIRST ... */
	int			 later;	/* SC_LATER fields are properties */
};

/*
 * The top level {"<wrapper>": {...}} (wrapper required, nothing else),
 * or one object.  0 when valid, the fields stored into out (may be
 * NULL); else -1 with msg reset to the whole 400 message.
 */
int	schema_body(const struct sc_schema *, const cJSON *body, void *out,
	    struct buf *msg);
int	schema_object(const struct sc_schema *, const cJSON *obj, void *out,
	    struct buf *msg);

/* ---- for an API's rules ---- */

/* One value against a field; name is the field/attribute the message
 * names. */
int	schema_field(const struct sc_field *, const char *name,
	    const cJSON *v, struct buf *msg);
/* "Invalid input for field/attribute F. Value: str(v). " + repr(v) +
 * text (no prefix when f is NULL); returns -1. */
int	schema_fail(struct buf *msg, const char *f, const cJSON *v,
	    const char *text);
/* the same, for a regex pattern given as its repr() */
int	schema_fail_pattern(struct buf *msg, const struct sc_field *,
	    const cJSON *v, const char *pattern_repr);
/* The prefix alone (msg reset first). */
void	schema_prefix(struct buf *msg, const char *f, const cJSON *v);
/* The keys of obj that known(ctx, key) rejects, sorted by code point;
 * the caller frees the array (not the keys). */
const char **schema_extras(const cJSON *obj,
	    int (*known)(const void *ctx, const char *key), const void *ctx,
	    size_t *n);
/* 'a', 'b' */
void	schema_key_list(struct buf *msg, const char **keys, size_t n);
int	schema_rule_enum(const struct sc_field *, const cJSON *,
	    struct buf *);

/* The entry of the NULL-terminated list equal to s, or NULL. */
const char *const *schema_find(const char *const *list, const char *s);
/* Python re's "$": the length of s up to its end, or up to a final
 * newline. */
size_t	schema_dollar(const char *s);
/* ^[A-Za-z0-9<extra>]*$ (ASCII) */
int	schema_charset(const char *s, const char *extra);

/* ---- stores ---- */

/* A member that may be absent or null: set when the key was there; s
 * is NULL for a JSON null. */
struct sc_optstr {
	int		 set;
	const char	*s;
};

/* const char *: the string (NULL when absent or null); struct
 * sc_optstr; const cJSON * (NULL when absent).  What they point to is
 * the body's: it lives as long as the parsed body. */
void	schema_store_str(const struct sc_field *, const cJSON *, void *);
void	schema_store_optstr(const struct sc_field *, const cJSON *, void *);
void	schema_store_json(const struct sc_field *, const cJSON *, void *);

#endif
