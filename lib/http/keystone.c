/* lib/http/keystone.c: Keystone tokens in the programs: the settings, the
 * credentials file, the cache, and the validator run on a miss
 * (lib/http/keystone.h, SPEC 2.2.1). */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "http/keystone.h"

#ifndef MANAGE_DEFAULT
#define MANAGE_DEFAULT	"/usr/local/bin/hacgi-manage"
#endif

#define KS_OUT_MAX	65536	/* the validator's answer, at most */
#define KS_CONF_MAX	65536

static const char *
env_str(ks_getenv get, const void *ctx, const char *name)
{
	const char	*v = get(ctx, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* A whole number of seconds in 1..max, else def. */
static long
env_secs(ks_getenv get, const void *ctx, const char *name, long def,
    long max)
{
	return setting_num(env_str(get, ctx, name), def, max);
}

void
ks_env_init(struct ks_env *ke, ks_getenv get, const void *ctx)
{
	ke->mode_text = env_str(get, ctx, "HACGI_AUTH");
	if (ke->mode_text == NULL || strcmp(ke->mode_text, "local") == 0)
		ke->mode = KS_LOCAL;
	else if (strcmp(ke->mode_text, "keystone") == 0)
		ke->mode = KS_KEYSTONE;
	else
		ke->mode = KS_BADMODE;
	ke->conf = env_str(get, ctx, "HACGI_KEYSTONE_CONF");
	ke->manage = env_str(get, ctx, "HACGI_MANAGE");
	if (ke->manage == NULL)
		ke->manage = MANAGE_DEFAULT;
	ke->cache_time = env_secs(get, ctx, "HACGI_TOKEN_CACHE_TIME", 300,
	    86400);
	ke->invalid_time = env_secs(get, ctx,
	    "HACGI_INVALID_TOKEN_CACHE_TIME", 10, 86400);
	ke->timeout = env_secs(get, ctx, "HACGI_KEYSTONE_TIMEOUT", 10, 300);
	ke->connect_timeout = env_secs(get, ctx,
	    "HACGI_KEYSTONE_CONNECT_TIMEOUT", 3, 300);
}

/* ---- the credentials file ---- */

static const struct conf_key {
	const char	*name;
	size_t		 off;
} conf_keys[] = {
	{ "auth_url", offsetof(struct ks_conf, auth_url) },
	{ "www_authenticate_uri",
	    offsetof(struct ks_conf, www_authenticate_uri) },
	{ "username", offsetof(struct ks_conf, username) },
	{ "password", offsetof(struct ks_conf, password) },
	{ "user_domain_name", offsetof(struct ks_conf, user_domain_name) },
	{ "user_domain_id", offsetof(struct ks_conf, user_domain_id) },
	{ "project_name", offsetof(struct ks_conf, project_name) },
	{ "project_id", offsetof(struct ks_conf, project_id) },
	{ "project_domain_name",
	    offsetof(struct ks_conf, project_domain_name) },
	{ "project_domain_id", offsetof(struct ks_conf, project_domain_id) },
	{ "application_credential_id",
	    offsetof(struct ks_conf, application_credential_id) },
	{ "application_credential_secret",
	    offsetof(struct ks_conf, application_credential_secret) },
};

void
ks_conf_free(struct ks_conf *kc)
{
	size_t	 i;

	for (i = 0; i < NELEM(conf_keys); i++)
		free(*(char **)((char *)kc + conf_keys[i].off));
	memset(kc, 0, sizeof(*kc));
}

/* s[0..n) without the blanks around it, as a new string. */
static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* One line: 0, or -1 with why (naming the line, never its value). */
static int
conf_line(struct ks_conf *kc, const char *l, size_t n, int no,
    struct buf *why)
{
	const char	*eq = memchr(l, '=', n);
	char		*key, **slot = NULL;
	size_t		 i;

	key = trimmed(l, n);
	if (*key == '\0' || *key == '#' || *key == ';' || *key == '[') {
		free(key);	/* blank, comment, [section] */
		return 0;
	}
	free(key);
	if (eq == NULL) {
		buf_printf(why, "line %d: no '='", no);
		return -1;
	}
	key = trimmed(l, (size_t)(eq - l));
	for (i = 0; i < NELEM(conf_keys); i++)
		if (strcmp(conf_keys[i].name, key) == 0)
			slot = (char **)((char *)kc + conf_keys[i].off);
	if (slot == NULL)
		buf_printf(why, "line %d: unknown key '%.64s'", no, key);
	free(key);
	if (slot == NULL)
		return -1;
	free(*slot);
	*slot = trimmed(eq + 1, n - (size_t)(eq + 1 - l));
	return 0;
}

static int
conf_parse(struct ks_conf *kc, const char *text, size_t len, struct buf *why)
{
	const char	*p = text, *end = text + len, *nl;
	int		 no = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (conf_line(kc, p, (size_t)(nl - p), ++no, why) == -1)
			return -1;
		p = nl + 1;
	}
	if (kc->auth_url == NULL || *kc->auth_url == '\0') {
		buf_puts(why, "no auth_url");
		return -1;
	}
	return 0;
}

/* The file's descriptor: DATA_DIR/keystone.conf through the store (no
 * link followed), or the absolute path HACGI_KEYSTONE_CONF names. */
static int
conf_open(const char *dir, const struct ks_env *ke, struct stat *sb,
    struct buf *why)
{
	struct store	 st;
	int		 fd;

	if (ke->conf == NULL) {
		store_init(&st, dir);
		fd = store_fd(&st, KS_CONF_NAME, O_RDONLY, 0, sb);
		store_close(&st);
		if (fd == -1)
			buf_printf(why, "%s", errno == ENOENT ? "missing" :
			    "cannot be opened (logged)");
		return fd;
	}
	if (ke->conf[0] != '/') {
		buf_puts(why, "not an absolute path");
		return -1;
	}
	if ((fd = open(ke->conf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1 || fstat(fd, sb) == -1) {
		buf_printf(why, "open: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

int
ks_conf_load(struct ks_conf *kc, const char *dir, const struct ks_env *ke,
    struct buf *why)
{
	struct stat	 sb;
	char		*text = NULL;
	size_t		 len;
	int		 fd, rc = -1;

	memset(kc, 0, sizeof(*kc));
	if ((fd = conf_open(dir, ke, &sb, why)) == -1)
		return -1;
	if (!S_ISREG(sb.st_mode))
		buf_puts(why, "not a regular file");
	else if (sb.st_mode & 077)
		buf_printf(why, "mode %04o lets other users read the "
		    "service credentials (chmod 600)",
		    (unsigned)(sb.st_mode & 07777));
	else if ((text = store_read_fd(fd, KS_CONF_MAX, &len)) == NULL)
		buf_printf(why, "read: %s", strerror(errno));
	else if (len >= KS_CONF_MAX)
		buf_puts(why, "larger than 64 KiB");
	else
		rc = conf_parse(kc, text, len, why);
	close(fd);
	free(text);
	if (rc == -1)
		ks_conf_free(kc);
	return rc;
}

char *
ks_auth_uri(const char *dir, const struct ks_env *ke)
{
	struct ks_conf	 kc;
	struct buf	 why;
	char		*uri = NULL;

	buf_init(&why);
	if (ks_conf_load(&kc, dir, ke, &why) == 0) {
		uri = xstrdup(kc.www_authenticate_uri != NULL ?
		    kc.www_authenticate_uri : kc.auth_url);
		ks_conf_free(&kc);
	} else
		log_warn("keystone: credentials file: %s", buf_str(&why));
	buf_free(&why);
	return uri;
}

/* ---- tokens and the cache ---- */

int
ks_token_ok(const char *token)
{
	size_t	 n;

	if (token == NULL)
		return 0;
	for (n = 0; token[n] != '\0'; n++)
		if (token[n] <= ' ' || token[n] > '~' || n >= KS_TOKEN_MAX)
			return 0;
	return n > 0;
}

static char **
roles_dup(const cJSON *arr)
{
	const cJSON	*r;
	char		**v;
	size_t		 n = 0;

	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));
	cJSON_ArrayForEach(r, arr)
		if (cJSON_IsString(r))
			v[n++] = xstrdup(r->valuestring);
	return v;
}

int
ks_identity_auth(const cJSON *id, struct auth *a)
{
	const cJSON	*roles = cJSON_GetObjectItemCaseSensitive(id, "roles");
	const char	*user = json_str(id, "user_id");
	const char	*project = json_str(id, "project_id");

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(id, "valid")) ||
	    user == NULL || *user == '\0' || project == NULL ||
	    *project == '\0' || !cJSON_IsArray(roles))
		return -1;
	a->ok = 1;
	a->user = xstrdup(user);
	a->project = xstrdup(project);
	a->roles = roles_dup(roles);
	a->hosts = xcalloc(1, sizeof(*a->hosts));	/* bound to none */
	return 0;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON	*n = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(n) ? n->valuedouble : 0;
}

int
ks_cache_get(const char *dir, const char *hash, const struct ks_env *ke,
    time_t now, struct auth *a)
{
	struct store	 st;
	cJSON		*e;
	char		 rel[128];
	double		 at;
	int		 err, rc = -1;

	snprintf(rel, sizeof(rel), "%s/%s.json", KS_CACHE_DIR, hash);
	store_init(&st, dir);
	e = store_read(&st, rel, &err);
	store_close(&st);
	if (e == NULL)
		return err ? -2 : -1;
	at = num(e, "cached_at");
	if (at > (double)now + 60)
		;	/* from the future: the clock went back, ask again */
	else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "valid")))
		rc = (double)now < at + (double)ke->invalid_time ? 0 : -1;
	else if ((double)now < at + (double)ke->cache_time &&
	    (double)now < num(e, "expires_at"))
		rc = ks_identity_auth(e, a) == 0 ? 1 : -1;
	cJSON_Delete(e);
	return rc;
}

