/* lib/vol/volscan.h: the values of a journal line, read in place
 * (volscan.c; the journals: volume.h). */
#ifndef HACGI_VOLSCAN_H
#define HACGI_VOLSCAN_H

#include <stddef.h>
#include <stdint.h>

/* A value as the journal holds it: JSON text written by json_write, so
 * already what Python json.dumps writes (views copy it as is). */
struct vraw {
	const char	*p;	/* NULL: absent */
	size_t		 n;
};

/* Decoded text (not NUL-terminated). */
struct vstr {
	const char	*p;	/* NULL: JSON null */
	size_t		 n;
};

/* A line {"key": value, ...} in [p, end): the raw values of keys[]
 * (absent: p NULL) and whether "removed" is true; 0, or -1 when the line
 * is not such an object. */
int	 volscan_line(const char *p, const char *end,
	    const char *const *keys, size_t nk, struct vraw *out,
	    int *removed);
/* A raw value as text: null -> p NULL; a string without escapes points
 * into the raw text, else it is decoded into scratch (room: r.n).  0 or
 * -1. */
int	 volscan_text(struct vraw r, struct vstr *out, char *scratch);
/* A time ("YYYY-MM-DDTHH:MM:SS.ffffff") or null (INT64_MIN): 0 or -1. */
int	 volscan_time(struct vraw r, int64_t *out);
int	 volscan_is(struct vraw r, const char *word);	/* exactly word */

int	 vol_raw_true(struct vraw);			/* the value true */
int	 vol_raw_eq(struct vraw, const char *);	/* a string equal to */
int	 vol_str_eq(struct vstr, const char *);

#endif
