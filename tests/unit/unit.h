/* tests/unit/unit.h: a tiny assertion harness for the unit tests. */
#ifndef HACGI_UNIT_H
#define HACGI_UNIT_H

#include <stdio.h>
#include <string.h>

static int	unit_pass, unit_fail;

#define CHECK(cond) do {						\
	if (cond)							\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n",			\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (strcmp(g_, w_) == 0)					\
		unit_pass++;						\
	else {								\
		unit_fail++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n  got:  [%s]\n"	\
		    "  want: [%s]\n", __FILE__, __LINE__, #got, g_, w_);\
	}								\
} while (0)

#define UNIT_DONE() (printf("%d passed, %d failed\n", unit_pass, \
	unit_fail), unit_fail != 0)

#endif
