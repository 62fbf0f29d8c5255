#!/usr/bin/python3
"""Conformance replay of the Instance-HA API (Masakari v1 compatible).

    tests/replay/masakari.py --url http://127.0.0.1:PORT --manage bin/hacgi-manage \\
        --data-dir DIR [--corpus FILE] [--names REGEX] [--verbose]
    tests/replay/masakari.py --dry-run

Replays tests/reference/masakari/corpus.jsonl (416 records recorded from
masakari-api 14.0.3, from an empty store) against a running hacgi Instance-HA
API whose DATA_DIR is DIR (it must be fresh and empty), as
tests/reference/masakari/README.md says:

- registers admin:admin (admin, project admin) and demo:demo (member,reader,
  project demo; --no-demo leaves it out, then the auth-demo-* records expect
  401);
- sends the records in order; paths come from path_template with hacgi's
  values of the captured variables ({var}, {var:nodashes}, {var:upper});
- keeps a reference-uuid -> hacgi-uuid map learnt by walking the expected
  and actual bodies, and rewrites expected bodies and messages with it;
- runs `hacgi-manage notification set-status` for pre_sql_template records;
- `host-create-nova-unknown` (divergence 7) is skipped in sequence and sent
  after the last record;
- compares status, Content-Type, OpenStack-API-Version, Vary (value or
  absence), presence of x-openstack-request-id, and the body (JSON equal after
  uuid mapping, created_at/updated_at by format and null-ness; raw text
  exactly); for the decided divergences (table OVERRIDES below) the answer
  hacgi must give instead.

Output: `ok NAME` / `FAIL NAME: ...` / `n/a NAME: ...` per record, then
`replay masakari: N passed, N failed`; exit status 1 if any failed.
"""

import copy
import json
import os
import re
import sys

sys.dont_write_bytecode = True          # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
from common import ABSENT, PRESENT  # noqa: E402

API = "masakari"
REF_NETLOC = "127.0.0.1:25868"          # the recording server (links in bodies)
CORPUS = os.path.join(C.REFERENCE_DIR, "masakari", "corpus.jsonl")
README = os.path.join(C.REFERENCE_DIR, "masakari", "README.md")

ADMIN_TOKEN = ("admin:admin", "admin", "admin", "admin")          # token, user, project, roles
DEMO_TOKEN = ("demo:demo", "demo", "demo", "member,reader")

FAULT_CT = "application/json; charset=UTF-8"
OK_CT = "application/json"
VARY = "OpenStack-API-Version"

NO_CONTENT_LENGTH = "seg-create-no-body-no-content-length"
DEFERRED = "host-create-nova-unknown"        # divergence 7: sent after the last record
UUID_SORTED = "seg-list-sort_key-uuid"        # volatile order (sorted by uuid)

# places where a capture's value sits in a response body (README step 2)
CAPTURE_PATHS = [["segment", "uuid"], ["segment", "id"], ["host", "uuid"], ["host", "id"],
                 ["notification", "notification_uuid"]]

PRE_SQL_RE = re.compile(r"^UPDATE notifications SET status='([a-z]+)' "
                        r"WHERE notification_uuid='\{([A-Za-z0-9_]+)\}'$")
TEMPLATE_RE = re.compile(r"\{([A-Za-z0-9_]+)(?::(nodashes|upper))?\}")

KEYSTONE_401 = {"error": {"code": 401, "title": "Unauthorized",
                          "message": "The request you have made requires authentication."}}


# ---------------------------------------------------------------------------
# Expected-answer builders used by the divergence table
# ---------------------------------------------------------------------------

def _record_expect(rec):
    """The recorded answer as an Expect (reference uuids, raw times)."""
    rh = rec["resp_headers"]
    headers = {
        "content-type": rh.get("Content-Type", ABSENT),
        "openstack-api-version": rh.get("OpenStack-API-Version", ABSENT),
        "vary": rh.get("Vary", ABSENT),
        "x-openstack-request-id": PRESENT if rh.get("x-openstack-request-id") else ABSENT,
    }
    for h in ("Location", "Allow", "WWW-Authenticate"):
        if h in rh:
            headers[h.lower()] = rh[h]
    if rec.get("resp_body_raw"):
        return C.Expect(rec["status"], headers, "text", rec["resp_body"])
    if rec["resp_body"] is None:
        return C.Expect(rec["status"], headers, "empty")
    return C.Expect(rec["status"], headers, "json", copy.deepcopy(rec["resp_body"]))