/* ---- the validator ---- */

struct child {
	pid_t	 pid;
	int	 in;	/* its standard input, ours to write */
	int	 out;	/* its standard output, ours to read */
};

static void
env_put(struct buf *b, size_t *off, size_t *n, const char *name,
    const char *val)
{
	off[(*n)++] = b->len;
	buf_printf(b, "%s=%s", name, val);
	buf_put(b, "", 1);
}

static void
env_num(struct buf *b, size_t *off, size_t *n, const char *name, long val)
{
	char	 v[32];

	snprintf(v, sizeof(v), "%ld", val);
	env_put(b, off, n, name, v);
}

/* The validator's whole environment: the settings and nothing else
 * (never the request's, which holds the token).  The strings are in b. */
static char **
child_env(const char *dir, const struct ks_env *ke, const char *reqid,
    struct buf *b)
{
	char	**env = xcalloc(9, sizeof(*env));
	size_t	  off[8], i, n = 0;

	env_put(b, off, &n, "DATA_DIR", dir);
	env_put(b, off, &n, "HACGI_AUTH", "keystone");
	env_num(b, off, &n, "HACGI_TOKEN_CACHE_TIME", ke->cache_time);
	env_num(b, off, &n, "HACGI_INVALID_TOKEN_CACHE_TIME",
	    ke->invalid_time);
	env_num(b, off, &n, "HACGI_KEYSTONE_TIMEOUT", ke->timeout);
	env_num(b, off, &n, "HACGI_KEYSTONE_CONNECT_TIMEOUT",
	    ke->connect_timeout);
	env_put(b, off, &n, "HACGI_REQUEST_ID", reqid);
	if (ke->conf != NULL)
		env_put(b, off, &n, "HACGI_KEYSTONE_CONF", ke->conf);
	for (i = 0; i < n; i++)
		env[i] = b->p + off[i];
	return env;
}

