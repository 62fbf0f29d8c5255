/* lib/admin/fsck_vol_files.c: the Volume record files against their
 * journal lines (fsck_vol.c says how the check runs). */
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

/* ---- the record files ---- */

/* The line of f with id, or NULL. */
static const struct vline *
vfile_line(const struct vfile *f, unsigned long id)
{
	const struct vline	*l;

	for (l = f->line; l != NULL && l->id != id; l = l->twin)
		;
	return l;
}

/* What f holds, as a record, when usable (NULL: treat it as absent). */
const cJSON *
vfile_rec(const struct vfile *f)
{
	const struct vline	*l;

	if (!f->seen || !f->usable)
		return NULL;
	if (f->rec != NULL)
		return f->rec;
	l = vfile_line(f, f->same);
	return l != NULL ? l->j : NULL;
}

static void
vfile_forget(struct vfile *f)
{
	cJSON_Delete(f->rec);
	f->rec = NULL;
	f->seen = f->usable = 0;
	f->same = 0;
	if (f->note != SIZE_MAX) {	/* the finding goes with what it saw */
		free(f->notes->v[f->note].msg);
		f->notes->v[f->note].msg = NULL;
	}
	f->note = SIZE_MAX;
}

/* A finding about the record file f, remembered so that reading it
 * again can take it back. */
static void
vfile_finding(struct vstate *vs, struct vfile *f, const char *rel,
    fixfn fix, const char *msg)
{
	struct fsck	*fk = vs->fk;

	if (fk->defer != NULL) {
		f->notes = fk->defer;
		f->note = fk->defer->n;
	}
	finding(fk, L_ERROR, rel, fix, NULL, "%s", msg);
}

/* The text of a live line of f, and a newline? */
static const struct vline *
vfile_same(const struct vfile *f, const char *text, size_t len)
{
	const struct vline	*l;

	for (l = f->line; l != NULL; l = l->twin)
		if (len == l->len + 1 && text[l->len] == '\n' &&
		    memcmp(text, l->text, l->len) == 0)
			return l;
	return NULL;
}

/* Parse a record file whose text is no live line's (store_read()). */
static cJSON *
vol_parse(struct vstate *vs, const char *rel, const char *text)
{
	cJSON	*rec;

	rec = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, NULL, 1);
	if (rec == NULL)
		log_warn("store %s/%s: unparseable document", vs->fk->st.dir,
		    rel);
	return rec;
}

/* The shape of a usable record file's record. */
static void
vfile_shape(struct vstate *vs, struct vfile *f, const char *rel)
{
	const cJSON	*rec = vfile_rec(f);
	const char	*bad;
	struct buf	 msg;

	buf_init(&msg);
	if ((bad = shape_problem(rec, vs->k->shape)) != NULL)
		buf_printf(&msg, "field \"%s\" missing or of the wrong type",
		    bad);
	else if ((bad = vs->k->optional(rec)) != NULL)
		buf_printf(&msg, "optional field \"%s\" of the wrong shape "
		    "(vol/volsvc.h)", bad);
	if (bad != NULL)
		vfile_finding(vs, f, rel, NULL, buf_str(&msg));
	buf_free(&msg);
}

int
vol_rec_one(const char *file, void *arg)
{
	struct vstate		*vs = arg;
	struct vfile		*f;
	const struct vline	*l;
	char			 rel[PATH_MAX], want[80], *text;
	size_t			 len;
	int			 err;

	snprintf(rel, sizeof(rel), "%s/%s", vs->k->dir, file);
	f = vfile_get(vs, file);
	vfile_forget(f);
	text = fsck_text(vs->fk, rel, &len, &err);
	if (text == NULL && !err && vs->fk->defer != NULL) {
		f->again = 1;	/* gone since the scan: settled later */
		return 0;
	}
	f->seen = 1;
	if (text != NULL && (l = vfile_same(f, text, len)) != NULL) {
		f->same = l->id;	/* the live line's text: no parse */
		f->usable = 1;
	} else if (text != NULL)
		f->rec = vol_parse(vs, rel, text);
	free(text);
	if (f->same == 0 && (f->rec == NULL || !cJSON_IsObject(f->rec))) {
		vfile_finding(vs, f, rel, fix_quarantine, "unparseable record");
		return 0;
	}
	if (f->same == 0) {
		vol_file(f->rec, vs->k, want);
		if (strcmp(want, file) != 0) {
			vfile_finding(vs, f, rel, fix_quarantine, "file name "
			    "is not the hash of the record's key");
			return 0;
		}
		f->usable = 1;
	}
	vfile_shape(vs, f, rel);
	return 0;
}
