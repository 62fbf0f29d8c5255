/* lib/base/store.h: JSON documents under DATA_DIR, flock on separate lock
 * files, atomic replacement (SPEC 1.1, STYLE 19-21). */
#ifndef HACGI_STORE_H
#define HACGI_STORE_H

#include <cjson/cJSON.h>

#define STORE_FORMAT	1	/* data format version, in DATA_DIR/FORMAT */

enum store_mode { STORE_READ, STORE_WRITE };

struct store {
	int		 lockfd;	/* -1 when not locked */
	const char	*dir;		/* DATA_DIR, not owned */
};

/* A handle on dir that holds no lock: for a reader that needs none
 * (fsck, which takes its own), and so that store_close() is safe before
 * any open.  The fields are the store's: callers never set them. */
void	 store_init(struct store *, const char *dir);
/* Lock DATA_DIR/<name>.lock: shared to read, exclusive to write.  A write
 * open also creates DATA_DIR (0700) and checks or writes FORMAT. */
int	 store_open(struct store *, const char *dir, const char *name,
	    enum store_mode);
void	 store_close(struct store *);	/* safe after a failed open */

/* Paths are relative to DATA_DIR and built only from fixed words and
 * validated ids, never from names (STYLE 15). */
cJSON	*store_read(const struct store *, const char *rel, int *err);
int	 store_write(const struct store *, const char *rel, const cJSON *);
int	 store_remove(const struct store *, const char *rel);
int	 store_rename(const struct store *, const char *from, const char *to);
int	 store_mkdir(const struct store *, const char *rel);
int	 store_rmdir(const struct store *, const char *rel);
int	 store_exists(const struct store *, const char *rel);
char	*store_read_text(const struct store *, const char *rel, int *err);
/* The one whole-file reader: fd from where it is to its end, or max bytes
 * (SIZE_MAX: no limit), interrupted reads retried.  The bytes (owned,
 * NUL-terminated), their number in *len; NULL with errno on a failed
 * read. */
char	*store_read_fd(int fd, size_t max, size_t *len);
int	 store_write_text(const struct store *, const char *rel,
	    const char *, size_t);

/* Calls fn for each regular "*.json" file name in a directory, in no
 * particular order; stops on a non-zero return. */
int	 store_scan(const struct store *, const char *rel,
	    int (*)(const char *name, void *), void *);

/* Next value of a per-kind counter kept in rel (a JSON object). */
long long store_next_id(const struct store *, const char *rel,
	    const char *kind);

void	 store_sha256_hex(const char *, char out[65]);



/* Bulk loads: skip the per-write fsyncs, then call store_sync(). */
void	 store_set_nosync(int);
int	 store_sync(const struct store *);
/* fsync the directory holding path; fdatasync fd (both no-ops while the
 * bulk mode is on). */
int	 store_dirsync(const char *path);
int	 store_datasync(int fd);
/* write(2) all n bytes (short writes continue, EINTR retries): 0 or -1 */
int	 store_write_all(int fd, const char *p, size_t n);

int	 store_uuid_ok(const char *);	/* canonical lower-case uuid */
/* A record's file name "X.json", X 36 characters: 1 and X in uuid (the
 * caller checks it with store_uuid_ok() if it must), else 0. */
int	 store_uuid_name(const char *file, char uuid[37]);
void	 store_uuid_new(char out[37]);
#endif
