/* lib/base/log.h: one line per event on stderr (the web server's error log). */
#ifndef HACGI_LOG_H
#define HACGI_LOG_H

void	log_setid(const char *);	/* request id carried by every line */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
