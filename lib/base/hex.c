/* lib/base/hex.c: hex digits from a table, random ids from the kernel.
 *
 * One request makes a request id, a token digest and often a uuid:
 * snprintf("%02x") per byte cost six times SHA-256 itself, and libuuid
 * re-seeded random() (6 system calls) for each id: here the 16 bytes
 * are one getrandom(2), and libuuid writes their canonical text. */
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "base/hex.h"

static const char digits[] = "0123456789abcdef";

void
hex_encode(char *out, const void *p, size_t n)
{
	const unsigned char	*b = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/* /dev/urandom, when getrandom(2) is missing or would block (early boot:
 * libuuid does the same). */
static int
hex_urandom(unsigned char *p, size_t n)
{
	ssize_t	 r;
	int	 fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (n > 0) {
		if ((r = read(fd, p, n)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		p += r;
		n -= (size_t)r;
	}
	close(fd);
	return n == 0 ? 0 : -1;
}

int
hex_is_sha256(const char *s)
{
	return s != NULL && strlen(s) == 64 && strspn(s, digits) == 64;
}

void
hex_random(void *p, size_t n)
{
	unsigned char	*b = p;
	ssize_t		 r;

	while (n > 0) {
		if ((r = getrandom(b, n, GRND_NONBLOCK)) == -1 &&
		    errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b += r;
		n -= (size_t)r;
	}
	if (n > 0 && hex_urandom(b, n) == -1) {
		fputs("hacgi: no random bytes\n", stderr);
		abort();
	}
}

void
hex_uuid4(char out[37])
{
	unsigned char	 u[16];	/* a uuid_t */

	hex_random(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* variant 10 */
	uuid_unparse_lower(u, out);
}