def _fault_headers(version="1.0"):
    return {"content-type": FAULT_CT, "openstack-api-version": "instance-ha " + version,
            "vary": VARY, "x-openstack-request-id": PRESENT}


def _ok_headers(version="1.0"):
    return {"content-type": OK_CT, "openstack-api-version": "masakari " + version,
            "vary": VARY, "x-openstack-request-id": PRESENT}


def json404():
    """Divergence 1: JSON 404, no version headers."""
    def build(ctx, rec):
        return C.Expect(404, {"content-type": FAULT_CT, "openstack-api-version": ABSENT,
                              "vary": ABSENT, "x-openstack-request-id": PRESENT},
                        "json", {"itemNotFound": {"code": 404,
                                                  "message": "The resource could not be found."}})
    return build


def bad_method(allow, action):
    """Divergence 1: 405 badMethod + Allow + `instance-ha 1.0` (SPEC §2.8);
    HEAD: same headers, no body."""
    def build(ctx, rec):
        h = _fault_headers("1.0")
        h["allow"] = allow
        if rec["method"] == "HEAD":
            return C.Expect(405, h, "empty")
        msg = ("The request method: '%s' with action: '%s' is not allowed on this resource"
               % (rec["method"], action))
        return C.Expect(405, h, "json", {"badMethod": {"code": 405, "message": msg}})
    return build


class EmptyOrDropped(C.Matcher):
    """An empty header value, or no header at all: lighttpd drops header
    lines with an empty value that a CGI program sends (the programs' own
    output is checked by tests/ha_root.bats, by direct exec)."""

    desc = "'' (or dropped by the web server)"

    def match(self, value):
        return value in ("", None)


# --empty-header-dropped: the web server in front drops empty headers.
EMPTY_DROPPED = False


def recorded_plus_allow(allow):
    """Divergence 1: same status and message as recorded, plus Allow."""
    def build(ctx, rec):
        e = _record_expect(rec)
        e.headers["allow"] = EmptyOrDropped() if (
            allow == "" and EMPTY_DROPPED) else allow
        return e
    return build


def fault_400(message):
    """A 400 badRequest with the record's own (fault) headers."""
    def build(ctx, rec):
        e = _record_expect(rec)
        e.status = 400
        e.kind = "json"
        e.body = {"badRequest": {"code": 400, "message": message}}
        return e
    return build


def enabled_false():
    """Divergence 3: the recorded update answer with "enabled": false."""
    def build(ctx, rec):
        e = _record_expect(rec)
        e.body["segment"]["enabled"] = False
        return e
    return build


def body_of(other, version="1.0"):
    """200 with the body recorded for another record (divergences 4, 5)."""
    def build(ctx, rec):
        return C.Expect(200, _ok_headers(version), "json",
                        copy.deepcopy(ctx.by_name[other]["resp_body"]))
    return build


def literal_200(body, version="1.0"):
    def build(ctx, rec):
        return C.Expect(200, _ok_headers(version), "json", body)
    return build


def host_renamed(source, new_name):
    """Divergence 7 (update): 200, the host as last shown, renamed."""
    def build(ctx, rec):
        body = copy.deepcopy(ctx.by_name[source]["resp_body"])
        body["host"]["name"] = new_name
        return C.Expect(200, _ok_headers("1.0"), "json", body)
    return build


# uuid of the host created by the deferred record (none in the reference):
# a placeholder that the uuid map learns like any other reference uuid
DEFERRED_HOST_REF_UUID = "00000000-0000-4000-8000-00000000dead"


def deferred_host_create(final_list, host_id):
    """Divergence 7 (create, sent after the last record): 201, host
    `nonexistent-host` in seg_auto (its id follows the 9 hosts of the
    sequence)."""
    def build(ctx, rec):
        seg = next(copy.deepcopy(s) for s in ctx.by_name[final_list]["resp_body"]["segments"]
                   if s["uuid"] == ctx.ref_capture("seg_auto"))
        body = {"host": {
            "id": host_id, "uuid": DEFERRED_HOST_REF_UUID, "name": "nonexistent-host",
            "failover_segment_id": seg["uuid"], "failover_segment": seg,
            "type": "COMPUTE", "reserved": False, "control_attributes": "SSH",
            "on_maintenance": False, "created_at": "2000-01-01T00:00:00.000000",
            "updated_at": None, "deleted_at": None, "deleted": False}}
        return C.Expect(201, _ok_headers("1.0"), "json", body)
    return build


