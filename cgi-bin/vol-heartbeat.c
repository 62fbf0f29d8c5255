/* cgi-bin/vol-heartbeat.c: PUT /v3[/P]/os-hacgi-heartbeat, how a service
 * reports that it is alive (SPEC 3.7, a hacgi extension).
 *
 * Body: {"service": {"host": H, "binary": B, "cluster": C, "zone": Z}};
 * host and binary required; every value a string of 1-255 code points,
 * not only whitespace, without control characters.  The heartbeat time
 * is the server's clock.  A new service is created (zone "nova" unless
 * given), a missing cluster (C, B) too; cluster and zone, when given,
 * replace the stored ones; nothing else changes.  Answer: 200
 * {"service": its os-services view}.
 */
#include <string.h>

#include "base/json.h"
#include "base/pyrepr.h"
#include "base/util.h"
#include "http/app.h"
#include "vol/vollog.h"
#include "vol/volume.h"

static int	hb_put(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_HEARTBEAT, "PUT", hb_put, "hacgi:services:heartbeat", NULL,
	    H_BODY | H_NEEDBODY },
};

static const char *const fields[] = { "host", "binary", "cluster", "zone" };

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-heartbeat", handlers,
	    NELEM(handlers), vollog_start);
}

static int
hb_field(struct buf *m, const cJSON *svc, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(svc, key);

	if (vol_check_str(m, key, v, 0, 1, VOL_NAME_MAX) == -1 ||
	    (v != NULL && vol_check_blank(m, key, v->valuestring) == -1))
		return -1;
	return vol_check_controls(m, key, v);
}

/* jsonschema order: types, properties in order, required, additional. */
static int
hb_schema(const cJSON *body, struct buf *m)
{
	static const char *const top[] = { "service" };
	const cJSON	*svc;
	size_t		 i;

	if (vol_check_object(m, body) == -1)
		return -1;
	svc = cJSON_GetObjectItemCaseSensitive(body, "service");
	if (svc != NULL && !cJSON_IsObject(svc)) {
		buf_puts(m, "Invalid input for field/attribute service. "
		    "Value: ");
		pystr(m, svc);
		buf_puts(m, ". ");
		return vol_check_object(m, svc);
	}
	for (i = 0; svc != NULL && i < NELEM(fields); i++)
		if (hb_field(m, svc, fields[i]) == -1)
			return -1;
	if (svc != NULL && (vol_check_required(m, svc, fields, 2) == -1 ||
	    vol_check_extra(m, svc, fields, NELEM(fields)) == -1))
		return -1;
	return vol_check_required(m, body, top, 1) == -1 ||
	    vol_check_extra(m, body, top, 1) == -1 ? -1 : 0;
}

struct out {
	struct req	*rq;
	struct buf	*b;
};

static int
hb_view(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct out	*o = arg;

	vol_service_view(o->b, db, s, &o->rq->mv);
	return 0;
}

/* The os-services view of rec, with its cluster's replication fields,
 * from the two records vol_heartbeat had in hand: after the commit
 * nothing is read (a failed read would answer 500 for a stored
 * heartbeat), and nothing is O(services) (SPEC 3.7). */
static int
hb_answer(struct req *rq, struct resp *rs, const cJSON *rec, const cJSON *cl)
{
	struct vol_db	 db;
	struct out	 o = { rq, NULL };
	int		 rc = -1;

	memset(&db, 0, sizeof(db));
	if (vol_load_records(&db, rec, cl) == 0 && db.nsvc == 1 &&
	    vol_derive(&db, rq->down_time) == 0) {
		o.b = resp_json_text(rs, 200);
		buf_puts(o.b, "{\"service\": ");
		rc = vol_svc_each(&db, hb_view, &o);
		buf_putc(o.b, '}');
	}
	vol_free(&db);
	return rc;
}

static int
hb_put(struct req *rq, struct resp *rs)
{
	const cJSON	*svc;
	struct store	 st;
	struct buf	 m;
	cJSON		*rec = NULL, *cl = NULL;
	int		 rc = -1;

	buf_init(&m);
	if (hb_schema(rq->json, &m) == -1) {
		fault_raw(rs, 400, buf_str(&m));
		buf_free(&m);
		return -1;
	}
	buf_free(&m);
	svc = cJSON_GetObjectItemCaseSensitive(rq->json, "service");
	if (store_open(&st, rq->data_dir, VOL_LOCK, STORE_WRITE) == -1 ||
	    (rec = vol_heartbeat(&st, json_str(svc, "host"),
	    json_str(svc, "binary"), json_str(svc, "cluster"),
	    json_str(svc, "zone"), NULL, NULL, &cl)) == NULL ||
	    hb_answer(rq, rs, rec, cl) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(rec);
	cJSON_Delete(cl);
	store_close(&st);
	return rc;
}
