/* lib/http/req.c: the CGI environment (RFC 3875 4.1) and body, read once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/log.h"
#include "base/unicode.h"
#include "base/util.h"
#include "http/req.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode n bytes of s into b; '+' is a space in queries. */
static void
pct_decode(struct buf *b, const char *s, size_t n, int plus)
{
	size_t	 i;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0) {
			buf_putc(b, h * 16 + l);
			i += 2;
		} else if (plus && s[i] == '+')
			buf_putc(b, ' ');
		else
			buf_putc(b, s[i]);
	}
}

/* SPEC 2.8: each decoded path byte is one Latin-1 character.  A %00 sets
 * *nul: the C string would end there, and name less than was asked for. */
static char *
path_decode(const char *s, size_t n, int *nul)
{
	struct buf	 raw, out;
	size_t		 i;
	char		 enc[4];

	buf_init(&raw);
	buf_init(&out);
	pct_decode(&raw, s, n, 0);
	if (raw.len > 0 && memchr(raw.p, '\0', raw.len) != NULL)
		*nul = 1;
	for (i = 0; i < raw.len; i++)	/* Latin-1: byte = code point */
		buf_put(&out, enc, (size_t)(utf8_put(enc,
		    (unsigned char)raw.p[i]) - enc));
	buf_free(&raw);
	return buf_take(&out);
}

/* Query values are UTF-8; invalid sequences become U+FFFD (Python).  A
 * %00 sets *nul, as in path_decode(). */
static char *
query_decode(const char *s, size_t n, int *nul)
{
	struct buf	 raw, out;
	size_t		 i = 0, start;
	uint32_t	 cp;

	buf_init(&raw);
	buf_init(&out);
	pct_decode(&raw, s, n, 1);
	if (raw.len > 0 && memchr(raw.p, '\0', raw.len) != NULL)
		*nul = 1;
	while (i < raw.len) {
		start = i;
		if (utf8_next(raw.p, raw.len, &i, &cp) == 0)
			buf_put(&out, raw.p + start, i - start);
		else {
			buf_puts(&out, "\xef\xbf\xbd");
			i = start + 1;
		}
	}
	buf_free(&raw);
	return buf_take(&out);
}

static void
query_parse(struct req *rq)
{
	const char	*p = rq->rawquery, *e, *eq;

	while (*p != '\0') {
		if ((e = strchr(p, '&')) == NULL)
			e = p + strlen(p);
		if (e > p) {
			rq->qp = xrealloc(rq->qp, (rq->nqp + 1) *
			    sizeof(*rq->qp));
			eq = memchr(p, '=', (size_t)(e - p));
			rq->qp[rq->nqp].key = query_decode(p, (size_t)((eq !=
			    NULL ? eq : e) - p), &rq->query_nul);
			rq->qp[rq->nqp].val = eq != NULL ?
			    query_decode(eq + 1, (size_t)(e - eq - 1),
			    &rq->query_nul) : xstrdup("");
			rq->nqp++;
		}
		p = *e != '\0' ? e + 1 : e;
	}
}

/* The value of name in envp: the first "name=value" (as getenv()). */
static const char *
env_find(char **envp, const char *name)
{
	size_t	 l = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, l) == 0 && (*envp)[l] == '=')
			return *envp + l + 1;
	return NULL;
}

const char *
req_env(const struct req *rq, const char *name)
{
	return env_find(rq->io->envp, name);
}

/* req_env() as ks_env_init() takes it. */
static const char *
req_env_cb(const void *rq, const char *name)
{
	return req_env(rq, name);
}

static const char *
env_or(const struct req *rq, const char *name, const char *def)
{
	const char	*v = req_env(rq, name);

	return v != NULL && *v != '\0' ? v : def;
}

/* REQUEST_URI is the original target even after a server rewrite. */
static void
req_target(struct req *rq)
{
	const char	*uri = req_env(rq, "REQUEST_URI"), *q;
	struct buf	 b;

	buf_init(&b);
	if (uri == NULL) {
		buf_puts(&b, env_or(rq, "SCRIPT_NAME", ""));
		buf_puts(&b, env_or(rq, "PATH_INFO", ""));
		if ((q = env_or(rq, "QUERY_STRING", NULL)) != NULL) {
			buf_putc(&b, '?');
			buf_puts(&b, q);
		}
		uri = buf_str(&b);
	}
	if ((q = strchr(uri, '?')) != NULL) {
		rq->path = path_decode(uri, (size_t)(q - uri), &rq->path_nul);
		rq->rawquery = xstrdup(q + 1);
	} else {
		rq->path = path_decode(uri, strlen(uri), &rq->path_nul);
		rq->rawquery = xstrdup("");
	}
	if (rq->path[0] == '\0') {
		free(rq->path);
		rq->path = xstrdup("/");
	}
	buf_free(&b);
}

