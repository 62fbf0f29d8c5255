/* lib/base/log.h: one line per event on stderr (the web server's error log). */
#ifndef HACGI_LOG_H
#define HACGI_LOG_H

/* Python's logging levels, lowest first (the Volume API's set-log). */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR };

/* The request id carried by every line, copied (NULL: "-", between
 * requests).  req_init() sets it, req_free() resets it. */
void	log_setid(const char *);
void	log_setlevel(enum log_level);	/* lines below it are dropped */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
