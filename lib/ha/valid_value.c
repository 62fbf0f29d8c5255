/*
 * lib/ha/valid_value.c: the Instance-HA value rules that are not schemas:
 * booleans (SPEC 4.3), the hosts filter spelling, the name rule,
 * timestamps (SPEC 4.6) and uuid-like ids (SPEC 4.5).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/schema.h"
#include "base/unicode.h"
#include "base/util.h"
#include "ha/valid.h"

static const char *const valid_true[] = {
	"True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes", "yes",
	NULL
};
static const char *const valid_false[] = {
	"False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No", "no",
	NULL
};

int
valid_bool(const cJSON *v, int *out)
{
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return 0;
	}
	if (!cJSON_IsString(v))
		return -1;
	if (schema_find(valid_true, v->valuestring) != NULL)
		*out = 1;
	else if (schema_find(valid_false, v->valuestring) != NULL)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Python str.strip(): [*start, *end) without surrounding whitespace. */
static void
valid_strip(const char *s, size_t *start, size_t *end)
{
	size_t		 n = strlen(s), i = 0, prev;
	uint32_t	 cp;
	int		 seen = 0;

	*start = *end = 0;
	while (i < n) {
		prev = i;
		if (utf8_next(s, n, &i, &cp) == -1)
			cp = 0, i = prev + 1;	/* a byte, not a space */
		if (uni_isspace(cp))
			continue;
		if (!seen)
			*start = prev;
		seen = 1;
		*end = i;
	}
}

