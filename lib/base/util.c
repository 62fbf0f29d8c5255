/* lib/base/util.c: allocation that never returns NULL.  A CGI request that runs
 * out of memory cannot answer anything useful; it dies and the server
 * answers 500.  And the one reader of a numeric setting. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static void
oom(void)
{
	fputs("hacgi: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *q, size_t n)
{
	void	*p = realloc(q, n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

long
setting_num(const char *v, long def, long max)
{
	char	*end;
	long	 d;

	if (v == NULL || *v < '0' || *v > '9')
		return def;
	errno = 0;
	d = strtol(v, &end, 10);
	return errno == 0 && *end == '\0' && d > 0 && d <= max ? d : def;
}
