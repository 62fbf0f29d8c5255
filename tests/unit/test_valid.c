/* tests/unit/test_valid.c: lib/ha/valid.c.  With --corpus, reads
 * "KIND\tMINOR\tHEXBODY" lines (tests/unit/corpus_valid.py) and prints
 * each validator's message as a JSON string, or null when valid; with
 * --timestamps, hex-encoded strings, for tests/unit/diff_valid.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "unit.h"
#include "ha/valid.h"

enum kind { SEG_CREATE, SEG_UPDATE, HOST_CREATE, HOST_UPDATE, NOTIF };

/* The message for body (JSON text; "" = no body), or "OK". */
static const char *
check(enum kind k, int minor, const char *text, size_t len)
{
	static struct buf		 msg;
	struct ha_segment_in		 seg;
	struct ha_host_in		 host;
	struct ha_notification_in	 notif;
	cJSON				*j;
	int				 err, rc = 0;

	buf_reset(&msg);
	j = len == 0 ? cJSON_CreateNull() : json_parse(text, len, &err);
	if (j == NULL)
		return "Malformed request body";
	switch (k) {
	case SEG_CREATE:
		rc = valid_segment_create(j, minor, &seg, &msg);
		break;
	case SEG_UPDATE:
		rc = valid_segment_update(j, minor, &seg, &msg);
		break;
	case HOST_CREATE: rc = valid_host_create(j, &host, &msg); break;
	case HOST_UPDATE: rc = valid_host_update(j, &host, &msg); break;
	case NOTIF:
		rc = valid_notification_create(j, &notif, &msg);
		if (rc == 0)
			rc = valid_notification_payload(&notif, &msg);
		break;
	}
	cJSON_Delete(j);
	return rc == 0 ? "OK" : buf_str(&msg);
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define V(k, m, s)	check((k), (m), (s), strlen(s))

static const char	*inv_name = "An invalid 'name' value was provided. "
    "The name must be: printable characters. Can not start or end with "
    "whitespace.";

static void
test_segments(void)
{
	CHECK_STR(V(SEG_CREATE, 0, ""), "None is not of type 'object'");
	CHECK_STR(V(SEG_CREATE, 0, "[]"), "[] is not of type 'object'");
	CHECK_STR(V(SEG_CREATE, 0, "{}"), "'segment' is a required property");
	CHECK_STR(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"a\", "
	    "\"recovery_method\": \"auto\", \"service_type\": \"C\"}}"), "OK");
	CHECK_STR(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"a\", "
	    "\"recovery_method\": \"auto\", \"service_type\": \"C\", "
	    "\"description\": null}, \"x\": 1, \"b\": 2}"),
	    "Additional properties are not allowed ('b', 'x' were "
	    "unexpected)");
	CHECK_STR(V(SEG_CREATE, 0, "{\"x\": 1}"),
	    "'segment' is a required property");
	CHECK_STR(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"a\"}}"),
	    "Invalid input for field/attribute segment. Value: {'name': 'a'}. "
	    "'recovery_method' is a required property");
	CHECK_STR(V(SEG_CREATE, 0,
	    "{\"segment\": {\"z\": 1, \"name\": \"a\"}}"),
	    "Invalid input for field/attribute segment. Value: "
	    "{'z': 1, 'name': 'a'}. Additional properties are not allowed "
	    "('z' was unexpected)");
	CHECK_STR(V(SEG_CREATE, 2, "{\"segment\": {\"name\": \"a\", "
	    "\"recovery_method\": \"auto\", \"service_type\": \"C\", "
	    "\"enabled\": \"no\"}}"), "OK");
	CHECK_STR(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"a\\n\", "
	    "\"recovery_method\": \"auto\", \"service_type\": \"C\"}}"), "OK");
	CHECK_STR(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"\\n\"}}"),
	    inv_name);
	CHECK(starts(V(SEG_CREATE, 0, "{\"segment\": {\"name\": \"a\", "
	    "\"description\": \"it's\\u0085\"}}"),
	    "Invalid input for field/attribute description. Value: "
	    "it's\xc2\x85. \"it's\\x85\" does not match '^[\\n\\\\ -\\\\~\\xa0-"
	    "\xc2\xac\xc2\xae-"));	/* the pattern's start */
	CHECK_STR(V(SEG_UPDATE, 1, "{\"segment\": {\"enabled\": true}}"),
	    "Invalid input for field/attribute segment. Value: "
	    "{'enabled': True}. Additional properties are not allowed "
	    "('enabled' was unexpected)");
	CHECK_STR(V(SEG_UPDATE, 2, "{\"segment\": {\"enabled\": true}}"), "OK");
	CHECK_STR(V(SEG_UPDATE, 2, "{\"segment\": {\"description\": null}}"),
	    "OK");
	CHECK_STR(V(SEG_UPDATE, 0, "{\"segment\": {\"name\": 1.5}}"),
	    "Invalid input for field/attribute name. Value: 1.5. 1.5 is not "
	    "of type 'string'");
}

