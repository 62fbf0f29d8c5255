/*
 * lib/base/json.c: JSON the way the reference reads and writes it.
 *
 * Parsing is cJSON's.  cJSON is lenient where Python's json module is
 * not, so a lexical pre-scan rejects first what RFC 8259 forbids and
 * cJSON would take: raw control characters, numbers such as 01, +1, 1.,
 * .5 (cJSON hands them to strtod), a byte-order mark, invalid UTF-8, and
 * the escape \u0000 (cJSON would cut the string there).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/json.h"
#include "base/pyrepr.h"
#include "base/unicode.h"
#include "base/util.h"

#define JSON_INT_MAX	9007199254740992.0	/* 2^53 */

static void	json_value(struct buf *, const cJSON *);

/* ---- output ---- */

static void
json_u16(struct buf *b, unsigned u)
{
	unsigned char	 be[2] = { (u >> 8) & 0xff, u & 0xff };
	char		 e[7] = { '\\', 'u' };

	hex_encode(e + 2, be, sizeof(be));
	buf_put(b, e, 6);
}

/* The letter of a two-character escape for c, or 0. */
static int
json_short_escape(uint32_t c)
{
	switch (c) {
	case '"':	return '"';
	case '\\':	return '\\';
	case '\n':	return 'n';
	case '\r':	return 'r';
	case '\t':	return 't';
	case '\b':	return 'b';
	case '\f':	return 'f';
	default:	return 0;
	}
}

static void
json_char(struct buf *b, uint32_t cp)
{
	int	 e;

	if ((e = json_short_escape(cp)) != 0) {
		buf_putc(b, '\\');
		buf_putc(b, e);
	} else if (cp >= 0x20 && cp < 0x7F)
		buf_putc(b, (int)cp);
	else if (cp < 0x10000)
		json_u16(b, cp);
	else {
		cp -= 0x10000;
		json_u16(b, 0xD800 | (cp >> 10));
		json_u16(b, 0xDC00 | (cp & 0x3FF));
	}
}

/* How many bytes from s on are printable ASCII that needs no escape. */
static size_t
json_plain(const char *s, size_t n)
{
	size_t	 k = 0;

	while (k < n && (unsigned char)s[k] >= 0x20 &&
	    (unsigned char)s[k] < 0x7F && s[k] != '"' && s[k] != '\\')
		k++;
	return k;
}

static void
json_string(struct buf *b, const char *s)
{
	size_t		 len = strlen(s), i = 0, k;
	uint32_t	 cp;

	buf_putc(b, '"');
	while (i < len) {
		if ((k = json_plain(s + i, len - i)) > 0) {
			buf_put(b, s + i, k);	/* the common case, at once */
			i += k;
			continue;
		}
		if (utf8_next(s, len, &i, &cp) == -1)
			cp = 0xDC00 | (unsigned char)s[i++]; /* as Python */
		json_char(b, cp);
	}
	buf_putc(b, '"');
}

static void
json_number(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "NaN");
	else if (isinf(v))
		buf_puts(b, v < 0 ? "-Infinity" : "Infinity");
	else if (v == floor(v) && fabs(v) < JSON_INT_MAX)
		buf_putint(b, (long long)v);
	else
		pyrepr_float(b, v);
}

static void
json_container(struct buf *b, const cJSON *j, int obj)
{
	const cJSON	*e;

	buf_putc(b, obj ? '{' : '[');
	for (e = j->child; e != NULL; e = e->next) {
		if (e != j->child)
			buf_puts(b, ", ");
		if (obj) {
			json_string(b, e->string != NULL ? e->string : "");
			buf_puts(b, ": ");
		}
		json_value(b, e);
	}
	buf_putc(b, obj ? '}' : ']');
}

static void
json_value(struct buf *b, const cJSON *j)
{
	if (cJSON_IsTrue(j))
		buf_puts(b, "true");
	else if (cJSON_IsFalse(j))
		buf_puts(b, "false");
	else if (cJSON_IsNumber(j))
		json_number(b, j->valuedouble);
	else if (cJSON_IsString(j))
		json_string(b, j->valuestring);
	else if (cJSON_IsArray(j))
		json_container(b, j, 0);
	else if (cJSON_IsObject(j))
		json_container(b, j, 1);
	else if (cJSON_IsRaw(j) && j->valuestring != NULL)
		buf_puts(b, j->valuestring);
	else
		buf_puts(b, "null");
}

void
json_write(struct buf *b, const cJSON *j)
{
	json_value(b, j);
}

/* ---- duplicate keys ---- */

struct json_slot {
	cJSON	*item;
	size_t	 pos;
};

static int
json_slot_cmp(const void *a, const void *b)
{
	const struct json_slot	*x = a, *y = b;
	int			 c = strcmp(x->item->string, y->item->string);

	if (c != 0)
		return c;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Within a run of equal keys sorted by position: the last value takes the
 * first one's place; the others go. */
static void
json_dedupe_run(cJSON *obj, struct json_slot *s, size_t n)
{
	size_t	 k;

	for (k = 1; k + 1 < n; k++)
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, s[k].item));
	cJSON_DetachItemViaPointer(obj, s[n - 1].item);
	cJSON_ReplaceItemViaPointer(obj, s[0].item, s[n - 1].item);
}

