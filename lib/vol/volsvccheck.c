/* lib/vol/volsvccheck.c: the os-services action bodies (volsvccheck.h).
 * Each schema is a table; jsonschema's order: the object's type, each
 * property present in the schema's order (type, length, then pattern,
 * enum or format), anyOf, additional properties. */
#include <stdlib.h>
#include <string.h>

#include "base/pyrepr.h"
#include "base/unicode.h"
#include "base/util.h"
#include "vol/vollog.h"
#include "vol/volsvccheck.h"
#include "vol/volume.h"

/* parameter_types.hostname's pattern, as its message prints it */
#define HOST_PATTERN	"^[a-zA-Z0-9-._#@:/+\\[\\]]*$"
#define LOG_BINARIES	"['cinder-scheduler', 'cinder-volume', " \
			"'cinder-backup', 'cinder-api', '', '*']"

enum vtype {
	VT_STR,		/* string, min..max */
	VT_NSTR,	/* string or null, min..max */
	VT_HOST,	/* hostname: string or null, 1..255, pattern */
	VT_REASON,	/* string 1..255, format disabled_reason */
	VT_BINARY,	/* string, one of the log binaries */
	VT_LEVEL	/* string or null, format level */
};

struct vfield {
	const char	*key;
	enum vtype	 type;
	size_t		 min, max;
};

static const struct vfield able_fields[] = {
	{ "binary", VT_STR, 1, 255 },
	{ "host", VT_HOST, 1, 255 },
	{ "cluster", VT_NSTR, 0, 255 },
	{ "service", VT_STR, 1, 255 },
	{ "disabled_reason", VT_REASON, 1, 255 },
};

static const struct vfield freeze_fields[] = {
	{ "cluster", VT_NSTR, 0, 255 },
	{ "host", VT_HOST, 1, 255 },
};

static const struct vfield failover_fields[] = {
	{ "host", VT_HOST, 1, 255 },
	{ "backend_id", VT_NSTR, 0, 255 },
	{ "cluster", VT_NSTR, 0, 255 },
};

static const struct vfield log_fields[] = {
	{ "binary", VT_BINARY, 0, 0 },
	{ "server", VT_NSTR, 0, 255 },
	{ "prefix", VT_NSTR, 0, 255 },
	{ "level", VT_LEVEL, 0, 0 },
};

static const struct schema {
	const struct vfield	*f;
	size_t			 n;
	int			 any_binary;	/* anyOf: binary or service */
} schemas[VSB__MAX] = {
	[VSB_ABLE] = { able_fields, 4, 1 },
	[VSB_REASON] = { able_fields, 5, 1 },
	[VSB_FREEZE] = { freeze_fields, NELEM(freeze_fields), 0 },
	[VSB_FAILOVER] = { failover_fields, NELEM(failover_fields), 0 },
	[VSB_SET_LOG] = { log_fields, 4, 0 },
	[VSB_GET_LOG] = { log_fields, 3, 0 },
};

/* The whole string in the pattern's class (no final newline either). */
static int
host_ok(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-._#@:/+[]") == strlen(s);
}

/* cinder's disabled_reason format: 1-255 characters once stripped. */
static int
reason_ok(const char *s)
{
	char	*t = vol_strip(s);
	size_t	 n = utf8_count(t);

	free(t);
	return n >= 1 && n <= VOL_NAME_MAX;
}

static int
fail_tail(struct buf *m, const struct vfield *f, const cJSON *v,
    const char *tail)
{
	vol_check_head(m, f->key, v);
	buf_puts(m, tail);
	return -1;
}

static int
check_host(struct buf *m, const struct vfield *f, const cJSON *v)
{
	if (vol_check_str(m, f->key, v, 1, f->min, f->max) == -1)
		return -1;
	if (!cJSON_IsString(v) || host_ok(v->valuestring))
		return 0;
	vol_check_head(m, f->key, v);
	buf_puts(m, " does not match ");
	pyrepr_str(m, HOST_PATTERN);
	return -1;
}

static int
check_binary(struct buf *m, const struct vfield *f, const cJSON *v)
{
	static const char *const ok[] = { "cinder-scheduler", "cinder-volume",
	    "cinder-backup", "cinder-api", "", "*" };
	size_t	 i;

	if (vol_check_str(m, f->key, v, 0, 0, SIZE_MAX) == -1)
		return -1;
	for (i = 0; i < NELEM(ok); i++)
		if (strcmp(v->valuestring, ok[i]) == 0)
			return 0;
	return fail_tail(m, f, v, " is not one of " LOG_BINARIES);
}

/* The format checker calls utils.get_log_method, whose InvalidInput is
 * not a schema error: it ends the request as it is. */
static int
check_level(struct buf *m, const struct vfield *f, const cJSON *v)
{
	const char	*s;

	if (vol_check_str(m, f->key, v, 1, 0, SIZE_MAX) == -1)
		return -1;
	s = cJSON_IsString(v) ? v->valuestring : NULL;
	if (vollog_level_name(s) != NULL)
		return 0;
	buf_printf(m, "Invalid input received: %s is not a valid log level.",
	    s != NULL ? s : "");
	return -1;
}

static int
check_field(struct buf *m, const struct vfield *f, const cJSON *v)
{
	switch (f->type) {
	case VT_HOST:
		return check_host(m, f, v);
	case VT_BINARY:
		return check_binary(m, f, v);
	case VT_LEVEL:
		return check_level(m, f, v);
	case VT_REASON:
		if (vol_check_str(m, f->key, v, 0, f->min, f->max) == -1)
			return -1;
		if (!reason_ok(v->valuestring) || !utf8_clean(v->valuestring))
			return vol_check_format(m, f->key, v, f->key);
		return 0;
	default:
		if (vol_check_str(m, f->key, v, f->type == VT_NSTR, f->min,
		    f->max) == -1)
			return -1;
		if (cJSON_IsString(v) && !utf8_clean(v->valuestring))
			return vol_check_format(m, f->key, v, f->key);
		return 0;
	}
}

int
volsvccheck_body(enum volsvc_body which, const cJSON *body, struct buf *m)
{
	const struct schema	*sc = &schemas[which];
	const char		*keys[8];
	const cJSON		*v;
	size_t			 i;

	if (vol_check_object(m, body) == -1)
		return -1;
	for (i = 0; i < sc->n; i++) {
		keys[i] = sc->f[i].key;
		v = cJSON_GetObjectItemCaseSensitive(body, keys[i]);
		if (v != NULL && check_field(m, &sc->f[i], v) == -1)
			return -1;
	}
	if (sc->any_binary &&
	    cJSON_GetObjectItemCaseSensitive(body, "binary") == NULL &&
	    cJSON_GetObjectItemCaseSensitive(body, "service") == NULL) {
		pyrepr(m, body);
		buf_puts(m, " is not valid under any of the given schemas");
		return -1;
	}
	return vol_check_extra(m, body, keys, sc->n);
}
