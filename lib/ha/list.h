/* lib/ha/list.h: Instance-HA lists: limit, marker, sort (SPEC 4.2). */
#ifndef HACGI_LIST_H
#define HACGI_LIST_H

#include <cjson/cJSON.h>

struct req;
struct resp;

struct list_kind {
	const char *const *columns;	/* sortable keys, NULL-terminated */
	const char	*uuid_key;	/* "uuid" or "notification_uuid" */
};

/* Step 1: limit and page_size.  0, or a 400 fault (-1). */
int	list_limit(struct req *, struct resp *, long long *limit);

/*
 * Steps 3-6 and the ordering: rows and all are arrays of views (all is
 * where the marker is looked up; it may be rows).  On success *out is a
 * new array of references into rows (owned by the caller; free with
 * cJSON_Delete, the rows stay).  Returns 0, or a 400 fault (-1).
 */
int	list_page(struct req *, struct resp *, const struct list_kind *,
	    long long limit, const cJSON *rows, const cJSON *all,
	    cJSON **out);

/* Answer 200 {"key": [...]}: every row of page through view, or the row
 * itself when view is NULL.  page stays the caller's. */
void	list_answer(struct resp *, const char *key, const cJSON *page,
	    cJSON *(*view)(const cJSON *));

#endif
