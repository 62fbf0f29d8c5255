/* cgi-bin/vol-services.c: GET /v3[/P]/os-services, the services list
 * (SPEC 3.6). */
#include <string.h>

#include "app.h"
#include "util.h"
#include "volume.h"

static int	svc_list(struct req *, struct resp *);

static const struct handler handlers[] = {
	{ EP_VOL_SERVICES, "GET", svc_list,
	    "volume_extension:services:index", NULL, 0 },
};

int
main(void)
{
	return app_main(API_VOLUME, "vol-services", handlers,
	    NELEM(handlers));
}

/* Only host (SPEC 3.2; "" = no filter) and binary (exact) are read. */
static int
svc_match(const struct vol_svc *s, const char *host, const char *binary)
{
	return (host == NULL || *host == '\0' || vol_name_match(host,
	    s->host)) && (binary == NULL || strcmp(binary, s->binary) == 0);
}

static void
svc_write(struct req *rq, struct resp *rs, const struct vol_db *db)
{
	const char	*host = req_query(rq, "host");
	const char	*binary = req_query(rq, "binary");
	size_t		 i;
	int		 first = 1;

	resp_json(rs, 200, NULL);
	buf_puts(&rs->body, "{\"services\": [");
	for (i = 0; i < db->nsvc; i++) {
		if (!svc_match(&db->svc[i], host, binary))
			continue;
		if (!first)
			buf_puts(&rs->body, ", ");
		first = 0;
		vol_service_view(&rs->body, db, &db->svc[i], &rq->mv);
	}
	buf_puts(&rs->body, "]}");
}

static int
svc_list(struct req *rq, struct resp *rs)
{
	struct store	 st;
	struct vol_db	 db;
	int		 rc = -1;

	memset(&db, 0, sizeof(db));
	if (store_open(&st, rq->data_dir, VOL_LOCK, STORE_READ) == -1 ||
	    vol_load(&st, VOL_SERVICES | VOL_CLUSTERS, &db) == -1) {
		fault(rs, 500, GENERIC_500);
		goto out;
	}
	vol_derive(&db, rq->down_time);
	svc_write(rq, rs, &db);
	rc = 0;
out:
	vol_free(&db);
	store_close(&st);
	return rc;
}
