/* lib/admin/fsckint.h: what the files of fsck share (fsck.c: the run,
 * findings, repairs, locks, the walk; fsck_tokens.c,
 * fsck_ha.c, fsck_vol.c: the checks by kind; fsck_backup.c: backup and
 * restore); not for the rest of hacgi-manage. */
#ifndef HACGI_FSCKINT_H
#define HACGI_FSCKINT_H

#include <dirent.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "base/hmap.h"
#include "base/shape.h"
#include "base/store.h"

#define LOST		"lost+found"	/* quarantined documents */
#define STAGE		".restore"	/* a restore being built or applied */
#define MAXLOCKS	32

struct locks {
	int	 fd[MAXLOCKS];
	int	 n;
};

enum level { L_ERROR, L_LEFTOVER, L_WARNING };

struct fsck {
	struct store	 st;		/* lockfd unused: struct locks holds */
	FILE		*out;
	int		 repair;
	const char	*policy_file;	/* POLICY_FILE, or NULL */
	int		 errors;	/* left unrepaired */
	int		 leftovers;	/* left unrepaired */
	int		 warnings;	/* no repair, no exit status */
	int		 repaired;
	cJSON		*segs;		/* uuid -> record */
	cJSON		*hosts;		/* uuid -> record */
	cJSON		*notifs;	/* uuid -> record */
	struct hmap	 segs_ix;	/* the same, looked up in O(1): */
	struct hmap	 hosts_ix;	/* uuid -> the first record of that */
	struct hmap	 notifs_ix;	/* uuid (record_add()) */
};

/* A repair: 0 done, -1 failed. */
typedef int	(*fixfn)(struct fsck *, const char *rel, void *);

/* fsck.c */
int	 join(char *out, size_t size, const char *a, const char *b);
/* One finding: printed as "error: REL: MSG", "leftover: REL: MSG" or
 * "warning: REL: MSG"; with --repair and a fix, the fix runs and the
 * line says "repaired" (or "repair failed"). */
void	 finding(struct fsck *, enum level, const char *rel, fixfn,
	    void *arg, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
int	 locks_take(struct locks *, const struct store *, int excl);
void	 locks_release(struct locks *);
int	 is_lock_name(const char *);
int	 is_tmp_name(const char *);	/* "X.tmp.RANDOM" (or PID) */
int	 fix_unlink(struct fsck *, const char *rel, void *);
int	 fix_rmdir(struct fsck *, const char *rel, void *);
int	 fix_write(struct fsck *, const char *rel, void *doc);
int	 fix_quarantine(struct fsck *, const char *rel, void *);
/* The whole file rel of the store, or NULL (missing: errno ENOENT). */
char	*read_rel(const struct store *, const char *rel, size_t *len);
/* The folder open on dfd (the caller's), listed through a descriptor of
 * its own. */
DIR	*dir_list(int dfd);
/*
 * The data directory, for fsck, backup and restore: as root, never
 * through a link (root would chmod, or restore into, whatever it points
 * to).  Then: a folder without FORMAT is refused unless it holds nothing
 * but lock files and empty hidden files (.gitkeep), so that fsck --repair
 * or restore pointed at the wrong folder changes nothing there.  0, or
 * -1 with a message; call store_close() either way.
 */
int	 data_dir_open(struct store *, const char *dir, int flags,
	    const char *cmd);
/* Add rec (owned) to recs under key, and to ix unless key is there. */
void	 record_add(cJSON *recs, struct hmap *ix, const char *key, cJSON *rec);

/* fsck_tokens.c: -1 when FORMAT is unknown (nothing else is checked) */
int	 check_format(struct fsck *);
void	 check_tokens(struct fsck *);
void	 check_policy(struct fsck *);
int	 is_hex64(const char *);

void	 check_ha(struct fsck *);	/* fsck_ha.c */
void	 check_vol(struct fsck *);	/* fsck_vol.c */
void	 check_stage(struct fsck *);	/* fsck_backup.c */

#endif
