/* lib/admin/fsckint.h: what the files of fsck share (fsck.c: the run
 * under the locks, findings, repairs, locks, the walk, reading; fsck_check.c:
 * a check without the locks; fsck_tokens.c, fsck_ha.c, fsck_vol.c: the
 * checks by kind; fsck_backup.c: backup and restore; fsck_bundle.c: what a
 * backup reads); not for the rest of hacgi-manage. */
#ifndef HACGI_FSCKINT_H
#define HACGI_FSCKINT_H

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

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

/*
 * Without --repair, fsck reads without the locks and takes them (shared)
 * in short windows (fsck_check.c): findings are held back as notes until
 * the second window has confirmed them.
 */
struct note {
	enum level	 lv;
	char		*rel;		/* owned */
	char		*msg;		/* owned; NULL: dropped */
	int		 walked;	/* the walk's: judged again */
};

struct notes {
	struct note	*v;		/* owned */
	size_t		 n;
};

/* The folders a part read without the locks, as they were before: if
 * one changed meanwhile (every write there is a rename in it), what was
 * read of it may be of two moments. */
struct watch {
	char		*rel;		/* owned; "." is DATA_DIR */
	int		 exists;
	dev_t		 dev;
	ino_t		 ino;
	struct timespec	 mtime, ctime;
};

struct watches {
	struct watch	*v;		/* owned */
	size_t		 n;
	int		 hot;		/* one changed too lately to tell */
};

/* A Volume journal as the first window found it. */
struct vsnap {
	int		 fd;		/* -1: none then */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
};

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
	cJSON		*names;		/* checking: index file -> entry read */
	struct hmap	 names_ix;	/* (a null for one unreadable) */
	/* without --repair (fsck_check.c); NULL, 0 under the locks */
	struct notes	*defer;		/* NULL: print each finding at once */
	struct watches	*watch;		/* NULL: no folder is watched */
	int		 walking;	/* findings are the walk's */
	int		 snapped;	/* vsnap[] holds the journals */
	struct vsnap	 vsnap[2];	/* services, clusters */
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
/* One more lock, NAME.lock, added to lk (shared or exclusive). */
int	 lock_one(struct locks *, const struct store *, const char *name,
	    int excl);
void	 locks_release(struct locks *);
/* store_close() and store_attach() again, with the same folder and
 * flags: the folders kept open are opened again (a restore may have
 * replaced them).  0, or -1 and a log line. */
int	 store_reattach(struct store *);
/* The walk's verdict on one entry, again, without going down a folder. */
void	 walk_again(struct fsck *, const char *rel);
/* store_read_text() and store_read() in fewer system calls (fsck reads
 * every document), with the same results and log lines. */
char	*fsck_text(const struct fsck *, const char *rel, size_t *len,
	    int *err);
cJSON	*fsck_read(const struct fsck *, const char *rel, int *err);
/* Before a check reads the folder rel without the locks (a no-op under
 * them): every check that reads a folder of its own calls it first. */
void	 fsck_watch(struct fsck *, const char *rel);
/* The same, for any list of folders; watch_at records what fstat said of
 * the folder rel open on fd.  watches_still: did none change since? */
void	 watch_add(const struct store *, struct watches *, const char *rel);
void	 watch_at(struct watches *, const char *rel, int fd);
int	 watches_still(const struct store *, const struct watches *);
void	 watches_free(struct watches *);
void	 notes_free(struct notes *);
void	 fsck_free(struct fsck *);	/* the records; safe twice */
/* The part of a check that is neither Instance-HA nor Volume: DATA_DIR's
 * mode, a restore, the walk, FORMAT, tokens, policy.  -1 when FORMAT is
 * unknown (nothing else may be checked). */
int	 check_top(struct fsck *);
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
/* The folder of rel's parent ("" for DATA_DIR) in the store, and rel's
 * last component in *name; -1 (errno) when there is none. */
int	 parent_fd(const struct store *, const char *rel, const char **name);
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

/* fsck_keystone.c: keystone.conf, the kept service token, the cache */
void	 check_keystone(struct fsck *);

/* fsck_ha.c: runs without the locks too (fsck_check.c): a check added
 * here watches the folders it reads (fsck_watch). */
void	 check_ha(struct fsck *);
/* fsck_vol.c: check_vol() under the locks; without them,
 * check_vol_read() (no lock: the journals of the first window, every
 * record file), then
 * vol_confirm() (the second window: -1 when a journal was compacted
 * meanwhile: read again), vol_notes(), vol_done().  What both run under
 * the Volume lock, whatever the mode, is vol_docs(). */
struct vcheck;
void		 check_vol(struct fsck *);
struct vcheck	*check_vol_read(struct fsck *);
int		 vol_confirm(struct fsck *, struct vcheck *);
void		 vol_done(struct vcheck *);
/* The findings, in check_vol()'s order, moved to the end of out. */
void		 vol_notes(struct vcheck *, struct notes *);

/* fsck_check.c: fsck without --repair */
int	 fsck_check(struct fsck *);
/* fsck.c: the same holding every lock from start to end (--repair) */
int	 fsck_locked(struct fsck *);

/* fsck_vol_index.c: the name index, from vol_docs() (under the
 * Volume lock in both modes) */
void	 check_vol_index(struct fsck *);
void	 check_stage(struct fsck *);	/* fsck_backup.c */
/* A bundle entry's content (text, or base64) and what a bundle leaves
 * out: what a restore keeps (locks, debris, quarantine, a restore,
 * keystone.conf), and what it removes (bundle_derived: the keystone
 * folder). */
void	 bundle_content(cJSON *e, const char *p, size_t len);
int	 bundle_skip(const char *rel, const char *name);
int	 bundle_derived(const char *rel);
/* fsck_bundle.c: every document of st, as bundle entries of one moment,
 * read without keeping the programs waiting; 0 or -1 (errno) */
int	 bundle_files(struct store *, cJSON *files);

#endif
