/* tests/unit/test_hmap.c: lib/base/hmap.c against a plain array. */
#include <stdio.h>
#include <stdlib.h>

#include "base/hmap.h"
#include "unit.h"

#define N	5000

static char	 keys[N][16];
static int	 in[N];	/* the model: is key i in the map */

static void
test_basic(void)
{
	struct hmap	 m;
	int		 a = 1, b = 2;

	hmap_init(&m);
	CHECK(hmap_gets(&m, "x") == NULL);
	CHECK(hmap_del(&m, "x", 1) == NULL);
	CHECK(hmap_puts(&m, "x", &a) == NULL);
	CHECK(hmap_gets(&m, "x") == &a);
	CHECK(hmap_puts(&m, "x", &b) == &a);	/* replaced */
	CHECK(m.n == 1);
	CHECK(hmap_get(&m, "x\0y", 3) == NULL);	/* bytes, not C strings */
	CHECK(hmap_put(&m, "x\0y", 3, &a) == NULL);
	CHECK(hmap_get(&m, "x\0y", 3) == &a);
	CHECK(hmap_gets(&m, "x") == &b);
	CHECK(hmap_put(&m, "", 0, &a) == NULL);	/* the empty key */
	CHECK(hmap_get(&m, "", 0) == &a);
	CHECK(hmap_del(&m, "x", 1) == &b);
	CHECK(hmap_gets(&m, "x") == NULL);
	CHECK(m.n == 2);
	hmap_free(&m);
}

/* Random puts and deletes; after each round every key answers as the
 * model says (deletion must keep the runs that pass a hole findable). */
static void
test_random(void)
{
	struct hmap	 m;
	int		 i, k, round, bad = 0;

	hmap_init(&m);
	srand(1);
	for (i = 0; i < N; i++)
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < N; i++) {
			k = rand() % N;
			if (rand() % 3 == 0) {
				if ((hmap_gets(&m, keys[k]) != NULL) != in[k])
					bad++;
				hmap_del(&m, keys[k], (size_t)snprintf(NULL, 0,
				    "%s", keys[k]));
				in[k] = 0;
			} else {
				hmap_puts(&m, keys[k], keys[k]);
				in[k] = 1;
			}
		}
		for (i = 0; i < N; i++)
			if (hmap_gets(&m, keys[i]) != (in[i] ? keys[i] : NULL))
				bad++;
	}
	CHECK(bad == 0);
	for (i = k = 0; i < N; i++)
		k += in[i];
	CHECK(m.n == (size_t)k);
	hmap_free(&m);
}

int
main(void)
{
	test_basic();
	test_random();
	return UNIT_DONE();
}
