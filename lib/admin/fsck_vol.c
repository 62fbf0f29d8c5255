/* lib/admin/fsck_vol.c: fsck of the Volume records and journals, and of
 * the os-services log levels (fsck.h; the layout: vol/volume.h,
 * vol/vollog.h).
 *
 * The journal is read first, each live line once (its record file's
 * name computed once); then each record file, compared with the text of
 * the live line of its name: a record file is that text and a newline
 * (the writers copy the line), so the common case needs no parse.
 *
 * Without the locks (fsck_check.c), the journals are those the first
 * window opened, read up to the sizes it saw: one moment of both.  The
 * record files are read afterwards, while heartbeats go on; so under the
 * locks again, vol_confirm() reads the lines written since, and reads
 * again the record files those lines touched and any that disagreed or
 * made a finding: the verdict is that of the store at the confirmation.
 * The small documents (counters, log levels) are read there too
 * (vol_docs), under the lock in either mode.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/fsck_volint.h"
#include "admin/fsckint.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/store.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volume.h"

/* ---- Volume: record files and journals (layout in volume.h) ---- */

static const struct shape svc_shape[] = {
	{ "seq", SH_ID }, { "host", SH_STR }, { "binary", SH_STR },
	{ "cluster", SH_STR | SH_NULL }, { "zone", SH_STR },
	{ "disabled", SH_BOOL }, { "disabled_reason", SH_STR | SH_NULL },
	{ "heartbeat", SH_TIME | SH_NULL }, { "created_at", SH_TIME },
	{ "modified_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

static const struct shape cl_shape[] = {
	{ "seq", SH_ID }, { "name", SH_STR }, { "binary", SH_STR },
	{ "disabled", SH_BOOL }, { "disabled_reason", SH_STR | SH_NULL },
	{ "replication_status", SH_STR }, { "frozen", SH_BOOL },
	{ "active_backend_id", SH_STR | SH_NULL }, { "created_at", SH_TIME },
	{ "updated_at", SH_TIME | SH_NULL },
	{ NULL, 0 },
};

/* The replication values the os-services actions write (vol/volsvc.h):
 * a service's own, optional, all three or none; a cluster's "members",
 * optional, {HOST: these three}. */
static const struct shape repl_shape[] = {
	{ "replication_status", SH_STR }, { "frozen", SH_BOOL },
	{ "active_backend_id", SH_STR | SH_NULL },
	{ NULL, 0 },
};

static const char	*svc_optional(const cJSON *);
static const char	*cl_optional(const cJSON *);

const struct vkind vkinds[2] = {
	{ VOL_SVC_DIR, VOLJ_SERVICES, "host", "service", svc_shape,
	    svc_optional },
	{ VOL_CL_DIR, VOLJ_CLUSTERS, "name", "cluster", cl_shape,
	    cl_optional },
};

static const char *
svc_optional(const cJSON *rec)
{
	const struct shape	*sh;

	for (sh = repl_shape; sh->key != NULL; sh++)
		if (cJSON_GetObjectItemCaseSensitive(rec, sh->key) != NULL)
			return shape_problem(rec, repl_shape);
	return NULL;
}

static const char *
cl_optional(const cJSON *rec)
{
	const cJSON	*m = cJSON_GetObjectItemCaseSensitive(rec, "members");
	const cJSON	*e;

	if (m == NULL)
		return NULL;
	if (!cJSON_IsObject(m))
		return "members";
	cJSON_ArrayForEach(e, m)
		if (!cJSON_IsObject(e) || shape_problem(e, repl_shape) != NULL)
			return "members";
	return NULL;
}

/* The name of rec's file in vol/KIND/ (vol_rec_file()). */
void
vol_file(const cJSON *rec, const struct vkind *k, char out[80])
{
	const char	*a = json_str(rec, k->key1);
	const char	*b = json_str(rec, "binary");

	vol_rec_file(out, a ? a : "", b ? b : "");
}

struct vfile *
vfile_get(struct vstate *vs, const char *name)
{
	struct vfile	*f;

	if ((f = hmap_gets(&vs->files, name)) != NULL)
		return f;
	f = xcalloc(1, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->note = SIZE_MAX;
	vs->fv = xrealloc(vs->fv, (vs->nfv + 1) * sizeof(*vs->fv));
	vs->fv[vs->nfv++] = f;
	hmap_puts(&vs->files, f->name, f);
	return f;
}

/* In a confirmation, a file whose lines changed is read again. */
static void
vfile_touch(struct vstate *vs, struct vfile *f)
{
	if (vs->tail)
		f->again = 1;
}

static void
vline_link(struct vstate *vs, cJSON *j, const char *p, size_t n)
{
	struct vline	*l = xcalloc(1, sizeof(*l));
	char		 name[80];

	vol_file(j, vs->k, name);
	l->id = ++vs->ids;
	l->j = j;
	l->text = p;
	l->len = n;
	l->f = vfile_get(vs, name);
	l->twin = l->f->line;
	l->f->line = l;
	l->f->nlive++;
	vfile_touch(vs, l->f);
	hmap_puts(&vs->live_ix, j->string, l);
}

static void
vline_unlink(struct vstate *vs, struct vline *l)
{
	struct vline	**pp;

	for (pp = &l->f->line; *pp != l; pp = &(*pp)->twin)
		;
	*pp = l->twin;
	l->f->nlive--;
	vfile_touch(vs, l->f);
	free(l);
}

/* One complete journal line: the record of its seq, or its removal. */
static void
vol_line(struct vstate *vs, const char *p, size_t n)
{
	struct vline	*l;
	cJSON		*j, *old;
	const cJSON	*seq;
	char		 key[32];
	int		 err;

	j = json_parse(p, n, &err);
	seq = cJSON_GetObjectItemCaseSensitive(j, "seq");
	if (!cJSON_IsObject(j) || !shape_type_ok(seq, SH_ID)) {
		vs->corrupt = 1;
		cJSON_Delete(j);
		return;
	}
	snprintf(key, sizeof(key), "%.0f", seq->valuedouble);
	if ((old = hmap_gets(&vs->prev_ix, key)) != NULL) {
		hmap_del(&vs->prev_ix, key, strlen(key));
		cJSON_Delete(cJSON_DetachItemViaPointer(vs->prev, old));
	}
	if ((l = hmap_gets(&vs->live_ix, key)) != NULL) {
		hmap_del(&vs->live_ix, key, strlen(key));
		old = cJSON_DetachItemViaPointer(vs->live, l->j);
		vline_unlink(vs, l);
		record_add(vs->prev, &vs->prev_ix, key, old);
	}
	vs->last = seq->valuedouble;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "removed"))) {
		cJSON_Delete(j);
		return;
	}
	cJSON_AddItemToObject(vs->live, key, j);
	vline_link(vs, j, p, n);
}

