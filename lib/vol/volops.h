/* lib/vol/volops.h: the Volume API's domain operations on clusters and
 * services (SPEC 3.3-3.7), what the vol-cluster, vol-clusters,
 * vol-services and vol-heartbeat handlers call.  Each takes DATA_DIR,
 * takes the vol lock itself (shared to read, exclusive to write) and
 * does the storage steps in the commit order of volume.h; the outcome is
 * an enum op_rc (base/op.h), never an HTTP status.
 *
 * Readers never copy a record: the journals are mapped and scanned in
 * place (volume.h), so a read hands its db to the caller's fn, which
 * builds the answer while the lock is still held; fn returns 0, or -1
 * for OP_IO.
 */
#ifndef HACGI_VOLOPS_H
#define HACGI_VOLOPS_H

#include <cjson/cJSON.h>

#include "base/op.h"
#include "vol/volume.h"

typedef int	(*volop_db_fn)(const struct vol_db *, void *);
typedef int	(*volop_cl_fn)(const struct vol_cluster *, void *);

/* Every service and cluster, derived at down_time (SPEC 1.2): OK, IO. */
enum op_rc	 volop_clusters_list(const char *data_dir, int down_time,
		    volop_db_fn, void *);
enum op_rc	 volop_services_list(const char *data_dir, int down_time,
		    volop_db_fn, void *);

/* The first cluster matching name and binary (NULL: any; SPEC 3.2), in
 * its detail: OK, NOT_FOUND, IO. */
enum op_rc	 volop_cluster_show(const char *data_dir, const char *name,
		    const char *binary, int down_time, volop_cl_fn, void *);

/* PUT clusters/enable, clusters/disable (SPEC 3.5): the first matching
 * cluster gets disabled, disabled_reason (NULL: null) and updated_at =
 * now, one commit.  Looked up under the shared lock first, so a 404
 * leaves DATA_DIR untouched, then again under the exclusive lock.  fn
 * gets the changed record (its services untouched): OK, NOT_FOUND,
 * IO. */
struct volop_able {
	const char	*name;
	const char	*binary;	/* NULL: any binary */
	int		 disable;
	const char	*reason;	/* NULL: null */
};

enum op_rc	 volop_cluster_able(const char *data_dir,
		    const struct volop_able *, int down_time, volop_cl_fn,
		    void *);

/* A heartbeat (SPEC 3.7, vol_heartbeat in volume.h): OK, with *rec the
 * service record and *cl its cluster's (NULL: none), the caller's to
 * free, read before the commit so that the answer needs no more I/O;
 * NOT_ALLOWED, a move that hb->fixed forbids; FULL, hb->max_services
 * reached; IO.  Nothing changed unless OK. */
enum op_rc	 volop_heartbeat(const char *data_dir, const struct vol_hb *,
		    cJSON **rec, cJSON **cl);

#endif
