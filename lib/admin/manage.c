/* lib/admin/manage.c: option helpers and the token commands of hacgi-manage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/manage.h"
#include "http/auth.h"
#include "vol/volume.h"

int
manage_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("hacgi-manage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

const char *
manage_opt(int argc, char **argv, const char *key)
{
	int	 i;

	for (i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], key) == 0)
			return argv[i + 1];
	return NULL;
}

int
manage_flag(int argc, char **argv, const char *key)
{
	int	 i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], key) == 0)
			return 1;
	return 0;
}

static int
in_list(const char *w, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

/* Every "--x" must be a known option (which takes a value) or flag. */
int
manage_check_opts(int argc, char **argv, const char *const *known,
    const char *const *flags)
{
	int	 i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		if (in_list(argv[i], flags))
			continue;
		if (!in_list(argv[i], known) || i + 1 >= argc) {
			manage_fail("bad or incomplete option %s", argv[i]);
			return -1;
		}
		i++;
	}
	return 0;
}

static int
has_space(const char *s)
{
	return s[strcspn(s, " \t\r\n\f\v")] != '\0';
}

/*
 * Every --host H: a host name as heartbeats give it, or a prefix ending
 * in '*' ("host1@*": host1's backends; "rack2-*"; "*" alone: any host).
 * NULL after a message when one is bad.
 */
static cJSON *
hosts_parse(int argc, char **argv)
{
	cJSON		*arr = cJSON_CreateArray();
	const char	*h, *star;
	int		 i;

	for (i = 0; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--host") != 0)
			continue;
		h = argv[++i];
		star = strchr(h, '*');
		if ((strcmp(h, "*") != 0 && !vol_name_ok(h)) ||
		    (star != NULL && star[1] != '\0')) {
			manage_fail("token create: bad --host %s: want a host "
			    "name (1-255 characters) or a prefix ending in *",
			    h);
			cJSON_Delete(arr);
			return NULL;
		}
		cJSON_AddItemToArray(arr, cJSON_CreateString(h));
	}
	return arr;
}

static int
token_create(struct mctx *mc, int argc, char **argv)
{
	static const char *const known[] = {
		"--user", "--project", "--roles", "--token", "--host", NULL,
	};
	const char	*user, *project, *roles, *token;
	char		*out = NULL;
	cJSON		*hosts;
	int		 rc;

	if (manage_check_opts(argc, argv, known, NULL) == -1)
		return 1;
	user = manage_opt(argc, argv, "--user");
	project = manage_opt(argc, argv, "--project");
	roles = manage_opt(argc, argv, "--roles");
	token = manage_opt(argc, argv, "--token");
	if (user == NULL || project == NULL || roles == NULL)
		return manage_fail("token create: --user, --project and "
		    "--roles are required");
	if (*project == '\0' || has_space(project))
		return manage_fail("token create: bad project id");
	if (token != NULL && (*token == '\0' || has_space(token)))
		return manage_fail("token create: bad token");
	if ((hosts = hosts_parse(argc, argv)) == NULL)
		return 1;
	rc = manage_token_create(mc->data_dir, user, project, roles,
	    cJSON_GetArraySize(hosts) > 0 ? hosts : NULL, token, &out);
	cJSON_Delete(hosts);
	if (rc == -1)
		return manage_fail("token create: failed (see above)");
	printf("%s\n", out);
	free(out);
	return 0;
}

int
manage_token(struct mctx *mc, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "create") == 0)
		return token_create(mc, argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[0], "revoke") == 0)
		return manage_token_revoke(mc->data_dir, argv[1]) == -1 ?
		    manage_fail("token revoke: failed") : 0;
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return manage_token_list(mc->data_dir, stdout) == -1 ?
		    manage_fail("token list: failed") : 0;
	return manage_fail("usage: token create --user U --project P "
	    "--roles R[,R] [--host H]... [--token T] | token revoke T | "
	    "token list");
}