/* The complete lines of text[0..len) (owned from now on), which begins
 * at vs->end. */
static void
vol_lines(struct vstate *vs, char *text, size_t len)
{
	char	*p, *nl;

	vs->texts = xrealloc(vs->texts, (vs->ntexts + 1) *
	    sizeof(*vs->texts));
	vs->texts[vs->ntexts++] = text;
	vs->torn = 0;
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL) {
			vs->torn = 1;
			break;
		}
		vol_line(vs, p, (size_t)(nl - p));
		vs->end += nl + 1 - p;
	}
}

/* fd from at to size (fd's end when size is -1); NULL: none. */
static char *
vol_pread(int fd, off_t at, off_t size, size_t *len)
{
	if (lseek(fd, at, SEEK_SET) == -1)
		return NULL;
	return store_read_fd(fd, size < 0 ? SIZE_MAX : (size_t)(size - at),
	    len);
}

/* The journal: from the first window's descriptor, up to the size it
 * saw (snap); under the locks (snap NULL), the file as it is. */
static void
vol_journal(struct vstate *vs, const struct vsnap *snap)
{
	char		*text = NULL;
	size_t		 len;

	if (snap != NULL)
		text = snap->fd == -1 ? NULL : vol_pread(snap->fd, 0,
		    snap->size, &len);
	else
		text = read_rel(&vs->fk->st, vs->k->journal, &len);
	if (text != NULL)	/* else none yet */
		vol_lines(vs, text, len);
}

/* ---- the verdict ---- */

/*
 * The journal is the truth (its lines are the commits); a record file is
 * what the next writer starts from.  Only the record of the last line
 * may be behind (volume.h): the line before it of that seq, or no file
 * when that seq has no earlier line; the next writer brings it up to
 * date (*behind).  Any other difference would surface with the next
 * write of that record: an error.
 */
static int
vol_behind(const struct vstate *vs, const cJSON *seq_of, const cJSON *r)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(seq_of, "seq");
	const cJSON	*p;
	char		 key[32];

	if (!cJSON_IsNumber(v) || v->valuedouble != vs->last)
		return 0;
	snprintf(key, sizeof(key), "%.0f", vs->last);
	p = hmap_gets(&vs->prev_ix, key);
	return r == NULL ? p == NULL : p != NULL && cJSON_Compare(p, r, 1);
}

/* Record files that disagree with their live lines, or have none: the
 * count; *behind for the one the last line may leave. */