static void
test_hosts(void)
{
	CHECK_STR(V(HOST_CREATE, 0, "{\"host\": {\"name\": \"h\", \"type\": "
	    "null, \"control_attributes\": \"x\"}}"),
	    "Invalid input for field/attribute type. Value: None. None is not "
	    "of type 'string'");
	CHECK_STR(V(HOST_CREATE, 0, "{\"host\": {\"name\": \"h\", \"type\": "
	    "\"A\", \"control_attributes\": null}}"),
	    "Invalid input for field/attribute control_attributes. Value: "
	    "None. None is not of type 'string'");
	/* divergence 6 comes after every check the reference makes */
	CHECK_STR(V(HOST_CREATE, 0, "{\"host\": {\"type\": null, "
	    "\"control_attributes\": null, \"reserved\": 1}}"),
	    "Invalid input for field/attribute reserved. Value: 1. 1 is not "
	    "of type 'boolean', 'string'");
	CHECK_STR(V(HOST_UPDATE, 0, "{\"host\": {\"control_attributes\": "
	    "null, \"x\": 1}}"),
	    "Invalid input for field/attribute host. Value: "
	    "{'control_attributes': None, 'x': 1}. Additional properties are "
	    "not allowed ('x' was unexpected)");
	CHECK_STR(V(HOST_CREATE, 0, "{\"host\": {\"control_attributes\": "
	    "null}}"),
	    "Invalid input for field/attribute host. Value: "
	    "{'control_attributes': None}. 'name' is a required property");
	CHECK_STR(V(HOST_CREATE, 0, "{\"host\": {\"name\": \"h\", \"type\": "
	    "\"COMPUTE\\n\", \"control_attributes\": \"\", \"reserved\": "
	    "\"On\", \"on_maintenance\": false}}"), "OK");
	CHECK_STR(V(HOST_UPDATE, 0, "{\"host\": {\"reserved\": \"x\", "
	    "\"zz\": 1}}"),
	    "Invalid input for field/attribute reserved. Value: x. 'x' is not "
	    "one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', "
	    "'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', "
	    "'OFF', 'Off', 'off', 'NO', 'No', 'no']");
	CHECK_STR(V(HOST_UPDATE, 0, "{\"host\": {\"on_maintenance\": true}}"),
	    "OK");
	CHECK_STR(V(HOST_UPDATE, 0, "{\"host\": []}"),
	    "Invalid input for field/attribute host. Value: []. [] is not of "
	    "type 'object'");
}

#define NOTIF_BODY(type, payload) "{\"notification\": {\"type\": \"" type \
	"\", \"hostname\": \"h-1.a_b\", \"generated_time\": " \
	"\"2024-01-01T00:00:00Z\", \"payload\": " payload "}}"

