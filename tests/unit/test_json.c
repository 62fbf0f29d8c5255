/* tests/unit/test_json.c: lib/base/json.c */
#include <stdlib.h>

#include "base/json.h"
#include "unit.h"

/* json_parse then json_write; "<error>" when the parse fails. */
static const char *
rt(const char *in, size_t len)
{
	static struct buf	 b;
	cJSON			*j;
	int			 err = -1;

	buf_reset(&b);
	j = json_parse(in, len, &err);
	if (j == NULL)
		return err == 1 ? "<error>" : "<bad err>";
	if (err != 0)
		return "<bad err>";
	json_write(&b, j);
	cJSON_Delete(j);
	return buf_str(&b);
}

#define RT(s)	rt((s), strlen(s))

static void
test_write(void)
{
	CHECK_STR(RT("{\"a\":1,\"b\":[true,false,null]}"),
	    "{\"a\": 1, \"b\": [true, false, null]}");
	CHECK_STR(RT("\"\\u00e9/\\/\""), "\"\\u00e9//\"");
	CHECK_STR(RT("\"\xc3\xa9\xf0\x9f\x98\x80\""),
	    "\"\\u00e9\\ud83d\\ude00\"");
	CHECK_STR(RT("\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001\\u001f\\u007f\""),
	    "\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001\\u001f\\u007f\"");
	CHECK_STR(RT("[1.5, 1e100, -0.00001, 10, -7, 1E2]"),
	    "[1.5, 1e+100, -1e-05, 10, -7, 100]");
	CHECK_STR(RT("1e400"), "Infinity");
	CHECK_STR(RT("[]"), "[]");
	CHECK_STR(RT("{}"), "{}");
	CHECK_STR(RT("{\"x\": {}, \"y\": [[]]}"), "{\"x\": {}, \"y\": [[]]}");
}

static void
test_parse(void)
{
	cJSON	*j;
	int	 err = -1;

	j = json_parse("null", 4, &err);
	CHECK(j != NULL && cJSON_IsNull(j) && err == 0);
	cJSON_Delete(j);
	CHECK_STR(rt("{} trailing", 11), "<error>");
	CHECK_STR(rt("{}x", 2), "{}");		/* len counts, not the NUL */
	CHECK_STR(rt(" \t\r\n[1] \n", 9), "[1]");
	CHECK_STR(rt("", 0), "<error>");
	CHECK_STR(RT("   "), "<error>");
	CHECK_STR(rt("{}\0", 3), "<error>");
	CHECK_STR(rt("[\"a\0\"]", 5), "<error>");
	CHECK_STR(RT("\x01[]"), "<error>");
	CHECK_STR(RT("[\"a\tb\"]"), "<error>");
	CHECK_STR(RT("[\"a\\u0000b\"]"), "<error>");
	CHECK_STR(RT("[\"a\\\\u0000b\"]"), "[\"a\\\\u0000b\"]");
	CHECK_STR(RT("\xef\xbb\xbf{}"), "<error>");
	CHECK_STR(RT("[\"\xff\"]"), "<error>");
	CHECK_STR(RT("[\"\xc0\xaf\"]"), "<error>");
	CHECK_STR(RT("NaN"), "<error>");
	CHECK_STR(RT("Infinity"), "<error>");
	CHECK_STR(RT("-Infinity"), "<error>");
	CHECK_STR(RT("[01]"), "<error>");
	CHECK_STR(RT("[+1]"), "<error>");
	CHECK_STR(RT("[1.]"), "<error>");
	CHECK_STR(RT("[.5]"), "<error>");
	CHECK_STR(RT("[-.5]"), "<error>");
	CHECK_STR(RT("[1e]"), "<error>");
	CHECK_STR(RT("[1e+]"), "<error>");
	CHECK_STR(RT("[--1]"), "<error>");
	CHECK_STR(RT("[-]"), "<error>");
	CHECK_STR(RT("[0x10]"), "<error>");
	CHECK_STR(RT("[-0, 0.5, 1E-2, 2e+3]"), "[0, 0.5, 0.01, 2000]");
	CHECK_STR(RT("{\"a\" 1}"), "<error>");
	CHECK_STR(RT("{\"a\": 1,}"), "<error>");
	CHECK_STR(RT("[1,]"), "<error>");
	CHECK_STR(RT("{'a': 1}"), "<error>");
	CHECK_STR(RT("\"\\ud800\""), "<error>");
	CHECK_STR(RT("\"\\x41\""), "<error>");
	CHECK_STR(RT("{\"segment\": {\"name\": \"x\""), "<error>");
	CHECK_STR(RT("\"x\""), "\"x\"");
	CHECK_STR(RT("5"), "5");
}

static void
test_dedupe(void)
{
	CHECK_STR(RT("{\"a\": 1, \"b\": 2, \"a\": 3}"),
	    "{\"a\": 3, \"b\": 2}");
	CHECK_STR(RT("{\"a\": 1, \"b\": 2, \"a\": 3, \"c\": 4, \"a\": 5, "
	    "\"b\": 6}"), "{\"a\": 5, \"b\": 6, \"c\": 4}");
	CHECK_STR(RT("{\"x\": {\"k\": 1, \"k\": {\"z\": 1, \"z\": 2}}, "
	    "\"y\": [{\"q\": 1, \"q\": 2}]}"),
	    "{\"x\": {\"k\": {\"z\": 2}}, \"y\": [{\"q\": 2}]}");
	CHECK_STR(RT("{\"A\": 1, \"a\": 2}"), "{\"A\": 1, \"a\": 2}");
	CHECK_STR(RT("{\"segment\": {\"name\": \"a\"}, \"segment\": null}"),
	    "{\"segment\": null}");
}

int
main(void)
{
	test_write();
	test_parse();
	test_dedupe();
	return UNIT_DONE();
}
