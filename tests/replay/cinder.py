#!/usr/bin/python3
"""Conformance replay of the Volume API (Cinder v3 compatible).

    tests/replay/cinder.py --url http://127.0.0.1:PORT --manage bin/hacgi-manage \\
        --data-dir DIR [--corpus FILE] [--names REGEX] [--verbose]
    tests/replay/cinder.py --dry-run

Replays tests/reference/cinder/corpus.jsonl (371 records recorded from
cinder-api 21.3.1 against tests/reference/cinder/fixture.json) against a
running hacgi Volume API whose DATA_DIR is DIR (fresh), as
tests/reference/cinder/README.md says:

- registers the corpus token admin:0123456789abcdef0123456789abcdef (admin,
  project 0123456789abcdef0123456789abcdef) and the optional ones (admin,
  alice:..., u:p:q; --no-optional-tokens leaves them out, then the token_*
  records listed in the README expect 401);
- loads the fixture with hacgi-manage (the README's shell lines, generated
  from fixture.json; `ago N` computed at load time);
- keeps the "now" services alive: a background thread re-heartbeats them
  every 10 s (never the stale ones nor hostn1);
- sends every record in order, unchanged, and compares status, content-type,
  openstack-api-version, vary (value or absence), presence of
  x-openstack-request-id / x-compute-request-id, location, and the body
  (JSON equal after masking the `volatile` paths - compared by format, or
  ""/null as recorded; `Invalid filter keys: a, b` as a set; text exactly);
  for the decided divergences (table OVERRIDES below) the answer hacgi must
  give instead.

Output: `ok NAME` / `FAIL NAME: ...` / `n/a NAME: ...` per record, then
`replay cinder: N passed, N failed`; exit status 1 if any failed.
"""

import argparse
import copy
import datetime
import json
import os
import shlex
import sys
import threading

sys.dont_write_bytecode = True          # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
from common import ABSENT, PRESENT  # noqa: E402

API = "cinder"
REF_NETLOC = "127.0.0.1:28776"          # the recording server (links, Location)
CORPUS = os.path.join(C.REFERENCE_DIR, "cinder", "corpus.jsonl")
FIXTURE = os.path.join(C.REFERENCE_DIR, "cinder", "fixture.json")
README = os.path.join(C.REFERENCE_DIR, "cinder", "README.md")

PROJECT = "0123456789abcdef0123456789abcdef"
# (token, user, project, roles)
CORPUS_TOKEN = ("admin:" + PROJECT, "admin", PROJECT, "admin")
OPTIONAL_TOKENS = [("admin", "admin", "admin", "admin"),
                   ("alice:" + PROJECT, "alice", PROJECT, "admin"),
                   ("u:p:q", "u", "p:q", "admin")]

HEARTBEAT_INTERVAL = 10.0   # seconds (the reference did it every 10 s)

KEYSTONE_401 = {"error": {"code": 401, "title": "Unauthorized",
                          "message": "The request you have made requires authentication."}}
GENERIC_400 = ("The server could not comply with the request since it is either "
               "malformed or otherwise incorrect.")


# ---------------------------------------------------------------------------
# Expected answers
# ---------------------------------------------------------------------------

def record_expect(rec):
    """The recorded answer as an Expect; volatile values become matchers."""
    rh = rec["resp_headers"]
    headers = {
        "content-type": rh.get("content-type", ABSENT),
        "openstack-api-version": rh.get("openstack-api-version", ABSENT),
        "vary": rh.get("vary", ABSENT),
        "x-openstack-request-id": PRESENT if "x-openstack-request-id" in rh else ABSENT,
        "x-compute-request-id": PRESENT if "x-compute-request-id" in rh else ABSENT,
        "location": rh.get("location", ABSENT),
    }
    body = rec["resp_body"]
    if isinstance(body, str):
        return C.Expect(rec["status"], headers, "text", body)
    body = copy.deepcopy(body)
    for p in rec.get("volatile") or []:
        steps = C.parse_path(p, "$")
        v = C.get_path(body, steps)
        if v not in ("", None):           # "" / null: compared exactly
            C.set_path(body, steps, C.VOLUME_TIME)
    return C.Expect(rec["status"], headers, "json", body)


