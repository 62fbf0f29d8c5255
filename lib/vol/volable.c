/*
 * lib/vol/volable.c: os-services enable, disable and disable-log-reason
 * (volsvc.h): the first service the host and binary name gets disabled,
 * modified_at = now and, for disable-log-reason, disabled_reason; one
 * record, one commit, in the two passes of volint.h.
 */
#include <stdlib.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/util.h"
#include "vol/volint.h"
#include "vol/volscan.h"
#include "vol/volsvc.h"

struct able_find {
	const struct volsvc_able	*a;
	char				*host;	/* owned: the first match */
};

static int
able_one(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct able_find	*f = arg;

	(void)db;
	if (!vol_str_eq(s->binary, f->a->binary) ||
	    !vol_name_match(f->a->host, s->host))
		return 0;
	f->host = xstrndup(s->host.p, s->host.n);
	return 1;
}

static void
able_change(cJSON *rec, const void *arg)
{
	const struct volsvc_able	*a = arg;
	char				 now[27];

	clock_now(now, 0);
	vol_set(rec, "disabled", cJSON_CreateBool(a->disabled));
	if (a->with_reason)
		vol_set(rec, "disabled_reason", vol_str_or_null(a->reason));
	vol_set(rec, "modified_at", cJSON_CreateString(now));
}

static enum op_rc
able_pass(const struct store *st, int write, void *arg, struct buf *m)
{
	struct able_find	 f = { arg, NULL };
	struct vol_db		 db;
	enum op_rc		 rc = OP_IO;
	cJSON			*rec;
	int			 ix, r;

	(void)m;
	/* the services the host names, through the name index */
	ix = vol_load_named(st, f.a->host, NULL, f.a->binary, 0, &db);
	if (ix != -1 && (ix == 1 || vol_load(st, VOL_SERVICES, &db) == 0) &&
	    (r = vol_svc_each(&db, able_one, &f)) != -1)
		rc = r == 0 ? OP_NOT_FOUND : OP_OK;
	if (rc == OP_OK && write) {
		if ((rec = vol_svc_update(st, f.host, f.a->binary, able_change,
		    f.a)) == NULL)
			rc = OP_IO;
		else
			log_info("service %s (%s): %s", f.host, f.a->binary,
			    f.a->disabled ? "disabled" : "enabled");
		cJSON_Delete(rec);
	}
	free(f.host);
	vol_free(&db);
	return rc;
}

enum op_rc
volsvc_able(const char *data_dir, const struct volsvc_able *a)
{
	return vol_two_passes(data_dir, able_pass, (void *)a, NULL);
}
