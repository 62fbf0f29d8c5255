/* lib/volume.h: Volume API services and clusters (SPEC 1.2, 3), shared by
 * the vol-* programs and hacgi-manage.
 *
 * Layout under DATA_DIR (one lock, DATA_DIR/vol.lock):
 *
 * vol/counters.json        {"service": N, "cluster": N,
 *                           "services.log": B, "clusters.log": B}: the
 *                           creation counters (seq, never reused) and
 *                           the journal sizes after their last compaction
 * vol/services/SHA.json    one service, the truth: {"seq", "host",
 *                          "binary", "cluster", "zone", "disabled",
 *                          "disabled_reason", "heartbeat", "created_at",
 *                          "modified_at"}; SHA = sha256 of the
 *                          length-prefixed (host, binary)
 * vol/clusters/SHA.json    one cluster: {"seq", "name", "binary",
 *                          "disabled", "disabled_reason",
 *                          "replication_status", "frozen",
 *                          "active_backend_id", "created_at",
 *                          "updated_at"}; SHA of (name, binary)
 * vol/services.log         journals: every write of a record file is
 * vol/clusters.log         followed by the same record appended as one
 *                          line; {"seq": N, "removed": true} on removal
 *
 * Why two forms.  A heartbeat must be O(1) in the number of services
 * (SPEC 3.7), so each record has its own file, found by hashing its key
 * and replaced atomically (store_write).  But every list needs every
 * record, and on this class of machine opening 4,000 small files costs
 * ~21 ms and cJSON parses ~60 MB/s: a 1,000-cluster detail list could not
 * reach 100 requests/s.  So readers never open record files: they read
 * the two journals (one read(2) each), keep the last line of each seq
 * (= the current record; seq order = creation order) and decode those
 * lines with a small in-place scanner.
 *
 * Journals are append-only (O(1)); a line torn by a crash has no final
 * newline and is ignored by readers and cut off by the next writer.  When
 * a journal grows past 1.5 x its size after the last compaction + 64 KiB,
 * the writer rewrites it with one line per live record (store_write_text,
 * atomic): amortised O(1) per write.  The record files are the truth: if
 * an append fails the record file is restored and the request fails; a
 * journal can always be rebuilt from the record files (vol_rebuild).
 * Names never become file names, only their hashes.
 */
#ifndef HACGI_VOLUME_H
#define HACGI_VOLUME_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "mv.h"
#include "store.h"

#define VOL_LOCK	"vol"
#define VOL_NAME_MAX	255	/* code points: host, binary, cluster, ... */
#define VOL_DEFAULT_BINARY "cinder-volume"

/* A service as readers see it; strings point into vol_db buffers. */
struct vol_svc {
	long long	 seq;
	const char	*host, *binary, *cluster, *zone;	/* cluster: NULL */
	const char	*disabled_reason;
	const char	*heartbeat, *created_at, *modified_at;	/* NULL = null */
	int		 disabled;
	int64_t		 hb_us;		/* heartbeat, or INT64_MIN */
	int64_t		 created_us, modified_us;
	long		 cl;		/* its cluster's index, or -1 */
};

struct vol_cluster {
	long long	 seq;
	const char	*name, *binary;
	const char	*disabled_reason, *replication_status;
	const char	*active_backend_id;
	const char	*created_at, *updated_at;		/* NULL = null */
	int		 disabled, frozen;
	/* derived (vol_derive) */
	int		 num_hosts, num_down_hosts;
	const char	*last_heartbeat;	/* NULL = none */
	int64_t		 last_us;
	int		 up;
};

#define VOL_SERVICES	0x01
#define VOL_CLUSTERS	0x02

struct vol_db {
	char			*text[2];	/* owned: the journals */
	struct vol_svc		*svc;		/* owned; creation order */
	size_t			 nsvc;
	struct vol_cluster	*cl;		/* owned; creation order */
	size_t			 ncl;
	long			*hash;		/* owned; cluster index table */
	size_t			 hashsz;
	int64_t			 now_us;
	int			 down_time;
};

