/* lib/ha/input.c: the Instance-HA body steps (input.h). */
#include <stddef.h>
#include <stdlib.h>

#include "base/util.h"
#include "ha/input.h"
#include "http/query.h"

/* What every body step does around its schema: a new typed struct for
 * rq, or the 400 with the schema's message. */
static void *
input_new(struct req *rq, size_t size)
{
	free(rq->in);
	rq->in = xcalloc(1, size);
	return rq->in;
}

int
input_segment_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_segment_create(rq->json, rq->mv.minor,
	    input_new(rq, sizeof(struct ha_segment_in)), &msg), &msg);
}

int
input_segment_update(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_segment_update(rq->json, rq->mv.minor,
	    input_new(rq, sizeof(struct ha_segment_in)), &msg), &msg);
}

int
input_host_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_host_create(rq->json,
	    input_new(rq, sizeof(struct ha_host_in)), &msg), &msg);
}

int
input_host_update(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_host_update(rq->json,
	    input_new(rq, sizeof(struct ha_host_in)), &msg), &msg);
}

int
input_notification_create(struct req *rq, struct resp *rs)
{
	struct buf	 msg;

	buf_init(&msg);
	return app_invalid(rs, valid_notification_create(rq->json,
	    input_new(rq, sizeof(struct ha_notification_in)), &msg), &msg);
}

/* ---- list filters ---- */

/* Divergence 4: a boolean spelling or a number equal to 1 or 0; any
 * other value matches nothing. */
static int
q_enabled(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	cJSON	*s;
	char	*end;
	double	 d;
	int	 b, *want = dst;

	(void)f;
	(void)rq;
	(void)msg;
	*want = FILTER_ANY;
	if (val == NULL)
		return 0;
	s = cJSON_CreateString(val);
	d = strtod(val, &end);
	if (valid_bool(s, &b) == 0)
		*want = b;
	else if (*val != '\0' && *end == '\0' && (d == 1 || d == 0))
		*want = d == 1;
	else
		*want = FILTER_NONE;
	cJSON_Delete(s);
	return 0;
}

/* SPEC 4.5: oslo bool_from_string, strict */
static int
q_bool(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	int	*want = dst;

	(void)rq;
	*want = FILTER_ANY;
	if (val == NULL || valid_bool_query(val, want) == 0)
		return 0;
	buf_reset(msg);
	buf_printf(msg, "Invalid value for %s: Unrecognized value '%s', "
	    "acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', "
	    "'on', 't', 'true', 'y', 'yes'", f->key, val);
	return -1;
}

/* SPEC 4.6: a timestamp, kept in the stored form */
static int
q_since(const struct qfield *f, const struct req *rq, const char *val,
    void *dst, struct buf *msg)
{
	char	*since = dst;

	(void)f;
	(void)rq;
	since[0] = '\0';
	if (val == NULL || valid_timestamp(val, since) == 0)
		return 0;
	since[0] = '\0';
	buf_reset(msg);
	buf_puts(msg, "Invalid generated-since value");
	return -1;
}

#define SEGF(m)		offsetof(struct ha_segment_filter, m), NULL
#define HOSTF(m)	offsetof(struct ha_host_filter, m), NULL
#define NOTIFF(m)	offsetof(struct ha_notification_filter, m), NULL

static const struct qfield seg_filter_q[] = {
	{ "recovery_method", query_str, SEGF(recovery_method) },
	{ "service_type", query_str, SEGF(service_type) },
	{ "enabled", q_enabled, SEGF(enabled) },
};

/* on_maintenance, then reserved: the order of the reference's checks */
static const struct qfield host_filter_q[] = {
	{ "on_maintenance", q_bool, HOSTF(on_maintenance) },
	{ "reserved", q_bool, HOSTF(reserved) },
	{ "type", query_str, HOSTF(type) },
};

static const struct qfield notif_filter_q[] = {
	{ "status", query_str, NOTIFF(status) },
	{ "source_host_uuid", query_str, NOTIFF(source_host_uuid) },
	{ "type", query_str, NOTIFF(type) },
	{ "generated-since", q_since, NOTIFF(since) },
};

int
input_segment_filter(const struct req *rq, struct resp *rs,
    struct ha_segment_filter *f)
{
	return query_apply(rq, rs, seg_filter_q, NELEM(seg_filter_q), f);
}

int
input_host_filter(const struct req *rq, struct ha_host_filter *f,
    struct buf *msg)
{
	return query_parse(rq, host_filter_q, NELEM(host_filter_q), f, msg);
}

int
input_notification_filter(const struct req *rq, struct resp *rs,
    struct ha_notification_filter *f)
{
	return query_apply(rq, rs, notif_filter_q, NELEM(notif_filter_q), f);
}

/* ---- the typed body ---- */

const struct ha_segment_in *
input_segment(const struct req *rq)
{
	return rq->in;
}

const struct ha_host_in *
input_host(const struct req *rq)
{
	return rq->in;
}

const struct ha_notification_in *
input_notification(const struct req *rq)
{
	return rq->in;
}
