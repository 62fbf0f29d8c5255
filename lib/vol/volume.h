/* lib/vol/volume.h: Volume API services and clusters (SPEC 1.2, 3), shared by
 * the vol-* programs and hacgi-manage.
 *
 * Layout under DATA_DIR (one lock, DATA_DIR/vol.lock):
 *
 * vol/counters.json        {"service": N, "cluster": N,
 *                           "services.log": B, "clusters.log": B}: the
 *                           creation counters (seq, never reused) and
 *                           the journal sizes after their last compaction
 * vol/services/SHA.json    one service: {"seq", "host",
 *                          "binary", "cluster", "zone", "disabled",
 *                          "disabled_reason", "heartbeat", "created_at",
 *                          "modified_at"[, "replication_status",
 *                          "frozen", "active_backend_id"]}; SHA =
 *                          sha256 of the length-prefixed (host, binary)
 * vol/clusters/SHA.json    one cluster: {"seq", "name", "binary",
 *                          "disabled", "disabled_reason",
 *                          "replication_status", "frozen",
 *                          "active_backend_id", "created_at",
 *                          "updated_at"[, "members"]}; SHA of (name,
 *                          binary)
 * vol/services.log         journals: every write appends the record as
 * vol/clusters.log         one line, then replaces the record file;
 *                          {"seq": N, KEY1: .., "binary": ..,
 *                          "removed": true} on removal
 * vol/log-levels*.json     the levels of os-services set-log
 *                          (lib/vol/vollog.h)
 * vol/names/B.json         the name index, bucket B (hex; below): a line
 *                          per name K, {"name": K, "clusters": [[seq,
 *                          name, binary], ...], "services": [[seq, host,
 *                          binary], ...], "members": {CLUSTER: {BINARY:
 *                          [HOST, ...]}}}
 * vol/names/head.json      {"entries": N}: the entries ever added
 *
 * The bracketed keys are optional: the replication values that the
 * os-services actions keep for a service outside any cluster, and for the
 * members that differ from their cluster (lib/vol/volsvc.h).
 *
 * Why two forms.  A heartbeat must be O(1) in the number of services
 * (SPEC 3.7), so each record has its own file, found by hashing its key
 * and replaced atomically (store_write).  But every list needs every
 * record, and on this class of machine (a VM: ~5 us per syscall, ~15 us
 * per page fault) opening 4,000 small files costs ~21 ms and cJSON parses
 * ~60 MB/s: a 1,000-cluster detail list could not reach 100 requests/s.
 * So the lists never open record files: they map the two journals
 * (MAP_POPULATE), keep the last line of each seq (= the current record;
 * seq order = creation order), and scan those lines in place without
 * copying: a value stays the JSON text json_write made, which is already
 * what a view prints; only names are decoded for matching.
 *
 * Journals are append-only (O(1)); a line torn by a crash has no final
 * newline and is ignored by readers and cut off by the next writer.  When
 * a journal grows past 1.5 x its size after the last compaction + 64 KiB,
 * the writer rewrites it with one line per live record (store_write_text,
 * atomic): amortised O(1) per write.
 *
 * One commit point: the journal line.  A write appends its line and
 * fdatasyncs it (if that fails, the line is cut off again and the request
 * fails with nothing changed), and only then replaces (or, for a removal,
 * unlinks) the record file, which is the writers' cache of the journal
 * (a lookup through the name index, below, reads it too, but takes
 * the journal's last line over it).  So a write killed at any point is
 * wholly visible (its line is complete) or wholly absent (no line, or a
 * torn one) to readers.  For writers: the lock is exclusive, so only the
 * record of a journal's LAST complete line can be behind (a write killed,
 * or whose record file could not be replaced, after its commit; the
 * request stands).  Every writer, before it reads a record file or
 * appends a line, reads that last line and brings its record file up to
 * date (journal_settle: O(1), and skipped while the journal is the one it
 * last checked); a removal line carries its key for this.  Compaction
 * only runs when every record file agrees, so the stale record, if any,
 * is always the last line's.  No fsck --repair is needed: fsck reports
 * that one record as a leftover; any other disagreement is an error.  A
 * journal can be rebuilt from the record files (vol_rebuild) when it is
 * corrupt, losing at most that last write.
 *
 * The name index.  A show, enable or disable wants one cluster (the
 * first in creation order that its name v matches, SPEC 3.2) and the
 * services that name it, not the journals' every line: at 100,000
 * clusters mapping and deriving them cost 2 G instructions a request.
 * An os-services action wants the services a host v names (enable,
 * disable: the first of a binary) or that a cluster v names (freeze,
 * thaw, failover; set-log and get-log given a server), with their
 * clusters and those clusters' members.  v matches s only when v is s,
 * s up to its first '#', or s up to its first '@' when no '#' precedes
 * it, so s up to its first '@' or '#', short(s), is short(v) for every
 * v that matches s.  Each cluster, each service (by its host) and each
 * cluster's members are listed in the bucket of short() of their name,
 * in seq order (members by binary and host), and any name that matches
 * them finds them in the bucket of its own short().  The buckets are a
 * linear hash table (lib/vol/volindex.c): head.json counts the entries
 * ever added, n; ceil(n / 8) buckets, and the add that needs one more
 * splits one (the new bucket written, then the head, then the old one
 * without what moved), so a bucket holds 8 entries on average whatever
 * the number of records and the index is n / 8 files; a name is one
 * line of its bucket, which a reader finds by its text and parses
 * alone.  A cluster lookup (volxread.c) reads head.json and one
 * bucket, the record files of the entries up to the first that matches,
 * and the record files of its members; a host or cluster lookup reads
 * the record files of every entry v names, and each one's cluster and
 * members (its cluster's bucket): O(1) in the number of clusters and
 * services, O(k) in the clusters or services one name matches (a
 * host's backends and pools) and in their clusters' own services.  The
 * lists (clusters, clusters/detail, os-services, and set-log and
 * get-log for every server) are whole by definition (no limit in the
 * Volume API) and still map the journals: O(N).
 *
 * The index follows the commit rules above: an entry is written before
 * the journal line that needs it (a new cluster or service; a service
 * joining a cluster), and dropped after the line that ends it (a
 * removal; a service leaving) and before its record file, from the old
 * record, so that journal_settle, which redoes the record file of a
 * write cut short, redoes the drop too; an entry added for a line that
 * then fails is taken out again.  So an entry is at most one too many (a
 * write killed before its line): a reader counts one only while its
 * record file (or the journal's last line, which may be ahead of its
 * file) exists and names it back (same seq; same cluster), and fsck
 * calls it a leftover.  Only a heartbeat that makes a service or moves
 * it, a service's removal, and the creation or removal of a cluster,
 * touch it: a known service's heartbeat writes nothing more.  The
 * folder exists only while the index is whole: a store written before
 * it has none (readers then map the journals as before, writers skip
 * it) until fsck --repair or the bulk loader builds it
 * (vol_index_rebuild: in vol/names.new, synced, renamed into place); the
 * first write to an empty store makes it.  The cluster index before it
 * (vol/index, no services) is not read: fsck calls it a leftover.
 *
 * A heartbeat that names a missing cluster is two commits, the cluster
 * first: killed in between, the new cluster has no member yet, a legal
 * state (as after hacgi-manage cluster set or service remove: "down", no
 * hosts) that the client's retry completes; a storage failure in between
 * removes the new cluster again before the 500.  No state ever has a
 * service of a missing cluster (cluster remove refuses while a service
 * belongs to the cluster).
 *
 * Names never become file names, only their hashes.
 */
