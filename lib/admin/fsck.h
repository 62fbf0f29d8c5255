/* lib/admin/fsck.h: verify and repair DATA_DIR; backup and restore it
 * (SPEC 6: hacgi-manage fsck, backup FILE, restore FILE).
 *
 * --repair holds every lock of DATA_DIR (exclusive), so it sees and
 * changes a quiescent store.  A check reads without the locks and takes
 * them (shared) twice, briefly (fsck_check.c): what it reports is the
 * store as it was when it took them the second time.  What it reports:
 *   error     the programs would misbehave (unparseable or malformed
 *             documents, orphans, duplicate names or ids, index entries
 *             missing or pointing elsewhere, counters behind the ids,
 *             modes open to other users, an unsupported FORMAT, a
 *             tombstone of a segment that exists, a keystone.conf the
 *             programs refuse, an unparseable Keystone cache entry);
 *   leftover  the debris of an interrupted write, which the programs
 *             ignore (stale "*.tmp.*" files, stale name-index entries,
 *             empty host folders, and an unfinished segment delete: its
 *             tombstone with the hosts left to purge, segment.h), or
 *             replace (a Keystone cache entry or kept service token they
 *             cannot use: --repair removes it, fsck_keystone.c);
 *   warning   what works but is likely a mistake (a policy rule that no
 *             check uses).
 * --repair fixes what can be fixed without guessing: derived indexes are
 * rebuilt, debris is removed (an unfinished delete is finished), modes
 * are tightened, and a document that cannot be trusted (unparseable, or
 * an orphan) is moved, never deleted, to DATA_DIR/lost+found/ (an
 * unparseable tombstone with its segment's host folder).  One run
 * repairs what it can; duplicates and a foreign FORMAT are only
 * reported.
 */
#ifndef HACGI_FSCK_H
#define HACGI_FSCK_H

#include <stdio.h>

/* 0 consistent (leftovers and warnings allowed), 1 errors remain, -1
 * could not run.  policy_file: POLICY_FILE, NULL for DATA_DIR's. */
int	fsck_run(const char *dir, const char *policy_file, int repair,
	    FILE *out);
/* A JSON bundle of every document as they were at one moment, read
 * without keeping the programs waiting (fsck_bundle.c). */
int	fsck_backup(const char *dir, const char *file);
/* Replace the documents by a bundle's, under the exclusive locks. */
int	fsck_restore(const char *dir, const char *file);

#endif
