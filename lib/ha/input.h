/* lib/ha/input.h: the Instance-HA request inputs as typed values: the
 * pipeline's body step for each schema (struct handler's pre), and what
 * a handler reads after it. */
#ifndef HACGI_INPUT_H
#define HACGI_INPUT_H

#include "ha/valid.h"
#include "http/app.h"

/*
 * Handler pre steps (SPEC 2.1 step 10, before policy): the body against
 * its schema (valid.h) into a typed struct that rq owns, or the 400.
 */
int	input_segment_create(struct req *, struct resp *);
int	input_segment_update(struct req *, struct resp *);
int	input_host_create(struct req *, struct resp *);
int	input_host_update(struct req *, struct resp *);
int	input_notification_create(struct req *, struct resp *);

/*
 * The list filters through their tables (valid.h): 0, or the 400 (-1).
 * The hosts' come back with the message instead, for the caller to
 * answer after its segment lookup (SPEC 4.5: a 404 comes first).
 */
int	input_segment_filter(const struct req *, struct resp *,
	    struct ha_segment_filter *);
int	input_host_filter(const struct req *, struct ha_host_filter *,
	    struct buf *msg);
int	input_notification_filter(const struct req *, struct resp *,
	    struct ha_notification_filter *);

/* The typed body of the request, as the handler's pre step left it
 * (never NULL after that step succeeded). */
const struct ha_segment_in	*input_segment(const struct req *);
const struct ha_host_in		*input_host(const struct req *);
const struct ha_notification_in	*input_notification(const struct req *);

#endif
