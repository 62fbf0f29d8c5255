/*
 * tests/rel/fiu_extra.c: companion of libfiu's POSIX preload for the
 * reliability suites (tests/rel_fiu.bats, tests/rel_crash.bats).
 *
 * - Adds the failure points the Debian preload lacks:
 *	posix/io/lock/flock, posix/io/dir/mkdir, posix/io/dir/rmdir, and
 *	the calls the store walks DATA_DIR with: posix/io/oc/openat,
 *	posix/io/stat/fstat, posix/io/stat/fstatat, posix/io/dir/mkdirat,
 *	posix/io/dir/unlinkat, posix/io/dir/renameat
 * - Makes a failed close() free the descriptor, as Linux does.
 * - Keeps stdin (the request body), stdout (the CGI answer) and stderr
 *   (the log) out of the posix/io/rw points, and sockets (a FastCGI
 *   responder's connection to its server) out of those and of close:
 *   the faults under test are storage faults, and the answer to them
 *   must get out.
 * - HACGI_FIU_NTH="PREFIX N ACTION": the Nth call through a failure point
 *   whose name starts with PREFIX fails (ACTION "fail") or the process
 *   gets SIGKILL right before making it (ACTION "kill").  The counting is
 *   a libfiu external callback on each storage point (points[] below).
 *   The failed call sets errno HACGI_FIU_ERRNO (default EIO = 5).
 * - HACGI_FIU_COUNT=FILE: at exit, append "N" = the calls counted.
 *
 * Load it first, before libfiu's preloads:
 *	LD_PRELOAD="fiu_extra.so /usr/lib/fiu/fiu_run_preload.so
 *	    /usr/lib/fiu/fiu_posix_preload.so"
 * (tests/rel/fiu_exec does that under fiu-run).
 */
#define _GNU_SOURCE
#define FIU_ENABLE 1
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fiu.h>
#include <fiu-control.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The storage calls the programs make, by libfiu point name. */
static const char *const points[] = {
	"posix/io/oc/open", "posix/io/oc/close",
	"posix/io/rw/read", "posix/io/rw/write",
	"posix/io/sync/fsync", "posix/io/sync/fdatasync",
	"posix/io/dir/opendir", "posix/io/dir/readdir",
	/* not closedir: libfiu's failing closedir() keeps the DIR (a leak
	 * that Linux' closedir never has) */
	"posix/io/dir/unlink",
	"posix/io/dir/rename", "posix/io/dir/mkdir", "posix/io/dir/rmdir",
	"posix/io/lock/flock",
	"posix/io/oc/openat", "posix/io/stat/fstat", "posix/io/stat/fstatat",
	"posix/io/dir/fdopendir", "posix/io/dir/mkdirat",
	"posix/io/dir/unlinkat", "posix/io/dir/renameat",
};

static char	 nth_prefix[128];
static long	 nth_n;		/* 0: no Nth rule */
static int	 nth_kill;
static long	 seen;
static int	 ready;		/* libfiu initialised (a sanitizer runtime
				   makes calls before any constructor) */

static int
nth_cb(const char *name, int *failnum, void **failinfo, unsigned int *flags)
{
	const char	*e = getenv("HACGI_FIU_ERRNO");

	(void)failnum;
	(void)flags;
	/* the preloads take a non-NULL failinfo as the errno to set */
	*failinfo = (void *)(long)(e != NULL ? atoi(e) : EIO);
	if (nth_n == 0)
		return 0;
	if (getenv("HACGI_FIU_TRACE") != NULL)
		fprintf(stderr, "fiu_extra: %ld %s\n", seen + 1, name);
	if (++seen != nth_n)
		return 0;
	if (nth_kill)
		raise(SIGKILL);
	return 1;
}

static void
count_out(void)
{
	const char	*f = getenv("HACGI_FIU_COUNT");
	char		 line[64];
	int		 n;

	if (f == NULL)
		return;
	n = snprintf(line, sizeof(line), "%ld\n", seen);
	FILE *fp = fopen(f, "a");
	if (fp != NULL) {
		fwrite(line, 1, (size_t)n, fp);
		fclose(fp);
	}
}

__attribute__((constructor)) static void
extra_init(void)
{
	const char	*v = getenv("HACGI_FIU_NTH");
	char		 action[16] = "fail";
	size_t		 i;

	fiu_init(0);
	ready = 1;
	if (v == NULL || sscanf(v, "%127s %ld %15s", nth_prefix, &nth_n,
	    action) < 2 || nth_n < 1) {
		nth_n = 0;
		return;
	}
	nth_kill = strcmp(action, "kill") == 0;
	/* one registration per point: the callback is told the name it was
	 * registered under, so a wildcard would hide which call this is */
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (strncmp(points[i], nth_prefix, strlen(nth_prefix)) == 0)
			fiu_enable_external(points[i], 1, NULL, 0, nth_cb);
	atexit(count_out);
}

