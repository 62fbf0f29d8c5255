/* bin/hacgi-manage.c: the administrator's command line (SPEC 6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manage.h"
#include "util.h"

static const struct cmd {
	const char	*name;
	int		(*fn)(struct mctx *, int, char **);
} cmds[] = {
	{ "token", manage_token },
	{ "fsck", manage_fsck },
	{ "backup", manage_backup },
	{ "restore", manage_restore },
	{ "notification", manage_notification },
	{ "service", manage_service },
	{ "cluster", manage_cluster },
	{ "segment", manage_segment },
	{ "host", manage_host },
};

static int
usage(void)
{
	size_t	 i;

	fputs("usage: hacgi-manage [--data-dir DIR] COMMAND ...\ncommands:",
	    stderr);
	for (i = 0; i < NELEM(cmds); i++)
		fprintf(stderr, " %s", cmds[i].name);
	fputc('\n', stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	struct mctx	 mc;
	size_t		 i;
	int		 a = 1;

	mc.data_dir = getenv("DATA_DIR");
	if (mc.data_dir == NULL || *mc.data_dir == '\0')
		mc.data_dir = DATA_DIR_DEFAULT;
	if (a + 1 < argc && strcmp(argv[a], "--data-dir") == 0) {
		mc.data_dir = argv[a + 1];
		a += 2;
	}
	if (a >= argc)
		return usage();
	for (i = 0; i < NELEM(cmds); i++)
		if (strcmp(argv[a], cmds[i].name) == 0)
			return cmds[i].fn(&mc, argc - a - 1, argv + a + 1);
	return usage();
}