/* s[0..n) is one of the words, ignoring ASCII case */
static int
valid_word(const char *s, size_t n, const char *const *words, size_t nw)
{
	size_t	 i;

	for (i = 0; i < nw; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return 1;
	return 0;
}

int
valid_bool_query(const char *s, int *out)
{
	static const char *const yes[] = { "1", "t", "true", "on", "y", "yes" };
	static const char *const no[] = { "0", "f", "false", "off", "n", "no" };
	size_t	 a, b;

	valid_strip(s, &a, &b);
	if (valid_word(s + a, b - a, yes, NELEM(yes)))
		*out = 1;
	else if (valid_word(s + a, b - a, no, NELEM(no)))
		*out = 0;
	else
		return -1;
	return 0;
}

/*
 * The name rule, as the reference's regex
 * ^(?![X])[P]*(?<![X])$ with P = printable (U+0000..FFFE, Zs included)
 * and X = U+0000..FFFE minus (P minus Zs): every character printable, the
 * first and the last not a space; "$" also matches before a final "\n".
 */
int
valid_name(const char *s)
{
	size_t		 n = schema_dollar(s), i = 0, prev = 0;
	uint32_t	 cp, first = 0;

	if (s[0] != '\0' && utf8_next(s, strlen(s), &i, &first) == 0 &&
	    (!uni_printable(first) || uni_zs(first)))
		return 0;	/* (?![X]) looks at s[0], even a final \n */
	for (i = 0; i < n; ) {
		prev = i;
		if (utf8_next(s, n, &i, &cp) == -1 || !uni_printable(cp))
			return 0;
	}
	if (n > 0) {
		i = prev;
		utf8_next(s, n, &i, &cp);
		if (uni_zs(cp))
			return 0;
	}
	return 1;
}

/* ---- timestamps (iso8601.parse_date, SPEC 4.6) ---- */

/*
 * The reference matches this regex (iso8601 1.x), backtracking:
 *   YYYY ( (-M{1,2} | MM(?!$)) ( (-D{1,2} | DD)
 *     ( [ T] HH (:?MM)? (:?S{1,2} ([.,]F+)?)? (Z | [-+]HH:?(MM)?)? )? )? )? $
 * Each stage below tries its alternatives in the regex's order and hands
 * a copy of the fields to the next stage, so a failed branch leaves no
 * trace.
 */
struct ts {
	int	 year, month, day, hour, min, sec;
	long	 usec;
	int	 tzmin;		/* offset east of UTC, minutes */
};

enum ts_stage {
	TS_MONTH, TS_DAY, TS_TIME, TS_MIN, TS_SEC, TS_FRAC, TS_TZ, TS_END
};

struct ts_in {
	const char	*s;
	size_t		 len;
	struct ts	*out;
};

static int	ts_match(const struct ts_in *, size_t, enum ts_stage,
		    struct ts);

static int
ts_dig(const struct ts_in *in, size_t i, size_t n, int *v)
{
	size_t	 k;

	*v = 0;
	for (k = 0; k < n; k++) {
		if (i + k >= in->len || in->s[i + k] < '0' ||
		    in->s[i + k] > '9')
			return 0;
		*v = *v * 10 + (in->s[i + k] - '0');
	}
	return 1;
}

static int
ts_at(const struct ts_in *in, size_t i, char c)
{
	return i < in->len && in->s[i] == c;
}

/* "$": the end, or a final newline */
static int
ts_dollar(const struct ts_in *in, size_t i)
{
	return i == in->len || (i + 1 == in->len && in->s[i] == '\n');
}

/* -N{1,2} (longest first) then the next stage, for the month or day */
static int
ts_dash(const struct ts_in *in, size_t i, enum ts_stage next, struct ts t,
    int is_month)
{
	size_t	 n;
	int	 v;

	if (!ts_at(in, i, '-'))
		return 0;
	for (n = 2; n >= 1; n--) {
		if (!ts_dig(in, i + 1, n, &v))
			continue;
		if (is_month)
			t.month = v;
		else
			t.day = v;
		if (ts_match(in, i + 1 + n, next, t))
			return 1;
	}
	return 0;
}

/* (-M{1,2} | MM(?!$)) ..., or YYYY alone */
static int
ts_month(const struct ts_in *in, size_t i, struct ts t)
{
	struct ts	 u = t;

	if (ts_dash(in, i, TS_DAY, t, 1))
		return 1;
	if (ts_dig(in, i, 2, &u.month) && !ts_dollar(in, i + 2) &&
	    ts_match(in, i + 2, TS_DAY, u))
		return 1;
	return ts_match(in, i, TS_END, t);
}

/* (-D{1,2} | DD) ..., or YYYY-MM */
static int
ts_day(const struct ts_in *in, size_t i, struct ts t)
{
	struct ts	 u = t;

	if (ts_dash(in, i, TS_TIME, t, 0))
		return 1;
	if (ts_dig(in, i, 2, &u.day) && ts_match(in, i + 2, TS_TIME, u))
		return 1;
	return ts_match(in, i, TS_END, t);
}

/* [ T]HH ..., or the date alone */
static int
ts_time(const struct ts_in *in, size_t i, struct ts t)
{
	struct ts	 u = t;

	if ((ts_at(in, i, 'T') || ts_at(in, i, ' ')) &&
	    ts_dig(in, i + 1, 2, &u.hour) && ts_match(in, i + 3, TS_MIN, u))
		return 1;
	return ts_match(in, i, TS_END, t);
}

/* (:?MM)?  (a ':' there can only be taken: no digit follows otherwise) */
static int
ts_min(const struct ts_in *in, size_t i, struct ts t)
{
	size_t		 c = ts_at(in, i, ':');
	struct ts	 u = t;

	if (ts_dig(in, i + c, 2, &u.min) && ts_match(in, i + c + 2, TS_SEC, u))
		return 1;
	return ts_match(in, i, TS_SEC, t);
}

/* (:?S{1,2}([.,]F+)?)? */
static int
ts_sec(const struct ts_in *in, size_t i, struct ts t)
{
	size_t		 c = ts_at(in, i, ':'), n;
	struct ts	 u = t;

	for (n = 2; n >= 1; n--)
		if (ts_dig(in, i + c, n, &u.sec) &&
		    ts_match(in, i + c + n, TS_FRAC, u))
			return 1;
	return ts_match(in, i, TS_TZ, t);
}

static int
ts_frac(const struct ts_in *in, size_t i, struct ts t)
{
	size_t	 n = 0, k;
	long	 us = 0;

	if (ts_at(in, i, '.') || ts_at(in, i, ','))
		while (i + 1 + n < in->len && in->s[i + 1 + n] >= '0' &&
		    in->s[i + 1 + n] <= '9')
			n++;
	if (n > 0) {
		/* int(Decimal("0." + F) * 1000000): truncated */
		for (k = 0; k < 6; k++)
			us = us * 10 + (k < n ? in->s[i + 1 + k] - '0' : 0);
		t.usec = us;
		if (ts_match(in, i + 1 + n, TS_TZ, t))
			return 1;
		t.usec = 0;
	}
	return ts_match(in, i, TS_TZ, t);
}

static int
ts_tz(const struct ts_in *in, size_t i, struct ts t)
{
	int	 sign, h, m = 0;
	size_t	 j;

	if (ts_at(in, i, 'Z') && ts_match(in, i + 1, TS_END, t))
		return 1;
	if ((ts_at(in, i, '+') || ts_at(in, i, '-')) &&
	    ts_dig(in, i + 1, 2, &h)) {
		sign = in->s[i] == '-' ? -1 : 1;
		j = i + 3 + ts_at(in, i + 3, ':');
		if (ts_dig(in, j, 2, &m))
			j += 2;
		else
			m = 0;
		t.tzmin = sign * (h * 60 + m);
		if (ts_match(in, j, TS_END, t))
			return 1;
		t.tzmin = 0;
	}
	return ts_match(in, i, TS_END, t);
}

static int
ts_match(const struct ts_in *in, size_t i, enum ts_stage st, struct ts t)
{
	switch (st) {
	case TS_MONTH:
		return ts_month(in, i, t);
	case TS_DAY:
		return ts_day(in, i, t);
	case TS_TIME:
		return ts_time(in, i, t);
	case TS_MIN:
		return ts_min(in, i, t);
	case TS_SEC:
		return ts_sec(in, i, t);
	case TS_FRAC:
		return ts_frac(in, i, t);
	case TS_TZ:
		return ts_tz(in, i, t);
	case TS_END:
		break;
	}
	if (!ts_dollar(in, i))
		return 0;
	*in->out = t;
	return 1;
}

static int
ts_mdays(int y, int m)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 leap;

	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* what datetime() and timezone() accept */
static int
ts_check(const struct ts *t)
{
	return t->year >= 1 && t->month >= 1 && t->month <= 12 &&
	    t->day >= 1 && t->day <= ts_mdays(t->year, t->month) &&
	    t->hour <= 23 && t->min <= 59 && t->sec <= 59 &&
	    t->tzmin > -1440 && t->tzmin < 1440;
}

/* Move t by delta days (|delta| <= 1). */
static int
ts_shift_day(struct ts *t, int delta)
{
	t->day += delta;
	if (t->day < 1) {
		if (--t->month < 1) {
			t->month = 12;
			t->year--;
		}
		t->day = ts_mdays(t->year < 1 ? 1 : t->year, t->month);
	} else if (t->day > ts_mdays(t->year, t->month)) {
		t->day = 1;
		if (++t->month > 12) {
			t->month = 1;
			t->year++;
		}
	}
	return t->year >= 1 && t->year <= 9999 ? 0 : -1;
}

/* The local time minus the offset. */
static int
ts_to_utc(struct ts *t)
{
	int	 m = t->hour * 60 + t->min - t->tzmin, delta = 0;

	if (m < 0) {
		m += 1440;
		delta = -1;
	} else if (m >= 1440) {
		m -= 1440;
		delta = 1;
	}
	t->hour = m / 60;
	t->min = m % 60;
	t->tzmin = 0;
	return delta != 0 ? ts_shift_day(t, delta) : 0;
}

int
valid_timestamp(const char *s, char out[27])
{
	struct ts	 t = { 0, 1, 1, 0, 0, 0, 0, 0 };
	struct ts_in	 in;
	char		 tmp[96];	/* what the compiler cannot bound */

	in.s = s;
	in.len = strlen(s);
	in.out = &t;
	if (!ts_dig(&in, 0, 4, &t.year) || !ts_match(&in, 4, TS_MONTH, t) ||
	    !ts_check(&t) || ts_to_utc(&t) == -1)
		return -1;
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld",
	    t.year, t.month, t.day, t.hour, t.min, t.sec, t.usec);
	memcpy(out, tmp, 27);
	return 0;
}

