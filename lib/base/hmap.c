/* lib/base/hmap.c: open addressing with linear probing, at most 1/2 full,
 * FNV-1a hashes kept in the slots (a probe compares hashes first, a
 * resize never rehashes a key); removal shifts the following run back,
 * so no tombstones.  fsck holds every record of a data directory in
 * these: O(1) lookups where cJSON objects were searched linearly. */
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/util.h"

uint64_t
hmap_hash(const char *p, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
hmap_init(struct hmap *m)
{
	m->slot = NULL;
	m->cap = m->n = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->slot);
	hmap_init(m);
}

/* The slot of key, or the free slot where it would go. */
static struct hslot *
hmap_find(const struct hmap *m, const char *key, size_t len, uint64_t h)
{
	size_t		 i = (size_t)h & (m->cap - 1);
	struct hslot	*s;

	for (;; i = (i + 1) & (m->cap - 1)) {
		s = &m->slot[i];
		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
	}
}

static void
hmap_grow(struct hmap *m)
{
	struct hslot	*old = m->slot, *s;
	size_t		 oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL) {
			s = hmap_find(m, old[i].key, old[i].len, old[i].hash);
			*s = old[i];
		}
	free(old);
}

void *
hmap_get(const struct hmap *m, const char *key, size_t len)
{
	if (m->cap == 0)
		return NULL;
	return hmap_find(m, key, len, hmap_hash(key, len))->val;
}

void *
hmap_put(struct hmap *m, const char *key, size_t len, void *val)
{
	uint64_t	 h = hmap_hash(key, len);
	struct hslot	*s;
	void		*old;

	if (2 * (m->n + 1) > m->cap)
		hmap_grow(m);
	s = hmap_find(m, key, len, h);
	old = s->val;
	if (s->key == NULL)
		m->n++;
	s->key = key;
	s->len = len;
	s->hash = h;
	s->val = val;
	return old;
}

/* Knuth's algorithm R: every later slot of the run that would no longer
 * be found past the hole moves into it. */
void *
hmap_del(struct hmap *m, const char *key, size_t len)
{
	struct hslot	*s;
	size_t		 i, j, home;
	void		*val;

	if (m->cap == 0)
		return NULL;
	s = hmap_find(m, key, len, hmap_hash(key, len));
	if (s->key == NULL)
		return NULL;
	val = s->val;
	i = (size_t)(s - m->slot);
	for (j = (i + 1) & (m->cap - 1); m->slot[j].key != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		home = (size_t)m->slot[j].hash & (m->cap - 1);
		/* j's home is cyclically in (i, j]: it stays */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	memset(&m->slot[i], 0, sizeof(m->slot[i]));
	m->n--;
	return val;
}

void *
hmap_gets(const struct hmap *m, const char *key)
{
	return hmap_get(m, key, strlen(key));
}

void *
hmap_puts(struct hmap *m, const char *key, void *val)
{
	return hmap_put(m, key, strlen(key), val);
}
