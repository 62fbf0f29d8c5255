/* lib/base/store.h: JSON documents under DATA_DIR, flock on separate lock
 * files, atomic replacement (SPEC 1.1, STYLE 19-21).
 *
 * Every path below DATA_DIR is opened from a folder descriptor, one
 * component at a time, never through a link (openat with O_NOFOLLOW, and
 * O_DIRECTORY for folders).  Each folder a store opens is checked once
 * (one fstat): DATA_DIR and its folders must belong to the user we run as
 * and must not be writable by group or others, else the operation fails
 * with a log line saying why (the programs answer 500).  Files must be
 * regular: a FIFO or a device is refused without blocking (O_NONBLOCK,
 * then fstat), and a document over STORE_DOC_MAX bytes is an error, not
 * an allocation.
 */
#ifndef HACGI_STORE_H
#define HACGI_STORE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#define STORE_FORMAT	1	/* data format version, in DATA_DIR/FORMAT */
#define STORE_DOC_MAX	(16L << 20)	/* bytes in one document */

enum store_mode { STORE_READ, STORE_WRITE };

struct store_dirs;

#define STORE_LAX	0x01	/* owners and modes not enforced (fsck and
				   backup, which report them) */
#define STORE_NOLINK	0x02	/* DATA_DIR itself must not be a link */

struct store {
	int		 lockfd;	/* -1 when not locked */
	const char	*dir;		/* DATA_DIR, not owned */
	struct store_dirs *dirs;	/* owned: the folders opened so far */
	int		 flags;		/* STORE_LAX, STORE_NOLINK */
};

/* A handle on dir that holds no lock: for a reader that needs none
 * (every write is a rename), and so that store_close() is safe before
 * any open.  DATA_DIR is opened (and checked) at its first use; a
 * missing one is no error: nothing is found in it.  The fields are the
 * store's: callers never set them.  A handle that was used is closed
 * before it is opened again. */
void	 store_init(struct store *, const char *dir);
/* store_init with flags, and DATA_DIR opened now: 0, or -1 and a log
 * line (a missing DATA_DIR is no error).  Call store_close() either
 * way. */
int	 store_attach(struct store *, const char *dir, int flags);
/* store_init, then lock DATA_DIR/<name>.lock: shared to read, exclusive
 * to write.  A write open also creates DATA_DIR (0700) and checks or
 * writes FORMAT. */
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
/* 1, 0, or -1: cannot tell (logged) */
int	 store_exists(const struct store *, const char *rel);
char	*store_read_text(const struct store *, const char *rel, int *err);
/* The one whole-file reader: fd from where it is to its end, or max bytes
 * (SIZE_MAX: no limit), interrupted reads retried.  The bytes (owned,
 * NUL-terminated), their number in *len; NULL with errno on a failed
 * read. */
char	*store_read_fd(int fd, size_t max, size_t *len);
int	 store_write_text(const struct store *, const char *rel,
	    const char *, size_t);
/* The same without STORE_DOC_MAX: a journal, which readers scan in place
 * rather than parse whole, grows with the records it lists (the Volume
 * journals of 100,000 services are ~80 MB). */
int	 store_write_log(const struct store *, const char *rel,
	    const char *, size_t);

/* Open rel with flags (as open(2); O_NOFOLLOW, O_NONBLOCK and O_CLOEXEC
 * are added) and fstat it into sb.  -1 with errno ENOENT, not logged,
 * when rel or one of its folders does not exist; -1 and a log line on
 * any other failure, a file that is not regular included. */
int	 store_fd(const struct store *, const char *rel, int flags, mode_t,
	    struct stat *sb);
/* Replace name in the folder dfd by text, atomically: a temp file of an
 * unpredictable name created there with O_EXCL (mode 0600), written,
 * fsynced, renamed over name, then the folder fsynced.  where names the
 * file in log lines.  0, or -1 with the temp file gone.  (store_write_text
 * does this in DATA_DIR; hacgi-manage backup in the folder it is given.) */
int	 store_replace(int dfd, const char *where, const char *name,
	    const char *text, size_t len);
/* A document that says who may do what (tokens.json), read as
 * store_read_text reads one, with its length (a parser must see any NUL
 * byte in it); refused (an error, logged) when group or others may
 * write it. */
char	*store_read_private(const struct store *, const char *rel,
	    size_t *len, int *err);
/* The same for a file outside DATA_DIR (POLICY_FILE); the last component
 * must not be a link. */
char	*store_read_file(const char *path, size_t *len, int *err);

/* The descriptor of the folder rel ("" = DATA_DIR), kept by the store
 * (never close it; a store_rename or store_rmdir of it may): -1 with
 * errno ENOENT when there is none, or -1 logged. */
int	 store_dirfd(const struct store *, const char *rel);
/* Remove rel and everything below it; links are removed, never
 * followed.  A missing rel is no error. */
int	 store_rmtree(const struct store *, const char *rel);

/* Calls fn for each "*.json" file name in a directory, in no particular
 * order; stops on a non-zero return, which it returns; -1 (logged) when
 * the folder cannot be opened or read to its end, 0 when it is
 * missing. */
int	 store_scan(const struct store *, const char *rel,
	    int (*)(const char *name, void *), void *);

/* Next value of a per-kind counter kept in rel (a JSON object). */
long long store_next_id(const struct store *, const char *rel,
	    const char *kind);

void	 store_sha256_hex(const char *, char out[65]);

/* Bulk loads: skip the per-write fsyncs, then call store_sync(). */
void	 store_set_nosync(int);
int	 store_sync(const struct store *);
/* fsync the folder holding rel; fdatasync fd (both no-ops while the bulk
 * mode is on). */
int	 store_dirsync(const struct store *, const char *rel);
int	 store_datasync(int fd);
/* write(2) all n bytes (short writes continue, EINTR retries): 0 or -1 */
int	 store_write_all(int fd, const char *p, size_t n);

int	 store_uuid_ok(const char *);	/* canonical lower-case uuid */
/* A record's file name "X.json", X 36 characters: 1 and X in uuid (the
 * caller checks it with store_uuid_ok() if it must), else 0. */
int	 store_uuid_name(const char *file, char uuid[37]);
void	 store_uuid_new(char out[37]);
#endif