#ifndef HACGI_VOLUME_H
#define HACGI_VOLUME_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/store.h"
#include "http/mv.h"
#include "vol/volscan.h"

#define VOL_LOCK	"vol"
#define VOL_NAME_MAX	255	/* code points: host, binary, cluster, ... */
#define VOL_DEFAULT_BINARY "cinder-volume"

struct vol_arena;

enum vcf {	/* cluster fields, in record order */
	VC_SEQ, VC_NAME, VC_BINARY, VC_DISABLED, VC_REASON, VC_REPL,
	VC_FROZEN, VC_ABID, VC_CREATED, VC_UPDATED, VC_MEMBERS, VC__MAX
};

enum vsf {	/* service fields, in record order */
	VS_SEQ, VS_HOST, VS_BINARY, VS_CLUSTER, VS_ZONE, VS_DISABLED,
	VS_REASON, VS_HB, VS_CREATED, VS_MODIFIED, VS_REPL, VS_FROZEN,
	VS_ABID, VS__MAX
};

struct vol_cluster {
	const char	*line;		/* its journal line */
	size_t		 len;
	struct vstr	 name, binary;
	/* derived (vol_derive) */
	int		 num_hosts, num_down_hosts, up;
	int64_t		 last_us;
	struct vraw	 last_heartbeat;	/* p NULL: none */
};