static void
test_notifications(void)
{
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("COMPUTE_HOST",
	    "{\"event\": \"STOPPED\", \"host_status\": \"NORMAL\"}")), "OK");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("COMPUTE_HOST",
	    "{\"event\": 5}")),
	    "Invalid input for field/attribute event. Value: 5. 5 is not of "
	    "type 'string'");		/* the payload schema, first */
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("COMPUTE_HOST",
	    "{\"event\": \"BOOM\", \"cluster_status\": \"on\"}")),
	    "Invalid input for field/attribute cluster_status. Value: on. "
	    "'on' is not one of ('ONLINE', 'OFFLINE')");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("COMPUTE_HOST",
	    "{\"host_status\": \"NORMAL\"}")),
	    "'event' is a required property");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("COMPUTE_HOST",
	    "{\"event\": \"STARTED\", \"b\": \"1\", \"a\": \"2\"}")),
	    "Additional properties are not allowed ('a', 'b' were "
	    "unexpected)");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("PROCESS",
	    "{\"event\": \"STARTED\", \"process_name\": \"\"}")),
	    "Invalid input for field/attribute process_name. Value: . '' is "
	    "too short");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("VM",
	    "{\"event\": \"x\", \"vir_domain_event\": \"y\", "
	    "\"instance_uuid\": "
	    "\"{urn:uuid:0123456789ABCDEF0123456789abcdef}\"}"
	    )), "OK");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("VM",
	    "{\"event\": \"x\", \"vir_domain_event\": \"y\", "
	    "\"instance_uuid\": \"1234\"}")),
	    "Invalid input for field/attribute instance_uuid. Value: 1234. "
	    "'1234' is not a 'uuid'");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("VM",
	    "{\"a b\": 5, \"%\": \"x\", \"$\": \"y\"}")),
	    "Invalid input for field/attribute a b. Value: 5. 5 is not of "
	    "type 'string'");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("VM",
	    "{\"ok\": \"1\", \"%\": \"x\", \"$\": \"y\"}")),
	    "Invalid input for field/attribute payload. Value: {'ok': '1', "
	    "'%': 'x', '$': 'y'}. '$', '%' do not match any of the regexes: "
	    "'^[a-zA-Z0-9-_:. ]{1,255}$'");
	CHECK_STR(V(NOTIF, 0, NOTIF_BODY("VM", "{\"\": \"x\"}")),
	    "Invalid input for field/attribute payload. Value: {'': 'x'}. '' "
	    "does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'");
	CHECK_STR(V(NOTIF, 0, "{\"notification\": {\"type\": \"VM\", "
	    "\"hostname\": \"a b\"}}"),
	    "Invalid input for field/attribute hostname. Value: a b. 'a b' "
	    "does not match '^[a-zA-Z0-9-._]*$'");
	CHECK_STR(V(NOTIF, 0, "{\"notification\": {\"type\": \"VM\", "
	    "\"generated_time\": \"2024-02-30\"}}"),
	    "Invalid input for field/attribute generated_time. Value: "
	    "2024-02-30. '2024-02-30' is not a 'date-time'");
	CHECK_STR(V(NOTIF, 0, "{\"notification\": {\"type\": \"VM\"}, "
	    "\"x\": 1}"),
	    "Invalid input for field/attribute notification. Value: "
	    "{'type': 'VM'}. 'hostname' is a required property");
	CHECK_STR(V(NOTIF, 0, "{\"notification\": {\"type\": \"VM\", "
	    "\"hostname\": \"h\", \"generated_time\": \"2024\", \"payload\": "
	    "{}, \"x\": 1}}"),
	    "Invalid input for field/attribute notification. Value: "
	    "{'type': 'VM', 'hostname': 'h', 'generated_time': '2024', "
	    "'payload': {}, 'x': 1}. Additional properties are not allowed "
	    "('x' was unexpected)");
}

static const char *
ts(const char *s)
{
	static char	 out[27];

	if (valid_timestamp(s, out) == -1)
		return "invalid";
	return out;
}

