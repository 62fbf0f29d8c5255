/* bin/hacgi-manage.c: the administrator's command line (SPEC 6). */
#include <sys/stat.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/manage.h"
#include "base/store.h"
#include "base/unicode.h"
#include "base/util.h"

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
	{ "keystone", manage_keystone },
};

static int
usage(void)
{
	size_t	 i;

	fputs("usage: hacgi-manage [--data-dir DIR] [--no-sync] COMMAND ...\n"
	    "commands:", stderr);
	for (i = 0; i < NELEM(cmds); i++)
		fprintf(stderr, " %s", cmds[i].name);
	fputc('\n', stderr);
	return 2;
}

/*
 * root on a data directory that belongs to the web server user: every file
 * we wrote would be root's, mode 0600, and the programs could no longer
 * read it.  Refuse, naming the user to run as.
 */
static int
owner_check(const char *dir)
{
	struct stat	 sb;
	struct passwd	*pw;
	char		 uid[32];

	if (geteuid() != 0 || stat(dir, &sb) == -1 || sb.st_uid == 0)
		return 0;
	snprintf(uid, sizeof(uid), "#%lu", (unsigned long)sb.st_uid);
	pw = getpwuid(sb.st_uid);
	fprintf(stderr, "hacgi-manage: %s belongs to %s, not root: run "
	    "hacgi-manage as %s (e.g. runuser -u %s -- hacgi-manage ...), "
	    "or files written by root would lock the web server out\n", dir,
	    pw != NULL ? pw->pw_name : uid, pw != NULL ? pw->pw_name : uid,
	    pw != NULL ? pw->pw_name : uid);
	return -1;
}

/*
 * Every word of the command line: what hacgi-manage stores (names,
 * reasons, roles) is shown on other admins' terminals by the API clients
 * and by `token list`, so no argument may hold a control character (ESC,
 * CSI, a newline: uni_control) or be anything but UTF-8.  Names the
 * option, never the value.
 */
static int
args_check(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (utf8_clean(argv[i]))
			continue;
		if (i > 1 && strncmp(argv[i - 1], "--", 2) == 0)
			fprintf(stderr, "hacgi-manage: %s: ", argv[i - 1]);
		else
			fprintf(stderr, "hacgi-manage: argument %d: ", i);
		fputs("control characters and bytes that are not UTF-8 are "
		    "not accepted\n", stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct mctx	 mc;
	size_t		 i;
	int		 a = 1;

	if (args_check(argc, argv) == -1)
		return 1;
	mc.data_dir = getenv("DATA_DIR");
	if (mc.data_dir == NULL || *mc.data_dir == '\0')
		mc.data_dir = DATA_DIR_DEFAULT;
	mc.policy_file = getenv("POLICY_FILE");
	if (mc.policy_file != NULL && *mc.policy_file == '\0')
		mc.policy_file = NULL;
	if (a + 1 < argc && strcmp(argv[a], "--data-dir") == 0) {
		mc.data_dir = argv[a + 1];
		a += 2;
	}
	/* bulk loads (benchmarks, imports): no fsync per write; the
	 * caller runs sync(1) or hacgi-manage without it afterwards */
	if (a < argc && strcmp(argv[a], "--no-sync") == 0) {
		store_set_nosync(1);
		a++;
	}
	if (a >= argc)
		return usage();
	if (owner_check(mc.data_dir) == -1)
		return 1;
	for (i = 0; i < NELEM(cmds); i++)
		if (strcmp(argv[a], cmds[i].name) == 0)
			return cmds[i].fn(&mc, argc - a - 1, argv + a + 1);
	return usage();
}