def unauthorized():
    """Divergence 9: 401 keystone-style, WWW-Authenticate, x-openstack-request-id only."""
    def build(ctx, rec):
        return C.Expect(401, {"content-type": "application/json",
                              "www-authenticate": ctx.www_auth,
                              "x-openstack-request-id": PRESENT,
                              "x-compute-request-id": ABSENT,
                              "openstack-api-version": ABSENT, "vary": ABSENT,
                              "location": ABSENT},
                        "json", KEYSTONE_401)
    return build


def with_body(body, status=None):
    """The record's own headers, another status/body."""
    def build(ctx, rec):
        e = record_expect(rec)
        if status is not None:
            e.status = status
        e.kind = "json"
        e.body = copy.deepcopy(body)
        return e
    return build


def not_found(binary, name):
    """404 "Cluster {'binary': B, 'name': N} could not be found." (SPEC §3.4)."""
    msg = "Cluster {'binary': %s, 'name': %s} could not be found." % (pyrepr(binary), pyrepr(name))
    return with_body({"itemNotFound": {"code": 404, "message": msg}}, 404)


def bad_request(message):
    return with_body({"badRequest": {"code": 400, "message": message}}, 400)


def pyrepr(s):
    """Python repr of a str (enough for the names used here)."""
    if "'" in s and '"' not in s:
        return '"%s"' % s
    return "'%s'" % s.replace("\\", "\\\\").replace("'", "\\'")


# Host counts of divergence 12: members = services of the cluster's own binary
HOSTS_PER_BINARY = {("cluster1@lvm", "cinder-volume"): 2, ("cluster1@lvm", "cinder-backup"): 1}


def patch_host_counts(body):
    """Divergence 12 applied to a body: num_hosts of cluster1@lvm per binary."""
    def walk(v):
        if isinstance(v, dict):
            key = (v.get("name"), v.get("binary"))
            if key in HOSTS_PER_BINARY and "num_hosts" in v:
                v["num_hosts"] = HOSTS_PER_BINARY[key]
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(body)
    return body


def host_counts():
    """Divergence 12: the recorded answer with cinder-volume/cinder-backup
    counts for cluster1@lvm (2 and 1 instead of 3)."""
    def build(ctx, rec):
        e = record_expect(rec)
        patch_host_counts(e.body)
        return e
    return build


def baseline(ctx, name):
    """All clusters, in creation order, as listed by a record before the PUT
    section (with divergence 12 applied)."""
    return patch_host_counts(record_expect(ctx.by_name[name]).body)["clusters"]


def clusters(source, keep=None, drop=None):
    """Divergence 11: 200 with the clusters of `source` (same view and
    version) restricted to `keep` / without `drop` ((name, binary) pairs)."""
    def build(ctx, rec):
        allc = baseline(ctx, source)
        sel = [c for c in allc
               if (keep is None or (c["name"], c["binary"]) in keep)
               and (drop is None or (c["name"], c["binary"]) not in drop)]
        e = record_expect(rec)
        e.status = 200
        e.body = {"clusters": sel}
        return e
    return build


def show_of(source, name, binary):
    """Divergence 13: show honours ?binary=: 200 with that cluster's detail view."""
    def build(ctx, rec):
        c = next(c for c in baseline(ctx, source) if (c["name"], c["binary"]) == (name, binary))
        e = record_expect(rec)
        e.status = 200
        e.body = {"cluster": c}
        return e
    return build


def recorded_unless_optional_tokens():
    """token_* records: as recorded when the optional tokens are registered,
    else 401 (divergence 9)."""
    def build(ctx, rec):
        if ctx.optional_tokens:
            return record_expect(rec)
        return unauthorized()(ctx, rec)
    return build


