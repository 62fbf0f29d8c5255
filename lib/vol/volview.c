/*
 * lib/vol/volview.c: what the views show of the loaded journals
 * (volume.c): the derived values of SPEC 1.2, name matching (SPEC 3.2)
 * and the cluster and service views, written as JSON text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "vol/volscan.h"
#include "vol/volsvc.h"
#include "vol/volume.h"

/* ---- derived values (SPEC 1.2) ---- */

static int
derive_member(const struct vol_db *cdb, const struct vol_svc *s, void *arg)
{
	struct vol_db		*db = (struct vol_db *)(uintptr_t)cdb;
	int64_t			 floor_us = *(int64_t *)arg;
	struct vol_cluster	*c;

	(void)db;
	if (s->cl < 0)
		return 0;
	c = &db->cl[s->cl];
	c->num_hosts++;
	if (s->hb_us == INT64_MIN)
		return 0;
	if (s->hb_us < floor_us)
		c->num_down_hosts++;
	if (c->last_heartbeat.p == NULL || s->hb_us > c->last_us) {
		c->last_heartbeat = s->f[VS_HB];
		c->last_us = s->hb_us;
	}
	return 0;
}

int
vol_derive(struct vol_db *db, int down_time)
{
	int64_t	 floor_us;
	size_t	 i;

	db->now_us = clock_now_us();
	db->down_time = down_time;
	floor_us = db->now_us - (int64_t)down_time * 1000000;
	if (vol_svc_each(db, derive_member, &floor_us) == -1)
		return -1;
	for (i = 0; i < db->ncl; i++)
		db->cl[i].up = db->cl[i].last_heartbeat.p != NULL &&
		    db->cl[i].last_us >= floor_us;
	return 0;
}