/*
 * The request headers the programs read whose names hold a '-'.  A server
 * passes a header as HTTP_ and its name upper-cased, '-' as '_' (RFC 3875
 * 4.1.18).  lighttpd turns every character but letters and digits into
 * '_', so X_Auth_Token and X.Auth.Token become HTTP_X_AUTH_TOKEN too (the
 * variable twice when X-Auth-Token came as well: getenv() takes the
 * first), and a proxy that filters X-Auth-Token would let a token through.
 * Apache drops those names.  The configs the tools write say what came:
 * lighttpd lists in HACGI_HEADERS_SENT the names that came spelled as
 * here, Apache sets HACGI_VARIANT_<var> when another spelling came.
 */
static const struct {
	const char	*name;
	const char	*var;
} spelled[] = {
	{ "X-Auth-Token",		"HTTP_X_AUTH_TOKEN" },
	{ "OpenStack-API-Version",	"HTTP_OPENSTACK_API_VERSION" },
};

/* How many times the environment holds var (a server may repeat it). */
static size_t
env_count(const struct req *rq, const char *var)
{
	char	**e;
	size_t	  l = strlen(var), n = 0;

	for (e = rq->io->envp; e != NULL && *e != NULL; e++)
		if (strncmp(*e, var, l) == 0 && (*e)[l] == '=')
			n++;
	return n;
}

/* Is w one of the space-separated words of list? */
static int
word_in(const char *list, const char *w)
{
	size_t	 l = strlen(w);

	for (; *list != '\0'; list += strcspn(list, " ")) {
		list += strspn(list, " ");
		if (strncmp(list, w, l) == 0 && (list[l] == ' ' ||
		    list[l] == '\0'))
			return 1;
	}
	return 0;
}

/* The first header of spelled[] that came under another spelling. */
static const char *
req_misspelt(const struct req *rq)
{
	const char	*sent = req_env(rq, "HACGI_HEADERS_SENT");
	char		 flag[64];
	size_t		 i, n;

	for (i = 0; i < NELEM(spelled); i++) {
		snprintf(flag, sizeof(flag), "HACGI_VARIANT_%s",
		    spelled[i].var + 5);
		n = env_count(rq, spelled[i].var);
		if (n > 1 || req_env(rq, flag) != NULL || (n == 1 &&
		    sent != NULL && !word_in(sent, spelled[i].name)))
			return spelled[i].name;
	}
	return NULL;
}

static void
req_clen(struct req *rq)
{
	const char	*v = req_env(rq, "CONTENT_LENGTH");
	long long	 n = 0;

	rq->clen = -1;
	if (v == NULL || *v == '\0') {
		rq->chunked = env_or(rq, "HTTP_TRANSFER_ENCODING",
		    NULL) != NULL;
		return;
	}
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9') {
			rq->clen_bad = 1;
			return;
		}
		if (n < 1000000000000LL)
			n = n * 10 + (*v - '0');
	}
	rq->clen = n;
}

static void
req_host(struct req *rq)
{
	const char	*h = req_env(rq, "HTTP_HOST");

	if (h != NULL && *h != '\0') {
		rq->host = h;
		return;
	}
	snprintf(rq->hostbuf, sizeof(rq->hostbuf), "%s:%s",
	    env_or(rq, "SERVER_NAME", "localhost"),
	    env_or(rq, "SERVER_PORT", "80"));
	rq->host = rq->hostbuf;
}

/* A setting of 1 to below max, in decimal digits; def when unset or
 * bad. */
static long
env_num(const struct req *rq, const char *name, long def, long max)
{
	return setting_num(env_or(rq, name, NULL), def, max - 1);
}

int
req_init(struct req *rq, enum api api)
{
	return req_init_io(rq, api, req_cgi_io());
}

int
req_init_io(struct req *rq, enum api api, struct reqio *io)
{
	memset(rq, 0, sizeof(*rq));
	rq->api = api;
	rq->io = io;
	rq->method = env_or(rq, "REQUEST_METHOD", "GET");
	req_target(rq);
	query_parse(rq);
	req_host(rq);
	req_clen(rq);
	rq->misspelt = req_misspelt(rq);
	rq->token = req_env(rq, "HTTP_X_AUTH_TOKEN");
	rq->mvhdr = req_env(rq, "HTTP_OPENSTACK_API_VERSION");
	rq->ctype = env_or(rq, "CONTENT_TYPE", NULL);
	rq->accept = req_env(rq, "HTTP_ACCEPT");
	rq->data_dir = env_or(rq, "DATA_DIR", DATA_DIR_DEFAULT);
	rq->policy_file = env_or(rq, "POLICY_FILE", NULL);
	rq->auth_uri = env_or(rq, "AUTH_URI", NULL);
	ks_env_init(&rq->ks, req_env_cb, rq);
	rq->api_host = env_or(rq, "API_HOST", NULL);
	rq->down_time = (int)env_num(rq, "SERVICE_DOWN_TIME", 60,
	    86400 * 365);
	rq->max_services = env_num(rq, "MAX_SERVICES", REQ_MAX_SERVICES,
	    1000000000L);
	memcpy(rq->reqid, "req-", 4);
	hex_uuid4(rq->reqid + 4);	/* req- and a UUID, as oslo.context */
	log_setid(rq->reqid);
	return 0;
}

