/*
 * tests/rel/fiu_exec.c: fiu-run -x ... fiu_exec PROGRAM [ARGS]: run
 * PROGRAM with tests/rel/fiu_extra.so ($HACGI_FIU_EXTRA) first in
 * LD_PRELOAD, before the libfiu preloads fiu-run set.  A program, not a
 * script: a shell would itself open files through the failing calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char	*extra = getenv("HACGI_FIU_EXTRA");
	const char	*pre = getenv("LD_PRELOAD");
	char		 buf[8192];

	if (argc < 2 || extra == NULL) {
		fputs("usage: HACGI_FIU_EXTRA=SO fiu_exec PROGRAM [ARG...]\n",
		    stderr);
		return 127;
	}
	snprintf(buf, sizeof(buf), "%s %s", extra, pre != NULL ? pre : "");
	setenv("LD_PRELOAD", buf, 1);
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
