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

/* What step 1 reads, and the marker: checked before anything else. */
struct list_query {
	long long	 limit;		/* LIST_MAX when absent */
	long long	 page_size;	/* checked, then ignored */
	const char	*marker;	/* NULL: none; in the request */
};

/* Step 1: limit and page_size (and the marker, read as it is), through
 * the table of list.c.  0, or a 400 fault (-1). */
int	list_query(const struct req *, struct resp *, struct list_query *);

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
