/*
 * tests/unit/test_record.c: lib/ha/record.c and lib/ha/ops_*.c.  Every
 * constructor builds a record of its own shape, keys in shape order (the
 * view order); and each domain operation ends with the outcome its
 * contract names (lib/ha/ops.h), on a store in a temporary folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/store.h"
#include "ha/ops.h"
#include "ha/record.h"
#include "unit.h"

static char	 dir[64];

/* rec's keys are exactly the shape's, in its order, of its types. */
static int
in_shape(const cJSON *rec, const struct shape *sh)
{
	const cJSON	*c = rec->child;

	for (; sh->key != NULL; sh++, c = c->next)
		if (c == NULL || strcmp(c->string, sh->key) != 0 ||
		    !shape_type_ok(c, sh->types))
			return 0;
	return c == NULL;
}

static void
test_constructors(void)
{
	static const char	 u[] = "00000000-0000-4000-8000-000000000001";
	struct ha_segment_in	 seg = { "s", "C", "auto", { 1, "d" }, -1 };
	struct ha_host_in	 host = { "h", "T", "SSH", 1, -1 };
	struct ha_notification_in n = { "VM", "h",
	    "2024-01-02T03:04:05.000000", NULL };
	cJSON			*rec, *payload = cJSON_CreateObject();

	rec = record_segment(7, u, &seg);
	CHECK(in_shape(rec, record_segment_shape));
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(rec, "enabled")));
	CHECK_STR(json_str(rec, "description"), "d");
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(rec, "updated_at")));
	seg = (struct ha_segment_in){ NULL, NULL, NULL, { 1, NULL }, 0 };
	CHECK(record_segment_update(rec, &seg) == 1);
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(rec, "description")));
	CHECK(cJSON_IsFalse(cJSON_GetObjectItem(rec, "enabled")));
	CHECK(json_str(rec, "updated_at") != NULL);
	CHECK(in_shape(rec, record_segment_shape));
	CHECK(record_segment_update(rec, &seg) == 0);
	cJSON_Delete(rec);

	rec = record_host(8, u, u, &host);
	CHECK(in_shape(rec, record_host_shape));
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(rec, "reserved")));
	CHECK(cJSON_IsFalse(cJSON_GetObjectItem(rec, "on_maintenance")));
	host = (struct ha_host_in){ "h2", NULL, NULL, -1, 1 };
	CHECK(record_host_update(rec, &host) == 1);
	CHECK_STR(json_str(rec, "name"), "h2");
	CHECK(in_shape(rec, record_host_shape));
	cJSON_Delete(rec);

	n.payload = payload;
	rec = record_notification(9, u, u, &n);
	CHECK(in_shape(rec, record_notification_shape));
	CHECK_STR(json_str(rec, "status"), "new");
	cJSON_Delete(rec);
	cJSON_Delete(payload);
}

static void
test_segment_ops(void)
{
	struct ha_segment_in	 in = { "a", "C", "auto", { 0, NULL }, -1 };
	struct ha_segment_in	 up = { "b", NULL, NULL, { 0, NULL }, -1 };
	cJSON			*rec, *all, *rows, *b;
	struct list_query	 lq = { 0 };
	char			 uuid[37];

	CHECK(ha_segment_create(dir, &in, &rec) == OP_OK);
	snprintf(uuid, sizeof(uuid), "%s", json_str(rec, "uuid"));
	cJSON_Delete(rec);
	CHECK(ha_segment_create(dir, &in, &rec) == OP_NAME_TAKEN);
	CHECK(rec == NULL);
	in.name = "b";
	CHECK(ha_segment_create(dir, &in, &b) == OP_OK);
	CHECK(ha_segment_update(dir, uuid, &up, &rec) == OP_NAME_TAKEN);
	up.name = "c";
	CHECK(ha_segment_update(dir, uuid, &up, &rec) == OP_OK);
	CHECK_STR(json_str(rec, "name"), "c");
	cJSON_Delete(rec);
	CHECK(ha_segment_get(dir, "nosuch", &rec) == OP_NOT_FOUND);
	CHECK(ha_segment_update(dir, "nosuch", &up, &rec) == OP_NOT_FOUND);
	lq.mode = LIST_ALL;
	CHECK(ha_segment_list(dir, NULL, &lq, &all, &rows) == OP_OK);
	CHECK(cJSON_GetArraySize(rows) == 2);
	cJSON_Delete(rows);
	cJSON_Delete(all);
	CHECK(ha_segment_delete(dir, json_str(b, "uuid")) == OP_OK);
	CHECK(ha_segment_get(dir, json_str(b, "uuid"), &rec) ==
	    OP_NOT_FOUND);
	CHECK(ha_segment_delete(dir, json_str(b, "uuid")) == OP_NOT_FOUND);
	cJSON_Delete(b);
	/* a name is free again once its segment is deleted */
	in.name = "b";
	CHECK(ha_segment_create(dir, &in, &rec) == OP_OK);
	cJSON_Delete(rec);
}

static void
test_host_notification_ops(void)
{
	struct ha_segment_in	 sin = { "hs", "C", "auto", { 0, NULL }, -1 };
	struct ha_host_in	 h = { "h1", "T", "", -1, -1 };
	struct ha_notification_in n = { "VM", "h1",
	    "2024-01-02T03:04:05.000000", NULL };
	struct store		 st;
	cJSON			*seg, *rec, *segrec, *payload;
	char			 nuuid[37];
	const char		*s;

	payload = cJSON_Parse("{\"event\": \"E\"}");
	n.payload = payload;
	CHECK(ha_segment_create(dir, &sin, &seg) == OP_OK);
	s = json_str(seg, "uuid");
	CHECK(ha_host_create(dir, "nosuch", &h, &rec, &segrec) ==
	    OP_NOT_FOUND);
	CHECK(ha_host_create(dir, s, &h, &rec, &segrec) == OP_OK);
	CHECK_STR(json_str(segrec, "uuid"), s);
	cJSON_Delete(segrec);
	cJSON_Delete(rec);
	CHECK(ha_host_create(dir, s, &h, &rec, &segrec) == OP_NAME_TAKEN);
	CHECK(ha_notification_create(dir, &n, &rec) == OP_OK);
	snprintf(nuuid, sizeof(nuuid), "%s", json_str(rec,
	    "notification_uuid"));
	cJSON_Delete(rec);
	CHECK(ha_notification_create(dir, &n, &rec) == OP_DUPLICATE);
	n.hostname = "nosuch";
	CHECK(ha_notification_create(dir, &n, &rec) == OP_NOT_FOUND);
	/* new: active, so the segment and its hosts are in use */
	CHECK(ha_segment_delete(dir, s) == OP_IN_USE);
	store_init(&st, dir);
	CHECK(store_open(&st, dir, "ha", STORE_WRITE) == 0);
	CHECK(ha_notification_set_status_at(&st, nuuid, "finished") == OP_OK);
	CHECK(ha_notification_set_status_at(&st, "nosuch", "new") ==
	    OP_NOT_FOUND);
	store_close(&st);
	CHECK(ha_segment_delete(dir, s) == OP_OK);
	cJSON_Delete(seg);
	cJSON_Delete(payload);
}

int
main(void)
{
	char	 cmd[96];

	test_constructors();
	snprintf(dir, sizeof(dir), "/tmp/test_record.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	test_segment_ops();
	test_host_notification_ops();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_record: could not remove %s\n", dir);
	return UNIT_DONE();
}
