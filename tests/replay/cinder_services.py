#!/usr/bin/python3
"""Conformance replay of the os-services actions of the Volume API.

    tests/replay/cinder_services.py --url http://127.0.0.1:PORT \\
        --manage bin/hacgi-manage --data-dir DIR [--names REGEX] [--verbose]
    tests/replay/cinder_services.py --dry-run

Replays tests/reference/cinder/corpus-services.jsonl (116 records recorded
from cinder-api 21.3.1 on tests/reference/cinder/fixture.json; section
"corpus-services.jsonl" of tests/reference/cinder/README.md) against a
running hacgi Volume API whose DATA_DIR is DIR (fresh) and whose API_HOST
is api-ref (the recording's CONF.host: genconf --api-host api-ref).  The
setup, the keep-alive heartbeats and the comparison are tests/replay/
cinder.py's; the records expected to differ are the table OVERRIDES below,
each with the answer hacgi must give instead.

Output: `ok NAME` (`ok NAME [group]` for a decided difference answered as
decided) / `FAIL NAME: ...` per record, then `replay cinder-services: N
passed, N failed`; exit status 1 if any failed.
"""

import copy
import json
import os
import sys

sys.dont_write_bytecode = True          # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import cinder  # noqa: E402

API = "cinder-services"
CORPUS = os.path.join(C.REFERENCE_DIR, "cinder", "corpus-services.jsonl")
API_HOST = "api-ref"
V = cinder.V


# ---------------------------------------------------------------------------
# Expected answers of the decided differences
# ---------------------------------------------------------------------------

def service_not_found(binary, host):
    """enable/disable 404 (a literal name that matches nothing)."""
    msg = "Service %s could not be found on host %s." % (binary, host)
    return cinder.with_body({"itemNotFound": {"code": 404, "message": msg}}, 404)


def answered_at_once():
    """freeze/thaw: what cinder-api answers once the volume service did it:
    200, an empty body, the wsgi layer's headers (those of the recorded
    500)."""
    def build(ctx, rec):
        e = cinder.record_expect(rec)
        e.status = 200
        e.kind = "empty"
        e.body = None
        return e
    return build


def service_patch(host, **fields):
    """An os-services list as recorded, with fields of service host
    replaced (the state a differing earlier record left)."""
    def build(ctx, rec):
        e = cinder.record_expect(rec)
        for s in e.body["services"]:
            if s["host"] == host:
                s.update(copy.deepcopy(fields))
        return e
    return build


def reason_of(name):
    """The disabled_reason a record sent."""
    def value(ctx):
        return json.loads(ctx.by_name[name]["body"])["disabled_reason"]
    return value


def services_after_rejected_reason():
    """host1@lvm keeps the reason of disable_log_reason_255 (the \\u0000
    body was refused)."""
    def build(ctx, rec):
        return service_patch("host1@lvm", disabled_reason=reason_of(
            "disable_log_reason_255")(ctx))(ctx, rec)
    return build


# The levels hacgi keeps for the services set-log reached (lib/vol/vollog.h):
# set_log_volume_server gave host1@lvm DEBUG without a prefix (key ""),
# set_log_star_warning then set_log_binary_empty_latest gave every
# service up (cinder-scheduler, -volume, -backup) the prefix
# cinder.api.contrib.services, INFO last.
SERVICES_PREFIX = "cinder.api.contrib.services"
HOST1_LEVELS = {"": "DEBUG", SERVICES_PREFIX: "INFO"}
OTHER_LEVELS = {SERVICES_PREFIX: "INFO"}
UP_SERVICES = [("host1@lvm", V), ("host2@lvm", V), ("node-a@lvm", V), ("node-b@lvm", V),
               ("host3@ceph", V), ("backup1", "cinder-backup"), ("host5@be", V),
               ("ctl1", "cinder-scheduler")]
API_LOGGERS = ["cinder.api.contrib", "cinder.api.contrib.volume_image_metadata",
               "cinder.api.contrib.volume_unmanage", "cinder.api.contrib.admin_actions",
               "cinder.api.contrib.cgsnapshots", "cinder.api.contrib.snapshot_unmanage",
               "cinder.api.contrib.consistencygroups", "cinder.api.contrib.snapshot_actions",
               "cinder.api.contrib.backups", SERVICES_PREFIX, "cinder.api.contrib.hosts",
               "cinder.api.contrib.snapshot_manage", "cinder.api.contrib.qos_specs_manage",
               "cinder.api.contrib.volume_manage", "cinder.api.contrib.volume_transfer",
               "cinder.api.v3.clusters", "cinder.api.versions"]


def levels_of(host):
    return dict(HOST1_LEVELS if host == "host1@lvm" else OTHER_LEVELS)


def log_levels(entries):
    """get-log answered at once: 200 {"log_levels": entries}, the headers
    of a JSON answer (those of the recorded 500)."""
    def build(ctx, rec):
        e = cinder.record_expect(rec)
        e.status = 200
        e.body = {"log_levels": copy.deepcopy(entries)}
        return e
    return build


