/* lib/base/hmap.h: a hash map from byte strings to pointers (open
 * addressing, linear probing), for the checks that look records up by
 * id or key among many (hacgi-manage fsck).  Keys are not copied: each
 * must stay valid, unchanged, while the map holds it. */
#ifndef HACGI_HMAP_H
#define HACGI_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hslot {
	const char	*key;		/* NULL: free */
	size_t		 len;
	uint64_t	 hash;
	void		*val;
};

struct hmap {
	struct hslot	*slot;		/* owned */
	size_t		 cap;		/* 0 or a power of two */
	size_t		 n;
};

/* The FNV-1a hash (64 bits) of p[0..n), the one the map uses; also the
 * Volume name index's (lib/vol/volindex.c), which stores it. */
uint64_t hmap_hash(const char *p, size_t n);
void	 hmap_init(struct hmap *);
void	 hmap_free(struct hmap *);	/* the slots, not keys or values */
/* The value of key[0..len), or NULL. */
void	*hmap_get(const struct hmap *, const char *key, size_t len);
/* Set key to val (not NULL); the value it replaces, or NULL. */
void	*hmap_put(struct hmap *, const char *key, size_t len, void *val);
/* Remove key: its value, or NULL. */
void	*hmap_del(struct hmap *, const char *key, size_t len);
/* NUL-terminated keys. */
void	*hmap_gets(const struct hmap *, const char *key);
void	*hmap_puts(struct hmap *, const char *key, void *val);

#endif
