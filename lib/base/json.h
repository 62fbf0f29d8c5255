/* lib/base/json.h: JSON in (RFC 8259, Python dict semantics) and out (Python
 * json.dumps style, SPEC 2.6). */
#ifndef HACGI_JSON_H
#define HACGI_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/buf.h"

/* Append j as Python json.dumps(j) writes it: ", " and ": ", ASCII only,
 * no newline. */
void	json_write(struct buf *, const cJSON *j);
/* Recursively keep only the last value of a duplicate key, at the position
 * of its first occurrence (Python dict semantics). */
void	json_dedupe(cJSON *j);
/* Parse buf[0..len) (need not be NUL-terminated).  NULL and *err = 1 when
 * it is not one RFC 8259 JSON text in UTF-8; else *err = 0 and the deduped
 * tree, owned by the caller (a top-level null is a cJSON_NULL item). */
cJSON	*json_parse(const char *buf, size_t len, int *err);
/* For the files people edit by hand (tokens.json, policy.json): as
 * json_parse, but a key twice in an object is an error too (cJSON would
 * take the first, Python and jq the last), and so is the escape \u0000.
 * NULL and the reason appended to why, or the tree (caller owns). */
cJSON	*json_parse_unique(const char *buf, size_t len, struct buf *why);
/* Replace obj[key] (which must exist) by v, owned, unless they are equal;
 * returns 1 when the value changed. */
int	json_replace_changed(cJSON *obj, const char *key, cJSON *v);
/* obj[key] when it is a string, else NULL (obj may be NULL). */
const char *json_str(const cJSON *obj, const char *key);

#endif
