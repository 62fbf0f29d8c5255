/* lib/base/log.c: stderr lines with the request id; non-printable bytes are
 * escaped so that a hostile name cannot forge log lines (STYLE 8). */
#include <stdarg.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/log.h"

/* The one piece of request state kept outside struct req, because every
 * module logs: a copy (never a pointer into a freed request), reset to
 * "-" when the request ends. */
static char	 log_id[48] = "-";

void
log_setid(const char *id)
{
	snprintf(log_id, sizeof(log_id), "%s", id != NULL ? id : "-");
}

void
log_warn(const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	size_t		 i;
	unsigned char	 c;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "hacgi[%s]: ", log_id);
	for (i = 0; i < b.len; i++) {
		c = (unsigned char)b.p[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('\n', stderr);
	buf_free(&b);
}
