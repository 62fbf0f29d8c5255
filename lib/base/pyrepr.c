/*
 * lib/base/pyrepr.c: Python's repr() and str() of parsed JSON values, as the
 * reference quotes them in validation messages (SPEC 2.9).
 *
 * cJSON keeps every number as a double, so 1 and 1.0 look alike: an
 * integral value with |v| < 2^53 is rendered as a Python int, anything
 * else as a Python float.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/unicode.h"

#define PY_INT_MAX	9007199254740992.0	/* 2^53 */

static void	pyrepr_value(struct buf *, const cJSON *);

/* The quote repr() picks: ' unless the text has ' and no ". */
static int
pyrepr_quote(const char *s)
{
	if (strchr(s, '\'') != NULL && strchr(s, '"') == NULL)
		return '"';
	return '\'';
}

static void
pyrepr_escape(struct buf *b, uint32_t cp)
{
	if (cp <= 0xFF)
		buf_printf(b, "\\x%02x", (unsigned)cp);
	else if (cp <= 0xFFFF)
		buf_printf(b, "\\u%04x", (unsigned)cp);
	else
		buf_printf(b, "\\U%08x", (unsigned)cp);
}

/* One code point of s[start..end) inside a repr with quote q. */
static void
pyrepr_char(struct buf *b, const char *s, size_t start, size_t end,
    uint32_t cp, int q)
{
	if (cp == '\\' || cp == (uint32_t)q)
		buf_putc(b, '\\'), buf_putc(b, (int)cp);
	else if (cp == '\t')
		buf_puts(b, "\\t");
	else if (cp == '\n')
		buf_puts(b, "\\n");
	else if (cp == '\r')
		buf_puts(b, "\\r");
	else if (!uni_repr_printable(cp))
		pyrepr_escape(b, cp);
	else
		buf_put(b, s + start, end - start);
}

void
pyrepr_str(struct buf *b, const char *s)
{
	size_t		 len = strlen(s), i = 0, start;
	uint32_t	 cp;
	int		 q = pyrepr_quote(s);

	buf_putc(b, q);
	while (i < len) {
		start = i;
		if (utf8_next(s, len, &i, &cp) == -1) {
			/* not UTF-8: Python would hold a surrogate escape */
			cp = 0xDC00 | (unsigned char)s[i++];
			pyrepr_escape(b, cp);
			continue;
		}
		pyrepr_char(b, s, start, i, cp, q);
	}
	buf_putc(b, q);
}

/* Shortest "%.*e" text that reads back as v (Python's repr rule). */
static int
pyrepr_digits(char *out, size_t outsz, double v)
{
	int	 prec;

	for (prec = 0; prec < 17; prec++) {
		snprintf(out, outsz, "%.*e", prec, v);
		if (strtod(out, NULL) == v)
			return prec;
	}
	snprintf(out, outsz, "%.*e", 16, v);
	return 16;
}

/* Python float repr from mantissa digits d (no dot) and exponent e:
 * fixed notation when -4 <= e < 16, else d[.ddd]e[+-]XX. */
static void
pyrepr_float_fmt(struct buf *b, int neg, const char *d, int e)
{
	int	 n = (int)strlen(d), k;

	if (neg)
		buf_putc(b, '-');
	if (e < -4 || e >= 16) {
		buf_putc(b, d[0]);
		if (n > 1)
			buf_putc(b, '.'), buf_puts(b, d + 1);
		buf_printf(b, "e%c%02d", e < 0 ? '-' : '+', abs(e));
	} else if (e < 0) {
		buf_puts(b, "0.");
		for (k = -1; k > e; k--)
			buf_putc(b, '0');
		buf_puts(b, d);
	} else {
		for (k = 0; k <= e; k++)
			buf_putc(b, k < n ? d[k] : '0');
		buf_putc(b, '.');
		buf_puts(b, n > e + 1 ? d + e + 1 : "0");
	}
}

