/* lib/admin/fsck_check.c: hacgi-manage fsck without --repair, without
 * keeping the programs waiting (SPEC 6; what is checked: fsck.h).
 *
 * Holding every lock for the whole check, as --repair does, stopped the
 * service: a check of 10,000 clusters kept heartbeats waiting 17 s, past
 * SERVICE_DOWN_TIME.  So the check reads without the locks and takes
 * them (shared) twice, each time for work that does not grow with the
 * store but with what changed meanwhile:
 *
 *  1. first window: open the Volume journals and note their sizes (the
 *     Volume state of that moment: their lines are the commits);
 *  2. no lock: the whole check, findings held back (struct note), the
 *     times of each folder noted before it is read (fsck_watch);
 *  3. second window: the walk's findings judged again (a temp file is a
 *     write in flight unless it is still there); the Instance-HA and top
 *     folders unchanged (every write there is a rename in one of them:
 *     what was read is then what is there now); the Volume lines written
 *     since read, and the record files they touched read again
 *     (vol_confirm).
 *
 * What a concurrent write made unsure (a folder changed, a journal was
 * compacted) is checked again; the last of FSCK_TRIES tries reads the
 * top and Instance-HA parts, if still unsure, holding ha.lock (and
 * tokens.lock for the top part), shared: Instance-HA writes then wait
 * for the Instance-HA check, heartbeats (under vol.lock) never do.  The
 * findings are those of the store at the second window.
 *
 * Every folder is opened from the data directory's descriptor, through
 * no link (lib/base/storedir.c); the store's kept folders are opened
 * again at each window (a restore may have replaced them meanwhile).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsckint.h"
#include "base/store.h"
#include "base/util.h"
#include "ha/layout.h"
#include "vol/volint.h"

#define FSCK_TRIES	3

/* One part of the check: its findings and the folders it read. */
struct part {
	struct notes	 notes;
	struct watches	 watch;
	int		 ok;		/* confirmed */
	int		 held;		/* read under its lock: sure */
};

static void
part_reset(struct part *p)
{
	notes_free(&p->notes);
	watches_free(&p->watch);
}

/* Findings and watches go to p until part_end(). */
static void
part_begin(struct fsck *fk, struct part *p)
{
	part_reset(p);
	fk->defer = &p->notes;
	fk->watch = &p->watch;
}

static void
part_end(struct fsck *fk)
{
	fk->defer = NULL;
	fk->watch = NULL;
}

/* The walk's findings, judged again (walk_again), in their places. */
static void
rewalk(struct fsck *fk, struct part *p)
{
	struct notes	 old = p->notes;
	struct notes	*ns = &p->notes;
	struct note	*n;
	size_t		 i;

	ns->v = NULL;
	ns->n = 0;
	fk->defer = ns;
	for (i = 0; i < old.n; i++) {
		n = &old.v[i];
		if (n->msg == NULL)
			continue;
		if (n->walked) {
			walk_again(fk, n->rel);
			continue;
		}
		ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
		ns->v[ns->n++] = *n;
		n->rel = n->msg = NULL;
	}
	fk->defer = NULL;
	notes_free(&old);
}

/* The first window: the journals, as they are now (struct vsnap). */
static void
vol_snap(struct fsck *fk)
{
	static const char *const journals[] = { VOLJ_SERVICES, VOLJ_CLUSTERS };
	struct stat	 sb;
	struct vsnap	*s;
	int		 i;

	for (i = 0; i < 2; i++) {
		s = &fk->vsnap[i];
		if (fk->snapped && s->fd != -1)
			close(s->fd);
		memset(s, 0, sizeof(*s));
		if ((s->fd = store_fd(&fk->st, journals[i], O_RDONLY, 0,
		    &sb)) == -1)
			continue;
		s->dev = sb.st_dev;
		s->ino = sb.st_ino;
		s->size = sb.st_size;
	}
	fk->snapped = 1;
}

static void
records_new(struct fsck *fk)
{
	fsck_free(fk);
	fk->segs = cJSON_CreateObject();
	fk->hosts = cJSON_CreateObject();
	fk->notifs = cJSON_CreateObject();
}

struct run {
	struct fsck	*fk;
	struct part	 top, ha, vol;
	struct vcheck	*vc;
	int		 format;	/* check_top() */
	int		 has_vol;	/* at the first window */
};

/* The reading, without the locks, of the parts not confirmed yet. */
static void
run_read(struct run *r)
{
	struct fsck	*fk = r->fk;

	if (!r->top.ok) {
		part_begin(fk, &r->top);
		r->format = check_top(fk);
		part_end(fk);
	}
	if (r->format == -1)	/* nothing else may be checked */
		r->ha.ok = r->vol.ok = 1;
	if (!r->ha.ok) {
		records_new(fk);
		part_begin(fk, &r->ha);
		check_ha(fk);
		part_end(fk);
	}
	if (!r->vol.ok && r->has_vol) {
		vol_done(r->vc);
		r->vc = check_vol_read(fk);
	}
}

