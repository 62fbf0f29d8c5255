/* lib/http/fcgi.h: the programs as FastCGI responders (FastCGI 1.0,
 * libfcgi): each request the web server sends becomes a struct reqio
 * (lib/http/req.h) that app.c runs like a CGI request. */
#ifndef HACGI_FCGI_H
#define HACGI_FCGI_H

#include "http/req.h"

struct fcgi;

/* Was this process started as a responder: is fd 0 a listening socket
 * (FCGI_LISTENSOCK_FILENO, as lighttpd's bin-path and mod_fcgid start
 * one)?  One getpeername(2). */
int		 fcgi_responder(void);
/* The responder's state (owned; fcgi_free()), NULL when libfcgi
 * cannot start (logged). */
struct fcgi	*fcgi_new(void);
/* The next request, waiting for it; NULL when the server closed the
 * socket or asked us to stop.  Valid until fcgi_finish(). */
struct reqio	*fcgi_accept(struct fcgi *);
/* The answer flushed, the request's memory freed. */
void		 fcgi_finish(struct fcgi *);
void		 fcgi_free(struct fcgi *);

#endif
