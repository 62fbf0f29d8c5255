/*
 * lib/ha/index.h: the id indexes of the Instance-HA records, so that a
 * page of a list in the default order (created_at desc, id desc) reads
 * a few small files whatever the number of records (docs/FORMAT.md,
 * "Indexes").
 *
 * An index is a folder (ha/index/segments, ha/index/notifications, and
 * ha/index/hosts/SEGUUID for the hosts of one segment) of pages:
 * page P.json holds the rows [id, uuid, created_at] of the ids
 * P*IDX_PAGE .. P*IDX_PAGE+IDX_PAGE-1, ascending, with "prev" (the next
 * lower page of the chain, or null), "next" (a hint: the page above,
 * trusted only when its "prev" says P) and "newest" (the latest
 * created_at ever added to it); head.json holds {"last": P, "ordered":
 * B}, the highest page, and whether created_at never decreased as ids
 * grew (so that id order is the default order: otherwise the lists read
 * every record, as they would without an index).  Ids only grow, so a
 * create appends to the last page; a delete edits one page, and takes
 * it out of the chain when it empties (its neighbours relinked), so a
 * list never walks the pages of deleted records.
 *
 * An index is a superset of the records: a row is added before its
 * record is written and removed after the record is gone, so a row can
 * outlive a crash; readers confirm each row against its record.  All of
 * it is kept only while ha/index/index.json exists (idx_kept()): a data
 * directory from before the indexes has none until fsck --repair builds
 * them, and is read the old way meanwhile.  Callers hold the "ha" lock.
 */
#ifndef HACGI_INDEX_H
#define HACGI_INDEX_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/op.h"
#include "base/store.h"

#define IDX_PAGE	64		/* ids per page */
#define HA_INDEX	"ha/index"
#define HA_INDEX_MARK	"ha/index/index.json"
#define IDX_SEGMENTS	"ha/index/segments"
#define IDX_NOTIFS	"ha/index/notifications"
#define IDX_HOSTS	"ha/index/hosts"
#define IDX_ACTIVE	"ha/index/active"	/* notifidx.h */
#define IDX_DUP		"ha/index/dup"		/* notifidx.h */

struct idx_row {
	long long	 id;
	char		 uuid[37];
	char		 created[27];
};

/* 1 when the indexes are kept, 0 when not (a data directory from before
 * them), -1 on a storage error. */
int	 idx_kept(const struct store *);
/* A store where no id was ever drawn (no document counters, the
 * layout's ha/counters.json): make the folders and the mark, so its
 * indexes are kept from the first record.  0 or -1. */
int	 idx_start(const struct store *, const char *counters);
/* ha/index/hosts/SEG (seg canonical) */
void	 idx_hosts_dir(char out[96], const char *seg);
/* The row of rec (keys "id", ukey, "created_at"): 0, or -1 when rec
 * lacks one. */
int	 idx_row_of(const cJSON *rec, const char *ukey, struct idx_row *);

/* Add row (before its record is written), or rows[0..n) in ascending
 * id order (bulk loads).  0 or -1. */
int	 idx_add(const struct store *, const char *dir, const struct idx_row *);
int	 idx_add_many(const struct store *, const char *dir,
	    const struct idx_row *, size_t n);
/* Remove the row of id (after its record is gone): 0 or -1. */
int	 idx_del(const struct store *, const char *dir, long long id);
/* The uuid of the row of id: 1 (set), 0 none, -1. */
int	 idx_find(const struct store *, const char *dir, long long id,
	    char uuid[37]);
/* A record's "id", or -1. */
long long idx_rec_id(const cJSON *rec);
/* A list marker's record through the index dir: by id (by_id: the row
 * of id) or by the uuid marker; load(st, uuid, arg, &err) reads one.
 * OP_OK (*mk, the caller's), OP_NOT_FOUND (none, or the row's record
 * now has another id), OP_IO. */
typedef cJSON	*(*idx_load_fn)(const struct store *, const char *uuid,
		    const void *arg, int *err);
enum op_rc idx_marker(const struct store *, const char *dir, int by_id,
	    long long id, const char *marker, idx_load_fn, const void *arg,
	    cJSON **mk);
/* 1 when id order is the default order, 0 when not, -1. */
int	 idx_ordered(const struct store *, const char *dir);
/* The index dir can be read: 1 when kept (and, order set, ordered), 0
 * when not, -1. */
int	 idx_serves(const struct store *, const char *dir, int order);

/* fn(id, uuid, arg) for every row with an id below `below` (-1: every
 * row), highest id first, until fn returns non-zero: 0 (the rows ran
 * out or fn said 1), or -1 (fn's -1 or a storage error). */
typedef int	(*idx_fn)(long long id, const char *uuid, void *arg);
int	 idx_walk(const struct store *, const char *dir, long long below,
	    idx_fn, void *);

/* The rows load() makes of the first `limit` rows below `below` (as
 * idx_walk()), appended to the array rows.  load(st, id, uuid, arg,
 * &err) returns the row of the record (owned by rows then), or NULL to
 * skip it (a row without its record, or filtered out) with err 0, or on
 * a failure with err set.  0 or -1. */
typedef cJSON	*(*idx_load)(const struct store *, long long id,
		    const char *uuid, void *arg, int *err);
int	 idx_collect(const struct store *, const char *dir, long long below,
	    long long limit, idx_load, void *, cJSON *rows);

/* Replace the index dir by one of rows[0..n) (any order; sorted here)
 * with ordered computed: fsck --repair.  0 or -1. */
int	 idx_write_all(const struct store *, const char *dir,
	    struct idx_row *, size_t n);

#endif
