/* lib/vol/volsvc.h: what the os-services actions (PUT /v3[/P]/os-services/
 * {action}, reference corpus-services.jsonl) change in the Volume store,
 * and hacgi-manage service failover-complete.  Layout: volume.h.
 *
 * enable, disable, disable-log-reason change one service record, one
 * commit (its journal line): disabled, modified_at = now and, for
 * disable-log-reason only, disabled_reason (as sent, or null).
 *
 * freeze, thaw and failover change the replication values
 * (replication_status, frozen, active_backend_id) of cinder-volume
 * services as cinder-api does.  A host or a cluster names the services
 * (SPEC 3.2 matching); a host in a cluster stands for its whole cluster.
 * The cluster's own value must be the expected one (failover: and the
 * cluster up), then each member whose value is the expected one (and,
 * failover, who is up) changes; if none can, the request is refused and
 * nothing changes.  A member that could not change keeps its values
 * while its cluster's change (a down service in a failover): Cinder has
 * a row per service.
 *
 * How that is kept.  SPEC 1.2 has a clustered service show its
 * cluster's values; a member whose values differ from its cluster's is
 * listed in the cluster record, "members": {HOST: {"replication_status",
 * "frozen", "active_backend_id"}} (no key while none differs).  So an
 * action on a cluster and all its members is one record, one commit:
 * killed at any point, it happened wholly or not at all.  A service in
 * no cluster keeps its own values in its record (the same three keys,
 * absent until an action sets them).  A changed cluster's updated_at is
 * now; heartbeats are never touched (Cinder's update also refreshes the
 * services' heartbeat column, which makes a dead service look alive for
 * a while: not copied).
 *
 * Every function takes DATA_DIR and locks it itself: the checks run under
 * the shared lock first, so a refused or unknown request leaves DATA_DIR
 * as it was; then again under the exclusive lock, which writes.
 */
#ifndef HACGI_VOLSVC_H
#define HACGI_VOLSVC_H

#include "base/buf.h"
#include "base/op.h"
#include "vol/volume.h"

/* The outcomes (base/op.h): OP_OK; OP_NOT_FOUND, no such service
 * (enable, disable: 404); OP_INVALID, refused, with the message given
 * (400); OP_IO, a storage failure, logged (500). */

/* enable, disable, disable-log-reason */
struct volsvc_able {
	const char	*host;		/* matched as SPEC 3.2 says */
	const char	*binary;	/* exact */
	int		 disabled;
	int		 with_reason;	/* disable-log-reason: set the reason */
	const char	*reason;	/* NULL: null */
};

enum op_rc	 volsvc_able(const char *data_dir, const struct volsvc_able *);

enum volsvc_op {
	VOLSVC_FREEZE,
	VOLSVC_THAW,
	VOLSVC_FAILOVER,
	VOLSVC_FAILOVER_DONE	/* failing-over -> failed-over (hacgi-manage) */
};

struct volsvc_repl {
	enum volsvc_op	 op;
	const char	*host;		/* exactly one of host, cluster */
	const char	*cluster;
	const char	*backend_id;	/* FAILOVER_DONE: the active backend;
					   "default": failed back (enabled,
					   null), as Cinder's manager does */
	int		 down_time;	/* SERVICE_DOWN_TIME */
};

/* msg: the 400's message (OP_INVALID), as cinder-api words it. */
enum op_rc	 volsvc_replicate(const char *data_dir,
		    const struct volsvc_repl *, struct buf *msg);

/* The view's replication fields of the member host of a cluster whose
 * "members" field is members, when the cluster lists it: 1, and the
 * fields are appended to b; else 0 (it shows its cluster's). */
int	 volsvc_member_view(struct buf *b, struct vraw members,
	    struct vstr host);

#endif
