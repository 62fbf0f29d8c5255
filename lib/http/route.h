/* lib/http/route.h: request path -> endpoint (SPEC 2.8, 3.0, 4).  Pure: the
 * same table decides which binary serves a path, so a binary the web
 * server picked wrongly hands the request to the right one. */
#ifndef HACGI_ROUTE_H
#define HACGI_ROUTE_H

#include "http/mv.h"

enum ep {
	EP_NONE,		/* no route */
	/* Instance-HA */
	EP_HA_ROOT,		/* "/" : version list, no auth */
	EP_HA_CHOICES,		/* outside /v1: 300 choices, no auth */
	EP_HA_VERSION,		/* /v1, /v1/, /v1/versions/v1.0 */
	EP_HA_VERSIONS,		/* /v1/versions: no method */
	EP_HA_EXTENSIONS,
	EP_HA_EXTENSION,
	EP_HA_SEGMENTS,
	EP_HA_SEGMENT,
	EP_HA_SEGMENT_ACTION,
	EP_HA_HOSTS,
	EP_HA_HOST,
	EP_HA_NOTIFICATIONS,
	EP_HA_NOTIFICATION,
	EP_HA_NOTIFICATION_ACTION,
	/* Volume */
	EP_VOL_ROOT,		/* "/" : 300 version list, no auth */
	EP_VOL_HEALTH,		/* /healthcheck */
	EP_VOL_V3,		/* /v3: 302 */
	EP_VOL_V3SLASH,		/* /v3/: 200 version list */
	EP_VOL_CLUSTERS,	/* GET list, POST unimplemented */
	EP_VOL_CLUSTERS_DETAIL,
	EP_VOL_CLUSTER,		/* GET show, PUT action, DELETE unimpl. */
	EP_VOL_SERVICES,
	EP_VOL_SERVICE,		/* PUT action; GET, DELETE unimplemented */
	EP_VOL_HEARTBEAT,
	EP__MAX
};

#define MATCH_MAXARG	2

struct match {
	enum ep		 ep;
	int		 api_path;	/* under the API prefix (/v1, /v3) */
	int		 has_project;
	char		*project;	/* owned; NULL without */
	char		*arg[MATCH_MAXARG];	/* owned; ids and names */
	int		 json_suffix;	/* a ".json" was stripped */
	const char	*binary;	/* cgi-bin program serving ep */
};

void	route_match(enum api, const char *path, const char *method,
	    struct match *);
void	route_free(struct match *);
const char *route_binary_of(enum api, enum ep);

#endif