def notification_v11(source):
    """Divergence 8: 200 at 1.1 with recovery_workflow_details: [] after status."""
    def build(ctx, rec):
        n = ctx.by_name[source]["resp_body"]["notification"]
        out = {}
        for k, v in n.items():
            out[k] = v
            if k == "status":
                out["recovery_workflow_details"] = []
        return C.Expect(200, _ok_headers("1.1"), "json", {"notification": out})
    return build


def unauthorized():
    """Divergence 9: 401 keystone-style, WWW-Authenticate, request id only."""
    def build(ctx, rec):
        return C.Expect(401, {"content-type": OK_CT, "www-authenticate": ctx.www_auth,
                              "openstack-api-version": ABSENT, "vary": ABSENT,
                              "x-openstack-request-id": PRESENT},
                        "json", KEYSTONE_401)
    return build


def forbidden_demo(rule):
    """Divergence 9: demo:demo registered as non-admin -> 403 (401 unless
    registered)."""
    def build(ctx, rec):
        if not ctx.demo:
            return unauthorized()(ctx, rec)
        return C.Expect(403, _fault_headers("1.0"), "json",
                        {"forbidden": {"code": 403, "message":
                                       "Policy doesn't allow %s to be performed." % rule}})
    return build


def message(text):
    """Same status/fault as recorded, another message."""
    def build(ctx, rec):
        e = _record_expect(rec)
        fault = next(iter(e.body))
        e.body[fault]["message"] = text
        return e
    return build


