/* lib/admin/manage_ha.c: the Instance-HA commands of hacgi-manage (SPEC 6). */
#include <stdio.h>
#include <string.h>

#include "admin/manage.h"
#include "ha/layout.h"
#include "ha/notification.h"
#include "ha/ops.h"

/*
 * notification set-status UUID STATUS: the only way a status changes
 * (divergence 8).  updated_at is left as it is (SPEC 6), as the
 * reference's recovery engine would be the one to touch it.
 */
static int
notification_set_status_cmd(struct mctx *mc, char **argv)
{
	struct store	 st;
	enum op_rc	 rc;

	if (!store_uuid_ok(argv[0]))
		return manage_fail("notification set-status: bad uuid '%s'",
		    argv[0]);
	if (!notification_status_ok(argv[1]))
		return manage_fail("notification set-status: bad status '%s' "
		    "(new, running, error, failed, ignored, finished)",
		    argv[1]);
	if (store_open(&st, mc->data_dir, HA_LOCK, STORE_WRITE) == -1)
		return manage_fail("notification set-status: cannot lock %s",
		    mc->data_dir);
	rc = ha_notification_set_status_at(&st, argv[0], argv[1]);
	store_close(&st);
	switch (rc) {
	case OP_OK:
		return 0;
	case OP_NOT_FOUND:
		return manage_fail("notification set-status: no notification "
		    "%s", argv[0]);
	default:
		return manage_fail("notification set-status: failed (see "
		    "above)");
	}
}

int
manage_notification(struct mctx *mc, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[0], "set-status") == 0)
		return notification_set_status_cmd(mc, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "populate") == 0)
		return manage_notification_populate(mc, argc - 1, argv + 1);
	return manage_fail("usage: notification set-status UUID STATUS | "
	    "notification populate --host NAME --prefix P --count N "
	    "[--status S]");
}
