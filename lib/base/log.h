/* lib/base/log.h: one line per event on stderr (the web server's error log). */
#ifndef HACGI_LOG_H
#define HACGI_LOG_H

/* The request id carried by every line, copied (NULL: "-", between
 * requests).  req_init() sets it, req_free() resets it. */
void	log_setid(const char *);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