static int
fault(const char *point, int err)
{
	void	*info;

	if (!ready || !fiu_fail(point))
		return 0;
	info = fiu_failinfo();
	errno = info != NULL ? (int)(long)info : err;
	return 1;
}

/*
 * The next definition of fn.  dlsym() may itself read or close files (and
 * a sanitizer runtime does so before any constructor): while a lookup is
 * under way, read, write and close go straight to the kernel.
 */
static int	 resolving;

#define NEXT(fn)	static __typeof__(fn) *next; \
			if (next == NULL && !resolving) { \
				resolving = 1; \
				next = dlsym(RTLD_NEXT, #fn); \
				resolving = 0; \
			}

int
flock(int fd, int op)
{
	NEXT(flock);
	if (next == NULL)
		return (int)syscall(SYS_flock, fd, op);
	if (fault("posix/io/lock/flock", ENOLCK))
		return -1;
	return next(fd, op);
}

int
mkdir(const char *path, mode_t mode)
{
	NEXT(mkdir);
	if (next == NULL)
		return (int)syscall(SYS_mkdir, path, mode);
	if (fault("posix/io/dir/mkdir", ENOSPC))
		return -1;
	return next(path, mode);
}

int
rmdir(const char *path)
{
	NEXT(rmdir);
	if (next == NULL)
		return (int)syscall(SYS_rmdir, path);
	if (fault("posix/io/dir/rmdir", EIO))
		return -1;
	return next(path);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	va_list	 ap;
	mode_t	 mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	NEXT(openat);
	if (next == NULL)
		return (int)syscall(SYS_openat, dfd, path, flags, mode);
	if (fault("posix/io/oc/openat", EIO))
		return -1;
	return next(dfd, path, flags, mode);
}

int
fstat(int fd, struct stat *sb)
{
	NEXT(fstat);
	if (next == NULL)
		return (int)syscall(SYS_fstat, fd, sb);
	if (fault("posix/io/stat/fstat", EIO))
		return -1;
	return next(fd, sb);
}

int
fstatat(int dfd, const char *path, struct stat *sb, int flags)
{
	NEXT(fstatat);
	if (next == NULL)
		return (int)syscall(SYS_newfstatat, dfd, path, sb, flags);
	if (fault("posix/io/stat/fstatat", EIO))
		return -1;
	return next(dfd, path, sb, flags);
}

int
mkdirat(int dfd, const char *path, mode_t mode)
{
	NEXT(mkdirat);
	if (next == NULL)
		return (int)syscall(SYS_mkdirat, dfd, path, mode);
	if (fault("posix/io/dir/mkdirat", ENOSPC))
		return -1;
	return next(dfd, path, mode);
}

int
unlinkat(int dfd, const char *path, int flags)
{
	NEXT(unlinkat);
	if (next == NULL)
		return (int)syscall(SYS_unlinkat, dfd, path, flags);
	if (fault("posix/io/dir/unlinkat", EIO))
		return -1;
	return next(dfd, path, flags);
}

int
renameat(int from, const char *a, int to, const char *b)
{
	NEXT(renameat);
	if (next == NULL)
		return (int)syscall(SYS_renameat, from, a, to, b);
	if (fault("posix/io/dir/renameat", EIO))
		return -1;
	return next(from, a, to, b);
}

/* A socket: the FastCGI connection, never storage.  Asked of the kernel
 * directly (fstat is a failure point). */
static int
is_socket(int fd)
{
	struct stat	 sb;

	return syscall(SYS_fstat, fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	NEXT(write);
	if ((fd >= 0 && fd <= 2) || next == NULL || is_socket(fd))
		return syscall(SYS_write, fd, p, n);
	return next(fd, p, n);
}

/* An injected close() failure returns -1 without closing, but Linux frees
 * the descriptor (and its flock) even when close fails: do so. */
int
close(int fd)
{
	int	 rc, e;

	NEXT(close);
	if (next == NULL || is_socket(fd))
		return (int)syscall(SYS_close, fd);
	if ((rc = next(fd)) == -1) {
		e = errno;
		syscall(SYS_close, fd);
		errno = e;
	}
	return rc;
}

ssize_t
read(int fd, void *p, size_t n)
{
	NEXT(read);
	if ((fd >= 0 && fd <= 2) || next == NULL || is_socket(fd))
		return syscall(SYS_read, fd, p, n);
	return next(fd, p, n);
}