static int
vol_agree(const struct vstate *vs, int *behind)
{
	const struct vline	*l;
	const struct vfile	*f;
	const cJSON		*r;
	size_t			 i;
	int			 bad = 0;

	for (i = 0; i < vs->nfv; i++) {
		f = vs->fv[i];
		r = vfile_rec(f);
		for (l = f->line; l != NULL; l = l->twin) {
			if (r != NULL && (f->same == l->id ||
			    (f->rec != NULL && cJSON_Compare(l->j, r, 1))))
				continue;
			if (vol_behind(vs, l->j, r))
				*behind = 1;
			else
				bad++;
		}
		if (f->line != NULL || r == NULL)
			continue;
		if (vol_behind(vs, r, r))	/* removed by the last line */
			*behind = 1;
		else
			bad++;
	}
	return bad;
}

/* Make the record files say what the journal says, then rewrite the
 * journal from them (vol_rebuild: one line per record, no duplicates). */
static int
fix_vol(struct fsck *fk, const char *rel, void *arg)
{
	struct vstate	*vs = arg;
	const cJSON	*l;
	char		 file[80], path[PATH_MAX];
	size_t		 i;
	int		 rc = 0;

	(void)rel;
	if (!vs->corrupt) {
		for (i = 0; i < vs->nfv; i++) {
			if (vfile_rec(vs->fv[i]) == NULL)
				continue;
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir,
			    vs->fv[i]->name);
			rc |= store_remove(&fk->st, path);
		}
		cJSON_ArrayForEach(l, vs->live) {
			vol_file(l, vs->k, file);
			snprintf(path, sizeof(path), "%s/%s", vs->k->dir, file);
			rc |= store_write(&fk->st, path, l);
		}
	}
	return rc != 0 ? -1 : vol_rebuild(&fk->st, vs->k == &vkinds[0] ?
	    VOL_SERVICES : VOL_CLUSTERS);
}

/* Two live journal records with one key: readers list both.  Counts the
 * pairs: k lines of one key are k(k-1)/2. */
static int
vol_dups(const struct vstate *vs)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < vs->nfv; i++)
		n += vs->fv[i]->nlive * (vs->fv[i]->nlive - 1) / 2;
	return n;
}

static void
vol_judge(struct fsck *fk, struct vstate *vs)
{
	int	 n, behind = 0;

	if (vs->corrupt)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "a line is "
		    "not a record: every read fails (rebuilt from the record "
		    "files)");
	else if ((n = vol_dups(vs)) > 0)
		finding(fk, L_ERROR, vs->k->journal, fix_vol, vs, "%d key(s) "
		    "live twice: listed twice", n);
	else if ((n = vol_agree(vs, &behind)) > 0)
		finding(fk, L_ERROR, vs->k->dir, fix_vol, vs, "%d record "
		    "file(s) disagree with the journal (the next write of the "
		    "record would start from it)", n);
	else if (behind)
		finding(fk, L_LEFTOVER, vs->k->dir, fix_vol, vs, "the record "
		    "file of the last journal line is behind it (a write cut "
		    "short after its commit; the next write brings it up to "
		    "date)");
	if (vs->torn)
		finding(fk, L_LEFTOVER, vs->k->journal, NULL, NULL, "a torn "
		    "last line (ignored; the next write cuts it)");
}

/* ---- the run ---- */

static struct vcheck *
vol_new(struct fsck *fk)
{
	struct vcheck	*vc = xcalloc(1, sizeof(*vc));
	int		 i;

	for (i = 0; i < 2; i++) {
		vc->vs[i].fk = fk;
		vc->vs[i].k = &vkinds[i];
		vc->vs[i].live = cJSON_CreateObject();
		vc->vs[i].prev = cJSON_CreateObject();
		vc->vs[i].last = -1;
	}
	return vc;
}

void
vol_done(struct vcheck *vc)
{
	struct vstate	*vs;
	struct vline	*l;
	size_t		 i;
	int		 k;

	if (vc == NULL)
		return;
	for (k = 0; k < 2; k++) {
		vs = &vc->vs[k];
		for (i = 0; i < vs->nfv; i++) {
			while ((l = vs->fv[i]->line) != NULL) {
				vs->fv[i]->line = l->twin;
				free(l);
			}
			cJSON_Delete(vs->fv[i]->rec);
			free(vs->fv[i]);
		}
		for (i = 0; i < vs->ntexts; i++)
			free(vs->texts[i]);
		free(vs->texts);
		free(vs->fv);
		hmap_free(&vs->files);
		hmap_free(&vs->live_ix);
		hmap_free(&vs->prev_ix);
		cJSON_Delete(vs->live);
		cJSON_Delete(vs->prev);
		notes_free(&vs->recnotes);
		notes_free(&vc->judged[k]);
	}
	notes_free(&vc->rest);
	free(vc);
}

