/* lib/http/query.c: query parameters through tables (query.h). */
#include "http/query.h"
#include "http/req.h"
#include "http/resp.h"

int
query_parse(const struct req *rq, const struct qfield *tab, size_t n,
    void *out, struct buf *msg)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (tab[i].rule(&tab[i], rq, tab[i].key != NULL ?
		    req_query(rq, tab[i].key) : NULL,
		    (char *)out + tab[i].off, msg) == -1)
			return -1;
	return 0;
}

int
query_apply(const struct req *rq, struct resp *rs, const struct qfield *tab,
    size_t n, void *out)
{
	struct buf	 msg;
	int		 rc;

	buf_init(&msg);
	if ((rc = query_parse(rq, tab, n, out, &msg)) == -1)
		fault_raw(rs, 400, buf_str(&msg));
	buf_free(&msg);
	return rc;
}

int
query_str(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	(void)f;
	(void)rq;
	(void)msg;
	*(const char **)dst = val;
	return 0;
}
