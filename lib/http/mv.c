/* lib/http/mv.c: microversion values and the range of each API
 * (SPEC 2.4). */
#include <ctype.h>
#include <stdio.h>

#include "http/mv.h"

static const struct mvrange {
	struct mv	 min, max;
} ranges[] = {
	[API_VOLUME] = { { 3, 0 }, { 3, 70 } },
	[API_HA] = { { 1, 0 }, { 1, 2 } },
};

struct mv
mv_min(enum api api)
{
	return ranges[api].min;
}

struct mv
mv_max(enum api api)
{
	return ranges[api].max;
}

/* ^([1-9][0-9]*)\.([1-9][0-9]*|0)$, numbers clamped to stay in range. */
static int
mv_parse_num(const char **pp, int *out)
{
	const char	*p = *pp;
	long		 n = 0;

	if (*p == '0') {
		if (isdigit((unsigned char)p[1]))
			return -1;
		*out = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p < '1' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (n < 100000)
			n = n * 10 + (*p - '0');
		p++;
	}
	*out = (int)n;
	*pp = p;
	return 0;
}

int
mv_parse(const char *v, struct mv *out)
{
	const char	*p = v;

	if (mv_parse_num(&p, &out->major) == -1 || out->major == 0 ||
	    *p++ != '.' || mv_parse_num(&p, &out->minor) == -1 || *p != '\0')
		return -1;
	return 0;
}

int
mv_cmp(const struct mv *a, const struct mv *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	return 0;
}

int
mv_ge(const struct mv *v, int major, int minor)
{
	struct mv	 o = { major, minor };

	return mv_cmp(v, &o) >= 0;
}

void
mv_format(const struct mv *v, char out[24])
{
	snprintf(out, 24, "%d.%d", v->major, v->minor);
}
