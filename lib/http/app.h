/* lib/http/app.h: the request pipeline shared by every CGI binary: routing,
 * the order of checks of SPEC 2.1, then the handler. */
#ifndef HACGI_APP_H
#define HACGI_APP_H

#include "http/req.h"
#include "http/resp.h"

typedef int (*handler_fn)(struct req *, struct resp *);

struct handler {
	enum ep		 ep;
	const char	*method;
	handler_fn	 fn;	/* NULL: routed but unimplemented (Volume) */
	const char	*rule;	/* policy rule; NULL: any valid token */
	handler_fn	 pre;	/* checks before policy: Instance-HA body
				   schema, Volume handler checks; or NULL */
	unsigned	 flags;
};

#define H_RAW		0x01	/* Volume: the handler does its own checks */
#define H_BODY		0x02	/* Volume: takes a JSON body */
#define H_NEEDBODY	0x04	/* Volume: a body is required */
#define H_MIN37		0x08	/* Volume: JSON 404 below 3.7 */

/* What a program does first on each request, once the request is read
 * and before any check (the Volume programs: log at the level set-log
 * gave them, lib/vol/vollog.h). */
typedef void (*app_start_fn)(const struct req *, const char *self);

/* One request (the CGI environment, stdin, stdout), answered and freed:
 * a process may run any number, one after the other.  app_run_with()
 * runs start first (NULL: none) and resets the log level at the end.
 * app_main() and app_main_with() run one and return main()'s status. */
void	app_run(enum api, const char *self, const struct handler *, size_t);
void	app_run_with(enum api, const char *self, const struct handler *,
	    size_t, app_start_fn);
int	app_main(enum api, const char *self, const struct handler *, size_t);
int	app_main_with(enum api, const char *self, const struct handler *,
	    size_t, app_start_fn);
/* A validator's result: rc -1 becomes a 400 with msg as the message.
 * Frees msg; returns rc. */
int	app_invalid(struct resp *, int rc, struct buf *msg);
/* Is ct an accepted request Content-Type of the API (SPEC 2.5)? */
int	app_ctype_ok(enum api, const char *ct);

#endif
