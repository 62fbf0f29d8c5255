/* lib/ha/valid.h: Instance-HA request-body schemas, their typed values,
 * and the value checks (SPEC 2.9, 4.3-4.6). */
#ifndef HACGI_VALID_H
#define HACGI_VALID_H

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/schema.h"

/*
 * What a valid body holds, as the handlers and operations read it.  The
 * strings and the payload point into the parsed body: they live as long
 * as it does (the request).  Absent: NULL, -1, "" or set == 0.
 */
struct ha_segment_in {
	const char		*name;
	const char		*service_type;
	const char		*recovery_method;
	struct sc_optstr	 description;	/* s NULL: JSON null */
	int			 enabled;	/* 0, 1; -1 (absent, or
						   below 1.2) */
};

struct ha_host_in {
	const char	*name;
	const char	*type;
	const char	*control_attributes;
	int		 reserved;		/* 0, 1, -1 */
	int		 on_maintenance;	/* 0, 1, -1 */
};

struct ha_notification_in {
	const char	*type;		/* COMPUTE_HOST, VM, PROCESS */
	const char	*hostname;
	char		 generated_time[27];	/* in the stored form */
	const cJSON	*payload;	/* an object */
};

/*
 * The list filters (query parameters, SPEC 4.4-4.6), from the tables of
 * input.c; matched by filter.h.  Strings point into the request.
 */
#define FILTER_ANY	(-1)	/* a boolean filter that was not given */
#define FILTER_NONE	2	/* one that no record matches */

struct ha_segment_filter {
	const char	*recovery_method;	/* NULL: any */
	const char	*service_type;		/* NULL: any */
	int		 enabled;	/* FILTER_ANY, 0, 1, FILTER_NONE
					   (divergence 4) */
};

/* name and control_attributes are not filters, as in the reference */
struct ha_host_filter {
	const char	*type;			/* NULL: any */
	int		 on_maintenance;	/* FILTER_ANY, 0, 1 */
	int		 reserved;		/* FILTER_ANY, 0, 1 */
};

struct ha_notification_filter {
	const char	*status;		/* NULL: any */
	const char	*source_host_uuid;	/* NULL: any */
	const char	*type;			/* NULL: any */
	char		 since[27];	/* generated-since, in the stored
					   form; "": any */
};

/*
 * Body schemas.  Each returns 0 when body is valid, its values in out
 * (out may be NULL), else -1 with msg reset to the whole 400 message
 * text (no fault wrapper).  body is the parsed request body (a
 * cJSON_NULL item for an absent or empty body); mv_minor is the
 * instance-ha microversion minor (0..2).
 */
int	valid_segment_create(const cJSON *body, int mv_minor,
	    struct ha_segment_in *out, struct buf *msg);
int	valid_segment_update(const cJSON *body, int mv_minor,
	    struct ha_segment_in *out, struct buf *msg);
int	valid_host_create(const cJSON *body, struct ha_host_in *out,
	    struct buf *msg);
int	valid_host_update(const cJSON *body, struct ha_host_in *out,
	    struct buf *msg);
/* The schema part, checked before policy. */
int	valid_notification_create(const cJSON *body,
	    struct ha_notification_in *out, struct buf *msg);
/* The payload by notification type, checked after policy (SPEC 4.6), of
 * a body that passed the schema part. */
int	valid_notification_payload(const struct ha_notification_in *,
	    struct buf *msg);

/* JSON bool or one of the SPEC 4.3 strings -> *out 0/1; -1 otherwise. */
int	valid_bool(const cJSON *v, int *out);
/* Hosts list filter spelling: trimmed, ASCII-case-insensitive 1 t true on
 * y yes / 0 f false off n no -> *out 0/1; -1 otherwise. */
int	valid_bool_query(const char *s, int *out);
/* SPEC 4.6 timestamp -> "YYYY-MM-DDTHH:MM:SS.ffffff" in UTC; -1 if not. */
int	valid_timestamp(const char *s, char out[27]);
/* SPEC 4.5 uuid-like -> canonical lower-case dashed form; -1 if not. */
int	valid_uuid_like(const char *s, char out[37]);
/* The name rule of SPEC 4.3 (the 1-255 length is the schema's): 1 if s
 * (UTF-8) follows it, else 0. */
int	valid_name(const char *s);

#endif
