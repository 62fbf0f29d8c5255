/* lib/base/buf.h: growable byte buffers.  Out of memory aborts the request. */
#ifndef HACGI_BUF_H
#define HACGI_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*p;	/* owned; NUL-terminated once anything was put */
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_free(struct buf *);
void	buf_reset(struct buf *);
void	buf_put(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_putc(struct buf *, int);
void	buf_putint(struct buf *, long long);	/* decimal, as "%lld" */
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
const char *buf_str(struct buf *);	/* "" when empty; never NULL */
char	*buf_take(struct buf *);	/* caller owns; buf is reset */

#endif