static void
test_timestamps(void)
{
	CHECK_STR(ts("2024-01-01T00:00:00"), "2024-01-01T00:00:00.000000");
	CHECK_STR(ts("2024"), "2024-01-01T00:00:00.000000");
	CHECK_STR(ts("2024-3"), "2024-03-01T00:00:00.000000");
	CHECK_STR(ts("2024-3-5"), "2024-03-05T00:00:00.000000");
	CHECK_STR(ts("20240305"), "2024-03-05T00:00:00.000000");
	CHECK_STR(ts("202403"), "invalid");
	CHECK_STR(ts("2024-123"), "2024-01-23T00:00:00.000000");
	CHECK_STR(ts("2024-01-01 10"), "2024-01-01T10:00:00.000000");
	CHECK_STR(ts("2024-01-01T1030"), "2024-01-01T10:30:00.000000");
	CHECK_STR(ts("2024-01-01T103"), "2024-01-01T10:00:03.000000");
	CHECK_STR(ts("2024-01-01T10:30:5"), "2024-01-01T10:30:05.000000");
	CHECK_STR(ts("2024-01-01T10:30:05.1234567"),
	    "2024-01-01T10:30:05.123456");
	CHECK_STR(ts("2024-01-01T10:30:05,5Z"), "2024-01-01T10:30:05.500000");
	CHECK_STR(ts("2024-01-01T00:30:00+01:00"),
	    "2023-12-31T23:30:00.000000");
	CHECK_STR(ts("2024-02-28T23:00-0130"), "2024-02-29T00:30:00.000000");
	CHECK_STR(ts("2024-01-01T10+05"), "2024-01-01T05:00:00.000000");
	CHECK_STR(ts("2024-01-01T10:00:00+23:59"),
	    "2023-12-31T10:01:00.000000");
	CHECK_STR(ts("2024-01-01T10:00:00+24:00"), "invalid");
	CHECK_STR(ts("2024-01-01T00:00:00\n"), "2024-01-01T00:00:00.000000");
	CHECK_STR(ts("2024-01-01T00:00:00\n\n"), "invalid");
	CHECK_STR(ts("2024-01-01T24:00:00"), "invalid");
	CHECK_STR(ts("2024-01-01T23:60"), "invalid");
	CHECK_STR(ts("2024-01-01T23:59:60"), "invalid");
	CHECK_STR(ts("2023-02-29"), "invalid");
	CHECK_STR(ts("2000-02-29"), "2000-02-29T00:00:00.000000");
	CHECK_STR(ts("1900-02-29"), "invalid");
	CHECK_STR(ts("0000-01-01"), "invalid");
	CHECK_STR(ts("0001-01-01T00:00+01"), "invalid");
	CHECK_STR(ts("9999-12-31T23:59:59-01"), "invalid");
	CHECK_STR(ts("yesterday"), "invalid");
	CHECK_STR(ts("2024-01-01T"), "invalid");
	CHECK_STR(ts("2024-01-01T00:00:00 "), "invalid");
	CHECK_STR(ts(""), "invalid");
	CHECK_STR(ts("2024-01-01X00"), "invalid");
}

static const char *
uu(const char *s)
{
	static char	 out[37];

	if (valid_uuid_like(s, out) == -1)
		return "invalid";
	return out;
}

static void
test_values(void)
{
	int	 b = -1;
	cJSON	*j;

	CHECK_STR(uu("0123456789ABCDEF0123456789abcdef"),
	    "01234567-89ab-cdef-0123-456789abcdef");
	CHECK_STR(uu("urn:uuid:{01234567-89ab-cdef-0123-456789abcdef}"),
	    "01234567-89ab-cdef-0123-456789abcdef");
	CHECK_STR(uu("{{0-1-2-3456789abcdef0123456789abcdef}}"),
	    "01234567-89ab-cdef-0123-456789abcdef");
	CHECK_STR(uu("0123456789abcdef0123456789abcdeg"), "invalid");
	CHECK_STR(uu("0123456789abcdef0123456789abcde"), "invalid");
	CHECK_STR(uu(" 123456789abcdef0123456789abcdef"), "invalid");
	CHECK_STR(uu("x{0123456789abcdef0123456789abcdef}"), "invalid");
	CHECK(valid_bool_query(" TRUE\t", &b) == 0 && b == 1);
	CHECK(valid_bool_query("\xe3\x80\x80no", &b) == 0 && b == 0);
	CHECK(valid_bool_query("Y", &b) == 0 && b == 1);
	CHECK(valid_bool_query("", &b) == -1);
	CHECK(valid_bool_query("2", &b) == -1);
	CHECK(valid_bool_query("yess", &b) == -1);
	j = cJSON_CreateString("OFF");
	CHECK(valid_bool(j, &b) == 0 && b == 0);
	cJSON_Delete(j);
	j = cJSON_CreateString("off ");
	CHECK(valid_bool(j, &b) == -1);
	cJSON_Delete(j);
	j = cJSON_CreateTrue();
	CHECK(valid_bool(j, &b) == 0 && b == 1);
	cJSON_Delete(j);
	j = cJSON_CreateNumber(1);
	CHECK(valid_bool(j, &b) == -1);
	cJSON_Delete(j);
	CHECK(valid_name("a") && valid_name("a b") && valid_name("a\n"));
	CHECK(valid_name("\xc3\xa9t\xc3\xa9"));
	CHECK(!valid_name("\n") && !valid_name(" a") && !valid_name("a "));
	CHECK(!valid_name("a\n\n") && !valid_name("a\nb"));
	CHECK(!valid_name("a\xc2\xa0") && !valid_name("a\xe2\x80\x8b"));
	CHECK(!valid_name(" \n") && !valid_name("a \n"));
	CHECK(valid_name("a\xc2\xa0z"));
	CHECK(!valid_name("\xf0\x9f\x98\x80"));
}

