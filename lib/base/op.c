/* lib/base/op.c: the outcomes of domain operations (op.h). */
#include "base/op.h"

const char *
op_rc_name(enum op_rc rc)
{
	static const char *const names[OP__MAX] = {
		[OP_OK] = "ok",
		[OP_NOT_FOUND] = "not found",
		[OP_IN_USE] = "in use",
		[OP_NAME_TAKEN] = "name taken",
		[OP_MAINTENANCE] = "on maintenance",
		[OP_DUPLICATE] = "duplicate",
		[OP_INVALID] = "invalid",
		[OP_NOT_ALLOWED] = "not allowed",
		[OP_FULL] = "full",
		[OP_IO] = "storage error",
	};

	return rc >= 0 && rc < OP__MAX ? names[rc] : "?";
}
