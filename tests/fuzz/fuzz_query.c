/*
 * tests/fuzz/fuzz_query.c: the query string (req_init: split, percent-
 * and '+'-decoding, UTF-8 repair) and what reads it: the list protocol
 * of SPEC 4.2 (list_query, list_page: limit, page_size, sort keys and
 * directions, markers).  Input: the query string (after '?'); the first
 * byte picks the API and whether the string also goes in QUERY_STRING
 * (which must not matter when REQUEST_URI is set).
 */
#include <stdlib.h>
#include <string.h>

#include "base/unicode.h"
#include "ha/list.h"
#include "http/req.h"
#include "http/resp.h"
#include "fuzz.h"

static cJSON	*rows;

static const char *const columns[] = {
	"id", "uuid", "name", "description", "enabled", "created_at",
	"payload", NULL,
};
static const struct list_kind kind = { columns, "uuid" };

static void
make_rows(void)
{
	const char	*text = "[{\"id\": 1, \"uuid\": "
	    "\"00000000-0000-4000-8000-000000000001\", \"name\": \"b\", "
	    "\"description\": null, \"enabled\": true, \"created_at\": "
	    "\"2024-01-01T00:00:00.000000\", \"payload\": {\"a\": \"1\"}}, "
	    "{\"id\": 2, \"uuid\": \"00000000-0000-4000-8000-000000000002\", "
	    "\"name\": \"a\", \"description\": \"x\", \"enabled\": false, "
	    "\"created_at\": \"2024-01-01T00:00:00.000000\", \"payload\": {}}, "
	    "{\"id\": 3, \"uuid\": \"00000000-0000-4000-8000-000000000003\", "
	    "\"name\": \"\\u00e9\", \"description\": \"x\", \"enabled\": true, "
	    "\"created_at\": \"2023-01-01T00:00:00.000000\", \"payload\": "
	    "{\"b\": \"2\"}}]";

	rows = cJSON_Parse(text);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req	 rq;
	struct resp	 rs;
	struct buf	 uri;
	struct list_query lq;
	cJSON		*page = NULL;
	char		*q;
	size_t		 i;
	enum api	 api;

	if (rows == NULL)
		make_rows();
	if (size == 0)
		return 0;
	api = data[0] & 1 ? API_VOLUME : API_HA;
	q = fuzz_str(data + 1, size - 1);
	buf_init(&uri);
	buf_printf(&uri, "/v1/segments?%s", q);
	setenv("REQUEST_URI", buf_str(&uri), 1);
	if (data[0] & 2)
		setenv("QUERY_STRING", "limit=1&sort_key=name", 1);
	setenv("DATA_DIR", "/nonexistent", 1);
	req_init(&rq, api);
	for (i = 0; i < rq.nqp; i++)
		if (!utf8_valid(rq.qp[i].key, strlen(rq.qp[i].key)) ||
		    !utf8_valid(rq.qp[i].val, strlen(rq.qp[i].val)))
			fuzz_fail("a decoded query parameter is not UTF-8");
	resp_init(&rs, api);
	if (list_query(&rq, &rs, &kind, &lq) == 0 &&
	    list_page(&rq, &rs, &kind, &lq, rows, rows, &page) == 0 &&
	    cJSON_GetArraySize(page) > lq.limit)
		fuzz_fail("a page longer than the limit");
	cJSON_Delete(page);
	resp_free(&rs);
	req_free(&rq);
	buf_free(&uri);
	free(q);
	fuzz_clear_env();
	return 0;
}
