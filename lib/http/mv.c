/* lib/http/mv.c: the OpenStack-API-Version header (SPEC 2.4). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/util.h"
#include "http/req.h"
#include "http/resp.h"

#define GENERIC_400	"The server could not comply with the request since " \
			"it is either malformed or otherwise incorrect."

static const struct mvrange {
	const char	*service;	/* name in the 406 text and echo */
	struct mv	 min, max;
} ranges[] = {
	[API_VOLUME] = { "volume", { 3, 0 }, { 3, 70 } },
	[API_HA] = { "instance-ha", { 1, 0 }, { 1, 2 } },
};

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

static int
mv_parse_string(const char *v, struct mv *out)
{
	const char	*p = v;

	if (mv_parse_num(&p, &out->major) == -1 || out->major == 0 ||
	    *p++ != '.' || mv_parse_num(&p, &out->minor) == -1 || *p != '\0')
		return -1;
	return 0;
}

static int
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

/* The version text v is chosen: validate, range-check, echo. */
static int
mv_apply(struct req *rq, struct resp *rs, const char *v)
{
	const struct mvrange	*r = &ranges[rq->api];
	struct mv		 mv;

	if (strcmp(v, "latest") == 0)
		mv = r->max;
	else if (mv_parse_string(v, &mv) == -1) {
		rs->echo = 0;
		return fault(rs, 400, "API Version String %s is of invalid "
		    "format. Must be of format MajorNum.MinorNum.", v);
	}
	rq->mv = mv;
	rs->mv = mv;
	rs->echo = 1;
	if (mv_cmp(&mv, &r->min) < 0 || mv_cmp(&mv, &r->max) > 0) {
		snprintf(rs->mvtext, sizeof(rs->mvtext), "%s", v);
		/* cinder does not echo a 406 for what looks like v1/v2 */
		if (rq->api == API_VOLUME &&
		    (strstr(v, "1.0") != NULL || strstr(v, "2.0") != NULL))
			rs->echo = 0;
		return fault(rs, 406, "Version %s is not supported by the API. "
		    "Minimum is %d.%d and maximum is %d.%d.", v, r->min.major,
		    r->min.minor, r->max.major, r->max.minor);
	}
	return 0;
}

/*
 * Volume: the first ','-item containing "volume", split on whitespace,
 * must be exactly two tokens (divergence 14).
 */
static int
mv_volume(struct req *rq, struct resp *rs, char *h)
{
	char	*item, *save = NULL, *tok[3], *save2 = NULL;
	int	 n;

	for (item = strtok_r(h, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if (strstr(item, "volume") == NULL)
			continue;
		for (n = 0; n < 3; n++)
			if ((tok[n] = strtok_r(n == 0 ? item : NULL,
			    " \t\r\n\f\v", &save2)) == NULL)
				break;
		if (n != 2)
			break;
		return mv_apply(rq, rs, tok[1]);
	}
	rs->echo = 0;
	return fault(rs, 400, GENERIC_400);
}

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Instance-HA: items from last to first, "instance-ha" any case wins. */
static int
mv_ha(struct req *rq, struct resp *rs, char *h)
{
	char	*item, *sp, *ver;

	for (;;) {
		item = strrchr(h, ',');
		item = item != NULL ? item + 1 : h;
		item = trim(item);
		sp = item + strcspn(item, " \t\r\n\f\v");
		if (*sp != '\0') {
			*sp = '\0';
			ver = trim(sp + 1);
			if (strcasecmp(item, "instance-ha") == 0)
				return mv_apply(rq, rs, ver);
		}
		if (item == h || (item = strrchr(h, ',')) == NULL)
			break;
		*item = '\0';
	}
	return 0;
}

int
mv_negotiate(struct req *rq, struct resp *rs)
{
	char	*h;
	int	 rc;

	rq->mv = ranges[rq->api].min;
	rs->mv = rq->mv;
	rs->echo = 1;
	if (rq->mvhdr == NULL)
		return 0;
	if (rq->api == API_VOLUME && *rq->mvhdr == '\0') {
		rs->echo = 0;
		return fault(rs, 400, GENERIC_400);
	}
	h = xstrdup(rq->mvhdr);
	rc = rq->api == API_VOLUME ? mv_volume(rq, rs, h) : mv_ha(rq, rs, h);
	if (rc == 0)
		rq->mv = rs->mv;
	free(h);
	return rc;
}