V = "cinder-volume"
B = "cinder-backup"


def volume_clusters(*names):
    return {(n, V) for n in names}


# ---------------------------------------------------------------------------
# DECIDED DIVERGENCES — records expected to differ from the recording
# (SPEC §5; tests/reference/cinder/README.md "Records expected to differ").
# name: (group, builder of the answer hacgi must give instead)
# ---------------------------------------------------------------------------
OVERRIDES = {
    # -- Divergence 9: no token / empty or unregistrable token -> 401
    #    keystone-style body, WWW-Authenticate, x-openstack-request-id only
    "v3_slash_no_token":               ("div9 401", unauthorized()),
    "v3_noslash_no_token":             ("div9 401", unauthorized()),
    "no_token_list":                   ("div9 401", unauthorized()),
    "no_token_with_auth_user_headers": ("div9 401", unauthorized()),
    "no_token_noproject_path":         ("div9 401", unauthorized()),
    "disable_no_token":                ("div9 401", unauthorized()),
    "order_bad_mv_string_no_token":    ("div9 401", unauthorized()),
    "token_empty":                     ("div9 401", unauthorized()),
    "token_empty_noproject_path":      ("div9 401", unauthorized()),
    "token_colon_only":                ("div9 401", unauthorized()),
    # -- Divergence 9: 401 unless the optional tokens are registered
    #    (registered by default: then they match the recording)
    "token_user_only":                ("div9 optional", recorded_unless_optional_tokens()),
    "token_user_only_noproject_path": ("div9 optional", recorded_unless_optional_tokens()),
    "token_project_admin_path":       ("div9 optional", recorded_unless_optional_tokens()),
    "token_nonadmin_name":            ("div9 optional", recorded_unless_optional_tokens()),
    "token_extra_colons":             ("div9 optional", recorded_unless_optional_tokens()),
    # -- Divergence 10: names literal (%, _ not wildcards), case-sensitive
    "list_name_underscore_wildcard": ("div10", with_body({"clusters": []})),
    "list_name_percent_wildcard":    ("div10", with_body({"clusters": []})),
    "list_name_uppercase":           ("div10", with_body({"clusters": []})),
    "show_uppercase_prefix":         ("div10", not_found(V, "CLUSTER1")),
    "show_percent_wildcard":         ("div10", not_found(V, "%")),
    "show_underscore_wildcard":      ("div10", not_found(V, "cluster_")),
    "disable_percent_wildcard":      ("div10", not_found(V, "%")),   # nothing changes
    "enable_percent_wildcard":       ("div10", not_found(V, "%")),
    # -- Divergence 11: numeric/boolean filters (host counts of divergence 12:
    #    cluster1@lvm volume 2, backup 1, cluster2 3 (1 down), cluster3@ceph 1,
    #    empty@nfs 0, down@lvm 2 (2 down), host5@be#pool1 1, nohb@lvm 1)
    "list_num_hosts_3":          ("div11", clusters("mv_3.7_list", keep={("cluster2", V)})),
    "list_num_hosts_v_3":        ("div11", clusters("mv_3.7_list", keep={("cluster2", V)})),
    "detail_num_hosts_3":        ("div11", clusters("mv_3.7_detail", keep={("cluster2", V)})),
    "list_num_down_hosts_1":     ("div11", clusters("mv_3.7_list", keep={("cluster2", V)})),
    "list_num_down_hosts_v_1":   ("div11", clusters("mv_3.7_list", keep={("cluster2", V)})),
    "detail_num_down_hosts_1":   ("div11", clusters("mv_3.7_detail", keep={("cluster2", V)})),
    "list_num_hosts_v_0":        ("div11", clusters("mv_3.7_list", keep={("empty@nfs", V)})),
    "list_num_hosts_v_1":        ("div11", clusters("mv_3.7_list", keep={
        ("cluster3@ceph", V), ("cluster1@lvm", B), ("host5@be#pool1", V), ("nohb@lvm", V)})),
    "list_num_hosts_v_2":        ("div11", clusters("mv_3.7_list", keep={
        ("cluster1@lvm", V), ("down@lvm", V)})),
    "list_num_down_hosts_v_0":   ("div11", clusters("mv_3.7_list",
                                                    drop=volume_clusters("cluster2", "down@lvm"))),
    "list_num_down_hosts_v_2":   ("div11", clusters("mv_3.7_list", keep={("down@lvm", V)})),
    "list_num_hosts_v_abc":      ("div11", bad_request("num_hosts must be an integer")),
    "list_num_hosts_v_EMPTY":    ("div11", bad_request("num_hosts must be an integer")),
    "list_num_down_hosts_v_abc": ("div11", bad_request("num_down_hosts must be an integer")),
    "list_frozen_3.26":          ("div11", clusters("mv_3.26_list", keep={("cluster2", V)})),
    "list_frozen_True_3.26":     ("div11", clusters("mv_3.26_list", keep={("cluster2", V)})),
    "list_frozen_false_3.26":    ("div11", clusters("mv_3.26_list", drop=volume_clusters("cluster2"))),
    "list_frozen_garbage_3.26":  ("div11", bad_request(
        "Value 'garbage' for 'frozen' is not a boolean.")),
    # -- Divergence 12: num_hosts of cluster1@lvm is 2 (cinder-volume) and 1
    #    (cinder-backup) instead of 3, all else equal
    "mv_3.7_detail":              ("div12", host_counts()),
    "mv_3.26_detail":             ("div12", host_counts()),
    "detail_name_exact":          ("div12", host_counts()),
    "detail_name_exact_pct40":    ("div12", host_counts()),
    "detail_name_hostlevel":      ("div12", host_counts()),
    "detail_binary_backup":       ("div12", host_counts()),
    "detail_is_up_true":          ("div12", host_counts()),
    "detail_json_suffix":         ("div12", host_counts()),
    "show_cluster1":              ("div12", host_counts()),
    "show_cluster1_pct40":        ("div12", host_counts()),
    "show_cluster1_3.26":         ("div12", host_counts()),
    "show_host_prefix":           ("div12", host_counts()),
    "show_unknown_query":         ("div12", host_counts()),
    "show_json_suffix":           ("div12", host_counts()),
    "no_project_detail":          ("div12", host_counts()),
    "show_after_disable_basic":   ("div12", host_counts()),
    "show_after_enable_basic":    ("div12", host_counts()),
    "show_after_disable_reason":  ("div12", host_counts()),
    "detail_after_disable_reason": ("div12", host_counts()),
    "show_after_disable_again":   ("div12", host_counts()),
    "show_after_enable_clears":   ("div12", host_counts()),
    "final_detail_3.26":          ("div12", host_counts()),
    # -- Divergence 13: show honours ?binary=
    "show_binary_query_backup":  ("div13", show_of("mv_3.7_detail", "cluster1@lvm", B)),
    "show_binary_query_unknown": ("div13", not_found("nope", "cluster1@lvm")),
    # -- Divergence 14: malformed version item -> 400 generic, no version headers
    "mv_volume_only_list":  ("div14", bad_request(GENERIC_400)),
    "mv_three_tokens_list": ("div14", bad_request(GENERIC_400)),
}

