/*
 * lib/http/query.h: query parameters through tables (STYLE 16).  A table
 * names each parameter, the rule that parses it and where its typed
 * value goes; the rules are strict and give the reference's 400 message.
 * An API's tables and rules are its own (Instance-HA: lib/ha/list.c,
 * lib/ha/input.c).
 */
#ifndef HACGI_QUERY_H
#define HACGI_QUERY_H

#include <stddef.h>

#include "base/buf.h"

struct req;
struct resp;
struct qfield;

/* Parse val, the parameter's last value (NULL when absent), into dst =
 * the typed struct + f->off: 0, or -1 with msg reset to the message of
 * the 400.  A rule that needs every value in order reads rq->qp. */
typedef int	(*q_rule)(const struct qfield *f, const struct req *rq,
		    const char *val, void *dst, struct buf *msg);

struct qfield {
	const char	*key;	/* NULL: a rule of the whole query (rq->qp),
				   val NULL */
	q_rule		 rule;
	size_t		 off;	/* of the member rule fills */
	const void	*arg;	/* the rule's own data, or NULL */
};

/* Every parameter of the table, in table order, into out: 0, or -1 with
 * msg the first failure's message (nothing answered yet: the caller
 * decides when that 400 comes, SPEC's order of checks). */
int	query_parse(const struct req *, const struct qfield *, size_t,
	    void *out, struct buf *msg);
/* query_parse(), a failure answered at once: 0, or the 400 (-1). */
int	query_apply(const struct req *, struct resp *, const struct qfield *,
	    size_t, void *out);

/* const char *: the value as sent (NULL when absent); it lives as long
 * as the request. */
int	query_str(const struct qfield *, const struct req *, const char *,
	    void *, struct buf *);

#endif
