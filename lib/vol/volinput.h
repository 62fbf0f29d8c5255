/*
 * lib/vol/volinput.h: the Volume request inputs as typed values.  The
 * bodies go through the schema engine (base/schema.h) with cinder-api's
 * order and messages (SPEC 2.9), the query parameters through query
 * tables (http/query.h); a handler reads what comes out, never the JSON
 * or the raw query.  Each step answers its own 400 and returns -1, or
 * returns 0.  Strings point into the request: they live as long as it.
 */
#ifndef HACGI_VOLINPUT_H
#define HACGI_VOLINPUT_H

#include "http/app.h"
#include "vol/volops.h"

/* PUT clusters/enable, clusters/disable (SPEC 3.5): op as
 * volop_cluster_able() takes it; op.binary VOL_DEFAULT_BINARY when
 * absent, NULL when null; op.reason the stripped reason (in reason),
 * NULL when absent or null. */
struct vol_able_in {
	struct volop_able	 op;
	char			 reason[4 * VOL_NAME_MAX + 1];
};

int	volin_cluster_able(const struct req *, struct resp *, int disable,
	    struct vol_able_in *);
/* the same check of a body: 0, or -1 with msg the 400's message */
int	volin_cluster_body(const cJSON *, int disable, struct vol_able_in *,
	    struct buf *msg);

/* PUT os-hacgi-heartbeat (SPEC 3.7): host, binary, cluster and zone of
 * hb (the rest zeroed, the caller's). */
int	volin_heartbeat(const struct req *, struct resp *, struct vol_hb *);
int	volin_heartbeat_body(const cJSON *, struct vol_hb *, struct buf *msg);

/* ---- query parameters (lib/vol/volquery.c) ---- */

/* A count filter: has = given; n = -1 matches nothing. */
struct vol_count {
	int		 has;
	long long	 n;
};

/* GET clusters[/detail] (SPEC 3.3): NULL / -1 = not given. */
struct vol_cluster_filter {
	const char		*name, *binary, *repl, *abid;
	int			 disabled, is_up, frozen;
	struct vol_count	 num_hosts, num_down;
};

/* GET os-services (SPEC 3.6): NULL or "" = any host. */
struct vol_service_filter {
	const char	*host, *binary;
};

int	volin_clusters(const struct req *, struct resp *,
	    struct vol_cluster_filter *);
int	volin_services(const struct req *, struct resp *,
	    struct vol_service_filter *);
/* GET clusters/{name}: ?binary=, VOL_DEFAULT_BINARY when absent
 * (divergence 13); never fails. */
const char *volin_cluster_binary(const struct req *);

int	volin_cluster_match(const struct vol_cluster_filter *,
	    const struct vol_cluster *);
int	volin_service_match(const struct vol_service_filter *,
	    const struct vol_svc *);

#endif
