/* lib/vol/volint.h: what the files of lib/vol share (volume.c and its
 * helpers volscan.c and volview.c read, volstore.c writes); not for the
 * programs. */
#ifndef HACGI_VOLINT_H
#define HACGI_VOLINT_H

#include <stddef.h>

#include "base/store.h"

#define VOL_SVC_DIR	"vol/services"	/* a record file per service */
#define VOLJ_SERVICES	"vol/services.log"
#define VOLJ_CLUSTERS	"vol/clusters.log"
#define VOL_COUNTERS	"vol/counters.json"
/* A journal over this size is refused (a 500 and a log line), not read:
 * compaction keeps it under 1.5 x its live records + 64 KiB, some
 * 400 bytes a record. */
#define VOLJ_MAX	(256L << 20)

long long volj_seq_of(const char *line);	/* -1 if not a journal line */
int	 volj_index(const char *text, size_t len, const char ***last,
	    size_t *n);
int	 volj_is_removal(const char *line, size_t len);
char	*volj_slurp(const struct store *, const char *rel, size_t *len,
	    int *err);

#endif
