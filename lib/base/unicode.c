/*
 * lib/base/unicode.c: UTF-8 decoding (RFC 3629) and the character classes the
 * Instance-HA validation and Python renderings need (SPEC 2.9, 4.3).
 * The tables come from tests/reference/unicode-printable.txt through
 * tools/gen-unicode.py.
 */
#include <stdlib.h>
#include <string.h>

#include "base/unicode.h"

struct uni_range {
	uint32_t	 lo;
	uint32_t	 hi;	/* inclusive */
};

#include "base/unicode_tab.h"

#define NRANGE(t)	(sizeof(t) / sizeof((t)[0]))

/* Python str.isspace(): categories Zs, Zl, Zp and bidi WS/B/S. */
static const struct uni_range uni_space_tab[] = {
	{ 0x0009, 0x000D }, { 0x001C, 0x0020 }, { 0x0085, 0x0085 },
	{ 0x00A0, 0x00A0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200A },
	{ 0x2028, 0x2029 }, { 0x202F, 0x202F }, { 0x205F, 0x205F },
	{ 0x3000, 0x3000 },
};

static int
uni_range_cmp(const void *key, const void *elem)
{
	uint32_t		 cp = *(const uint32_t *)key;
	const struct uni_range	*r = elem;

	if (cp < r->lo)
		return -1;
	return cp > r->hi;
}

static int
uni_in(const struct uni_range *tab, size_t n, uint32_t cp)
{
	return bsearch(&cp, tab, n, sizeof(*tab), uni_range_cmp) != NULL;
}

int
uni_printable(uint32_t cp)
{
	if (cp > 0xFFFE)
		return 0;
	return uni_in(uni_printable_tab, NRANGE(uni_printable_tab), cp);
}

int
uni_zs(uint32_t cp)
{
	return uni_in(uni_zs_tab, NRANGE(uni_zs_tab), cp);
}

int
uni_isspace(uint32_t cp)
{
	return uni_in(uni_space_tab, NRANGE(uni_space_tab), cp);
}

int
uni_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int
uni_repr_printable(uint32_t cp)
{
	if (cp == 0x20)
		return 1;
	if (cp > 0xFFFF)
		return uni_in(uni_above_tab, NRANGE(uni_above_tab), cp);
	return uni_printable(cp) && !uni_zs(cp);
}

/* Length of the sequence a lead byte starts, 0 if it cannot lead. */
static size_t
utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* The smallest code point a sequence of n bytes may encode. */
static const uint32_t utf8_min[5] = { 0, 0, 0x80, 0x800, 0x10000 };

int
utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	const unsigned char	*p;
	size_t			 n, k;
	uint32_t		 c;

	if (*i >= len)
		return -1;
	p = (const unsigned char *)s + *i;
	if ((n = utf8_seqlen(p[0])) == 0 || n > len - *i)
		return -1;
	c = n == 1 ? p[0] : p[0] & (0x7F >> n);
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (p[k] & 0x3F);
	}
	if (c < utf8_min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	*i += n;
	return 0;
}

int
utf8_valid(const char *s, size_t len)
{
	size_t		 i = 0;
	uint32_t	 cp;

	while (i < len)
		if (utf8_next(s, len, &i, &cp) == -1)
			return 0;
	return 1;
}

size_t
utf8_count(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

char *
utf8_put(char *w, uint32_t cp)
{
	if (cp < 0x80)
		*w++ = (char)cp;
	else if (cp < 0x800) {
		*w++ = (char)(0xC0 | (cp >> 6));
		*w++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xE0 | (cp >> 12));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*w++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*w++ = (char)(0xF0 | (cp >> 18));
		*w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*w++ = (char)(0x80 | (cp & 0x3F));
	}
	return w;
}

int
utf8_clean(const char *s)
{
	size_t		 len = strlen(s), i = 0;
	uint32_t	 cp;

	while (i < len)
		if (utf8_next(s, len, &i, &cp) == -1 || uni_control(cp))
			return 0;
	return 1;
}