/* Under the locks: everything, findings as they come. */
void
check_vol(struct fsck *fk)
{
	struct vcheck	*vc;
	int		 i;

	if (store_exists(&fk->st, "vol") != 1)
		return;
	vc = vol_new(fk);
	for (i = 0; i < 2; i++) {
		vol_journal(&vc->vs[i], NULL);
		store_scan(&fk->st, vc->vs[i].k->dir, vol_rec_one, &vc->vs[i]);
		vol_judge(fk, &vc->vs[i]);
	}
	vol_docs(fk, vc->vs);
	vol_done(vc);
}

/* Without the locks: the journals of the first window, every record
 * file; the findings held in the vcheck. */
struct vcheck *
check_vol_read(struct fsck *fk)
{
	struct vcheck	*vc = vol_new(fk);
	struct notes	*keep = fk->defer;
	struct vstate	*vs;
	int		 i;

	for (i = 0; i < 2; i++) {
		vs = &vc->vs[i];
		fk->defer = &vs->recnotes;
		vol_journal(vs, &fk->vsnap[i]);
		store_scan(&fk->st, vs->k->dir, vol_rec_one, vs);
	}
	fk->defer = keep;
	return vc;
}

/*
 * The lines written since the first window.  -1 when the journal is no
 * longer the one the first window opened (compacted, or replaced by a
 * restore): everything is read again.
 */
static int
vol_catch_up(struct vstate *vs, const struct vsnap *snap)
{
	struct stat	 sb;
	char		*text;
	size_t		 len;
	int		 fd, rc = 0;

	if ((fd = store_fd(&vs->fk->st, vs->k->journal, O_RDONLY, 0, &sb)) ==
	    -1)
		return snap->fd == -1 && errno == ENOENT ? 0 : -1;
	if (snap->fd != -1 && (sb.st_dev != snap->dev ||
	    sb.st_ino != snap->ino))
		rc = -1;
	else if ((text = vol_pread(fd, vs->end, -1, &len)) == NULL)
		rc = -1;
	else {
		vs->tail = 1;
		vol_lines(vs, text, len);
		vs->tail = 0;
	}
	close(fd);
	return rc;
}

/* Does f hold what its live lines say (and nothing, without one)? */
static int
vfile_agrees(const struct vfile *f)
{
	const struct vline	*l;
	const cJSON		*r = vfile_rec(f);

	if (f->line == NULL)
		return r == NULL;
	for (l = f->line; l != NULL; l = l->twin)
		if (r == NULL || (f->same != l->id && (f->rec == NULL ||
		    !cJSON_Compare(l->j, r, 1))))
			return 0;
	return 1;
}

/* Read again every record file a new line touched, that disagreed, or
 * that made a finding: what the other files held still holds (a record
 * file changes only with a journal line). */
static void
vol_again(struct vstate *vs)
{
	struct vfile	*f;
	size_t		 i, n = vs->nfv;	/* reading adds none */

	for (i = 0; i < n; i++) {
		f = vs->fv[i];
		if (f->again || f->note != SIZE_MAX || !vfile_agrees(f))
			vol_rec_one(f->name, vs);
		f->again = 0;
	}
}

int
vol_confirm(struct fsck *fk, struct vcheck *vc)
{
	struct notes	*keep = fk->defer;
	struct vstate	*vs;
	int		 i;

	for (i = 0; i < 2; i++)
		if (vol_catch_up(&vc->vs[i], &fk->vsnap[i]) == -1)
			return -1;
	for (i = 0; i < 2; i++) {
		vs = &vc->vs[i];
		fk->defer = &vs->recnotes;
		vol_again(vs);
		fk->defer = &vc->judged[i];
		vol_judge(fk, vs);
	}
	fk->defer = &vc->rest;
	vol_docs(fk, vc->vs);
	fk->defer = keep;
	return 0;
}

/* The notes in the order check_vol() prints its findings. */
void
vol_notes(struct vcheck *vc, struct notes *out)
{
	struct notes	*from[5] = { &vc->vs[0].recnotes, &vc->judged[0],
			    &vc->vs[1].recnotes, &vc->judged[1], &vc->rest };
	size_t		 i, k;

	for (k = 0; k < NELEM(from); k++) {
		for (i = 0; i < from[k]->n; i++) {
			if (from[k]->v[i].msg == NULL)
				continue;
			out->v = xrealloc(out->v, (out->n + 1) *
			    sizeof(*out->v));
			out->v[out->n++] = from[k]->v[i];
			from[k]->v[i].msg = NULL;
			from[k]->v[i].rel = NULL;
		}
	}
}
