#!/usr/bin/python3
"""tests/unit/corpus_valid.py: check lib/ha/valid.c against the Instance-HA
reference corpus.

usage: corpus_valid.py TEST_VALID_BINARY CORPUS.jsonl

Every POST/PUT record to /v1/segments, /v1/segments/{id},
.../hosts, .../hosts/{id} and /v1/notifications is run through the
validators (test_valid --corpus):
- a 400 whose message comes from the body schema must give exactly that
  message;
- a record the reference answered past the schema (2xx, 403 policy, 404
  lookup, 409) must validate;
- the rest is skipped, each with its reason (printed).
Last line: "N passed, N failed".
"""
import json
import re
import subprocess
import sys

ROUTES = [
    ("POST", r"/segments", "seg_create"),
    ("PUT", r"/segments/[^/]+", "seg_update"),
    ("POST", r"/segments/[^/]+/hosts", "host_create"),
    ("PUT", r"/segments/[^/]+/hosts/[^/]+", "host_update"),
    ("POST", r"/notifications", "notif_create"),
]

# 400s that do not come from the body schema.  Those decided after it must
# validate; those decided before it are skipped.  (A body that is not JSON
# is checked too: lib/base/json.c must refuse it, as "Malformed request body".)
AFTER_SCHEMA = ["Host with name ", "Compute service with name "]
BEFORE_SCHEMA = [
    ("Malformed request URL", "project id in the URL (before the schema)"),
    ("API Version String", "microversion header (before the schema)"),
]


# decided divergences (SPEC 5) where the reference has no 400 to compare
DIVERGENCES = {
    "seg-create-body-invalid-utf8": "Malformed request body",  # 2
    "host-create-type-null": "Invalid input for field/attribute type. "
    "Value: None. None is not of type 'string'",  # 6
    "host-create-ca-null": "Invalid input for field/attribute "
    "control_attributes. Value: None. None is not of type 'string'",  # 6
}


def kind_of(rec):
    path = re.sub(r"\.(json|xml)$", "", rec["path"].split("?")[0])
    m = re.match(r"^/v1(/[0-9a-f-]+)?(/.*)$", path)
    if not m:
        return None
    for method, rx, kind in ROUTES:
        if rec["method"] == method and re.fullmatch(rx, m.group(2)):
            return kind
    return None


def minor_of(rec):
    """SPEC 2.4: items from last to first, first instance-ha wins."""
    hdr = None
    for k, v in rec["headers"].items():
        if k.lower() == "openstack-api-version":
            hdr = v
    if hdr is None:
        return 0
    for item in reversed(hdr.split(",")):
        parts = item.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() == "instance-ha":
            ver = parts[1].strip()
            if ver == "latest":
                return 2
            m = re.fullmatch(r"1\.([0-2])", ver)
            return int(m.group(1)) if m else None
    return 0


def body_bytes(rec):
    if rec["body"] is None:
        return b""
    if rec.get("raw_body"):
        return rec["body"].encode("latin-1" if "\xff" in rec["body"]
                                  else "utf-8")
    return json.dumps(rec["body"]).encode("utf-8")


def message(rec):
    rb = rec.get("resp_body")
    if isinstance(rb, dict) and "badRequest" in rb:
        return rb["badRequest"]["message"]
    return None


def select(corpus):
    cases, skips = [], []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            kind = kind_of(rec)
            if kind is None:
                continue
            st = rec["status"]
            minor = minor_of(rec)
            if minor is None:
                skips.append((rec["name"], "microversion not 1.0-1.2"))
                continue
            if rec["name"] in DIVERGENCES:
                cases.append((rec, kind, minor, DIVERGENCES[rec["name"]]))
            elif st == 400:
                msg = message(rec)
                why = [r for p, r in BEFORE_SCHEMA if msg and msg.startswith(p)]
                if msg is None or why:
                    skips.append((rec["name"], why[0] if why else "no msg"))
                elif any(msg.startswith(p) for p in AFTER_SCHEMA):
                    cases.append((rec, kind, minor, None))
                else:
                    cases.append((rec, kind, minor, msg))
            elif st in (200, 201, 202, 403, 404, 409):
                cases.append((rec, kind, minor, None))
            else:
                skips.append((rec["name"], "status %d is decided before "
                              "the schema" % st))
    return cases, skips


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    cases, skips = select(corpus)
    lines = "".join("%s\t%d\t%s\n" % (kind, minor, body_bytes(rec).hex())
                    for rec, kind, minor, _ in cases)
    out = subprocess.run([binary, "--corpus"], input=lines.encode(),
                         capture_output=True, check=False)
    got = out.stdout.decode("utf-8").splitlines()
    passed = failed = n400 = n400ok = 0
    for i, (rec, kind, minor, want) in enumerate(cases):
        g = json.loads(got[i]) if i < len(got) else "<no output>"
        if want is not None:
            n400 += 1
        if g == want:
            passed += 1
            n400ok += want is not None
            continue
        failed += 1
        print("FAIL %s (%s 1.%d)\n  want: %r\n  got:  %r" %
              (rec["name"], kind, minor, want, g))
    for name, why in skips:
        print("skip %s: %s" % (name, why))
    print("corpus: %d 400s matched of %d; %d valid bodies accepted "
          "of %d; %d skipped" % (n400ok, n400, passed - n400ok,
                                 len(cases) - n400, len(skips)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
