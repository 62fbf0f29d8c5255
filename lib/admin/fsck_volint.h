/* lib/admin/fsck_volint.h: what the parts of the Volume check share
 * (fsck_vol.c: the journals, the verdict, the run; fsck_vol_files.c: the
 * record files; fsck_vol_docs.c: counters, orphans, log levels). */
#ifndef HACGI_FSCK_VOLINT_H
#define HACGI_FSCK_VOLINT_H

#include <sys/types.h>

#include <stddef.h>

#include <cjson/cJSON.h>

#include "admin/fsckint.h"
#include "base/hmap.h"

struct vkind {
	const char	*dir;
	const char	*journal;
	const char	*key1;		/* the key is (key1, binary) */
	const char	*counter;
	const struct shape *shape;
	const char	*(*optional)(const cJSON *);	/* a bad key or NULL */
};

/* services, clusters */
extern const struct vkind vkinds[2];

struct vfile;

/* A live journal line: the last of its seq, not a removal. */
struct vline {
	unsigned long	 id;		/* never reused */
	cJSON		*j;		/* the value of its seq in live */
	const char	*text;		/* in a journal buffer, no '\n' */
	size_t		 len;
	struct vfile	*f;		/* the name of its record file */
	struct vline	*twin;		/* another live line of that name */
};

/* A record file name: the live lines of its key, and the file. */
struct vfile {
	char		 name[80];
	struct vline	*line;		/* list through twin */
	int		 nlive;
	int		 seen;		/* the file was read */
	cJSON		*rec;		/* parsed, when not the text of same */
	unsigned long	 same;		/* its text is line id same's, or 0 */
	int		 usable;	/* parsed, an object, its right name */
	struct notes	*notes;		/* where its finding is, if any */
	size_t		 note;		/* its index there, or SIZE_MAX */
	int		 again;		/* read it again under the locks */
};

struct vstate {
	struct fsck		*fk;
	const struct vkind	*k;
	cJSON			*live;	/* seq -> its last journal line */
	cJSON			*prev;	/* seq -> the line before that */
	struct hmap		 live_ix;	/* seq -> struct vline */
	struct hmap		 prev_ix;	/* seq -> the item in prev */
	struct hmap		 files;		/* name -> struct vfile */
	struct vfile		**fv;		/* the same, owned */
	size_t			 nfv;
	char			**texts;	/* journal buffers, owned */
	size_t			 ntexts;
	unsigned long		 ids;
	double			 last;	/* seq of the last complete line */
	off_t			 end;	/* the end of the last complete line */
	int			 corrupt;	/* a complete line is no JSON */
	int			 torn;		/* a last line without '\n' */
	int			 tail;		/* mark the files lines touch */
	struct notes		 recnotes;	/* the record files' findings */
};

struct vcheck {
	struct vstate	 vs[2];
	struct notes	 judged[2];	/* each kind's verdict */
	struct notes	 rest;		/* counters, orphans, log levels */
};


/* fsck_vol_files.c: one record file of vol/KIND (a store_scan callback
 * with a struct vstate) */
int	 vol_rec_one(const char *file, void *arg);
/* the record of file f: parsed, or its live line's */
const cJSON *vfile_rec(const struct vfile *f);
/* fsck_vol.c: the entry of a record file name (made when new) */
struct vfile *vfile_get(struct vstate *, const char *name);
void	 vol_file(const cJSON *rec, const struct vkind *, char out[80]);
/* fsck_vol_docs.c: under the Volume lock whatever the mode */
void	 vol_docs(struct fsck *, struct vstate vs[2]);

#endif
