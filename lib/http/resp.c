/* lib/http/resp.c: status line, headers and body, written once to stdout. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "base/json.h"
#include "base/log.h"
#include "http/req.h"
#include "http/resp.h"

static const struct {
	int		 code;
	const char	*text;
} reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
	{ 204, "No Content" }, { 300, "Multiple Choices" },
	{ 302, "Found" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
	{ 409, "Conflict" }, { 413, "Request Entity Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

static const char *
resp_reason(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code)
			return reasons[i].text;
	return "Unknown";
}

void
resp_init(struct resp *rs, enum api api)
{
	memset(rs, 0, sizeof(*rs));
	rs->api = api;
	rs->status = 500;
	buf_init(&rs->hdrs);
	buf_init(&rs->body);
}

void
resp_free(struct resp *rs)
{
	buf_free(&rs->hdrs);
	buf_free(&rs->body);
}

void
resp_header(struct resp *rs, const char *name, const char *fmt, ...)
{
	va_list	 ap;

	buf_printf(&rs->hdrs, "%s: ", name);
	va_start(ap, fmt);
	buf_vprintf(&rs->hdrs, fmt, ap);
	va_end(ap);
	buf_puts(&rs->hdrs, "\r\n");
}

void
resp_json(struct resp *rs, int status, const cJSON *doc)
{
	rs->status = status;
	rs->is_fault = 0;
	rs->ctype = "application/json";
	buf_reset(&rs->body);
	if (doc != NULL)
		json_write(&rs->body, doc);
}

int
resp_wrapped(struct resp *rs, int status, const char *key, cJSON *item)
{
	cJSON	*doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, key, item);
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
	return 0;
}

struct buf *
resp_json_text(struct resp *rs, int status)
{
	resp_json(rs, status, NULL);
	return &rs->body;
}

void
resp_text(struct resp *rs, int status, const char *ctype, const char *text)
{
	rs->status = status;
	rs->ctype = ctype;
	buf_reset(&rs->body);
	buf_puts(&rs->body, text);
}

void
resp_empty(struct resp *rs, int status, const char *ctype)
{
	rs->status = status;
	rs->ctype = ctype;
	buf_reset(&rs->body);
}

void
resp_ids(struct resp *rs, int ids)
{
	rs->ids = ids;
}

int
resp_status(const struct resp *rs)
{
	return rs->status;
}

void
resp_head(struct resp *rs, int head)
{
	rs->head = head;
}

void
resp_version(struct resp *rs, const struct mv *mv, const char *text)
{
	rs->mv = *mv;
	rs->echo = 1;
	rs->mvtext[0] = '\0';
	if (text != NULL)
		snprintf(rs->mvtext, sizeof(rs->mvtext), "%s", text);
}

void
resp_no_version(struct resp *rs)
{
	rs->echo = 0;
}

static const char *
fault_name(enum api api, int status)
{
	switch (status) {
	case 400:
		return "badRequest";
	case 403:
		return "forbidden";
	case 404:
		return "itemNotFound";
	case 405:
		return "badMethod";
	case 409:
		return "conflictingRequest";
	case 415:
		return "badMediaType";
	default:
		return api == API_HA ? "masakariFault" : "computeFault";
	}
}

/*
 * SPEC 2.7: {"<faultName>": {"code": N, "message": "..."}}.  Replaces any
 * body built so far and returns -1 so that handlers can `return fault()`.
 */
int
fault_raw(struct resp *rs, int status, const char *msg)
{
	cJSON	*doc, *inner;

	doc = cJSON_CreateObject();
	inner = cJSON_AddObjectToObject(doc, fault_name(rs->api, status));
	cJSON_AddNumberToObject(inner, "code", status);
	cJSON_AddStringToObject(inner, "message", msg);
	resp_json(rs, status, doc);
	cJSON_Delete(doc);
	rs->is_fault = 1;
	rs->ctype = rs->api == API_HA ? "application/json; charset=UTF-8" :
	    "application/json";
	return -1;
}

