/* lib/vol/volsvccheck.h: the bodies of the os-services actions, checked as
 * cinder-api's jsonschemas do (cinder/api/schemas/services.py; messages:
 * SPEC 2.9), plus hacgi's refusal of control characters (issue 13: C0 and
 * C1 controls in a name or a reason are refused with the message the
 * reference gives the field's other invalid values). */
#ifndef HACGI_VOLSVCCHECK_H
#define HACGI_VOLSVCCHECK_H

#include <cjson/cJSON.h>

#include "base/buf.h"

enum volsvc_body {
	VSB_ABLE,	/* enable, disable */
	VSB_REASON,	/* disable-log-reason */
	VSB_FREEZE,	/* freeze, thaw */
	VSB_FAILOVER,	/* failover_host, failover */
	VSB_SET_LOG,
	VSB_GET_LOG,
	VSB__MAX
};

/* 0, or -1 and the 400's message appended to msg. */
int	volsvccheck_body(enum volsvc_body, const cJSON *body, struct buf *msg);

#endif