# README names of the divergence section that stay as recorded
NOT_DIFFERING = ["detail_num_hosts_3_num_down_0"]

# README counts per group (the sanity check of --dry-run)
README_COUNTS = {"div9 401": 10, "div9 optional": 5, "div10": 8, "div11": 18, "div12": 22,
                 "div13": 2, "div14": 2}


# ---------------------------------------------------------------------------
# Fixture
# ---------------------------------------------------------------------------

def ago(seconds, now=None):
    """UTC time N seconds before now, YYYY-MM-DDTHH:MM:SS.ffffff."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return (now - datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%f")


def fixture_commands(fixture, ago_fn):
    """hacgi-manage argument lists that load the fixture (the README's shell
    lines), in order.  ago_fn(N) gives the --at value of a stale heartbeat."""
    cmds = []
    for c in fixture["clusters"]:
        a = ["cluster", "set", c["name"], "--binary", c["binary"]]
        if c["disabled"]:
            a.append("--disabled")
            if c.get("disabled_reason") is not None:
                a += ["--reason", c["disabled_reason"]]
        else:
            a.append("--enabled")
        a += ["--replication-status", c["replication_status"],
              "--frozen", "true" if c["frozen"] else "false",
              "--active-backend-id", c["active_backend_id"] or "none",
              "--created-at", c["created_at"],
              "--updated-at", c["updated_at"] or "none"]
        cmds.append(a)
    disables = []
    for s in fixture["services"]:
        a = ["service", "heartbeat", "--host", s["host"], "--binary", s["binary"]]
        if s.get("cluster"):
            a += ["--cluster", s["cluster"]]
        a += ["--zone", s["zone"], "--created-at", s["created_at"]]
        hb = s["heartbeat"]
        if hb is None:
            a += ["--at", "none"]
        elif hb != "now":
            a += ["--at", ago_fn(int(hb))]
        cmds.append(a)
        if s["disabled"]:
            d = ["service", "set", "--host", s["host"], "--binary", s["binary"], "--disabled"]
            if s.get("disabled_reason") is not None:
                d += ["--reason", s["disabled_reason"]]
            disables.append(d)
    return cmds + disables


def live_services(fixture):
    return [(s["host"], s["binary"]) for s in fixture["services"] if s["heartbeat"] == "now"]


def readme_commands(path):
    """The hacgi-manage lines of the README's sh block, `"$(ago N)"` -> AGO(N)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("hacgi-manage "):
            line = line.replace('"$(ago ', '"AGO(')
            out.append(shlex.split(line)[1:])
    return out