# ---------------------------------------------------------------------------
# DECIDED DIVERGENCES — records expected to differ from the recording
# (SPEC §5; tests/reference/masakari/README.md "Records expected to differ").
# name: (group, builder of the answer hacgi must give instead)
# ---------------------------------------------------------------------------
OVERRIDES = {
    # -- Divergence 1: unmatched /v1 path -> JSON 404 itemNotFound,
    #    application/json; charset=UTF-8, no version headers
    "seg-list-trailing-slash":             ("div1 json404", json404()),
    "seg-list-trailing-slash-accept-json": ("div1 json404", json404()),
    "seg-list-project-in-url-nonhex":      ("div1 json404", json404()),
    "seg-show-trailing-slash":             ("div1 json404", json404()),
    "seg-delete-trailing-slash":           ("div1 json404", json404()),
    "unknown-v1-foo":                      ("div1 json404", json404()),
    "unknown-v1-foo-post":                 ("div1 json404", json404()),
    "unknown-v1-foo-accept-star":          ("div1 json404", json404()),
    "unknown-v1-foo-accept-json":          ("div1 json404", json404()),
    "unknown-v1-foo-accept-html":          ("div1 json404", json404()),
    "unknown-v1-segments-x-y":             ("div1 json404", json404()),
    # -- Divergence 1: known path, method not served -> 405 badMethod + Allow,
    #    OpenStack-API-Version: instance-ha 1.0 + Vary, message per SPEC §2.8
    "v1-post":                ("div1 405", bad_method("GET", "create")),
    "seg-update-collection":  ("div1 405", bad_method("GET, POST", "update")),
    "seg-patch-collection":   ("div1 405", bad_method("GET, POST", "patch")),
    "seg-delete-collection":  ("div1 405", bad_method("GET, POST", "delete")),
    "host-delete-collection": ("div1 405", bad_method("GET, POST", "delete")),
    "seg-patch-member":       ("div1 405", bad_method("GET, PUT, DELETE", "patch")),
    "seg-post-member":        ("div1 405", bad_method("GET, PUT, DELETE", "create")),
    "host-patch":             ("div1 405", bad_method("GET, PUT, DELETE", "patch")),
    "seg-head-collection":    ("div1 405", bad_method("GET, POST", "head")),   # HEAD: no body
    # -- Divergence 1: same status and message as recorded, plus Allow
    "v1-versions-collection": ("div1 +Allow", recorded_plus_allow("")),         # no method allowed
    "seg-post-member-action": ("div1 +Allow", recorded_plus_allow("")),         # empty Allow
    "seg-options-collection": ("div1 +Allow", recorded_plus_allow("GET, POST")),  # 200, empty
    # -- Divergence 2: invalid UTF-8 body -> 400 (reference: 500)
    "seg-create-body-invalid-utf8": ("div2", fault_400("Malformed request body")),
    # -- Divergence 3: update `enabled` string parsed as on create
    "seg-update-enabled-v12-str-false": ("div3", enabled_false()),  # also sets updated_at
    "seg-update-enabled-v12-str-0":     ("div3", enabled_false()),
    # -- Divergence 4: boolean spellings of the `enabled` filter
    "seg-list-filter-enabled-true":      ("div4", body_of("seg-list-filter-enabled-1")),
    "seg-list-filter-enabled-false":     ("div4", body_of("seg-list-filter-enabled-0")),
    "seg-list-filter-enabled-v12-false": ("div4", body_of("seg-list-filter-enabled-0", "1.2")),
    # -- Divergence 5: uuid markers
    "seg-list-marker-uuid":  ("div5", body_of("seg-list-marker-id")),
    "host-list-marker-uuid": ("div5", literal_200({"hosts": []})),
    # -- Divergence 6: 500 -> 400
    "host-create-type-null": ("div6", fault_400(
        "Invalid input for field/attribute type. Value: None. None is not of type 'string'")),
    "host-create-ca-null": ("div6", fault_400(
        "Invalid input for field/attribute control_attributes. Value: None. "
        "None is not of type 'string'")),
    "seg-list-sort_key-hosts": ("div6", fault_400(
        "InvalidSortKey('Sort key supplied is invalid: hosts')")),
    # -- Divergence 7: no Nova check.  The create is skipped in sequence and
    #    sent after the last record (201, id 10 = after the 9 hosts of the run)
    "host-create-nova-unknown": ("div7", deferred_host_create("final-seg-list", 10)),
    "host-update-nova-unknown": ("div7", host_renamed("host-update-on_maintenance",
                                                      "nonexistent-2")),
    # -- Divergence 8: notification show at 1.1 -> 200, recovery_workflow_details []
    "notif-show-v11": ("div8", notification_v11("notif-show-ignored")),
    # -- Divergence 9: no token -> 401 keystone-style + WWW-Authenticate
    "v1-noslash":          ("div9 401", unauthorized()),
    "v1-slash":            ("div9 401", unauthorized()),
    "v1-noauth-header":    ("div9 401", unauthorized()),
    "auth-none-list":      ("div9 401", unauthorized()),
    "auth-none-create":    ("div9 401", unauthorized()),
    "auth-none-show":      ("div9 401", unauthorized()),
    "auth-none-update":    ("div9 401", unauthorized()),
    "auth-none-delete":    ("div9 401", unauthorized()),
    "auth-x-user-id-demo": ("div9 401", unauthorized()),
    # -- Divergence 9: demo:demo (member,reader) -> 403 policy
    "auth-demo-list":          ("div9 403", forbidden_demo("os_masakari_api:segments:index")),
    "auth-demo-create":        ("div9 403", forbidden_demo("os_masakari_api:segments:create")),
    "auth-demo-show":          ("div9 403", forbidden_demo("os_masakari_api:segments:detail")),
    "auth-demo-update":        ("div9 403", forbidden_demo("os_masakari_api:segments:update")),
    "auth-demo-delete":        ("div9 403", forbidden_demo("os_masakari_api:segments:delete")),
    "auth-demo-hosts":         ("div9 403", forbidden_demo("os_masakari_api:os-hosts:index")),
    "auth-demo-notifications": ("div9 403", forbidden_demo("os_masakari_api:notifications:index")),
    # -- Token project: the message names the token's project
    "seg-list-project-in-url": ("token project", message(
        "Malformed request URL: URL's project_id '0123456789abcdef' doesn't match "
        "Context's project_id 'admin'")),
}

# README: "Not differing although it may look so" - served like the reference
NOT_DIFFERING = ["v2-multiple-choices", "unknown-root-foo", "unknown-v10-prefix",
                 "root-post", "extensions-list", "v1-versions-v1.0"]

# README names quoted only as sources of an expected body ("the body of X")
BODY_SOURCES = ["seg-list-filter-enabled-1", "seg-list-filter-enabled-0", "seg-list-marker-id"]

