/* tests/fuzz/fuzz_common.c: helpers of the harnesses (fuzz.h). */
#define _GNU_SOURCE
#include <sys/mman.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "base/store.h"

static char	 data_dir[64];

static const char *const cgi_vars[] = {
	"REQUEST_METHOD", "REQUEST_URI", "CONTENT_TYPE", "CONTENT_LENGTH",
	"HTTP_X_AUTH_TOKEN", "HTTP_OPENSTACK_API_VERSION", "HTTP_ACCEPT",
	"HTTP_HOST", "HTTP_PROXY", "QUERY_STRING", "PATH_INFO",
	"SCRIPT_NAME", "POLICY_FILE", "AUTH_URI", "SERVICE_DOWN_TIME",
	"HTTP_X_OPENSTACK_VOLUME_API_VERSION",
};

void
fuzz_fail(const char *msg)
{
	fprintf(stderr, "fuzz: invariant: %s\n", msg);
	abort();
}

/*
 * The harnesses never exec anything; app_main() hands a request over to
 * a sibling program with execv(), which must not happen here (the
 * harness passes the right program name).  This definition wins over
 * libc's at link time.
 */
int
execv(const char *path, char *const argv[])
{
	(void)path;
	(void)argv;
	fuzz_fail("execv called");
}

/* Remove what the harnesses write in the private DATA_DIR. */
static void
cleanup(void)
{
	static const char *const files[] = {
		"tokens.json", "policy.json", "vol/services.log",
		"vol/clusters.log", "vol",
	};
	char	 path[160];
	size_t	 i;

	if (data_dir[0] == '\0')
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, files[i]);
		if (unlink(path) == -1)
			rmdir(path);
	}
	rmdir(data_dir);
}

static void
token_entry(FILE *fp, const char *token, const char *role, int last)
{
	char	 hex[65];

	store_sha256_hex(token, hex);
	fprintf(fp, "{\"sha256\": \"%s\", \"user\": \"%s\", \"project\": "
	    "\"admin\", \"roles\": [\"%s\"], \"created_at\": "
	    "\"2024-01-01T00:00:00.000000\"}%s", hex, role, role,
	    last ? "" : ", ");
}

const char *
fuzz_data_dir(void)
{
	char	 path[128];
	FILE	*fp;

	if (data_dir[0] != '\0')
		return data_dir;
	/* mkdtemp(3) replaces the six trailing X of its template */
	snprintf(data_dir, sizeof(data_dir), "/tmp/hacgi-fuzz.XXXXXX");
	if (mkdtemp(data_dir) == NULL)
		fuzz_fail("mkdtemp");
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/tokens.json", data_dir);
	if ((fp = fopen(path, "w")) == NULL)
		fuzz_fail("tokens.json");
	fputs("{\"tokens\": [", fp);
	token_entry(fp, "admin:admin", "admin", 0);
	token_entry(fp, "member:member", "member", 1);
	fputs("]}\n", fp);
	fclose(fp);
	return data_dir;
}

char *
fuzz_str(const uint8_t *data, size_t n)
{
	size_t	 l = strnlen((const char *)data, n);
	char	*s = malloc(l + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, l);
	s[l] = '\0';
	return s;
}

void
fuzz_stdin(const uint8_t *data, size_t n)
{
	int	 fd = memfd_create("body", 0);

	if (fd == -1 || (n > 0 && write(fd, data, n) != (ssize_t)n) ||
	    lseek(fd, 0, SEEK_SET) == -1 || dup2(fd, 0) == -1)
		fuzz_fail("memfd");
	close(fd);
}

void
fuzz_file(const char *dir, const char *name, const void *p, size_t n)
{
	char	 path[256];
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		fuzz_fail("write file");
	close(fd);
}

void
fuzz_clear_env(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cgi_vars) / sizeof(cgi_vars[0]); i++)
		unsetenv(cgi_vars[i]);
}
