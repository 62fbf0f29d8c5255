/* cgi-bin/vol-services.c: GET /v3[/P]/os-services, the services list
 * (SPEC 3.6). */
#include "base/util.h"
#include "http/app.h"
#include "vol/volinput.h"
#include "vol/vollog.h"

static int	svc_list(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_SERVICES, "GET", svc_list,
	    "volume_extension:services:index", NULL, 0 },
};

int
main(void)
{
	return app_main_with(API_VOLUME, "vol-services", handlers,
	    NELEM(handlers), vollog_start);
}

struct listing {
	const struct req	*rq;
	struct resp		*rs;
	struct buf		*b;
	struct vol_service_filter f;
	int			 first;
};

static int
svc_one(const struct vol_db *db, const struct vol_svc *s, void *arg)
{
	struct listing	*l = arg;

	if (!volin_service_match(&l->f, s))
		return 0;
	if (!l->first)
		buf_puts(l->b, ", ");
	l->first = 0;
	vol_service_view(l->b, db, s, &l->rq->mv);
	return 0;
}

static int
svc_write(const struct vol_db *db, void *arg)
{
	struct listing	*l = arg;

	l->b = resp_json_text(l->rs, 200);
	buf_puts(l->b, "{\"services\": [");
	if (vol_svc_each(db, svc_one, l) == -1)
		return -1;
	buf_puts(l->b, "]}");
	return 0;
}

static int
svc_list(struct req *rq, struct resp *rs)
{
	struct listing	 l = { rq, rs, NULL, { NULL, NULL }, 1 };

	if (volin_services(rq, rs, &l.f) == -1)
		return -1;
	if (volop_services_list(rq->data_dir, rq->down_time, svc_write, &l) !=
	    OP_OK)
		return fault(rs, 500, GENERIC_500);
	return 0;
}
