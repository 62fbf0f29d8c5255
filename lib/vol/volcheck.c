/* lib/vol/volcheck.c: the jsonschema messages of the Volume bodies (SPEC 2.9,
 * 3.5, 3.7), in the reference's wording. */
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/volume.h"

/* "Invalid input for field/attribute F. Value: str(v). repr(v)" */
static void
field_head(struct buf *m, const char *field, const cJSON *v)
{
	buf_printf(m, "Invalid input for field/attribute %s. Value: ", field);
	pystr(m, v);
	buf_puts(m, ". ");
	pyrepr(m, v);
}

void
vol_check_head(struct buf *m, const char *field, const cJSON *v)
{
	field_head(m, field, v);
}

int
vol_check_object(struct buf *m, const cJSON *v)
{
	if (cJSON_IsObject(v))
		return 0;
	pyrepr(m, v);
	buf_puts(m, " is not of type 'object'");
	return -1;
}

int
vol_check_str(struct buf *m, const char *field, const cJSON *v,
    int nullable, size_t min, size_t max)
{
	size_t	 n;

	if (v == NULL || (nullable && cJSON_IsNull(v)))
		return 0;
	if (!cJSON_IsString(v)) {
		field_head(m, field, v);
		buf_puts(m, nullable ? " is not of type 'string', 'null'" :
		    " is not of type 'string'");
		return -1;
	}
	n = utf8_count(v->valuestring);
	if (n >= min && n <= max)
		return 0;
	field_head(m, field, v);
	buf_puts(m, n < min ? " is too short" : " is too long");
	return -1;
}

int
vol_check_format(struct buf *m, const char *field, const cJSON *v,
    const char *format)
{
	field_head(m, field, v);
	buf_printf(m, " is not a '%s'", format);
	return -1;
}

/* cinder's name format: InvalidName when only whitespace is left. */
int
vol_check_blank(struct buf *m, const char *field, const char *s)
{
	char	*t = vol_strip(s);
	int	 blank = *t == '\0';

	free(t);
	if (!blank)
		return 0;
	buf_printf(m, "An invalid '%s' value was provided. The '%s' can not "
	    "be empty.", field, field);
	return -1;
}

/*
 * hacgi: no control characters in the names a heartbeat stores (SPEC
 * 3.7).  They end up in an admin's terminal (cinder service-list), where
 * ESC or CSI starts an escape sequence.  v: a string, or absent.
 */
int
vol_check_controls(struct buf *m, const char *field, const cJSON *v)
{
	if (v == NULL || utf8_clean(v->valuestring))
		return 0;
	field_head(m, field, v);
	buf_puts(m, " holds a control character");
	return -1;
}

int
vol_check_required(struct buf *m, const cJSON *obj, const char *const *keys,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (cJSON_GetObjectItemCaseSensitive(obj, keys[i]) == NULL) {
			buf_printf(m, "'%s' is a required property", keys[i]);
			return -1;
		}
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Unknown keys, sorted by code point (= UTF-8 byte order). */
int
vol_check_extra(struct buf *m, const cJSON *obj, const char *const *keys,
    size_t n)
{
	const cJSON	 *e;
	const char	**extra;
	size_t		  ne = 0, i;

	extra = xcalloc((size_t)cJSON_GetArraySize(obj) + 1, sizeof(*extra));
	cJSON_ArrayForEach(e, obj) {
		for (i = 0; i < n && strcmp(e->string, keys[i]) != 0; i++)
			;
		if (i == n)
			extra[ne++] = e->string;
	}
	qsort(extra, ne, sizeof(*extra), str_cmp);
	if (ne > 0) {
		buf_puts(m, "Additional properties are not allowed (");
		for (i = 0; i < ne; i++) {
			if (i > 0)
				buf_puts(m, ", ");
			pyrepr_str(m, extra[i]);
		}
		buf_puts(m, ne == 1 ? " was unexpected)" : " were unexpected)");
	}
	free(extra);
	return ne > 0 ? -1 : 0;
}

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