# README counts per group (the sanity check of --dry-run)
README_COUNTS = {"div1 json404": 11, "div1 405": 9, "div1 +Allow": 3, "div2": 1, "div3": 2,
                 "div4": 3, "div5": 2, "div6": 3, "div7": 2, "div8": 1, "div9 401": 9,
                 "div9 403": 7, "token project": 1}


# ---------------------------------------------------------------------------
# Replay state
# ---------------------------------------------------------------------------

class Context(C.Context):
    def __init__(self, records, args, target):
        super().__init__(records, args, target, REF_NETLOC)
        self.demo = not args.no_demo
        self.act_vars = {}        # var -> hacgi value
        self.ref_vars = {}        # var -> reference value (as of the current record)
        self._ref_final = {}
        for r in records:
            for k, v in (r.get("captures") or {}).items():
                self._ref_final.setdefault(k, v)
        self.umap = {}            # reference uuid -> hacgi uuid
        self.rmap = {}            # hacgi uuid -> reference uuid

    def ref_capture(self, var):
        """Reference value of a captured variable (the latest one seen, else
        its first capture in the corpus)."""
        return self.ref_vars.get(var, self._ref_final.get(var))

    # -- uuid map ---------------------------------------------------------
    def learn(self, exp, act):
        """Walk the expected (reference-valued) and actual bodies in parallel
        and map every uuid-shaped string not yet mapped.  Objects whose `id` or
        `name` differ are not walked (different rows)."""
        if isinstance(exp, str) and isinstance(act, str):
            if (C.UUID_RE.match(exp) and C.UUID_RE.match(act)
                    and exp not in self.umap and act not in self.rmap):
                self.umap[exp] = act
                self.rmap[act] = exp
        elif isinstance(exp, dict) and isinstance(act, dict):
            ident = [k for k in ("id", "name") if k in exp and k in act]
            if ident and all(exp[k] != act[k] for k in ident):
                return          # another row (e.g. a list in another order)
            for k in exp:
                if k in act:
                    self.learn(exp[k], act[k])
        elif isinstance(exp, list) and isinstance(act, list):
            for e, a in zip(exp, act):
                self.learn(e, a)

    def subst(self, s):
        """Reference uuids (dashed, no dashes, upper case) and base URL ->
        hacgi's, inside any string."""
        s = self.host_fn(s)
        if not any(c in s for c in "0123456789abcdefABCDEF"):
            return s
        for ref, act in self.umap.items():
            if ref == act:
                continue
            if ref in s:
                s = s.replace(ref, act)
            nd = ref.replace("-", "")
            if nd in s:
                s = s.replace(nd, act.replace("-", ""))
            up = ref.upper()
            if up in s:
                s = s.replace(up, act.upper())
        return s

    def var_value(self, var):
        if var in self.act_vars:
            return self.act_vars[var]
        v = self.ref_capture(var)
        if v is None:
            raise KeyError(var)
        return v


def finalize_body(ctx, body):
    """Expected body ready for comparison: uuids mapped, base URL ours,
    created_at/updated_at compared by format and null-ness."""
    def walk(v, key=None):
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            if key in ("created_at", "updated_at"):
                return C.HA_TIME
            return ctx.subst(v)
        return v
    return walk(body)


def build_path(ctx, rec):
    tpl = rec.get("path_template")
    if not tpl:
        return rec["path"]

    def rep(m):
        v = str(ctx.var_value(m.group(1)))
        if m.group(2) == "nodashes":
            v = v.replace("-", "")
        elif m.group(2) == "upper":
            v = v.upper()
        return v
    return TEMPLATE_RE.sub(rep, tpl)


def build_body(rec):
    """(bytes or None, send Content-Length?)"""
    body = rec["body"]
    if body is None:
        if rec["name"] == NO_CONTENT_LENGTH:
            return None, False
        return None, rec["method"] in ("POST", "PUT")
    if rec.get("raw_body"):
        try:
            data = body.encode("utf-8") if body.isascii() else None
        except AttributeError:
            raise SystemExit("error: %s: raw_body is not a string" % rec["name"])
        if data is None:
            # seg-create-body-invalid-utf8: the 0xFF byte is shown decoded as
            # Latin-1 - send the byte
            data = body.encode("latin-1")
        return data, True
    return json.dumps(body).encode("ascii"), True


