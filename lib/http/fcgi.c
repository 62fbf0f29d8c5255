/*
 * lib/http/fcgi.c: a FastCGI responder on libfcgi (Debian's libfcgi-dev).
 * The web server starts the program with a listening socket as fd 0 and
 * sends it requests one at a time; each one's parameters are its
 * environment and its FCGI_STDIN and FCGI_STDOUT streams the body and
 * the answer, which the program writes in the CGI form (RFC 3875 6).
 * The log stays on fd 2, which the server gives its spawned responders
 * (its error log).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcgiapp.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "http/fcgi.h"

#define FCGI_BODY_MAX	REQ_DRAIN_MAX	/* handed to a sibling, at most */

/*
 * libfcgi's FCGX_OpenSocket("host:port"), which the programs never call
 * (the server hands them their socket), resolves names with
 * gethostbyname(); glibc's, linked statically, would load NSS modules at
 * run time (the linker warns).  This one, linked instead, resolves
 * nothing.
 */
struct hostent *
gethostbyname(const char *name)
{
	(void)name;
	h_errno = NO_RECOVERY;
	return NULL;
}

struct fcgi {
	FCGX_Request	 r;
	struct reqio	 io;
};

int
fcgi_responder(void)
{
	struct sockaddr_storage	 sa;
	socklen_t		 len = sizeof(sa);

	/* a listening socket has no peer; a pipe or a file is no socket */
	return getpeername(0, (struct sockaddr *)&sa, &len) == -1 &&
	    errno == ENOTCONN;
}

/* The stream's error as an errno (libfcgi: > 0 an errno, < 0 its own
 * protocol codes). */
static int
fcgi_errno(FCGX_Stream *s)
{
	int	 e = FCGX_GetError(s);

	return e > 0 ? e : EPROTO;
}

static long
fcgi_read(struct reqio *io, char *p, size_t n)
{
	struct fcgi	*f = io->ctx;
	int		 got;

	got = FCGX_GetStr(p, n > INT_MAX ? INT_MAX : (int)n, f->r.in);
	if (got == 0 && FCGX_GetError(f->r.in) != 0) {
		errno = fcgi_errno(f->r.in);
		return -1;
	}
	return got;
}

static int
fcgi_write(struct reqio *io, const char *p, size_t n)
{
	struct fcgi	*f = io->ctx;
	int		 put;

	for (; n > 0; p += put, n -= (size_t)put)
		if ((put = FCGX_PutStr(p, n > INT_MAX ? INT_MAX : (int)n,
		    f->r.out)) <= 0) {
			errno = fcgi_errno(f->r.out);
			return -1;
		}
	return 0;
}

/* The rest of the body (up to FCGI_BODY_MAX) into a new temp file, at
 * its start: the sibling's stdin.  NULL on failure (logged). */
static FILE *
fcgi_body_file(struct reqio *io)
{
	char		 buf[16384];
	FILE		*fp;
	long		 n, total = 0;

	if ((fp = tmpfile()) == NULL) {
		log_warn("handoff: tmpfile: %s", strerror(errno));
		return NULL;
	}
	while (total < FCGI_BODY_MAX && (n = fcgi_read(io, buf,
	    sizeof(buf))) > 0) {
		total += n;
		if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
			break;
	}
	if (fflush(fp) != 0 || ferror(fp) || fseek(fp, 0, SEEK_SET) != 0) {
		log_warn("handoff: temp file: %s", strerror(errno));
		fclose(fp);
		return NULL;
	}
	return fp;
}

/* In the child: the body as stdin, out as stdout, the request's
 * environment; never returns. */
static void
fcgi_exec(struct fcgi *f, const char *exe, FILE *in, int out[2])
{
	char	*argv[2];

	argv[0] = (char *)exe;
	argv[1] = NULL;
	if (dup2(fileno(in), STDIN_FILENO) == -1 ||
	    dup2(out[1], STDOUT_FILENO) == -1)
		_exit(127);
	close(out[0]);
	close(out[1]);
	close(f->r.ipcFd);
	execve(exe, argv, f->r.envp);
	log_warn("handoff %s: exec: %s", exe, strerror(errno));
	_exit(127);
}

/*
 * A request the web server sent to the wrong program (app.c): a
 * responder must not exec (the server would lose it), so the sibling
 * runs as a CGI child, its answer passed on as it is.  -1 before
 * anything was answered; 0 once the child's answer went out.
 */
static int
fcgi_handoff(struct reqio *io, const char *exe)
{
	struct fcgi	*f = io->ctx;
	char		 buf[16384];
	FILE		*in;
	int		 out[2], st;
	ssize_t		 n;
	pid_t		 pid;

	if ((in = fcgi_body_file(io)) == NULL)
		return -1;
	if (pipe(out) == -1 || (pid = fork()) == -1) {
		log_warn("handoff %s: %s", exe, strerror(errno));
		fclose(in);
		return -1;
	}
	if (pid == 0)
		fcgi_exec(f, exe, in, out);
	close(out[1]);
	fclose(in);
	while ((n = read(out[0], buf, sizeof(buf))) != 0)
		if ((n == -1 && errno != EINTR) || (n > 0 &&
		    fcgi_write(io, buf, (size_t)n) == -1))
			break;
	close(out[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return 0;
}

struct fcgi *
fcgi_new(void)
{
	struct fcgi	*f;

	if (FCGX_Init() != 0) {
		log_warn("FastCGI: libfcgi did not start");
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	if (FCGX_InitRequest(&f->r, 0, 0) != 0) {
		log_warn("FastCGI: libfcgi did not start");
		free(f);
		return NULL;
	}
	f->io.read = fcgi_read;
	f->io.write = fcgi_write;
	f->io.handoff = fcgi_handoff;
	f->io.ctx = f;
	return f;
}

struct reqio *
fcgi_accept(struct fcgi *f)
{
	if (FCGX_Accept_r(&f->r) < 0)
		return NULL;
	f->io.envp = f->r.envp;
	return &f->io;
}

void
fcgi_finish(struct fcgi *f)
{
	FCGX_Finish_r(&f->r);
	f->io.envp = NULL;
}

void
fcgi_free(struct fcgi *f)
{
	if (f == NULL)
		return;
	FCGX_Free(&f->r, 1);
	free(f);
}
