/*
 * lib/base/op.h: what a domain operation (lib/ha/ops.h) tells its caller.
 * One outcome per way it can end; the caller maps each to its answer (a
 * handler: a fault or a view; hacgi-manage: a message), so an
 * operation knows nothing of HTTP.  The Volume operations use it too
 * (lib/vol/volsvc.h, lib/vol/volops.h).
 */
#ifndef HACGI_OP_H
#define HACGI_OP_H

enum op_rc {
	OP_OK = 0,
	OP_NOT_FOUND,	/* a record the operation names does not exist */
	OP_IN_USE,	/* refused: notifications are being processed
			   (SPEC 1.3) */
	OP_NAME_TAKEN,	/* another record has the name */
	OP_MAINTENANCE,	/* the host is on maintenance */
	OP_DUPLICATE,	/* the same notification came within the window */
	OP_INVALID,	/* refused as asked: the operation's message says
			   why (the Volume os-services actions) */
	OP_NOT_ALLOWED,	/* refused: the caller may not make this change
			   (a Volume heartbeat moving a service) */
	OP_FULL,	/* refused: a limit on the number of records is
			   reached (MAX_SERVICES) */
	OP_IO,		/* the store failed (logged); unless the operation
			   says otherwise, nothing visible changed */
	OP__MAX
};

/* "ok", "not found", ...: for logs and messages. */
const char	*op_rc_name(enum op_rc);

#endif