/* A pipe whose two ends close on exec (dup2 gives the child its own). */
static int
pipe_cloexec(int fd[2])
{
	if (pipe(fd) == -1)
		return -1;
	if (fcntl(fd[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fd[1], F_SETFD, FD_CLOEXEC) == -1) {
		close(fd[0]);
		close(fd[1]);
		fd[0] = fd[1] = -1;
		return -1;
	}
	return 0;
}

static int
child_start(struct child *c, const char *dir, const struct ks_env *ke,
    const char *reqid)
{
	char	*argv[] = { (char *)"hacgi-manage", (char *)"keystone",
		    (char *)"validate", NULL };
	char	**env;
	struct buf b;
	int	 in[2] = { -1, -1 }, out[2] = { -1, -1 };

	if (pipe_cloexec(in) == -1 || pipe_cloexec(out) == -1) {
		log_warn("keystone: pipe: %s", strerror(errno));
		goto fail;
	}
	buf_init(&b);
	env = child_env(dir, ke, reqid, &b);
	fflush(NULL);
	if ((c->pid = fork()) == 0) {
		if (dup2(in[0], 0) == -1 || dup2(out[1], 1) == -1)
			_exit(KS_EXIT_ERROR);
		execve(ke->manage, argv, env);
		log_warn("keystone: exec %s: %s", ke->manage, strerror(errno));
		_exit(KS_EXIT_ERROR);
	}
	free(env);
	buf_free(&b);
	if (c->pid == -1) {
		log_warn("keystone: fork: %s", strerror(errno));
		goto fail;
	}
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	c->out = out[0];
	return 0;
fail:
	if (in[0] != -1)
		close(in[0]);
	if (in[1] != -1)
		close(in[1]);
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	return -1;
}

/* The token and a newline to the validator; a validator that is gone
 * (SIGPIPE ignored: EPIPE) shows in its exit status. */
static void
child_feed(struct child *c, const char *token)
{
	struct sigaction	 ign, old;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	if (store_write_all(c->in, token, strlen(token)) == 0)
		(void)store_write_all(c->in, "\n", 1);
	sigaction(SIGPIPE, &old, NULL);
	close(c->in);
	c->in = -1;
}

/* Its standard output until EOF or the deadline (ms from now): 0, or -1
 * when it is late (killed). */
static int
child_read(struct child *c, struct buf *out, long ms)
{
	struct pollfd	 p = { c->out, POLLIN, 0 };
	int64_t		 end = clock_now_us() + (int64_t)ms * 1000;
	char		 chunk[4096];
	ssize_t		 n;
	int		 left, rc;

	for (;;) {
		left = (int)((end - clock_now_us()) / 1000);
		rc = left > 0 ? poll(&p, 1, left) : 0;
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0) {
			kill(c->pid, SIGKILL);
			return -1;
		}
		if ((n = read(c->out, chunk, sizeof(chunk))) == 0)
			return 0;
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			return 0;	/* the exit status says */
		if (n > 0 && out->len + (size_t)n <= KS_OUT_MAX)
			buf_put(out, chunk, (size_t)n);
	}
}

