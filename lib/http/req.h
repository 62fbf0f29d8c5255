/* lib/http/req.h: one CGI request (RFC 3875), read once from the
 * environment. */
#ifndef HACGI_REQ_H
#define HACGI_REQ_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "http/auth.h"
#include "http/keystone.h"
#include "http/mv.h"
#include "http/route.h"

#define REQ_BODY_MAX	114688	/* SPEC 2.5; this size itself is accepted */
#define REQ_DRAIN_MAX	(8LL << 20)	/* req_drain() reads no more */
#define REQ_MAX_SERVICES 10000		/* MAX_SERVICES by default */

/*
 * Where a request comes from and where its answer goes: the process's
 * environment, stdin and stdout (CGI: req_init()), or one FastCGI
 * request's parameters and streams (lib/http/fcgi.c).  Nothing in a
 * request reads the environment or the standard streams but through it.
 */
struct reqio {
	char	**envp;		/* the request's variables, NULL-ended */
	/* up to n bytes of the body: the count, 0 at its end, -1 (errno) */
	long	(*read)(struct reqio *, char *, size_t n);
	/* all n bytes of the answer: 0, or -1 */
	int	(*write)(struct reqio *, const char *, size_t n);
	/* answer with the program exe (a sibling; app.c): CGI execs it,
	 * FastCGI runs it as a CGI child and passes its answer on.  -1 on
	 * failure (logged); FastCGI: 0 once answered */
	int	(*handoff)(struct reqio *, const char *exe);
	void	*ctx;		/* the FastCGI request; NULL for CGI */
};

struct qparam {
	char	*key;	/* owned; UTF-8 */
	char	*val;	/* owned; UTF-8, "" for a key without '=' */
};

struct req {
	enum api	 api;
	struct reqio	*io;		/* not owned; the CGI one or a
					   FastCGI request's */
	const char	*method;	/* REQUEST_METHOD */
	char		*path;		/* owned; percent-decoded, Latin-1 ->
					   UTF-8 */
	int		 path_nul;	/* the path held %00 (cut there) */
	char		*rawquery;	/* owned; "" when none */
	struct qparam	*qp;		/* owned; in order of appearance */
	size_t		 nqp;
	int		 query_nul;	/* a query key or value held %00 */
	const char	*host;		/* HTTP_HOST or SERVER_NAME:PORT */
	char		 hostbuf[300];	/* host, when built from SERVER_* */
	const char	*misspelt;	/* a header read here that came under
					   another spelling (X_Auth_Token) */
	const char	*token;		/* HTTP_X_AUTH_TOKEN, NULL if absent */
	const char	*mvhdr;		/* HTTP_OPENSTACK_API_VERSION or NULL */
	const char	*ctype;		/* CONTENT_TYPE or NULL */
	const char	*accept;	/* HTTP_ACCEPT or NULL */
	const char	*data_dir;
	const char	*policy_file;	/* NULL = $DATA_DIR/policy.json */
	const char	*auth_uri;	/* NULL = http://<host>/ (keystone
					   mode: the credentials file's) */
	char		*auth_uri_owned;	/* owned; auth_uri, when read
					   from the credentials file */
	struct ks_env	 ks;		/* HACGI_AUTH and the Keystone
					   settings (SPEC 6) */
	const char	*api_host;	/* API_HOST: the Volume API's host
					   in get-log; NULL = gethostname */
	int		 down_time;	/* SERVICE_DOWN_TIME, seconds */
	long		 max_services;	/* MAX_SERVICES (SPEC 3.7) */
	long long	 clen;		/* CONTENT_LENGTH, -1 if absent */
	int		 clen_bad;	/* CONTENT_LENGTH present, not digits */
	int		 chunked;	/* no CONTENT_LENGTH but a Transfer-
					   Encoding: the body ends at EOF */
	char		*body;		/* owned; NUL-terminated; NULL until
					   read */
	size_t		 bodylen;
	cJSON		*json;		/* owned; parsed body, NULL if none */
	void		*in;		/* owned (free()); the body's typed
					   values, from the handler's pre
					   step: they point into json */
	int		 json_suffix;	/* the path ended in ".json" */
	struct mv	 mv;
	struct auth	 auth;
	struct match	 m;		/* the route */
	char		 reqid[41];	/* "req-" + uuid4 */
};

int	 req_init(struct req *, enum api);	/* reads env; never fails */
/* The same from io (not owned: it must outlive the request). */
int	 req_init_io(struct req *, enum api, struct reqio *);
/* The CGI process's own: environ, stdin, stdout, execv. */
struct reqio *req_cgi_io(void);
/* The request's variable name, NULL when unset (the one getenv). */
const char *req_env(const struct req *, const char *name);
void	 req_free(struct req *);
/* 0, 1 = too large, -1 = short, -2 = stdin read error (logged) */
int	 req_read_body(struct req *);
void	 req_drain(const struct req *);	/* discard the unread body */
const char *req_query(const struct req *, const char *key); /* last value */
int	 req_has_query(const struct req *, const char *key);
int	 req_is(const struct req *, const char *method);

#endif
