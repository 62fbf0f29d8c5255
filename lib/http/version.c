/* lib/http/version.c: the OpenStack-API-Version header (SPEC 2.4). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "http/mv.h"
#include "http/req.h"
#include "http/resp.h"
#include "http/version.h"

/* The version text v is chosen: validate, range-check, echo. */
static int
version_apply(struct req *rq, struct resp *rs, const char *v)
{
	struct mv	 mv, min = mv_min(rq->api), max = mv_max(rq->api);

	if (strcmp(v, "latest") == 0)
		mv = max;
	else if (mv_parse(v, &mv) == -1) {
		resp_no_version(rs);
		return fault(rs, 400, "API Version String %s is of invalid "
		    "format. Must be of format MajorNum.MinorNum.", v);
	}
	rq->mv = mv;
	resp_version(rs, &mv, NULL);
	if (mv_cmp(&mv, &min) < 0 || mv_cmp(&mv, &max) > 0) {
		resp_version(rs, &mv, v);
		/* cinder does not echo a 406 for what looks like v1/v2 */
		if (rq->api == API_VOLUME &&
		    (strstr(v, "1.0") != NULL || strstr(v, "2.0") != NULL))
			resp_no_version(rs);
		return fault(rs, 406, "Version %s is not supported by the API. "
		    "Minimum is %d.%d and maximum is %d.%d.", v, min.major,
		    min.minor, max.major, max.minor);
	}
	return 0;
}

/*
 * Volume: the first ','-item containing "volume", split on whitespace,
 * must be exactly two tokens (divergence 14).
 */
static int
version_volume(struct req *rq, struct resp *rs, char *h)
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
		return version_apply(rq, rs, tok[1]);
	}
	resp_no_version(rs);
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
version_ha(struct req *rq, struct resp *rs, char *h)
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
				return version_apply(rq, rs, ver);
		}
		if (item == h || (item = strrchr(h, ',')) == NULL)
			break;
		*item = '\0';
	}
	return 0;
}

int
version_negotiate(struct req *rq, struct resp *rs)
{
	char	*h;
	int	 rc;

	rq->mv = mv_min(rq->api);
	resp_version(rs, &rq->mv, NULL);
	if (rq->mvhdr == NULL)
		return 0;
	if (rq->api == API_VOLUME && *rq->mvhdr == '\0') {
		resp_no_version(rs);
		return fault(rs, 400, GENERIC_400);
	}
	h = xstrdup(rq->mvhdr);
	rc = rq->api == API_VOLUME ? version_volume(rq, rs, h) :
	    version_ha(rq, rs, h);
	/* version_apply() set rq->mv with the echo */
	free(h);
	return rc;
}