class KeepAlive(threading.Thread):
    """Re-heartbeats the "now" services every HEARTBEAT_INTERVAL seconds."""

    def __init__(self, manage, services, interval):
        super().__init__(daemon=True)
        self.manage = manage
        self.services = services
        self.interval = interval
        self.stop = threading.Event()
        self.errors = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop.set()
        self.join(timeout=C.MANAGE_TIMEOUT)
        if exc_type is None and self.errors:
            print("warning: %d keep-alive heartbeat(s) failed" % len(self.errors),
                  file=sys.stderr)

    def run(self):
        while not self.stop.wait(self.interval):
            for host, binary in self.services:
                try:
                    self.manage.run("service", "heartbeat", "--host", host, "--binary", binary)
                except C.ManageError as e:
                    if len(self.errors) < 5:
                        print("warning: keep-alive heartbeat: %s" % e, file=sys.stderr, flush=True)
                    self.errors.append(str(e))


# ---------------------------------------------------------------------------
# Replay
# ---------------------------------------------------------------------------

class Context(C.Context):
    def __init__(self, records, args, target):
        super().__init__(records, args, target, REF_NETLOC)
        self.optional_tokens = not args.no_optional_tokens


def build_expect(ctx, rec, overrides=None):
    """The answer expected; overrides: the decided differences (default
    OVERRIDES, corpus.jsonl's)."""
    return C.build_expect(ctx, rec, OVERRIDES if overrides is None else overrides,
                          record_expect)


def finalize(ctx, e):
    """Our base URL instead of the reference's; the filter-key message as a set."""
    def fn(s):
        s = ctx.host_fn(s)
        if C.FilterKeySet.MARK in s and ", " in s:
            return C.FilterKeySet(s)
        return s
    if e.kind == "json":
        e.body = C.map_strings(e.body, fn)
    elif e.kind == "text":
        e.body = ctx.host_fn(e.body)
    loc = e.headers.get("location")
    if isinstance(loc, str):
        e.headers["location"] = ctx.host_fn(loc)
    return e