void
pyrepr_float(struct buf *b, double v)
{
	char	 txt[40], digits[24], *p, *q;
	int	 e;

	if (isnan(v)) {
		buf_puts(b, "nan");
		return;
	}
	if (isinf(v)) {
		buf_puts(b, v < 0 ? "-inf" : "inf");
		return;
	}
	pyrepr_digits(txt, sizeof(txt), v);
	/* txt: [-]D[.DDD]e[+-]XX */
	p = txt + (txt[0] == '-');
	for (q = digits; *p != 'e'; p++)
		if (*p != '.')
			*q++ = *p;
	*q = '\0';
	e = atoi(p + 1);
	while (q > digits + 1 && q[-1] == '0')
		*--q = '\0';
	pyrepr_float_fmt(b, signbit(v) != 0, digits, e);
}

static void
pyrepr_number(struct buf *b, double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < PY_INT_MAX)
		buf_printf(b, "%lld", (long long)v);
	else
		pyrepr_float(b, v);
}

static void
pyrepr_list(struct buf *b, const cJSON *j)
{
	const cJSON	*e;

	buf_putc(b, '[');
	for (e = j->child; e != NULL; e = e->next) {
		if (e != j->child)
			buf_puts(b, ", ");
		pyrepr_value(b, e);
	}
	buf_putc(b, ']');
}

static void
pyrepr_dict(struct buf *b, const cJSON *j)
{
	const cJSON	*e;

	buf_putc(b, '{');
	for (e = j->child; e != NULL; e = e->next) {
		if (e != j->child)
			buf_puts(b, ", ");
		pyrepr_str(b, e->string != NULL ? e->string : "");
		buf_puts(b, ": ");
		pyrepr_value(b, e);
	}
	buf_putc(b, '}');
}

static void
pyrepr_value(struct buf *b, const cJSON *j)
{
	if (j == NULL || cJSON_IsNull(j))
		buf_puts(b, "None");
	else if (cJSON_IsTrue(j))
		buf_puts(b, "True");
	else if (cJSON_IsFalse(j))
		buf_puts(b, "False");
	else if (cJSON_IsNumber(j))
		pyrepr_number(b, j->valuedouble);
	else if (cJSON_IsString(j))
		pyrepr_str(b, j->valuestring);
	else if (cJSON_IsArray(j))
		pyrepr_list(b, j);
	else if (cJSON_IsObject(j))
		pyrepr_dict(b, j);
	else
		buf_puts(b, "None");	/* Raw, Invalid: never parsed */
}

void
pyrepr(struct buf *b, const cJSON *j)
{
	pyrepr_value(b, j);
}

void
pystr(struct buf *b, const cJSON *j)
{
	if (cJSON_IsString(j))
		buf_puts(b, j->valuestring);
	else
		pyrepr_value(b, j);
}

/* Is cp whitespace to int(): Python's str.isspace(), or with ascii only
 * C's isspace() (Instance-HA lists, as they always were). */
static int
py_space(uint32_t cp, int ascii)
{
	return ascii ? cp < 0x80 && isspace((int)cp) : uni_isspace(cp);
}

/* Skip whitespace from s forwards. */
static const char *
py_skip_space(const char *s, const char *end, int ascii)
{
	size_t		 i = 0, len = (size_t)(end - s), at;
	uint32_t	 cp;

	while (i < len) {
		at = i;
		if (utf8_next(s, len, &i, &cp) == -1 || !py_space(cp, ascii))
			return s + at;
	}
	return end;
}

/* The end of s without trailing whitespace. */
static const char *
py_trim_end(const char *s, const char *end, int ascii)
{
	const char	*last = s;
	size_t		 i = 0, len = (size_t)(end - s);
	uint32_t	 cp;

	while (i < len) {
		if (utf8_next(s, len, &i, &cp) == -1)
			return end;
		if (!py_space(cp, ascii))
			last = s + i;
	}
	return last;
}

int
py_int(const char *s, int ascii_space, long long *out)
{
	const char	*end = s + strlen(s), *p;
	long long	 v = 0;
	int		 neg = 0, nd = 0;

	p = py_skip_space(s, end, ascii_space);
	end = py_trim_end(p, end, ascii_space);
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end; p++) {
		if (*p == '_' && nd > 0 && p + 1 < end && p[1] >= '0' &&
		    p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			return -1;
		v = v > (LLONG_MAX - 9) / 10 ? LLONG_MAX : v * 10 + (*p - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}