def build_expect(ctx, rec):
    return C.build_expect(ctx, rec, OVERRIDES, _record_expect)


def uuid_sorted_expect(ctx, rec):
    """seg-list-sort_key-uuid: sorted by uuid, so its content depends on the
    uuids of the run.  Expected = the segments of `seg-list-all` (same state),
    in hacgi's uuids, sorted by uuid, first `limit`."""
    e = _record_expect(rec)
    limit = int(re.search(r"[?&]limit=(\d+)", rec["path"]).group(1))
    segs = [finalize_body(ctx, s) for s in ctx.by_name["seg-list-all"]["resp_body"]["segments"]]
    segs.sort(key=lambda s: s["uuid"])
    e.body = {"segments": segs[:limit]}
    return e


def read_capture(ctx, rec, resp_json):
    """Set hacgi's values of the variables this record captures."""
    for var, val in (rec.get("captures") or {}).items():
        ctx.ref_vars[var] = val
        got = None
        for p in CAPTURE_PATHS:
            try:
                if C.get_path(rec["resp_body"], p) != val:
                    continue
            except (KeyError, IndexError, TypeError):
                continue
            try:
                got = C.get_path(resp_json, p)
            except (KeyError, IndexError, TypeError):
                got = None
            break
        if got is None:
            ctx.act_vars.pop(var, None)
        else:
            ctx.act_vars[var] = got


def plan(records):
    """File order, with the divergence-7 record moved after the last one."""
    seq = [r for r in records if r["name"] != DEFERRED]
    seq += [r for r in records if r["name"] == DEFERRED]
    return seq


# ---------------------------------------------------------------------------
# Replay
# ---------------------------------------------------------------------------

def replay_one(ctx, rec, manage, rep):
    name = rec["name"]
    problems = []
    # pre_sql_template -> hacgi-manage notification set-status
    for tpl in rec.get("pre_sql_template") or []:
        m = PRE_SQL_RE.match(tpl)
        if not m:
            problems.append("cannot translate pre_sql %r" % tpl)
            continue
        try:
            manage.run("notification", "set-status", str(ctx.var_value(m.group(2))), m.group(1))
        except (C.ManageError, KeyError) as e:
            problems.append("pre-step set-status failed: %s" % e)
    try:
        path = build_path(ctx, rec)
    except KeyError as e:
        rep.fail(name, ["no value for path variable %s" % e])
        return True
    body, with_length = build_body(rec)
    request = (rec["method"], path, list(rec["headers"].items()))
    # README step 6: a 411 is the web server's refusal of a POST without
    # Content-Length, not hacgi's answer
    resp, sent = C.exchange(ctx, rep, name, request, body, with_length, problems)
    if not sent:
        for var in rec.get("captures") or {}:
            ctx.ref_vars[var] = rec["captures"][var]
            ctx.act_vars.pop(var, None)
    if resp is None:
        return sent
    try:
        act_json = resp.json()
    except (UnicodeDecodeError, ValueError):
        act_json = None

    if name == UUID_SORTED:
        expect, group = uuid_sorted_expect(ctx, rec), None
    else:
        expect, group = build_expect(ctx, rec)
        if expect.kind == "json" and act_json is not None:
            ctx.learn(expect.body, act_json)
        if expect.kind == "json":
            expect.body = finalize_body(ctx, expect.body)
        elif expect.kind == "text":
            expect.body = ctx.subst(expect.body)
    read_capture(ctx, rec, act_json)
    return C.judge(ctx, rep, name, request, resp, expect, group, problems)


def setup(ctx, manage):
    tokens = [ADMIN_TOKEN] + ([DEMO_TOKEN] if ctx.demo else [])
    for tok, user, project, roles in tokens:
        manage.run("token", "create", "--user", user, "--project", project,
                   "--roles", roles, "--token", tok)


def run(args):
    records = C.load_corpus(args.corpus)
    return C.run(args, API, "Instance-HA API", records, Context, setup, replay_one, plan)


# ---------------------------------------------------------------------------
# --dry-run: self-check without a server
# ---------------------------------------------------------------------------

