/* lib/vol/volsvccheck.h: the bodies of the os-services actions, checked as
 * cinder-api's jsonschemas do (cinder/api/schemas/services.py; messages:
 * SPEC 2.9), plus hacgi's refusal of control characters (issue 13: C0 and
 * C1 controls in a name or a reason are refused with the message the
 * reference gives the field's other invalid values). */
#ifndef HACGI_VOLSVCCHECK_H
#define HACGI_VOLSVCCHECK_H

#include "http/app.h"

enum volsvc_body {
	VSB_ABLE,	/* enable, disable */
	VSB_REASON,	/* disable-log-reason */
	VSB_FREEZE,	/* freeze, thaw */
	VSB_FAILOVER,	/* failover_host, failover */
	VSB_SET_LOG,
	VSB_GET_LOG,
	VSB__MAX
};

/* What a valid body holds: each key a string of the body, or NULL
 * (absent, null, or not a key of the action's schema). */
struct volsvc_in {
	const char	*binary, *host, *cluster, *service;
	const char	*disabled_reason, *backend_id;
	const char	*server, *prefix, *level;
};

/* body into in: 0, or -1 with msg the 400's message. */
int	volsvccheck_body(enum volsvc_body, const cJSON *body,
	    struct volsvc_in *in, struct buf *msg);
/* The request's body into in: 0, or the 400 (-1). */
int	volsvc_input(const struct req *, struct resp *, enum volsvc_body,
	    struct volsvc_in *);

#endif