/* --corpus: one result per input line */
static int
corpus(void)
{
	static const char *const kinds[] = {
		"seg_create", "seg_update", "host_create", "host_update",
		"notif_create"
	};
	char		 line[300000], kind[32], *hex, *body;
	struct buf	 out;
	cJSON		*s;
	size_t		 k, n;
	int		 minor;

	buf_init(&out);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (sscanf(line, "%31s\t%d\t", kind, &minor) != 2 ||
		    (hex = strrchr(line, '\t')) == NULL)
			return 2;
		hex++;
		n = strspn(hex, "0123456789abcdef") / 2;
		body = malloc(n + 1);
		for (k = 0; k < n; k++)
			sscanf(hex + 2 * k, "%2hhx", (unsigned char *)&body[k]);
		for (k = 0; k < NELEM(kinds) && strcmp(kinds[k], kind); k++)
			;
		s = cJSON_CreateString(check((enum kind)k, minor, body, n));
		if (strcmp(s->valuestring, "OK") == 0)
			puts("null");
		else {
			buf_reset(&out);
			json_write(&out, s);
			puts(buf_str(&out));
		}
		cJSON_Delete(s);
		free(body);
	}
	buf_free(&out);
	return 0;
}

/* --timestamps: HEX lines in, valid_timestamp() results out */
static int
timestamps(void)
{
	char	 line[1024], s[512], out[27];
	size_t	 k, n;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strspn(line, "0123456789abcdef") / 2;
		for (k = 0; k < n && k + 1 < sizeof(s); k++)
			sscanf(line + 2 * k, "%2hhx", (unsigned char *)&s[k]);
		s[k] = '\0';
		puts(valid_timestamp(s, out) == 0 ? out : "invalid");
	}
	return 0;
}

/* A valid body's values, as the typed structs give them. */
static void
test_typed(void)
{
	struct ha_segment_in		 seg;
	struct ha_host_in		 host;
	struct ha_notification_in	 n;
	struct buf			 msg;
	cJSON				*j;

	buf_init(&msg);
	j = cJSON_Parse("{\"segment\": {\"name\": \"s\", \"description\": "
	    "null, \"enabled\": \"off\"}}");
	CHECK(valid_segment_update(j, 2, &seg, &msg) == 0);
	CHECK_STR(seg.name, "s");
	CHECK(seg.service_type == NULL && seg.recovery_method == NULL);
	CHECK(seg.description.set == 1 && seg.description.s == NULL);
	CHECK(seg.enabled == 0);
	cJSON_Delete(j);

	j = cJSON_Parse("{\"segment\": {\"name\": \"s\", \"service_type\": "
	    "\"C\", \"recovery_method\": \"auto\"}}");
	CHECK(valid_segment_create(j, 0, &seg, &msg) == 0);
	CHECK(seg.description.set == 0 && seg.enabled == -1);
	CHECK_STR(seg.recovery_method, "auto");
	cJSON_Delete(j);

	j = cJSON_Parse("{\"host\": {\"reserved\": \"yes\", "
	    "\"on_maintenance\": false}}");
	CHECK(valid_host_update(j, &host, &msg) == 0);
	CHECK(host.name == NULL && host.type == NULL);
	CHECK(host.reserved == 1 && host.on_maintenance == 0);
	cJSON_Delete(j);

	j = cJSON_Parse("{\"notification\": {\"type\": \"VM\", "
	    "\"hostname\": \"h\", \"generated_time\": "
	    "\"2024-01-02T05:04:05+02:00\", \"payload\": {\"a\": \"b\"}}}");
	CHECK(valid_notification_create(j, &n, &msg) == 0);
	CHECK_STR(n.generated_time, "2024-01-02T03:04:05.000000");
	CHECK_STR(n.type, "VM");
	CHECK(cJSON_IsObject(n.payload));
	CHECK(valid_notification_payload(&n, &msg) == -1);
	CHECK_STR(buf_str(&msg), "'instance_uuid' is a required property");
	cJSON_Delete(j);
	buf_free(&msg);
}

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "--corpus") == 0)
		return corpus();
	if (argc > 1 && strcmp(argv[1], "--timestamps") == 0)
		return timestamps();
	test_segments();
	test_hosts();
	test_notifications();
	test_timestamps();
	test_values();
	test_typed();
	return UNIT_DONE();
}
