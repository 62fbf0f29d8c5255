/* lib/vol/volrec.c: a new service or cluster record (volume.h): the one
 * constructor of each kind, what the heartbeat, hacgi-manage and fsck's
 * rebuild share; the keys in the layout's record order. */
#include "base/clock.h"
#include "base/store.h"
#include "vol/volint.h"
#include "vol/volume.h"

/*
 * A new record's keys after (key1, "binary"), in record order (the
 * layout of volume.h): what a service or a cluster is when nothing has
 * set it yet.
 */
enum vdef_type { VD_NULL, VD_FALSE, VD_STR, VD_CREATED };

static const struct vdef {
	const char		*key;
	enum vdef_type		 type;
	const char		*s;	/* VD_STR */
} svc_defs[] = {
	{ "cluster", VD_NULL, NULL },
	{ "zone", VD_STR, "nova" },
	{ "disabled", VD_FALSE, NULL },
	{ "disabled_reason", VD_NULL, NULL },
	{ "heartbeat", VD_NULL, NULL },
	{ "created_at", VD_CREATED, NULL },
	{ "modified_at", VD_NULL, NULL },
	{ NULL, VD_NULL, NULL },
}, cl_defs[] = {
	{ "disabled", VD_FALSE, NULL },
	{ "disabled_reason", VD_NULL, NULL },
	{ "replication_status", VD_STR, "not-capable" },
	{ "frozen", VD_FALSE, NULL },
	{ "active_backend_id", VD_NULL, NULL },
	{ "created_at", VD_CREATED, NULL },
	{ "updated_at", VD_NULL, NULL },
	{ NULL, VD_NULL, NULL },
};

/* The one constructor: seq, the key (a, b), then the defaults;
 * created_at NULL = now.  Unsaved. */
static cJSON *
rec_make(long long seq, const char *key1, const struct vdef *d,
    const char *a, const char *b, const char *created_at)
{
	cJSON	*r;
	char	 now[27];

	clock_format(clock_now_us(), now);
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "seq", (double)seq);
	cJSON_AddStringToObject(r, key1, a);
	cJSON_AddStringToObject(r, "binary", b);
	for (; d->key != NULL; d++)
		switch (d->type) {
		case VD_NULL:
			cJSON_AddNullToObject(r, d->key);
			break;
		case VD_FALSE:
			cJSON_AddFalseToObject(r, d->key);
			break;
		case VD_STR:
			cJSON_AddStringToObject(r, d->key, d->s);
			break;
		case VD_CREATED:
			cJSON_AddStringToObject(r, d->key, created_at != NULL ?
			    created_at : now);
			break;
		}
	return r;
}

cJSON *
vol_cluster_rec(long long seq, const char *name, const char *binary,
    const char *created_at)
{
	return rec_make(seq, "name", cl_defs, name, binary, created_at);
}

cJSON *
vol_svc_rec(long long seq, const char *host, const char *binary,
    const char *created_at)
{
	return rec_make(seq, "host", svc_defs, host, binary, created_at);
}

cJSON *
vol_cluster_new(const struct store *st, const char *name, const char *binary,
    const char *created_at)
{
	long long	 seq;

	if ((seq = store_next_id(st, VOL_COUNTERS, "cluster")) == -1)
		return NULL;
	return vol_cluster_rec(seq, name, binary, created_at);
}

cJSON *
vol_svc_new(const struct store *st, const char *host, const char *binary,
    const char *created_at)
{
	long long	 seq;

	if ((seq = store_next_id(st, VOL_COUNTERS, "service")) == -1)
		return NULL;
	return vol_svc_rec(seq, host, binary, created_at);
}
