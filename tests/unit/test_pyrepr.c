/* tests/unit/test_pyrepr.c: lib/base/pyrepr.c */
#include <math.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/pyrepr.h"
#include "unit.h"

/* repr (or str when s) of the JSON text in. */
static const char *
r(const char *in, int s)
{
	static struct buf	 b;
	cJSON			*j;
	int			 err;

	buf_reset(&b);
	if ((j = json_parse(in, strlen(in), &err)) == NULL)
		return "<parse error>";
	if (s)
		pystr(&b, j);
	else
		pyrepr(&b, j);
	cJSON_Delete(j);
	return buf_str(&b);
}

static const char *
f(double v)
{
	static struct buf	 b;

	buf_reset(&b);
	pyrepr_float(&b, v);
	return buf_str(&b);
}

static void
test_strings(void)
{
	CHECK_STR(r("\"abc\"", 0), "'abc'");
	CHECK_STR(r("\"\"", 0), "''");
	CHECK_STR(r("\"it's\"", 0), "\"it's\"");
	CHECK_STR(r("\"say \\\"hi\\\"\"", 0), "'say \"hi\"'");
	CHECK_STR(r("\"it's \\\"x\\\"\"", 0), "'it\\'s \"x\"'");
	CHECK_STR(r("\"a\\\\b\"", 0), "'a\\\\b'");
	CHECK_STR(r("\"a\\tb\\nc\\rd\"", 0), "'a\\tb\\nc\\rd'");
	CHECK_STR(r("\"\\u0001\\u001f\\u007f\"", 0), "'\\x01\\x1f\\x7f'");
	CHECK_STR(r("\"\\u00a0\\u00ad\\u00e9\"", 0), "'\\xa0\\xad\xc3\xa9'");
	CHECK_STR(r("\"\\u200b\\u3000\\uffff\"", 0),
	    "'\\u200b\\u3000\\uffff'");
	CHECK_STR(r("\"\\ud83d\\ude00\"", 0), "'\xf0\x9f\x98\x80'");
	CHECK_STR(r("\"\\udb40\\udc01\"", 0), "'\\U000e0001'");
	CHECK_STR(r("\"a\\tb\"", 1), "a\tb");
}

static void
test_values(void)
{
	CHECK_STR(r("null", 0), "None");
	CHECK_STR(r("true", 0), "True");
	CHECK_STR(r("false", 1), "False");
	CHECK_STR(r("1", 0), "1");
	CHECK_STR(r("-5", 1), "-5");
	CHECK_STR(r("-0", 0), "0");
	CHECK_STR(r("1.5", 0), "1.5");
	CHECK_STR(r("1e100", 0), "1e+100");
	CHECK_STR(r("9007199254740992", 0), "9007199254740992.0");
	CHECK_STR(r("[]", 0), "[]");
	CHECK_STR(r("{}", 0), "{}");
	CHECK_STR(r("[\"a\", 1, null, [true]]", 0), "['a', 1, None, [True]]");
	CHECK_STR(r("{\"k\": \"v\", \"n\": {\"x\": 1.25}}", 1),
	    "{'k': 'v', 'n': {'x': 1.25}}");
	CHECK_STR(r("{\"b\": 1, \"a\": 2, \"b\": 3}", 0), "{'b': 3, 'a': 2}");
}

static void
test_floats(void)
{
	CHECK_STR(f(1.0), "1.0");
	CHECK_STR(f(1.5), "1.5");
	CHECK_STR(f(-2.5), "-2.5");
	CHECK_STR(f(0.0), "0.0");
	CHECK_STR(f(-0.0), "-0.0");
	CHECK_STR(f(0.1), "0.1");
	CHECK_STR(f(0.0001), "0.0001");
	CHECK_STR(f(0.00001), "1e-05");
	CHECK_STR(f(1.5e-7), "1.5e-07");
	CHECK_STR(f(1e16), "1e+16");
	CHECK_STR(f(1e15), "1000000000000000.0");
	CHECK_STR(f(123456789012345678.0), "1.2345678901234568e+17");
	CHECK_STR(f(1e100), "1e+100");
	CHECK_STR(f(1.7976931348623157e308), "1.7976931348623157e+308");
	CHECK_STR(f(5e-324), "5e-324");
	CHECK_STR(f(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(f(1.0 / 3), "0.3333333333333333");
	CHECK_STR(f(12345.678), "12345.678");
	CHECK_STR(f(HUGE_VAL), "inf");
	CHECK_STR(f(-HUGE_VAL), "-inf");
}

int
main(void)
{
	test_strings();
	test_values();
	test_floats();
	return UNIT_DONE();
}
