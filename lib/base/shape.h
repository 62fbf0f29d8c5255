/* lib/base/shape.h: the shape of a stored record, the type of each key:
 * what a record constructor builds and fsck checks (lib/ha/record.h for
 * the Instance-HA records). */
#ifndef HACGI_SHAPE_H
#define HACGI_SHAPE_H

#include <cjson/cJSON.h>

/* Types, or-ed. */
enum {
	SH_STR = 1, SH_NULL = 2, SH_BOOL = 4,
	SH_ID = 8,	/* an integer from 1 to 9e15 */
	SH_TIME = 16,	/* "YYYY-MM-DDTHH:MM:SS.ffffff" (base/clock.h) */
	SH_UUID = 32,	/* canonical lower case */
	SH_OBJ = 64
};

struct shape {
	const char	*key;	/* NULL ends the table */
	int		 types;
};

int	shape_type_ok(const cJSON *, int types);
/* The first key missing or of the wrong type, or NULL. */
const char *shape_problem(const cJSON *rec, const struct shape *);

#endif