/* ---- uuid-like (oslo uuidutils.is_uuid_like, SPEC 4.5) ---- */

/* Python s.replace(pat, "") in place */
static void
valid_remove(char *s, const char *pat)
{
	size_t	 n = strlen(pat);
	char	*r = s, *w = s;

	while (*r != '\0') {
		if (strncmp(r, pat, n) == 0) {
			r += n;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* "urn:" and "uuid:" removed, "{}" stripped at both ends, "-" removed */
static void
valid_uuid_hex(char *s)
{
	size_t	 n;
	char	*p = s;

	valid_remove(s, "urn:");
	valid_remove(s, "uuid:");
	while (*p == '{' || *p == '}')
		p++;
	memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '{' || s[n - 1] == '}'))
		s[--n] = '\0';
	valid_remove(s, "-");
}

int
valid_uuid_like(const char *s, char out[37])
{
	char			*h;
	size_t			 i, o = 0;
	int			 rc = -1;

	h = xstrdup(s);
	valid_uuid_hex(h);
	if (strlen(h) != 32 || strspn(h, "0123456789abcdefABCDEF") != 32)
		goto out;
	for (i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			out[o++] = '-';
		out[o++] = (char)tolower((unsigned char)h[i]);
	}
	out[o] = '\0';
	rc = 0;
out:
	free(h);
	return rc;
}
