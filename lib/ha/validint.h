/* lib/ha/validint.h: what valid.c (the schemas) and valid_value.c (the
 * other value rules) share; not for the programs. */
#ifndef HACGI_VALIDINT_H
#define HACGI_VALIDINT_H

#include <stddef.h>

/* The entry of the NULL-terminated list equal to s, or NULL. */
const char *const *valid_find(const char *const *list, const char *s);
/* Python re's "$": the length of s up to its end, or up to a final
 * newline. */
size_t	valid_dollar(const char *s);

#endif