def build_request(rec):
    body = rec["body"]
    data = None if body is None else body.encode("utf-8")
    return list(rec["headers"].items()), data


def replay_one(ctx, rec, _manage, rep, overrides=None, tag_ok=False):
    headers, data = build_request(rec)
    request = (rec["method"], rec["path"], headers)
    resp, sent = C.exchange(ctx, rep, rec["name"], request, data, data is not None,
                            accept_encoding=True)
    if resp is None:
        return sent
    expect, group = build_expect(ctx, rec, overrides)
    finalize(ctx, expect)
    return C.judge(ctx, rep, rec["name"], request, resp, expect, group,
                   tag_ok=tag_ok)


def load_fixture(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit("error: cannot read fixture %s: %s" % (path, e))


def setup(ctx, manage, fixture):
    """The tokens and the fixture; the keep-alive heartbeats to run meanwhile."""
    tokens = [CORPUS_TOKEN] + (OPTIONAL_TOKENS if ctx.optional_tokens else [])
    for tok, user, project, roles in tokens:
        manage.run("token", "create", "--user", user, "--project", project,
                   "--roles", roles, "--token", tok)
    now = datetime.datetime.now(datetime.timezone.utc)
    for cmd in fixture_commands(fixture, lambda n: ago(n, now)):
        manage.run(*cmd)
    args = ctx.args
    return KeepAlive(C.Manage(args.manage, args.data_dir, pass_flag=not args.manage_env_only),
                     live_services(fixture), args.heartbeat_interval)


def run(args, api=API, replay=replay_one):
    """The replay of args.corpus on the fixture's setup (cinder_services.py:
    its own api name and replay_one)."""
    records = C.load_corpus(args.corpus)
    fixture = load_fixture(args.fixture)
    return C.run(args, api, "Volume API", records, Context,
                 lambda ctx, manage: setup(ctx, manage, fixture), replay)


# ---------------------------------------------------------------------------
# --dry-run: self-check without a server
# ---------------------------------------------------------------------------

def recorded_response(rec):
    headers = list(rec["resp_headers"].items())
    body = rec["resp_body"]
    data = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("ascii")
    return C.Response(rec["status"], "", headers, data)


def dry_run(args):
    records = C.load_corpus(args.corpus)
    fixture = load_fixture(args.fixture)
    ctx = Context(records, args, None)
    problems = []
    print("corpus: %s: %d records" % (args.corpus, len(records)))
    n_body = n_nolen = 0
    for rec in records:
        headers, data = build_request(rec)
        n_body += data is not None
        n_nolen += data is None and rec["method"] in ("POST", "PUT")
        for p in rec.get("volatile") or []:
            try:
                C.get_path(rec["resp_body"], C.parse_path(p, "$"))
            except (ValueError, KeyError, IndexError, TypeError):
                problems.append("%s: volatile path %s not in the body" % (rec["name"], p))
    print("requests: %d built (%d with a body; %d POST/PUT without body, sent without "
          "Content-Length)" % (len(records), n_body, n_nolen))

    # fixture: generated commands == the README's shell lines
    cmds = fixture_commands(fixture, lambda n: "AGO(%d)" % n)
    tokens = [CORPUS_TOKEN] + (OPTIONAL_TOKENS if ctx.optional_tokens else [])
    print("setup: %d token(s), %d fixture command(s); keep-alive every %gs for: %s" % (
        len(tokens), len(cmds), args.heartbeat_interval,
        ", ".join("%s/%s" % hb for hb in live_services(fixture))))
    for tok, user, project, roles in tokens:
        print("  hacgi-manage token create --user %s --project %s --roles %s --token %s"
              % (user, project, roles, tok))
    for c in cmds:
        print("  hacgi-manage " + " ".join(shlex.quote(x) for x in c))
    rc = readme_commands(args.readme)
    if rc is None:
        print("README not found: %s (fixture cross-check skipped)" % args.readme)
    else:
        rc = [c for c in rc if c[:2] != ["token", "create"]]
        if rc == cmds:
            print("fixture commands: identical to the README's shell lines (%d)" % len(rc))
        else:
            problems.append("fixture commands differ from the README's shell lines")
            for a, b in zip(cmds, rc):
                if a != b:
                    problems.append("  generated %s / README %s" % (a, b))
            if len(rc) != len(cmds):
                problems.append("  %d generated, %d in README" % (len(cmds), len(rc)))

    # divergence 12 applies exactly to the listed records
    div12 = {n for n, (g, _) in OVERRIDES.items() if g == "div12"}
    has3 = set()
    for rec in records:
        def walk(v):
            if isinstance(v, dict):
                if v.get("name") == "cluster1@lvm" and v.get("num_hosts") == 3:
                    return True
                return any(walk(x) for x in v.values())
            if isinstance(v, list):
                return any(walk(x) for x in v)
            return False
        if walk(rec["resp_body"]):
            has3.add(rec["name"])
    replaced = {n for n in OVERRIDES if n not in div12}     # bodies replaced whole
    if has3 - div12 - replaced:
        problems.append("cluster1@lvm num_hosts 3 also in: %s"
                        % ", ".join(sorted(has3 - div12 - replaced)))
    if div12 - has3:
        problems.append("div12 records without cluster1@lvm num_hosts 3: %s"
                        % ", ".join(sorted(div12 - has3)))
    # divergence 13 / 11 values the README states
    e, _ = build_expect(ctx, ctx.by_name["show_binary_query_backup"])
    c = e.body["cluster"]
    if (c["binary"], c["num_hosts"], c["num_down_hosts"], c["created_at"], c["updated_at"]) != \
            (B, 1, 0, "2024-01-05T10:00:00.000000", ""):
        problems.append("show_binary_query_backup expectation is not the README's: %s" % c)
    for n in ("list_num_hosts_v_1", "list_num_down_hosts_v_0", "list_frozen_false_3.26"):
        e, _ = build_expect(ctx, ctx.by_name[n])
        print("  %s -> %s" % (n, ", ".join("%s(%s)" % (c["name"], c["binary"][7:])
                                          for c in e.body["clusters"])))

    # every expectation; recorded answers vs expectations
    tally = C.Tally()
    for rec in records:
        e, group = build_expect(ctx, rec)
        finalize(ctx, e)
        tally.add(rec["name"], group, C.compare(e, recorded_response(rec)),
                  may_equal=group == "div9 optional")
    active = sum(len(v) for g, v in tally.groups.items()
                 if g != "div9 optional" or not ctx.optional_tokens)
    print("overrides (decided divergences): %d records differ from the recording "
          "(%d listed; the 5 'div9 optional' match it when the optional tokens are registered%s)"
          % (active, tally.overridden(), "" if ctx.optional_tokens else " - not registered now"))
    return tally.report(records, OVERRIDES, README_COUNTS, args.readme, NOT_DIFFERING, problems)


def arg_parser(corpus, description):
    """The options of a Volume replay on the fixture."""
    p = C.arg_parser("Volume API", corpus, description)
    p.add_argument("--fixture", default=FIXTURE, help="fixture file (default: %(default)s)")
    p.add_argument("--heartbeat-interval", type=float, default=HEARTBEAT_INTERVAL,
                   help="seconds between keep-alive heartbeats (default: %(default)s)")
    return p


def main():
    p = arg_parser(CORPUS, "Replay the Volume API reference corpus "
                   "against hacgi (see tests/reference/cinder/README.md).")
    p.add_argument("--readme", default=README, help=argparse.SUPPRESS)
    p.add_argument("--no-optional-tokens", action="store_true",
                   help="register only the corpus token (then the token_* records "
                        "listed in the README expect 401)")
    args = p.parse_args()
    C.check_args(args, p)
    if args.dry_run:
        return dry_run(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
