/* tests/unit/test_unicode.c: lib/base/unicode.c */
#include <stdint.h>
#include <string.h>

#include "base/unicode.h"
#include "unit.h"

static void
test_utf8(void)
{
	size_t		 i;
	uint32_t	 cp;

	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid("abc", 3));
	CHECK(utf8_valid("\xc3\xa9", 2));
	CHECK(utf8_valid("\xf0\x9f\x98\x80", 4));
	CHECK(utf8_valid("\xf4\x8f\xbf\xbf", 4));	/* U+10FFFF */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	CHECK(!utf8_valid("\xc0\xaf", 2));		/* overlong */
	CHECK(!utf8_valid("\xe0\x80\xaf", 3));		/* overlong */
	CHECK(!utf8_valid("\xf0\x80\x80\xaf", 4));	/* overlong */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));		/* surrogate */
	CHECK(utf8_valid("\xed\x9f\xbf", 3));		/* U+D7FF */
	CHECK(!utf8_valid("\xff", 1));
	CHECK(!utf8_valid("\xc3", 1));			/* truncated */
	CHECK(!utf8_valid("\xe2\x82", 2));
	CHECK(!utf8_valid("\x80", 1));
	CHECK(!utf8_valid("a\xc3(", 3));
	CHECK(utf8_valid("a\0b", 3));
	i = 0;
	CHECK(utf8_next("\xe2\x82\xac!", 4, &i, &cp) == 0 && cp == 0x20AC &&
	    i == 3);
	CHECK(utf8_next("\xe2\x82\xac!", 4, &i, &cp) == 0 && cp == '!' &&
	    i == 4);
	CHECK(utf8_next("\xe2\x82\xac!", 4, &i, &cp) == -1 && i == 4);
	i = 0;
	CHECK(utf8_next("\xe2\x82", 2, &i, &cp) == -1 && i == 0);
	CHECK(utf8_count("") == 0);
	CHECK(utf8_count("h\xc3\xa9llo\xf0\x9f\x98\x80") == 6);
}

static void
test_classes(void)
{
	CHECK(uni_printable(' ') && uni_printable('~') && uni_printable('a'));
	CHECK(!uni_printable('\n') && !uni_printable(0x7F));
	CHECK(!uni_printable(0xAD));		/* soft hyphen, Cf */
	CHECK(uni_printable(0xA0) && uni_printable(0x3000));
	CHECK(!uni_printable(0x200B));		/* ZWSP, Cf */
	CHECK(!uni_printable(0x2028));		/* Zl */
	CHECK(uni_printable(0xE9) && uni_printable(0xFFFD));
	CHECK(!uni_printable(0xFFFF) && !uni_printable(0x1F600));
	CHECK(!uni_printable(0xD800) && !uni_printable(0xE000));
	CHECK(uni_zs(' ') && uni_zs(0xA0) && uni_zs(0x202F) &&
	    uni_zs(0x3000));
	CHECK(!uni_zs('\t') && !uni_zs(0x200B) && !uni_zs('a'));
	CHECK(uni_isspace('\t') && uni_isspace(0x1C) && uni_isspace(0x85) &&
	    uni_isspace(0x2029) && uni_isspace(0x205F));
	CHECK(!uni_isspace(0x200B) && !uni_isspace('a') && !uni_isspace(0x1B));
	CHECK(uni_repr_printable(' ') && uni_repr_printable(0xE9));
	CHECK(!uni_repr_printable(0xA0) && !uni_repr_printable(0x3000));
	CHECK(!uni_repr_printable('\n') && !uni_repr_printable(0xAD));
	CHECK(uni_repr_printable(0x1F600) && !uni_repr_printable(0xE0001));
	CHECK(!uni_repr_printable(0x10FFFF) && !uni_repr_printable(0xFFFF));
}

int
main(void)
{
	test_utf8();
	test_classes();
	return UNIT_DONE();
}