void
req_free(struct req *rq)
{
	size_t	 i;

	for (i = 0; i < rq->nqp; i++) {
		free(rq->qp[i].key);
		free(rq->qp[i].val);
	}
	free(rq->qp);
	free(rq->path);
	free(rq->rawquery);
	free(rq->auth_uri_owned);
	free(rq->body);
	cJSON_Delete(rq->json);
	free(rq->in);
	auth_free(&rq->auth);
	route_free(&rq->m);
	log_setid(NULL);
}

/* Read stdin into a new rq->body until want bytes or EOF: 0, or -2 when
 * stdin cannot be read (logged). */
static int
body_read(struct req *rq, size_t want)
{
	long	 n = 0;

	rq->body = xmalloc(want + 1);
	while (rq->bodylen < want) {
		n = rq->io->read(rq->io, rq->body + rq->bodylen,
		    want - rq->bodylen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rq->bodylen += (size_t)n;
	}
	rq->body[rq->bodylen] = '\0';
	if (n == -1) {
		log_warn("stdin: read: %s", strerror(errno));
		return -2;
	}
	return 0;
}

/*
 * Read exactly CONTENT_LENGTH bytes (RFC 3875 4.2).  Returns 1 when the
 * body is over REQ_BODY_MAX (SPEC 2.5: 413), without reading it; -1 when
 * it ends early (the client's fault); -2 when stdin cannot be read (the
 * server's: logged, and the caller answers 500).
 *
 * A chunked request body comes from Apache without CONTENT_LENGTH (RFC
 * 3875 4.1.2 notwithstanding; lighttpd collects it and sets one), and
 * ends where the server closes stdin: it is read to that EOF, one byte
 * past REQ_BODY_MAX at most, and CONTENT_LENGTH is then what was read
 * (so REQ_BODY_MAX + 1 for one too large: 1, as for a declared size).
 */
int
req_read_body(struct req *rq)
{
	size_t	 want;

	if (rq->body != NULL)
		return rq->clen > REQ_BODY_MAX;
	if (rq->clen > REQ_BODY_MAX)
		return 1;
	if (rq->chunked) {
		if (body_read(rq, REQ_BODY_MAX + 1) == -2)
			return -2;
		rq->clen = (long long)rq->bodylen;
		return rq->clen > REQ_BODY_MAX;
	}
	want = rq->clen > 0 ? (size_t)rq->clen : 0;
	if (body_read(rq, want) == -2)
		return -2;
	return rq->bodylen == want ? 0 : -1;	/* -1: a truncated body */
}

/*
 * Read and discard what req_read_body() left of the body.  Apache's
 * mod_cgid writes the whole body to the program before it reads the
 * answer, and drops the connection, answering nothing, when the program
 * exits without reading it: a 413 (or a 401, a 404 with a body) would
 * never reach the client.  Only CONTENT_LENGTH bytes, or up to the EOF
 * that ends a chunked body (see req_read_body()), REQ_DRAIN_MAX at most:
 * never blocks waiting for an EOF that a server may not send.
 */
void
req_drain(const struct req *rq)
{
	char		 buf[16384];
	long long	 left;
	long		 n;

	left = rq->clen - (rq->body != NULL ? (long long)rq->bodylen : 0);
	if (rq->chunked)
		left = REQ_DRAIN_MAX;
	if (left > REQ_DRAIN_MAX)
		left = REQ_DRAIN_MAX;
	while (left > 0) {
		n = rq->io->read(rq->io, buf, left < (long long)sizeof(buf) ?
		    (size_t)left : sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		left -= n;
	}
}

const char *
req_query(const struct req *rq, const char *key)
{
	size_t	 i;

	for (i = rq->nqp; i > 0; i--)
		if (strcmp(rq->qp[i - 1].key, key) == 0)
			return rq->qp[i - 1].val;
	return NULL;
}

int
req_has_query(const struct req *rq, const char *key)
{
	return req_query(rq, key) != NULL;
}

int
req_is(const struct req *rq, const char *method)
{
	return strcmp(rq->method, method) == 0;
}

/* The CGI process's own request (RFC 3875): environ, stdin, stdout. */
extern char	**environ;

static long
cgi_read(struct reqio *io, char *p, size_t n)
{
	(void)io;
	return (long)read(STDIN_FILENO, p, n);
}

/* stdout unbuffered: one write(2) per call (see resp_send()). */
static int
cgi_write(struct reqio *io, const char *p, size_t n)
{
	(void)io;
	setvbuf(stdout, NULL, _IONBF, 0);
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

/* The sibling takes over this process, with the untouched request. */
static int
cgi_handoff(struct reqio *io, const char *exe)
{
	char	*argv[2];

	(void)io;
	argv[0] = (char *)exe;
	argv[1] = NULL;
	fflush(stdout);
	execv(exe, argv);
	log_warn("handoff %s: exec: %s", exe, strerror(errno));
	return -1;
}

struct reqio *
req_cgi_io(void)
{
	static struct reqio	 cgi = { NULL, cgi_read, cgi_write,
				    cgi_handoff, NULL };

	cgi.envp = environ;	/* as it is now (a test may change it) */
	return &cgi;
}