/* One service, as vol_svc_each hands it (valid during the call). */
struct vol_svc {
	struct vraw	 f[VS__MAX];
	struct vstr	 host, binary, cluster;	/* cluster.p NULL: none */
	int64_t		 hb_us, created_us, modified_us; /* INT64_MIN: null */
	long		 cl;		/* its cluster's index, or -1 */
};

#define VOL_SERVICES	0x01
#define VOL_CLUSTERS	0x02

struct vol_db {
	const char		*text[2];	/* the journals (mapped) */
	size_t			 tlen[2];
	int			 mapped[2];	/* else malloc'd */
	struct vraw		*svc;		/* owned: live service lines */
	size_t			 nsvc;
	struct vol_cluster	*cl;		/* owned; creation order */
	size_t			 ncl;
	uint32_t		*hash;		/* owned; cluster index + 1 */
	size_t			 hashsz;
	struct vol_arena	*arena;		/* owned: decoded names */
	int64_t			 now_us;
	int			 down_time;
};

/* Readers (shared lock held).  vol_load maps the journals named by what
 * and indexes them; vol_derive fills the request-time values (SPEC
 * 1.2).  Strings point into the db: keep it until the answer is built. */
int	 vol_load(const struct store *, int what, struct vol_db *);
int	 vol_load_records(struct vol_db *, const cJSON *svc, const cJSON *cl);
/* Through the name index: the first cluster matching name and binary
 * (NULL: any; SPEC 3.2) and the services that name it, alone in db (ncl
 * 0: none): 1; 0 when there is no index (vol_load everything instead);
 * -1. */
int	 vol_load_cluster(const struct store *, const char *name,
	    const char *binary, struct vol_db *);
/* Through the name index: the services whose host matches host (with
 * clusters set, each with its cluster and that cluster's members) and
 * the clusters cluster matches with their members (either name may be
 * NULL; SPEC 3.2), of binary (NULL: any), alone in db: 1; 0 when there
 * is no index (vol_load everything instead); -1. */
int	 vol_load_named(const struct store *, const char *host,
	    const char *cluster, const char *binary, int clusters,
	    struct vol_db *);
int	 vol_derive(struct vol_db *, int down_time);
void	 vol_free(struct vol_db *);	/* safe on a zeroed db */
long	 vol_cluster_index(const struct vol_db *, struct vstr name,
	    struct vstr binary);	/* exact key, or -1 */
int	 vol_name_match(const char *v, struct vstr s);	/* SPEC 3.2 */
long	 vol_cluster_find(const struct vol_db *, const char *name,
	    const char *binary);	/* binary NULL = any; first match */
int	 vol_cluster_fields(const struct vol_cluster *, struct vraw[VC__MAX]);
/* Calls fn for each service in creation order; stops on non-zero. */
int	 vol_svc_each(const struct vol_db *,
	    int (*fn)(const struct vol_db *, const struct vol_svc *, void *),
	    void *);
int	 vol_svc_up(const struct vol_db *, const struct vol_svc *);


/* Views, appended to b as Python json.dumps writes them (SPEC 3.3-3.6). */
void	 vol_cluster_summary(struct buf *, const struct vol_cluster *,
	    const struct mv *, int with_reason);
void	 vol_cluster_detail(struct buf *, const struct vol_cluster *,
	    const struct mv *);
void	 vol_service_view(struct buf *, const struct vol_db *,
	    const struct vol_svc *, const struct mv *);