int
fault(struct resp *rs, int status, const char *fmt, ...)
{
	struct buf	 msg;
	va_list		 ap;

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	fault_raw(rs, status, buf_str(&msg));
	buf_free(&msg);
	return -1;
}

/*
 * q-value the Accept header gives a media type: the q of the most specific
 * range that matches it (exact, then type/ *, then * / *), -1 if none.
 */
static double
accept_q(const char *accept, const char *type)
{
	const char	*p, *e, *semi, *qp;
	const char	*slash = strchr(type, '/');
	double		 q, best = -1;
	size_t		 n;
	int		 spec, bestspec = -1;

	for (p = accept; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(e - p));
		n = (size_t)((semi != NULL ? semi : e) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == strlen(type) && strncasecmp(p, type, n) == 0)
			spec = 2;
		else if (slash != NULL && n == (size_t)(slash - type) + 2 &&
		    strncasecmp(p, type, n - 1) == 0 && p[n - 1] == '*')
			spec = 1;
		else if (n == 3 && strncmp(p, "*/*", 3) == 0)
			spec = 0;
		else
			continue;
		q = 1;
		for (qp = semi; qp != NULL && qp < e; qp = memchr(qp + 1, ';',
		    (size_t)(e - qp - 1))) {
			const char *v = qp + 1;
			while (*v == ' ')
				v++;
			if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
				q = strtod(v + 2, NULL);
		}
		if (spec > bestspec) {
			bestspec = spec;
			best = q;
		}
	}
	return best;
}

static const char *const webob_html =
    "<html>\n <head>\n  <title>%d %s</title>\n </head>\n <body>\n"
    "  <h1>%d %s</h1>\n  %s<br /><br />\n%s\n\n\n </body>\n</html>";
static const char *const webob_json =
    "{\"message\": \"%s<br /><br />\\n%s\\n\\n\", \"code\": \"%d %s\", "
    "\"title\": \"%s\"}";
static const char *const webob_plain = "%d %s\n\n%s\n\n %s  ";

/* webob's negotiated error page (SPEC 2.8): 404 and 413; 503, the one
 * keystonemiddleware answers when Keystone cannot (SPEC 2.2.1). */
void
resp_webob(struct resp *rs, const struct req *rq, int status)
{
	const char	*title, *text, *detail = "";
	double		 qh = -1, qj = -1;

	if (status == 503) {
		title = "Service Unavailable";
		text = "The server is currently unavailable. Please try again "
		    "at a later time.";
		detail = "The Keystone service is temporarily unavailable.";
	} else if (status == 413) {
		title = "Request Entity Too Large";
		text = "Request is too large. Larger than "
		    "max_request_body_size (114688).";
	} else {
		title = "Not Found";
		text = GENERIC_404;
	}
	if (rq->accept != NULL) {
		qh = accept_q(rq->accept, "text/html");
		qj = accept_q(rq->accept, "application/json");
	}
	rs->status = status;
	rs->is_fault = 1;
	buf_reset(&rs->body);
	if (qh > 0 && qh >= qj) {
		rs->ctype = "text/html; charset=UTF-8";
		buf_printf(&rs->body, webob_html, status, title, status, title,
		    text, detail);
	} else if (qj > 0) {
		rs->ctype = "application/json";
		buf_printf(&rs->body, webob_json, text, detail, status, title,
		    title);
	} else {
		rs->ctype = "text/plain; charset=UTF-8";
		buf_printf(&rs->body, webob_plain, status, title, text,
		    detail);
	}
}

/* SPEC 2.2: keystonemiddleware's 401. */
void
resp_unauthorized(struct resp *rs, const struct req *rq)
{
	static const char body[] = "{\"error\": {\"code\": 401, \"title\": "
	    "\"Unauthorized\", \"message\": \"The request you have made "
	    "requires authentication.\"}}";

	resp_text(rs, 401, "application/json", body);
	rs->is_fault = 1;
	rs->echo = 0;
	rs->ids = RESP_REQID;
	if (rq->auth_uri != NULL)
		resp_header(rs, "WWW-Authenticate", "Keystone uri=\"%s\"",
		    rq->auth_uri);
	else
		resp_header(rs, "WWW-Authenticate",
		    "Keystone uri=\"http://%s/\"", rq->host);
}