def recorded_response(rec):
    """The recorded answer as a Response (to check the comparison code)."""
    headers = []
    for k, v in rec["resp_headers"].items():
        if k == "x-openstack-request-id":
            if v:
                headers.append(("X-Openstack-Request-Id", "req-00000000-0000-4000-8000-000000000000"))
        else:
            headers.append((k, v))
    if rec.get("resp_body_raw"):
        data = rec["resp_body"].encode("utf-8")
    elif rec["resp_body"] is None:
        data = b""
    else:
        data = json.dumps(rec["resp_body"]).encode("ascii")
    return C.Response(rec["status"], "", headers, data)


def dry_run(args):
    records = C.load_corpus(args.corpus)
    ctx = Context(records, args, None)
    problems = []
    print("corpus: %s: %d records" % (args.corpus, len(records)))

    # 1. every request can be built; path_template + reference captures
    #    reproduce the recorded path
    n_tpl = n_pre = 0
    for rec in records:          # file order: captures as recorded
        if rec.get("path_template"):
            n_tpl += 1
            try:
                p = build_path(ctx, rec)
            except KeyError as e:
                problems.append("%s: no value for %s" % (rec["name"], e))
                p = None
            if p is not None and p != rec["path"]:
                problems.append("%s: template gives %r, recorded %r" % (rec["name"], p, rec["path"]))
        for tpl in rec.get("pre_sql_template") or []:
            n_pre += 1
            m = PRE_SQL_RE.match(tpl)
            if not m or m.group(2) not in ctx.ref_vars:
                problems.append("%s: pre_sql_template %r not translatable" % (rec["name"], tpl))
        body, with_len = build_body(rec)
        if rec["name"] == "seg-create-body-invalid-utf8" and (body is None or b"\xff" not in body):
            problems.append("seg-create-body-invalid-utf8: body lacks the 0xFF byte")
        if rec["name"] == NO_CONTENT_LENGTH and with_len:
            problems.append("%s would send Content-Length" % NO_CONTENT_LENGTH)
        for var, val in (rec.get("captures") or {}).items():
            if not any(_safe_get(rec["resp_body"], p) == val for p in CAPTURE_PATHS):
                problems.append("%s: capture %s not found in the body" % (rec["name"], var))
            ctx.ref_vars[var] = val
    print("requests: %d built, %d from path_template, %d pre_sql set-status step(s); "
          "%s sent without Content-Length" % (len(records), n_tpl, n_pre, NO_CONTENT_LENGTH))
    seq = plan(records)
    print("order: %s moved after %s (last)" % (seq[-1]["name"], seq[-2]["name"]))

    # 2. build every expectation; compare the recorded answers with them
    #    (identity uuid map): only overridden records may differ
    ctx = Context(records, args, None)
    tally = C.Tally()
    for rec in seq:
        if rec["name"] == UUID_SORTED:
            e, group = uuid_sorted_expect(ctx, rec), None
        else:
            e, group = build_expect(ctx, rec)
            if e.kind == "json" and rec["resp_body"] is not None and not rec.get("resp_body_raw"):
                ctx.learn(e.body, rec["resp_body"])
            if e.kind == "json":
                e.body = finalize_body(ctx, e.body)
        diffs = C.compare(e, recorded_response(rec))
        for var, val in (rec.get("captures") or {}).items():
            ctx.ref_vars[var] = val
        tally.add(rec["name"], group, diffs)
    print("overrides (decided divergences): %d records" % tally.overridden())
    return tally.report(records, OVERRIDES, README_COUNTS, README,
                        NOT_DIFFERING + BODY_SOURCES, problems)


def _safe_get(obj, p):
    try:
        return C.get_path(obj, p)
    except (KeyError, IndexError, TypeError):
        return None


def main():
    p = C.arg_parser("Instance-HA API", CORPUS, "Replay the Instance-HA reference corpus "
                     "against hacgi (see tests/reference/masakari/README.md).")
    p.add_argument("--no-demo", action="store_true",
                   help="do not register demo:demo (then auth-demo-* expect 401)")
    p.add_argument("--empty-header-dropped", action="store_true",
                   help="the web server drops empty response headers "
                   "(lighttpd): an expected empty Allow may be absent")
    args = p.parse_args()
    C.check_args(args, p)
    global EMPTY_DROPPED
    EMPTY_DROPPED = args.empty_header_dropped
    if args.dry_run:
        return dry_run(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
