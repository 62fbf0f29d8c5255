/*
 * lib/vol/volscan.c: journal lines read in place (volume.c): the values
 * of a line's keys as raw JSON text, and those values as strings, times
 * and words.  Nothing is copied unless a string has escapes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/volscan.h"

/* ---- scanning a journal line (never written to) ---- */

static const char *
sc_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* The end of the string at p (on its opening quote), or NULL. */
static const char *
sc_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
		else if ((unsigned char)*p < 0x20)
			return NULL;
	}
	return NULL;
}

static const char *
sc_word(const char *p, const char *end, const char *w)
{
	size_t	 n = strlen(w);

	return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 ? p + n : NULL;
}

/* The end of the object or array at p: json_write's output, so only
 * strings need care (a bracket inside one is text). */
static const char *
sc_nested(const char *p, const char *end)
{
	size_t	 depth = 0;

	for (; p < end; p++) {
		if (*p == '"') {
			if ((p = sc_string(p, end)) == NULL)
				return NULL;
			p--;
		} else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

static const char *
sc_value(const char *p, const char *end)
{
	const char	*q;

	if (p >= end)
		return NULL;
	switch (*p) {
	case '{':
	case '[':
		return sc_nested(p, end);
	case '"':
		return sc_string(p, end);
	case 'n':
		return sc_word(p, end, "null");
	case 't':
		return sc_word(p, end, "true");
	case 'f':
		return sc_word(p, end, "false");
	}
	q = p + (*p == '-');
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return q > p + (*p == '-') ? q : NULL;
}

/* The index of key k among keys[], trying *next first: records are
 * written in key order, so that is nearly always the one. */
static size_t
sc_key(const char *k, size_t kn, const char *const *keys, size_t nk,
    size_t *next)
{
	size_t	 i, j;

	for (j = 0; j < nk; j++) {
		i = (*next + j) % nk;
		if (keys[i][0] == k[0] && strncmp(keys[i], k, kn) == 0 &&
		    keys[i][kn] == '\0') {
			*next = i + 1;
			return i;
		}
	}
	return nk;
}

static void
sc_store(const char *k, size_t kn, const char *v, const char *ve,
    const char *const *keys, size_t nk, struct vraw *out, int *removed,
    size_t *next)
{
	size_t	 i;

	if (kn == 7 && memcmp(k, "removed", 7) == 0)
		*removed = ve - v == 4 && memcmp(v, "true", 4) == 0;
	if ((i = sc_key(k, kn, keys, nk, next)) < nk) {
		out[i].p = v;
		out[i].n = (size_t)(ve - v);
	}
}

int
volscan_line(const char *p, const char *end, const char *const *keys, size_t nk,
    struct vraw *out, int *removed)
{
	const char	*k, *ke, *v, *ve;
	size_t		 next = 0;

	memset(out, 0, nk * sizeof(*out));
	*removed = 0;
	p = sc_ws(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	if ((p = sc_ws(p, end)) < end && *p == '}')
		return sc_ws(p + 1, end) == end ? 0 : -1;
	for (;;) {
		p = sc_ws(p, end);
		if (p >= end || *p != '"' || (ke = sc_string(p, end)) == NULL)
			return -1;
		k = p + 1;
		p = sc_ws(ke, end);
		if (p >= end || *p++ != ':')
			return -1;
		v = sc_ws(p, end);
		if ((ve = sc_value(v, end)) == NULL)
			return -1;
		sc_store(k, (size_t)(ke - 1 - k), v, ve, keys, nk, out,
		    removed, &next);
		p = sc_ws(ve, end);
		if (p < end && *p == '}')
			break;
		if (p >= end || *p++ != ',')
			return -1;
	}
	return sc_ws(p + 1, end) == end ? 0 : -1;
}

/* ---- decoding strings ---- */

static int
hex4(const char *p, uint32_t *out)
{
	uint32_t	 v = 0;
	int		 i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A \u escape at r (after "\u": four hex digits), a surrogate pair, or
 * a lone \udc80-\udcff (a byte json_write escaped).  Returns the input
 * consumed, 0 = bad. */
static size_t
dec_unicode(const char *r, const char *end, char **wp)
{
	uint32_t	 cp, lo;

	if (end - r < 4 || hex4(r, &cp) == -1 || cp == 0)
		return 0;
	if (cp >= 0xD800 && cp < 0xDC00 && end - r >= 10 && r[4] == '\\' &&
	    r[5] == 'u' && hex4(r + 6, &lo) == 0 && lo >= 0xDC00 &&
	    lo < 0xE000) {
		*wp = utf8_put(*wp, 0x10000 + ((cp - 0xD800) << 10) +
		    (lo - 0xDC00));
		return 10;
	}
	if (cp >= 0xDC80 && cp <= 0xDCFF) {
		*(*wp)++ = (char)(cp & 0xFF);
		return 4;
	}
	if (cp >= 0xD800 && cp < 0xE000)
		return 0;
	*wp = utf8_put(*wp, cp);
	return 4;
}

/* The text of the JSON string [r, end) (inside the quotes) into w, which
 * has room for end - r bytes (decoding never grows).  Length or -1. */
static long
dec_string(const char *r, const char *end, char *w0)
{
	static const char	 from[] = "\"\\/bfnrt";
	static const char	 to[] = "\"\\/\b\f\n\r\t";
	const char		*k;
	char			*w = w0;
	size_t			 used;

	while (r < end) {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		if (++r >= end)
			return -1;
		if (*r == 'u') {
			if ((used = dec_unicode(r + 1, end, &w)) == 0)
				return -1;
			r += 1 + used;
		} else if (*r != '\0' && (k = strchr(from, *r)) != NULL) {
			*w++ = to[k - from];
			r++;
		} else
			return -1;
	}
	return (long)(w - w0);
}

int
volscan_text(struct vraw r, struct vstr *out, char *scratch)
{
	long	 n;

	out->p = NULL;
	out->n = 0;
	if (r.p == NULL || (r.n == 4 && memcmp(r.p, "null", 4) == 0))
		return 0;
	if (r.n < 2 || r.p[0] != '"' || r.p[r.n - 1] != '"')
		return -1;
	if (memchr(r.p + 1, '\\', r.n - 2) == NULL) {
		out->p = r.p + 1;
		out->n = r.n - 2;
		return 0;
	}
	if (scratch == NULL || (n = dec_string(r.p + 1, r.p + r.n - 1,
	    scratch)) < 0)
		return -1;
	out->p = scratch;
	out->n = (size_t)n;
	return 0;
}

int
volscan_time(struct vraw r, int64_t *out)
{
	*out = INT64_MIN;
	if (r.p == NULL || (r.n == 4 && memcmp(r.p, "null", 4) == 0))
		return 0;
	if (r.n != 28 || r.p[0] != '"')
		return -1;
	return clock_parse_n(r.p + 1, 26, out);
}

int
volscan_is(struct vraw r, const char *w)
{
	return r.p != NULL && r.n == strlen(w) && memcmp(r.p, w, r.n) == 0;
}

int
vol_raw_true(struct vraw r)
{
	return volscan_is(r, "true");
}

int
vol_str_eq(struct vstr s, const char *want)
{
	return s.p != NULL && s.n == strlen(want) &&
	    memcmp(s.p, want, s.n) == 0;
}

int
vol_raw_eq(struct vraw r, const char *want)
{
	struct vstr	 s;
	char		*scratch = r.p != NULL ? xmalloc(r.n + 1) : NULL;
	int		 eq;

	eq = volscan_text(r, &s, scratch) == 0 && vol_str_eq(s, want);
	free(scratch);
	return eq;
}