/* Success bodies: the vnd type when Accept prefers it (SPEC 2.6). */
static void
resp_negotiate(struct resp *rs, const struct req *rq)
{
	const char	*vnd;

	if (rs->is_fault || rs->ctype == NULL ||
	    strcmp(rs->ctype, "application/json") != 0 ||
	    rq->accept == NULL || rq->m.json_suffix)
		return;
	vnd = rs->api == API_HA ? "application/vnd.openstack.masakari+json" :
	    "application/vnd.openstack.volume+json";
	if (accept_q(rq->accept, vnd) > accept_q(rq->accept,
	    "application/json"))
		rs->ctype = vnd;
}

/* "Name: value\r\n" */
static void
resp_line(struct buf *h, const char *name, const char *value)
{
	buf_puts(h, name);
	buf_puts(h, ": ");
	buf_puts(h, value);
	buf_puts(h, "\r\n");
}

static void
resp_echo(const struct resp *rs, struct buf *h)
{
	const char	*svc;

	if (!rs->echo)
		return;
	if (rs->api == API_VOLUME)
		svc = "volume";
	else
		svc = rs->is_fault ? "instance-ha" : "masakari";
	buf_puts(h, "OpenStack-API-Version: ");
	buf_puts(h, svc);
	buf_putc(h, ' ');
	if (rs->mvtext[0] != '\0')
		buf_puts(h, rs->mvtext);
	else {
		buf_putint(h, rs->mv.major);
		buf_putc(h, '.');
		buf_putint(h, rs->mv.minor);
	}
	buf_puts(h, "\r\nVary: OpenStack-API-Version\r\n");
}

/*
 * The head is built in a buffer, the body appended unless it is large,
 * and written through the request's io (CGI: stdout, unbuffered): one
 * write(2) for the whole answer (a fully
 * buffered stdout wrote a body in 4 KiB pieces, and its printf cost more
 * than the rest of what an O(1) request writes).  A large body goes in a
 * second write rather than be copied.
 */
#define RESP_ONE_WRITE	65536

void
resp_send(struct resp *rs, const struct req *rq)
{
	struct buf	 h;
	size_t		 n;

	req_drain(rq);		/* before answering: see req_drain() */
	resp_negotiate(rs, rq);
	buf_init(&h);
	buf_puts(&h, "Status: ");
	buf_putint(&h, rs->status);
	buf_putc(&h, ' ');
	buf_puts(&h, resp_reason(rs->status));
	buf_puts(&h, "\r\n");
	if (rs->ctype != NULL)
		resp_line(&h, "Content-Type", rs->ctype);
	resp_echo(rs, &h);
	if (rs->ids & RESP_REQID)
		resp_line(&h, "X-Openstack-Request-Id", rq->reqid);
	if (rs->ids & RESP_COMPUTEID)
		resp_line(&h, "X-Compute-Request-Id", rq->reqid);
	if (rs->hdrs.len > 0)
		buf_put(&h, rs->hdrs.p, rs->hdrs.len);
	if (rs->status == 204)
		buf_reset(&rs->body);
	buf_puts(&h, "Content-Length: ");
	buf_putint(&h, (long long)rs->body.len);
	buf_puts(&h, "\r\n\r\n");
	n = rs->head ? 0 : rs->body.len;
	if (n > 0 && n <= RESP_ONE_WRITE) {
		buf_put(&h, rs->body.p, n);
		n = 0;
	}
	if (rq->io->write(rq->io, h.p, h.len) == -1 || (n > 0 &&
	    rq->io->write(rq->io, rs->body.p, n) == -1))
		log_debug("answer: write failed (the client went away?)");
	buf_free(&h);
}
