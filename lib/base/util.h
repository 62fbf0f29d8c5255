/* lib/base/util.h: small helpers every module uses. */
#ifndef HACGI_UTIL_H
#define HACGI_UTIL_H

#include <stddef.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);		/* abort()s on ENOMEM */
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* A setting's text (NULL: unset) as a whole number in 1..max, in
 * decimal digits only; def when unset or anything else. */
long	 setting_num(const char *, long def, long max);

#endif
