/* lib/vol/volint.h: what the files of lib/vol share (volume.c and its
 * helpers volscan.c and volview.c read, volstore.c writes, volindex.c
 * keeps the name index, volxread.c reads it); not for the programs. */
#ifndef HACGI_VOLINT_H
#define HACGI_VOLINT_H

#include <sys/types.h>

#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/op.h"
#include "base/store.h"

struct vol_db;

#define VOL_SVC_DIR	"vol/services"	/* a record file per service */
#define VOL_CL_DIR	"vol/clusters"	/* a record file per cluster */
#define VOLX_DIR	"vol/names"	/* the name index (volindex.c) */
#define VOLX_NEW	"vol/names.new"	/* a build, renamed when whole */
/* The cluster index before it listed services (no longer read; fsck
 * removes it) */
#define VOLX_OLD	"vol/index"
#define VOLX_OLD_NEW	"vol/index.new"
#define VOLJ_SERVICES	"vol/services.log"
#define VOLJ_CLUSTERS	"vol/clusters.log"
#define VOL_COUNTERS	"vol/counters.json"
/* A journal over this size is refused (a 500 and a log line), not read:
 * compaction keeps it under 1.5 x its live records + 64 KiB, some
 * 400 bytes a record. */
#define VOLJ_MAX	(256L << 20)

long long volj_seq_of(const char *line);	/* -1 if not a journal line */
int	 volj_index(const char *text, size_t len, const char ***last,
	    size_t *n);
int	 volj_is_removal(const char *line, size_t len);
/* The end of the complete lines of the journal open on fd (size bytes)
 * and, with out, its last complete line with its '\n' (volstore.c). */
int	 volj_tail(int fd, off_t size, off_t *endp, struct buf *out);
char	*volj_slurp(const struct store *, const char *rel, size_t *len,
	    int *err);

/*
 * A write's two passes (lib/vol/volpass.c): fn under the shared lock
 * (write 0: checks only), then, if it gave OP_OK, under the exclusive
 * lock (write 1: the checks again, then the write).  m (may be NULL) is
 * reset before each pass: fn's message.  fn's outcome, or OP_IO.
 */
typedef enum op_rc (*vol_pass_fn)(const struct store *, int write,
    void *arg, struct buf *m);
enum op_rc vol_two_passes(const char *data_dir, vol_pass_fn, void *arg,
	    struct buf *m);

/* A record file read, copied, changed by fn, put (one commit): the new
 * record (caller frees), or NULL (logged; nothing changed). */
typedef void (*vol_change_fn)(cJSON *rec, const void *arg);
cJSON	*vol_svc_update(const struct store *, const char *host,
	    const char *binary, vol_change_fn, const void *arg);
cJSON	*vol_cluster_update(const struct store *, const char *name,
	    const char *binary, vol_change_fn, const void *arg);
void	 vol_set(cJSON *rec, const char *key, cJSON *v);  /* replace/add */
cJSON	*vol_str_or_null(const char *);

/* volume.c: a db of the journal texts svc and cl (taken: the buffers
 * are reset) */
int	 vol_load_texts(struct vol_db *, struct buf *svc, struct buf *cl);

/* The name index (volindex.c; volume.h).  volx_kept: 1 when it is
 * kept, 0 when there is none (made here when there is nothing to index
 * yet), -1.  The writers' steps: a cluster's (a service's) entries
 * added (add) before the commit of its creation or dropped after its
 * removal; a host added to (add) or dropped from the members of
 * (cluster, binary).  0 or -1. */
int	 volx_kept(const struct store *);
int	 volx_cluster(const struct store *, const cJSON *rec, int add);
int	 volx_service(const struct store *, const cJSON *rec, int add);
int	 volx_member(const struct store *, const char *cluster,
	    const char *binary, const char *host, int add);
/* Count the entries added for a commit, once it is made (the table
 * grows: lib/vol/volindex.c).  0 or -1 (logged; the commit stands). */
int	 volx_count(const struct store *, int added);
/* The readers' (volxread.c): the document of name in its bucket under
 * the head's count entries (volx_entries, read once a lookup): the
 * clusters and services name matches and the members of the clusters
 * it names (an empty one when there is none), or NULL (logged); an
 * entry's seq. */
cJSON	*volx_doc(const struct store *, long long entries, const char *name);
/* A bucket {K: document} as its text (a line per name), and back (NULL:
 * not a bucket); fsck's. */
void	 volx_bucket_text(struct buf *, const cJSON *bucket);
cJSON	*volx_bucket_parse(const char *text, size_t len);
/* The text of a file vol_index_each() gives: a bucket's, or head.json. */
void	 volx_file_text(struct buf *, const cJSON *want, int bucket);
/* The entries its head counts (none: 0): 0, or -1 (readers, fsck). */
int	 volx_entries(const struct store *, long long *n);
double	 volx_entry_seq(const cJSON *entry);

#endif