static int
child_status(pid_t pid)
{
	int	 st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return -1;
}

/* What the validator's answer means for the request. */
static int
ks_answer(struct auth *a, int status, const struct buf *out)
{
	cJSON	*id;
	int	 bad = 0;

	switch (status) {
	case KS_EXIT_VALID:
		id = json_parse(out->p, out->len, &bad);
		if (id == NULL || ks_identity_auth(id, a) == -1) {
			log_warn("keystone: validator: an answer that is no "
			    "identity");
			cJSON_Delete(id);
			return -2;
		}
		cJSON_Delete(id);
		return 0;
	case KS_EXIT_INVALID:
		return -1;
	case KS_EXIT_UNREACHABLE:
	case KS_EXIT_SERVICE:
		return -3;
	default:
		log_warn("keystone: validator %s: exit status %d", "failed",
		    status);
		return -2;
	}
}

/*
 * fork + execve of HACGI_MANAGE (never a shell), the token on its
 * standard input.  It keeps to HACGI_KEYSTONE_TIMEOUT itself; one that
 * is still running 2 s after that is killed: a 503, never a request
 * that hangs.
 */
static int
ks_validate_run(struct auth *a, const char *dir, const struct ks_env *ke,
    const char *token, const char *reqid)
{
	struct child	 c;
	struct buf	 out;
	int		 late, status;

	if (child_start(&c, dir, ke, reqid) == -1)
		return -2;
	child_feed(&c, token);
	buf_init(&out);
	late = child_read(&c, &out, ke->timeout * 1000 + 2000);
	close(c.out);
	status = child_status(c.pid);
	if (late) {
		log_warn("keystone: no answer after %ld s: validator killed",
		    ke->timeout + 2);
		status = KS_EXIT_UNREACHABLE;
	}
	status = ks_answer(a, status, &out);
	buf_free(&out);
	return status;
}

int
ks_lookup(struct auth *a, const char *dir, const struct ks_env *ke,
    const char *token, const char *reqid)
{
	char	 hash[65];

	if (!ks_token_ok(token))
		return -1;
	store_sha256_hex(token, hash);
	switch (ks_cache_get(dir, hash, ke, time(NULL), a)) {
	case 1:
		return 0;
	case 0:
		return -1;
	case -2:
		return -2;
	default:
		return ks_validate_run(a, dir, ke, token, reqid);
	}
}