static void
json_dedupe_object(cJSON *obj)
{
	struct json_slot	*s;
	cJSON			*e;
	size_t			 n = 0, i, j;

	for (e = obj->child; e != NULL; e = e->next)
		n++;
	if (n < 2)
		return;
	s = xcalloc(n, sizeof(*s));
	for (e = obj->child, i = 0; e != NULL; e = e->next, i++) {
		s[i].item = e;
		s[i].pos = i;
	}
	qsort(s, n, sizeof(*s), json_slot_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (strcmp(s[i].item->string, s[j].item->string) != 0)
				break;
		if (j - i > 1)
			json_dedupe_run(obj, s + i, j - i);
	}
	free(s);
}

void
json_dedupe(cJSON *j)
{
	cJSON	*e;

	if (j == NULL)
		return;
	if (cJSON_IsObject(j))
		json_dedupe_object(j);
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		for (e = j->child; e != NULL; e = e->next)
			json_dedupe(e);
}

/* ---- input ---- */

static size_t
json_digits(const char *p, size_t n)
{
	size_t	 k = 0;

	while (k < n && p[k] >= '0' && p[k] <= '9')
		k++;
	return k;
}

/*
 * Length of the RFC 8259 number at p, or 0 when the run of number
 * characters there is not exactly one (cJSON would give strtod "01").
 */
static size_t
json_numlen(const char *p, size_t n)
{
	size_t	 i = 0, d;

	if (p[i] == '-')
		i++;
	if ((d = json_digits(p + i, n - i)) == 0 || (d > 1 && p[i] == '0'))
		return 0;
	i += d;
	if (i < n && p[i] == '.') {
		if ((d = json_digits(p + i + 1, n - i - 1)) == 0)
			return 0;
		i += 1 + d;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if ((d = json_digits(p + i, n - i)) == 0)
			return 0;
		i += d;
	}
	if (i < n && strchr("0123456789+-.eE", p[i]) != NULL)
		return 0;
	return i;
}

/* Inside a string at p (after a backslash): 0 or -1 for \u0000. */
static int
json_escape_ok(const char *p, size_t n)
{
	return !(n >= 5 && memcmp(p, "u0000", 5) == 0);
}

/* What RFC 8259 forbids and cJSON accepts; 0 when p[0..n) may go on,
 * -2 for the escape \u0000 (cJSON would cut the string there), else -1. */
static int
json_prescan(const char *p, size_t n)
{
	size_t	 i, k;
	int	 in_str = 0;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (in_str) {
			if (c < 0x20)
				return -1;
			if (c == '\\' && !json_escape_ok(p + i + 1, n - i - 1))
				return -2;
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"')
			in_str = 1;
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return -1;
		else if (c == '-' || (c >= '0' && c <= '9')) {
			if ((k = json_numlen(p + i, n - i)) == 0)
				return -1;
			i += k - 1;
		}
	}
	return 0;
}

cJSON *
json_parse(const char *buf, size_t len, int *err)
{
	char	*copy;
	cJSON	*j = NULL;

	*err = 1;
	if (len == 0 || !utf8_valid(buf, len) || json_prescan(buf, len) != 0)
		return NULL;
	copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';	/* cJSON wants the NUL inside the length */
	j = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	if (j == NULL)
		return NULL;
	json_dedupe(j);
	*err = 0;
	return j;
}

static int
json_key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A key the object j holds twice, or NULL (sorted: O(n log n)). */
static const char *
json_dup_in(const cJSON *j)
{
	const cJSON	 *e;
	const char	**k, *dup = NULL;
	size_t		  n = 0, i;

	for (e = j->child; e != NULL; e = e->next)
		n++;
	if (n < 2)
		return NULL;
	k = xcalloc(n, sizeof(*k));
	for (e = j->child, i = 0; e != NULL; e = e->next)
		k[i++] = e->string;
	qsort(k, n, sizeof(*k), json_key_cmp);
	for (i = 1; i < n && dup == NULL; i++)
		if (strcmp(k[i - 1], k[i]) == 0)
			dup = k[i];
	free(k);
	return dup;
}

/* A key that an object of j (or below) holds twice, or NULL. */
static const char *
json_dup_key(const cJSON *j)
{
	const cJSON	*a;
	const char	*k;

	if (cJSON_IsObject(j) && (k = json_dup_in(j)) != NULL)
		return k;
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		for (a = j->child; a != NULL; a = a->next)
			if ((k = json_dup_key(a)) != NULL)
				return k;
	return NULL;
}

cJSON *
json_parse_unique(const char *buf, size_t len, struct buf *why)
{
	char		*copy;
	const char	*k;
	cJSON		*j;
	int		 scan;

	if (len == 0 || !utf8_valid(buf, len)) {
		buf_puts(why, len == 0 ? "empty" : "not UTF-8");
		return NULL;
	}
	if ((scan = json_prescan(buf, len)) != 0) {
		buf_puts(why, scan == -2 ? "U+0000 in a string (it would cut "
		    "the name short)" : "not JSON");
		return NULL;
	}
	copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	j = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	if (j == NULL) {
		buf_puts(why, "not JSON");
		return NULL;
	}
	if ((k = json_dup_key(j)) != NULL) {
		buf_puts(why, "the key ");
		json_string(why, k);
		buf_puts(why, " twice (which one counts would depend on the "
		    "reader)");
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int
json_replace_changed(cJSON *obj, const char *key, cJSON *v)
{
	const cJSON	*old = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (old != NULL && cJSON_Compare(old, v, 1)) {
		cJSON_Delete(v);
		return 0;
	}
	if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v))
		cJSON_AddItemToObject(obj, key, v);
	return 1;
}

const char *
json_str(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}