void	 vol_reserve(struct buf *, size_t);
size_t	 vol_views_size(const struct vol_db *);

/* Writers (exclusive lock held).  Records are cJSON objects in the key
 * order of the layout above. */
int	 vol_dirs(const struct store *);
/* The file name of the record of key (a, b) in its folder (the layout
 * above): the writers' and fsck's. */
void	 vol_rec_file(char out[80], const char *a, const char *b);
cJSON	*vol_svc_get(const struct store *, const char *host,
	    const char *binary, int *err);
cJSON	*vol_cluster_get(const struct store *, const char *name,
	    const char *binary, int *err);
/* put/remove: 0 once committed (SPEC 2.7: then the request stands), or
 * -1 with nothing changed. */
int	 vol_svc_put(const struct store *, const cJSON *rec);
/* vol_svc_put when the caller holds the current record (old; NULL: a new
 * service), read under this lock: saves reading it again. */
int	 vol_svc_replace(const struct store *, const cJSON *old,
	    const cJSON *rec);
int	 vol_cluster_put(const struct store *, const cJSON *rec);
int	 vol_svc_remove(const struct store *, const cJSON *rec);
int	 vol_cluster_remove(const struct store *, const cJSON *rec);
/* A new record, its defaults in record order (the one constructor of
 * each kind, lib/vol/volstore.c): unsaved; created_at NULL = now. */
cJSON	*vol_cluster_new(const struct store *, const char *name,
	    const char *binary, const char *created_at);
cJSON	*vol_svc_new(const struct store *, const char *host,
	    const char *binary, const char *created_at);
/* The same with a seq the caller reserved (hacgi-manage's bulk loads). */
cJSON	*vol_cluster_rec(long long seq, const char *name, const char *binary,
	    const char *created_at);
cJSON	*vol_svc_rec(long long seq, const char *host, const char *binary,
	    const char *created_at);
int	 vol_rebuild(const struct store *, int what);	/* VOL_SERVICES,
	    VOL_CLUSTERS: journals from the record files, then the index
	    (fsck) */
/* The name index built whole from the journals (fsck --repair, the
 * bulk loader), and each of its documents as the journals say it must
 * be (file: its name in vol/names; fsck). */
int	 vol_index_rebuild(const struct store *);
/* entries: the count its head keeps (< 0: as many as there are, as a
 * rebuild lays it out) */
int	 vol_index_each(const struct store *, long long entries,
	    int (*fn)(const char *file, const cJSON *want, int bucket, void *),
	    void *);

/*
 * A heartbeat (SPEC 3.7, hacgi-manage service heartbeat).  cluster, zone:
 * NULL = unchanged (zone "nova" on creation).  at: the heartbeat time,
 * NULL = now, "" = none; created_at: NULL = now.  fixed: an existing
 * service keeps its cluster and zone (a change is VOL_HB_MOVE).
 * max_services: a new service only while fewer exist (one read of
 * vol/services), 0 = no limit.
 */
struct vol_hb {
	const char	*host, *binary;
	const char	*cluster, *zone;
	const char	*at, *created_at;
	int		 fixed;
	long		 max_services;
};

#define VOL_HB_ERROR	(-1)	/* storage error */
#define VOL_HB_MOVE	(-2)	/* a move that fixed forbids */
#define VOL_HB_FULL	(-3)	/* max_services reached */

/* 0 and *rec the service record (caller frees), and *cl (if cl is not
 * NULL; caller frees) its cluster's record, NULL if none, read before
 * the commit so that the answer needs no more I/O; or a VOL_HB_* error
 * with nothing changed. */
int	 vol_heartbeat(const struct store *, const struct vol_hb *,
	    cJSON **rec, cJSON **cl);

/* SPEC 3.7 field rule: a string of 1-255 code points, not all spaces,
 * without control characters (uni_control). */
int	 vol_name_ok(const char *);

/* lib/vol/volinput.c */
char	*vol_strip(const char *);	/* Python str.strip(); caller frees */
void	 vol_not_found(struct buf *msg, const char *binary, const char *name);

#endif