GET_LOG_ALL = [{"host": API_HOST, "binary": "cinder-api",
                "levels": {n: "INFO" for n in API_LOGGERS}}] + \
    [{"host": h, "binary": b, "levels": levels_of(h)} for h, b in UP_SERVICES]
GET_LOG_VOLUME_CLUSTER = [{"host": h, "binary": V, "levels": levels_of(h)}
                          for h in ("host1@lvm", "host2@lvm")]


# ---------------------------------------------------------------------------
# DECIDED DIFFERENCES (issue 13, and SPEC §5 as for corpus.jsonl)
# name: (group, builder of the answer hacgi must give instead)
# ---------------------------------------------------------------------------
OVERRIDES = {
    # -- Divergence 9: no token -> 401 keystone-style
    "enable_no_token": ("div9 401", cinder.unauthorized()),
    # -- Divergence 12: num_hosts of cluster1@lvm per binary (2 and 1, not 3)
    "clusters_detail_initial":                 ("div12", cinder.host_counts()),
    "clusters_detail_after_disable_batch":     ("div12", cinder.host_counts()),
    "clusters_detail_after_freeze_host1":      ("div12", cinder.host_counts()),
    "clusters_detail_after_thaw_cluster1":     ("div12", cinder.host_counts()),
    "clusters_detail_after_freeze_cluster1":   ("div12", cinder.host_counts()),
    "clusters_detail_after_thaw_host2":        ("div12", cinder.host_counts()),
    "clusters_detail_after_failover_host5":    ("div12", cinder.host_counts()),
    "clusters_detail_after_failover_cluster2": ("div12", cinder.host_counts()),
    # -- Decision 1 (divergence 10): names literal, "_" no wildcard, case
    #    matters: nothing found, so host1@lvm stays enabled meanwhile
    "disable_underscore_wildcard":   ("literal names", service_not_found(V, "host_")),
    "services_after_disable_batch2": ("literal names",
                                      service_patch("host1@lvm", status="enabled")),
    "enable_uppercase_hostlevel":    ("literal names", service_not_found(V, "HOST1")),
    # -- Decision 2: freeze, thaw, get-log answer at once (the reference
    #    waited 60 s for volume services that were not there: 500)
    "freeze_host1":                   ("at once", answered_at_once()),
    "thaw_cluster1_3.26":             ("at once", answered_at_once()),
    "freeze_cluster1_hostlevel_3.26": ("at once", answered_at_once()),
    "thaw_host2":                     ("at once", answered_at_once()),
    "get_log_all":                    ("at once", log_levels(GET_LOG_ALL)),
    "get_log_volume_cluster":         ("at once", log_levels(GET_LOG_VOLUME_CLUSTER)),
    # -- Decision 5: control characters refused; this body's \u0000 is
    #    refused by hacgi's JSON reader already (as in every body), so
    #    host1@lvm keeps its previous reason
    "disable_log_reason_nonprintable_padded": ("controls", cinder.bad_request(
        "Malformed request body")),
    "services_after_reason_nonprintable": ("controls", services_after_rejected_reason()),
}

GROUPS = {"div9 401": 1, "div12": 8, "literal names": 3, "at once": 6, "controls": 2}


# ---------------------------------------------------------------------------
# Replay
# ---------------------------------------------------------------------------

def build_expect(ctx, rec):
    return cinder.build_expect(ctx, rec, OVERRIDES)


def replay_one(ctx, rec, manage, rep):
    return cinder.replay_one(ctx, rec, manage, rep, OVERRIDES, tag_ok=True)


def dry_run(args):
    """Every expectation built; each override differs from the recording,
    every other record equals its recorded answer."""
    records = C.load_corpus(args.corpus)
    ctx = cinder.Context(records, args, None)
    names = {r["name"] for r in records}
    tally = C.Tally()
    for rec in records:
        e, group = build_expect(ctx, rec)
        cinder.finalize(ctx, e)
        tally.add(rec["name"], group, C.compare(e, cinder.recorded_response(rec)))
    problems = ["override equal to the recording: %s" % n for n in tally.same]
    problems += tally.unexpected
    problems += ["override for unknown record %s" % n for n in OVERRIDES if n not in names]
    print("corpus: %s: %d records" % (args.corpus, len(records)))
    for g, n in GROUPS.items():
        got = tally.groups.get(g, [])
        print("  %-14s %3d  %s" % (g, len(got), ", ".join(got)))
        if len(got) != n:
            problems.append("group %s: %d overrides, want %d" % (g, len(got), n))
    return C.dry_run_status(problems)


def main():
    p = cinder.arg_parser(CORPUS, "Replay the os-services actions corpus "
                          "against hacgi (see tests/reference/cinder/README.md).")
    args = p.parse_args()
    args.no_optional_tokens = True
    C.check_args(args, p)
    if args.dry_run:
        return dry_run(args)
    return cinder.run(args, API, replay_one)


if __name__ == "__main__":
    sys.exit(main())
