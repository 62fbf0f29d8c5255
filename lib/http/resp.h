/* lib/http/resp.h: the response, built up by handlers and written once by
 * resp_send() (STYLE 4). */
#ifndef HACGI_RESP_H
#define HACGI_RESP_H

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "http/mv.h"

struct req;

/* The fault messages the reference gives for more than one cause. */
#define GENERIC_400	"The server could not comply with the request since " \
			"it is either malformed or otherwise incorrect."
#define GENERIC_404	"The resource could not be found."
#define GENERIC_500	"The server has either erred or is incapable of " \
			"performing the requested operation."

/* Which id headers go out (SPEC 2.6). */
#define RESP_REQID	0x01	/* X-Openstack-Request-Id */
#define RESP_COMPUTEID	0x02	/* X-Compute-Request-Id (Volume handlers) */

struct resp {
	enum api	 api;
	int		 status;
	const char	*ctype;		/* NULL = no Content-Type header */
	struct buf	 hdrs;		/* extra "Name: value\r\n" lines */
	struct buf	 body;
	int		 ids;		/* RESP_* */
	int		 echo;		/* send the version headers */
	struct mv	 mv;		/* the version to echo */
	char		 mvtext[64];	/* echo this text instead (406) */
	int		 is_fault;
	int		 head;		/* HEAD: no body */
};

/*
 * Handlers and the pipeline set a response only through these functions,
 * never through the fields above: each one keeps status, Content-Type,
 * body and the fault flag in step.
 */
void	resp_init(struct resp *, enum api);
void	resp_free(struct resp *);
void	resp_header(struct resp *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	resp_json(struct resp *, int, const cJSON *);	/* success body */
/* {"key": item}, the item's owned by the call (freed): returns 0. */
int	resp_wrapped(struct resp *, int, const char *key, cJSON *item);
/* A JSON success body that the caller writes as text into the returned
 * buffer (emptied; owned by the response). */
struct buf *resp_json_text(struct resp *, int);
void	resp_text(struct resp *, int, const char *ctype, const char *);
/* No body: status, and the Content-Type (NULL: no such header); a
 * fault stays one (the HEAD of a 404 page). */
void	resp_empty(struct resp *, int, const char *ctype);
void	resp_ids(struct resp *, int ids);	/* RESP_*: id headers sent */
int	resp_status(const struct resp *);	/* the status so far */
void	resp_head(struct resp *, int head);	/* 1: headers only (HEAD) */
/* Echo OpenStack-API-Version (SPEC 2.4): the version mv, or text as is
 * when not NULL (a 406 echoes what was asked); resp_no_version(): none. */
void	resp_version(struct resp *, const struct mv *, const char *text);
void	resp_no_version(struct resp *);
int	fault(struct resp *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));	/* returns -1 */
int	fault_raw(struct resp *, int, const char *);	/* message as is */
/* The 404 and 413 pages of the reference's web framework (webob). */
void	resp_webob(struct resp *, const struct req *, int);
void	resp_unauthorized(struct resp *, const struct req *);
void	resp_send(struct resp *, const struct req *);

#endif
