/* lib/ha/list.h: Instance-HA lists: limit, marker, sort (SPEC 4.2). */
#ifndef HACGI_LIST_H
#define HACGI_LIST_H

#include <cjson/cJSON.h>

struct req;
struct resp;

#define LIST_MAX	1000	/* the largest page (SPEC 4.2) */

struct list_kind {
	const char *const *columns;	/* sortable keys, NULL-terminated */
	const char	*uuid_key;	/* "uuid" or "notification_uuid" */
};

/* The kinds of Instance-HA lists: their columns and uuid key. */
extern const struct list_kind list_segments, list_hosts;
extern const struct list_kind list_notifications;

/*
 * What list_page() will need of the records, known from the query
 * alone: LIST_NONE nothing (limit 0, or a 400 of step 4 comes first);
 * LIST_MARKER the marker only (a 400 of step 6 follows its lookup);
 * LIST_NEWEST the first `limit` rows after the marker in the default
 * order (created_at desc, id desc: the order of the id indexes,
 * lib/ha/index.h); LIST_ALL every row.
 */
enum list_mode { LIST_NONE, LIST_MARKER, LIST_NEWEST, LIST_ALL };

/* What step 1 reads, and the marker: checked before anything else. */
struct list_query {
	long long	 limit;		/* LIST_MAX when absent */
	long long	 page_size;	/* checked, then ignored */
	const char	*marker;	/* NULL: none; in the request */
	enum list_mode	 mode;
	int		 marker_num;	/* the marker is a decimal literal */
	long long	 marker_id;	/* ... of this id (-1: of none) */
};

/* Step 1: limit and page_size (and the marker, read as it is), through
 * the table of list.c; the mode for a list of kind.  0, or a 400 fault
 * (-1). */
int	list_query(const struct req *, struct resp *, const struct list_kind *,
	    struct list_query *);

/*
 * Steps 3-6 and the ordering, when lq->limit is not 0: the sort
 * parameters (their table), the marker looked up in all, the sort keys.
 * rows and all are arrays of views (all is where the marker is looked
 * up; it may be rows).  On success *out is a new array of references
 * into rows (owned by the caller; free with cJSON_Delete, the rows
 * stay).  Returns 0, or a 400 fault (-1).
 */
int	list_page(const struct req *, struct resp *, const struct list_kind *,
	    const struct list_query *lq, const cJSON *rows, const cJSON *all,
	    cJSON **out);

/* Answer 200 {"key": [...]}: every row of page through view, or the row
 * itself when view is NULL.  page stays the caller's. */
void	list_answer(struct resp *, const char *key, const cJSON *page,
	    cJSON *(*view)(const cJSON *));

#endif
