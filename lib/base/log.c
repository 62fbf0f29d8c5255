/* lib/base/log.c: stderr lines with the request id; non-printable bytes
 * are escaped so that a hostile name cannot forge log lines (STYLE 8).
 * The level is INFO unless the program sets another (Volume programs:
 * the one set-log gave their logger, lib/vol/vollog.h). */
#include <stdarg.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/log.h"

/* The request state kept outside struct req, because every module logs:
 * the id, a copy (never a pointer into a freed request), reset to "-"
 * when the request ends; the level a program's start hook set
 * (app_run_with()), reset to INFO when the request ends. */
static char		 log_id[48] = "-";
static enum log_level	 log_level = LOG_INFO;

void
log_setid(const char *id)
{
	snprintf(log_id, sizeof(log_id), "%s", id != NULL ? id : "-");
}

void
log_setlevel(enum log_level lv)
{
	log_level = lv;
}

/* The line is built first and written at once: stderr is unbuffered, and
 * a line in pieces could interleave with another program's in the
 * server's log. */
static void
log_line(enum log_level lv, const char *fmt, va_list ap)
{
	struct buf	 b, line;
	size_t		 i;
	unsigned char	 c;
	char		 x[3];

	if (lv < log_level)
		return;
	buf_init(&b);
	buf_init(&line);
	buf_vprintf(&b, fmt, ap);
	buf_puts(&line, "hacgi[");
	buf_puts(&line, log_id);
	buf_puts(&line, "]: ");
	for (i = 0; i < b.len; i++) {
		c = (unsigned char)b.p[i];
		if (c < 0x20 || c == 0x7f || c == '\\') {
			hex_encode(x, &c, 1);
			buf_puts(&line, "\\x");
			buf_puts(&line, x);
		} else
			buf_putc(&line, c);
	}
	buf_putc(&line, '\n');
	fwrite(line.p, 1, line.len, stderr);
	buf_free(&line);
	buf_free(&b);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_line(LOG_DEBUG, fmt, ap);
	va_end(ap);
}
