/* lib/vol/vollog.h: the log levels behind the os-services set-log and get-log
 * actions (Volume API 3.32+).
 *
 * cinder-api is hacgi's Volume programs.  Each logs through one named
 * logger (vollog.c: vol-services, vol-service and vol-heartbeat through
 * cinder.api.contrib.services, vol-clusters and vol-cluster through
 * cinder.api.v3.clusters, vol-root through cinder.api.versions) at the
 * level set-log last gave it, read when a request starts, INFO until
 * then (as Cinder).  DEBUG adds a line per request (method, path,
 * status), INFO is a line per change made through an os-services action,
 * WARNING the storage problems; ERROR leaves nothing (hacgi logs nothing
 * above WARNING).  get-log reports every logger of the table in vollog.c:
 * the cinder.api.contrib ones the reference reports, which nothing in
 * hacgi logs through, then those of hacgi's programs.
 *
 * The other binaries (cinder-scheduler, cinder-volume, cinder-backup) have
 * no process here to tell: hacgi keeps, per service (host, binary), the
 * levels set-log gave each prefix, and get-log reports those whose
 * prefix starts with the asked one ("" when set-log named none).  As in
 * Cinder only services that are up are told or asked, and a set-log
 * without a level changes none of them (their managers would refuse it).
 *
 * Files (written under the Volume lock, each replaced whole):
 *   vol/log-levels.json            {LOGGER: LEVEL}: cinder-api, only the
 *                                  loggers set-log ever set
 *   vol/log-levels-services.json   {"services": [{"host", "binary",
 *                                  "levels": {PREFIX: LEVEL}}]}
 * A set-log for every binary writes the services' file, then cinder-api's:
 * killed in between, the services have their new levels and cinder-api
 * not yet; the retry finishes it (in Cinder an RPC cast may be lost too).
 * When cinder-api's cannot be written, the services' is put back before
 * the 500.
 * Two files because every Volume request reads cinder-api's, which
 * therefore stays small whatever the number of services.
 */
#ifndef HACGI_VOLLOG_H
#define HACGI_VOLLOG_H

#include <cjson/cJSON.h>

#include "base/log.h"
#include "http/req.h"
#include "vol/volsvc.h"

struct vollog_req {
	const char	*binary;	/* NULL, "" or "*": every binary */
	const char	*server;	/* NULL or "": any; else a host or a
					   cluster (SPEC 3.2) */
	const char	*prefix;	/* NULL: "" (every logger) */
	const char	*level;		/* set-log: "INFO", "WARNING", "ERROR",
					   "DEBUG", or NULL (none) */
	const char	*api_host;	/* cinder-api's host (API_HOST) */
	int		 down_time;
};

/* Python's logging level of a set-log "level" (utils.get_log_method:
 * upper-cased, one of the four), as its name; NULL when not one. */
const char	*vollog_level_name(const char *);

/* Does the request name cinder-api among its binaries? */
int		 vollog_names_api(const struct vollog_req *);

enum op_rc	 vollog_set(const char *data_dir, const struct vollog_req *);
/* The answer's "log_levels" array (caller frees), NULL on a storage
 * error. */
cJSON		*vollog_get(const char *data_dir, const struct vollog_req *);

/* The level the program self logs at now (INFO when unset or unreadable). */
enum log_level	 vollog_program_level(const char *data_dir, const char *self);
/* The Volume programs' app_main_with start: log_setlevel to that level
 * (INFO while DATA_DIR is not absolute, which the request then refuses,
 * lib/http/app.c). */
void		 vollog_start(const struct req *, const char *self);

#endif