static int64_t
absdiff(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

/* os-services state: |now - (heartbeat or created_at)| <= D. */
int
vol_svc_up(const struct vol_db *db, const struct vol_svc *s)
{
	int64_t	 t = s->hb_us != INT64_MIN ? s->hb_us : s->created_us;

	return absdiff(db->now_us, t) <= (int64_t)db->down_time * 1000000;
}

static struct vraw
svc_updated_at(const struct vol_db *db, const struct vol_svc *s)
{
	int64_t	 t = s->hb_us != INT64_MIN ? s->hb_us : s->created_us;

	if (s->modified_us != INT64_MIN &&
	    absdiff(db->now_us, s->modified_us) <= absdiff(db->now_us, t))
		return s->f[VS_MODIFIED];
	return s->f[VS_HB];
}

/* ---- matching (SPEC 3.2, divergence 10) ---- */

static int
prefix_then(struct vstr s, const char *v, size_t n, char sep)
{
	return s.n > n && memcmp(s.p, v, n) == 0 && s.p[n] == sep;
}

int
vol_name_match(const char *v, struct vstr s)
{
	size_t	 n = strlen(v);

	if (s.n == n && memcmp(s.p, v, n) == 0)
		return 1;
	if (strchr(v, '#') != NULL)
		return 0;
	if (prefix_then(s, v, n, '#'))
		return 1;
	return strchr(v, '@') == NULL && prefix_then(s, v, n, '@');
}

long
vol_cluster_find(const struct vol_db *db, const char *name,
    const char *binary)
{
	size_t	 i;

	for (i = 0; i < db->ncl; i++)
		if ((binary == NULL || vol_str_eq(db->cl[i].binary, binary))
		    && vol_name_match(name, db->cl[i].name))
			return (long)i;
	return -1;
}

/* ---- views ---- */

static void
put_raw(struct buf *b, const char *key, struct vraw r)
{
	buf_puts(b, key);
	if (r.p != NULL)
		buf_put(b, r.p, r.n);
	else
		buf_put(b, "null", 4);
}

/* A time, or "" for none (the cluster views, SPEC 3.3). */
static void
put_time_or_empty(struct buf *b, const char *key, struct vraw r)
{
	if (r.p == NULL || volscan_is(r, "null")) {
		buf_puts(b, key);
		buf_put(b, "\"\"", 2);
	} else
		put_raw(b, key, r);
}

static void
put_int(struct buf *b, const char *key, int v)
{
	buf_printf(b, "%s%d", key, v);
}

static void
cluster_head(struct buf *b, const struct vol_cluster *c,
    const struct vraw *f)
{
	put_raw(b, "{\"name\": ", f[VC_NAME]);
	put_raw(b, ", \"binary\": ", f[VC_BINARY]);
	buf_puts(b, c->up ? ", \"state\": \"up\"" : ", \"state\": \"down\"");
	buf_puts(b, vol_raw_true(f[VC_DISABLED]) ?
	    ", \"status\": \"disabled\"" : ", \"status\": \"enabled\"");
}

void
vol_cluster_summary(struct buf *b, const struct vol_cluster *c,
    const struct mv *mv, int with_reason)
{
	struct vraw	 f[VC__MAX];

	vol_cluster_fields(c, f);
	cluster_head(b, c, f);
	if (mv_ge(mv, 3, 26))
		put_raw(b, ", \"replication_status\": ", f[VC_REPL]);
	if (with_reason)
		put_raw(b, ", \"disabled_reason\": ", f[VC_REASON]);
	buf_putc(b, '}');
}

void
vol_cluster_detail(struct buf *b, const struct vol_cluster *c,
    const struct mv *mv)
{
	struct vraw	 f[VC__MAX];

	vol_cluster_fields(c, f);
	cluster_head(b, c, f);
	put_int(b, ", \"num_hosts\": ", c->num_hosts);
	put_int(b, ", \"num_down_hosts\": ", c->num_down_hosts);
	put_time_or_empty(b, ", \"last_heartbeat\": ", c->last_heartbeat);
	put_raw(b, ", \"created_at\": ", f[VC_CREATED]);
	put_time_or_empty(b, ", \"updated_at\": ", f[VC_UPDATED]);
	put_raw(b, ", \"disabled_reason\": ", f[VC_REASON]);
	if (mv_ge(mv, 3, 26)) {
		put_raw(b, ", \"replication_status\": ", f[VC_REPL]);
		put_raw(b, ", \"frozen\": ", f[VC_FROZEN]);
		put_raw(b, ", \"active_backend_id\": ", f[VC_ABID]);
	}
	buf_putc(b, '}');
}

/* A cinder-volume service shows its cluster's replication fields, or
 * the ones its cluster keeps for it (a member a failover left behind);
 * outside a cluster its own, once an action set them (volsvc.h). */
static void
svc_replication(struct buf *b, const struct vol_db *db,
    const struct vol_svc *s)
{
	struct vraw	 f[VC__MAX];

	if (s->cl >= 0 && vol_cluster_fields(&db->cl[s->cl], f) == 0) {
		if (volsvc_member_view(b, f[VC_MEMBERS], s->host) == 1)
			return;
	} else if (s->f[VS_REPL].p != NULL) {
		f[VC_REPL] = s->f[VS_REPL];
		f[VC_ABID] = s->f[VS_ABID];
		f[VC_FROZEN] = s->f[VS_FROZEN];
	} else {
		buf_puts(b, ", \"replication_status\": \"not-capable\", "
		    "\"active_backend_id\": null, \"frozen\": false");
		return;
	}
	put_raw(b, ", \"replication_status\": ", f[VC_REPL]);
	put_raw(b, ", \"active_backend_id\": ", f[VC_ABID]);
	put_raw(b, ", \"frozen\": ", f[VC_FROZEN]);
}

void
vol_service_view(struct buf *b, const struct vol_db *db,
    const struct vol_svc *s, const struct mv *mv)
{
	int	 up = vol_svc_up(db, s);
	int	 vol = vol_str_eq(s->binary, VOL_DEFAULT_BINARY);

	put_raw(b, "{\"binary\": ", s->f[VS_BINARY]);
	put_raw(b, ", \"host\": ", s->f[VS_HOST]);
	put_raw(b, ", \"zone\": ", s->f[VS_ZONE]);
	buf_puts(b, vol_raw_true(s->f[VS_DISABLED]) ?
	    ", \"status\": \"disabled\"" : ", \"status\": \"enabled\"");
	buf_puts(b, up ? ", \"state\": \"up\"" : ", \"state\": \"down\"");
	put_raw(b, ", \"updated_at\": ", svc_updated_at(db, s));
	if (mv_ge(mv, 3, 49) && vol)
		buf_puts(b, up ? ", \"backend_state\": \"up\"" :
		    ", \"backend_state\": null");
	if (mv_ge(mv, 3, 7))
		put_raw(b, ", \"cluster\": ", s->f[VS_CLUSTER]);
	put_raw(b, ", \"disabled_reason\": ", s->f[VS_REASON]);
	if (vol)
		svc_replication(b, db, s);
	buf_putc(b, '}');
}