/* Readers (shared lock held).  vol_load reads the journals named by
 * what, then vol_derive fills the request-time values (SPEC 1.2). */
int	 vol_load(const struct store *, int what, struct vol_db *);
void	 vol_derive(struct vol_db *, int down_time);
int	 vol_load_records(struct vol_db *, const cJSON *svc, const cJSON *cl);
void	 vol_free(struct vol_db *);	/* safe on a zeroed db */
long	 vol_cluster_index(const struct vol_db *, const char *name,
	    const char *binary);	/* exact key, or -1 */
int	 vol_name_match(const char *v, const char *s);	/* SPEC 3.2 */
long	 vol_cluster_find(const struct vol_db *, const char *name,
	    const char *binary);	/* binary NULL = any; first match */
int	 vol_svc_up(const struct vol_db *, const struct vol_svc *);

/* Views, appended to b as Python json.dumps writes them (SPEC 3.3-3.6). */
void	 vol_cluster_summary(struct buf *, const struct vol_cluster *,
	    const struct mv *, int with_reason);
void	 vol_cluster_detail(struct buf *, const struct vol_cluster *,
	    const struct mv *);
void	 vol_service_view(struct buf *, const struct vol_db *,
	    const struct vol_svc *, const struct mv *);
void	 vol_json_str(struct buf *, const char *);	/* NULL = null */

/* Writers (exclusive lock held).  Records are cJSON objects in the key
 * order of the layout above. */
int	 vol_dirs(const struct store *);
cJSON	*vol_svc_get(const struct store *, const char *host,
	    const char *binary, int *err);
cJSON	*vol_cluster_get(const struct store *, const char *name,
	    const char *binary, int *err);
int	 vol_svc_put(const struct store *, const cJSON *rec, const cJSON *old);
int	 vol_cluster_put(const struct store *, const cJSON *rec,
	    const cJSON *old);
int	 vol_svc_remove(const struct store *, const cJSON *rec);
int	 vol_cluster_remove(const struct store *, const cJSON *rec);
cJSON	*vol_cluster_new(const struct store *, const char *name,
	    const char *binary, const char *created_at);	/* unsaved */
int	 vol_rebuild(const struct store *);	/* journals from records */

/* A heartbeat (SPEC 3.7, hacgi-manage service heartbeat).  at: the
 * heartbeat time, NULL = now, "" = none; created_at: NULL = now; cluster,
 * zone NULL = unchanged (zone "nova" on creation).  Returns the service
 * record (caller frees) or NULL on a storage error. */
cJSON	*vol_heartbeat(const struct store *, const char *host,
	    const char *binary, const char *cluster, const char *zone,
	    const char *at, const char *created_at);

/* Times: "YYYY-MM-DDTHH:MM:SS.ffffff" <-> microseconds since the epoch. */
int	 vol_time_parse(const char *, int64_t *);	/* 0 or -1 */
void	 vol_time_format(int64_t, char out[27]);
int64_t	 vol_now_us(void);

/* SPEC 3.7 field rule: a string of 1-255 code points, not all spaces. */
int	 vol_name_ok(const char *);

/* Body schema messages (SPEC 2.9), lib/volcheck.c: each returns 0, or
 * appends the message to msg and returns -1. */
int	 vol_check_object(struct buf *msg, const cJSON *);
int	 vol_check_str(struct buf *msg, const char *field, const cJSON *,
	    int nullable, size_t min, size_t max);
int	 vol_check_format(struct buf *msg, const char *field, const cJSON *,
	    const char *format);	/* always -1 */
int	 vol_check_blank(struct buf *msg, const char *field, const char *);
int	 vol_check_required(struct buf *msg, const cJSON *,
	    const char *const *keys, size_t);
int	 vol_check_extra(struct buf *msg, const cJSON *,
	    const char *const *keys, size_t);
char	*vol_strip(const char *);	/* Python str.strip(); caller frees */
void	 vol_not_found(struct buf *msg, const char *binary, const char *name);

#endif