/* The second window. */
static void
run_confirm(struct run *r)
{
	struct fsck	*fk = r->fk;

	if (!r->top.ok) {
		rewalk(fk, &r->top);
		r->top.ok = r->top.held || watches_still(&fk->st,
		    &r->top.watch);
	}
	if (!r->ha.ok)
		r->ha.ok = r->ha.held || watches_still(&fk->st, &r->ha.watch);
	if (r->vol.ok)
		return;
	if (!r->has_vol) {	/* made since the first window? */
		r->vol.ok = store_exists(&fk->st, "vol") == 0;
		return;
	}
	fk->defer = &r->vol.notes;
	r->vol.ok = vol_confirm(fk, r->vc) == 0;
	fk->defer = NULL;
}

static int
run_print(struct run *r)
{
	static const char *const level_names[] = {
		"error", "leftover", "warning",
	};
	const struct notes	*parts[3] = { &r->top.notes, &r->ha.notes,
				    &r->vol.notes };
	const struct note	*n;
	int			 count[3] = { 0, 0, 0 };
	size_t			 i, k;

	if (r->vc != NULL)
		vol_notes(r->vc, &r->vol.notes);
	for (k = 0; k < NELEM(parts); k++)
		for (i = 0; i < parts[k]->n; i++) {
			n = &parts[k]->v[i];
			if (n->msg == NULL)
				continue;
			count[n->lv]++;
			fprintf(r->fk->out, "%s: %s: %s\n", level_names[n->lv],
			    n->rel, n->msg);
		}
	fprintf(r->fk->out, "fsck: %d error(s), %d leftover(s), 0 repaired\n",
	    count[L_ERROR], count[L_LEFTOVER]);
	return count[L_ERROR] > 0 ? 1 : 0;
}

static void
run_free(struct run *r)
{
	int	 i;

	part_reset(&r->top);
	part_reset(&r->ha);
	part_reset(&r->vol);
	vol_done(r->vc);
	for (i = 0; i < 2 && r->fk->snapped; i++)
		if (r->fk->vsnap[i].fd != -1)
			close(r->fk->vsnap[i].fd);
	r->fk->snapped = 0;
}

/*
 * The last try: the top and Instance-HA parts still unsure are read
 * holding their locks, shared (the Volume part is unsure only when a
 * journal was compacted during the read, which takes a journal growing
 * by half: it tries again).  ha.lock first, even for the top part alone:
 * the order of every holder of several locks (FORMAT.md), or a restore
 * holding ha.lock and waiting for tokens.lock would wait for us, and we
 * for it.  What else changes the top folder (a lock file made) changes
 * no document, and the walk's findings are judged again anyway.
 */
static int
run_hold(struct run *r, struct locks *held)
{
	struct fsck	*fk = r->fk;

	held->n = 0;
	if (r->top.ok && r->ha.ok)
		return 0;
	if (lock_one(held, &fk->st, HA_LOCK, 0) == -1 || (!r->top.ok &&
	    lock_one(held, &fk->st, "tokens", 0) == -1))
		return -1;
	r->top.held = !r->top.ok;
	r->ha.held = !r->ha.ok;
	fprintf(stderr, "hacgi-manage: fsck: %s kept changing: checking the "
	    "rest holding ha.lock%s (Instance-HA writes wait)\n", fk->st.dir,
	    r->top.held ? " and tokens.lock" : "");
	return 0;
}

/* A window: the store's folders opened again, every lock shared. */
static int
window_open(struct fsck *fk, struct locks *lk)
{
	if (store_reattach(&fk->st) == -1) {
		fprintf(stderr, "hacgi-manage: fsck: %s: cannot open it (see "
		    "above)\n", fk->st.dir);
		return -1;
	}
	return locks_take(lk, &fk->st, 0);
}

int
fsck_check(struct fsck *fk)
{
	struct run	 r;
	struct locks	 lk, held = { { 0 }, 0 };
	int		 i, tries, rc = -1;

	memset(&r, 0, sizeof(r));
	r.fk = fk;
	for (i = 0; i < 2; i++)
		fk->vsnap[i].fd = -1;
	for (tries = 0; tries < FSCK_TRIES; tries++) {
		if (tries > 0)
			usleep(100000 * tries);	/* let the writes pass */
		if (tries == FSCK_TRIES - 1 && run_hold(&r, &held) == -1)
			goto out;
		if (window_open(fk, &lk) == -1)
			goto out;
		r.has_vol = store_exists(&fk->st, "vol") == 1;
		if (!r.vol.ok)
			vol_snap(fk);
		locks_release(&lk);
		run_read(&r);
		if (window_open(fk, &lk) == -1)
			goto out;
		run_confirm(&r);
		locks_release(&lk);
		if (r.top.ok && r.ha.ok && r.vol.ok) {
			rc = run_print(&r);
			goto out;
		}
	}
	fprintf(stderr, "hacgi-manage: fsck: %s: the journals were compacted "
	    "during every try\n", fk->st.dir);
out:
	locks_release(&held);
	run_free(&r);
	return rc;
}
