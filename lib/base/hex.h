/* lib/base/hex.h: lower-case hex text of bytes, and random ids. */
#ifndef HACGI_HEX_H
#define HACGI_HEX_H

#include <stddef.h>

/* The 2n hex digits of p[0..n) and a NUL into out (2n + 1 bytes). */
void	 hex_encode(char *out, const void *p, size_t n);
/* Is s (NULL: no) 64 lower-case hex digits, a SHA-256 as hex_encode
 * writes it? */
int	 hex_is_sha256(const char *s);
/* n random bytes from the kernel (getrandom(2), else /dev/urandom);
 * abort()s when there are none, as out of memory does. */
void	 hex_random(void *p, size_t n);
/* A random (version 4, RFC 9562) UUID in the canonical lower-case form. */
void	 hex_uuid4(char out[37]);

#endif
