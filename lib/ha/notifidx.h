/*
 * lib/ha/notifidx.h: the notification indexes (docs/FORMAT.md,
 * "Indexes"), kept while ha/index/index.json exists (index.h).
 *
 * Active notifications, by segment: ha/index/active/SEG/NOTIF.json
 * {"host": HOSTUUID} for each notification in new, running or error
 * whose source host is in segment SEG, so that "is SEG in use" (SPEC
 * 1.3) reads that folder only, and stops at the first entry that its
 * host and its record confirm.  An entry is written before its record
 * enters one of those statuses and removed after it leaves them.
 *
 * Duplicates, by what a duplicate shares: ha/index/dup/SHA256.json
 * {"rows": [[generated_time, NOTIFUUID], ...]} (latest first) for the
 * notifications of one source host, type and payload (SHA-256 of the
 * three, the payload's keys sorted: masakari compares payloads as
 * dictionaries).  A row is added before its record is written; the
 * others are then cut to the latest one whose record confirms it, which
 * answers for them all (a duplicate is one no older than the new
 * notification's generated_time minus the window).  Callers hold the
 * "ha" lock.
 */
#ifndef HACGI_NOTIFIDX_H
#define HACGI_NOTIFIDX_H

#include <cjson/cJSON.h>

#include "base/store.h"

int	 nidx_active_add(const struct store *, const char *seg,
	    const char *nuuid, const char *host);
int	 nidx_active_del(const struct store *, const char *seg,
	    const char *nuuid);
/* 1 when a confirmed active notification comes from a current host of
 * seg, 0, -1 on a storage error.  O(entries before the first confirmed
 * one). */
int	 nidx_in_use(const struct store *, const char *seg);

/* ha/index/dup/SHA256.json of rec's source host, type and payload. */
void	 nidx_dup_path(char out[96], const cJSON *rec);
/* 1 when a stored notification of rec's bucket (confirmed by its
 * record: same host, type, payload) has a generated_time >= since; 0;
 * -1. */
int	 nidx_dup_find(const struct store *, const cJSON *rec,
	    const char *since);
/* Add rec (before its record is written), keeping the latest confirmed
 * row of the bucket only.  0 or -1. */
int	 nidx_dup_add(const struct store *, const cJSON *rec);

#endif
