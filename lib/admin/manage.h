/* lib/admin/manage.h: the subcommands of bin/hacgi-manage (SPEC 6). Each takes
 * the words after its own name; returns the exit status. */
#ifndef HACGI_MANAGE_H
#define HACGI_MANAGE_H

#include <stdio.h>

#include <cjson/cJSON.h>

struct mctx {
	const char	*data_dir;
	const char	*policy_file;	/* POLICY_FILE, or NULL */
};

int	manage_token(struct mctx *, int, char **);
/* lib/admin/manage_token.c */
/* hosts: a JSON array of the hosts a service token may report for, or
 * NULL (SPEC 3.7) */
int	manage_token_create(const char *dir, const char *user,
	    const char *project, const char *roles, const cJSON *hosts,
	    const char *token, char **out);
int	manage_token_revoke(const char *dir, const char *token);
int	manage_token_list(const char *dir, FILE *);
int	manage_fsck(struct mctx *, int, char **);	/* fsck.c */
int	manage_backup(struct mctx *, int, char **);
int	manage_restore(struct mctx *, int, char **);
int	manage_notification(struct mctx *, int, char **);
int	manage_service(struct mctx *, int, char **);	/* manage_volume.c */
int	manage_cluster(struct mctx *, int, char **);
/* lib/admin/manage_populate.c: the bulk loaders */
int	manage_segment(struct mctx *, int, char **);
int	manage_host(struct mctx *, int, char **);
int	manage_notification_populate(struct mctx *, int, char **);
int	manage_service_populate(struct mctx *, int, char **);
int	manage_keystone(struct mctx *, int, char **);	/* manage_keystone.c */

/* "--key value" and "--flag" options after the subcommand words. */
const char *manage_opt(int, char **, const char *);
int	manage_flag(int, char **, const char *);
int	manage_check_opts(int, char **, const char *const *known,
	    const char *const *flags);	/* -1 on an unknown option */
int	manage_fail(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
