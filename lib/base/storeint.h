/* lib/base/storeint.h: what store.c and storedir.c share (the folders a
 * store keeps open, from DATA_DIR down); not for the rest of hacgi. */
#ifndef HACGI_STOREINT_H
#define HACGI_STOREINT_H

#include <stddef.h>

struct store;

/* "/" before a non-empty rel in log lines ("" = DATA_DIR itself) */
const char	*storedir_sep(const char *rel);
/* The descriptor of the folder rel[0..len) ("" = DATA_DIR), which the
 * store keeps (never close it): opened from its parent's, with
 * O_NOFOLLOW, and checked, once.  -1 with errno ENOENT when it does not
 * exist (not logged); -1 and a log line otherwise. */
int		 storedir_get(const struct store *, const char *rel,
		    size_t len);
/* The folder holding rel, and rel's last component in *name. */
int		 storedir_of(const struct store *, const char *rel,
		    const char **name);
/* Forget rel and everything below it (removed or renamed). */
void		 storedir_forget(const struct store *, const char *rel);
/* Close every folder kept (store_close). */
void		 storedir_free(struct store *);
#endif
