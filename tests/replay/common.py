"""Shared code of the conformance replay harnesses (tests/replay/*.py).

Standard library only (http.client, no requests).  This module holds what both
harnesses need and must not be written twice:

- HTTP: `send()` builds the request byte-exactly (explicit Host, optional
  Content-Length, no hidden headers) with a per-request timeout;
- comparison: `Expect` (status, header specs, body), `compare()` and the
  matchers used for values that depend on the clock or the run (`TimeLike`,
  `FilterKeySet`);
- reporting: `Reporter` prints `ok NAME` / `FAIL NAME: ...` / `n/a NAME: ...`
  lines and the final `replay API: N passed, N failed` line;
- `Manage`: runs bin/hacgi-manage on the data directory;
- the replay itself: `run()` (probe, setup, every record in order),
  `exchange()` and `judge()` (one record), `Tally` (the --dry-run check of
  the overrides against the README);
- small helpers: JSON path parsing, deep string mapping, README name parsing.
"""

import argparse
import contextlib
import copy
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE_DIR = os.path.join(os.path.dirname(HERE), "reference")

REQUEST_TIMEOUT = 5.0          # seconds, per request (connect + send + read)
MANAGE_TIMEOUT = 30.0          # seconds, per hacgi-manage call

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# ---------------------------------------------------------------------------
# Header specifications and value matchers
# ---------------------------------------------------------------------------

class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


ABSENT = _Marker("<absent>")     # header must not be sent
PRESENT = _Marker("<present>")   # header must be sent, any value
EMPTY = _Marker("<empty body>")  # body must be empty (0 bytes)


class Matcher:
    """A value in an expected JSON body (or a header spec) that is checked by
    a rule instead of by equality."""

    desc = "?"

    def match(self, value):
        raise NotImplementedError

    def __repr__(self):
        return self.desc

    def __deepcopy__(self, memo):
        return self


class TimeLike(Matcher):
    """A clock-dependent time: must have the given format (or be exactly the
    recorded "" / null when that is what was recorded)."""

    def __init__(self, regex, label):
        self.regex = re.compile(regex)
        self.desc = "time " + label

    def match(self, value):
        return isinstance(value, str) and bool(self.regex.match(value))


# Volume API times: YYYY-MM-DDTHH:MM:SS.ffffff
VOLUME_TIME = TimeLike(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$",
                       "YYYY-MM-DDTHH:MM:SS.ffffff")
# Instance-HA times: one-second resolution
HA_TIME = TimeLike(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000$",
                   "YYYY-MM-DDTHH:MM:SS.000000")


class FilterKeySet(Matcher):
    """`Invalid input received: Invalid filter keys: a, b` - the reference
    lists the keys in a random order: compare the prefix exactly and the keys
    as a set."""

    MARK = "Invalid filter keys: "

    def __init__(self, text):
        i = text.index(self.MARK) + len(self.MARK)
        self.prefix = text[:i]
        self.keys = sorted(text[i:].split(", "))
        self.desc = "%r (keys in any order)" % text

    def match(self, value):
        if not isinstance(value, str) or not value.startswith(self.prefix):
            return False
        return sorted(value[len(self.prefix):].split(", ")) == self.keys


class HeaderMatch(Matcher):
    """Header value checked by a predicate."""

    def __init__(self, desc, pred):
        self.desc = desc
        self.pred = pred

    def match(self, value):
        return value is not None and bool(self.pred(value))


# ---------------------------------------------------------------------------
# Expected answer
# ---------------------------------------------------------------------------

class Expect:
    """What a record must be answered with.

    status   int
    headers  {lower-case name: spec}; spec = str (exact value), ABSENT,
             PRESENT or a Matcher; headers not listed are not checked
    kind     'json' (body parsed and compared as JSON), 'text' (exact text),
             'empty' (no body bytes), 'any' (body not checked)
    body     the JSON value / text
    """

    def __init__(self, status, headers=None, kind="json", body=None, note=None):
        self.status = status
        self.headers = dict(headers or {})
        self.kind = kind
        self.body = body
        self.note = note          # which divergence produced it (for output)

    def copy(self):
        return copy.deepcopy(self)

    def __repr__(self):
        return "Expect(%r, %r, %s, %s)" % (self.status, self.headers, self.kind,
                                           short(self.body, 120))


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers        # list of (name, value) in wire order
        self.body = body              # bytes

    def header(self, name):
        """All values of a header joined with ', ', or None when absent."""
        name = name.lower()
        vals = [v for (k, v) in self.headers if k.lower() == name]
        if not vals:
            return None
        return ", ".join(vals)

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class SendError(Exception):
    pass


class Target:
    """Where the server under test listens (from --url)."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "http" or not u.hostname:
            raise SystemExit("error: --url must look like http://HOST:PORT (got %r)" % url)
        self.host = u.hostname
        self.port = u.port or 80
        # exactly what we send as Host (and what the server echoes in links)
        self.netloc = u.netloc
        self.base = "http://" + u.netloc


def send(target, method, path, headers, body=None, content_length=True,
         accept_encoding=False, timeout=REQUEST_TIMEOUT):
    """Send one request, byte-exactly.

    headers          list of (name, value) sent in that order, besides Host
    body             bytes or None (no body)
    content_length   True: send Content-Length (len(body), 0 when body is None);
                     False: send no Content-Length at all
    accept_encoding  also send `Accept-Encoding: identity` (what the Volume
                     reference's client added)
    """
    conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    try:
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", target.netloc)
            if accept_encoding:
                conn.putheader("Accept-Encoding", "identity")
            for k, v in headers:
                conn.putheader(k, v.encode("latin-1") if isinstance(v, str) else v)
            if content_length:
                conn.putheader("Content-Length", str(len(body) if body else 0))
            try:
                conn.endheaders(body if body else None)
            except (BrokenPipeError, ConnectionResetError):
                # the server may answer (413) and close before reading the
                # whole body: still try to read its answer
                pass
            resp = conn.getresponse()
            data = resp.read()
            return Response(resp.status, resp.reason, list(resp.getheaders()), data)
        except socket.timeout:
            raise SendError("timeout after %gs" % timeout)
        except ConnectionRefusedError:
            raise SendError("connection refused (%s:%d)" % (target.host, target.port))
        except (OSError, http.client.HTTPException) as e:
            raise SendError("%s: %s" % (type(e).__name__, e))
    finally:
        conn.close()


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

def short(v, n=90):
    if isinstance(v, (bytes, bytearray)):
        s = repr(bytes(v))
    elif isinstance(v, Matcher) or v is ABSENT or v is PRESENT or v is EMPTY:
        s = repr(v)
    else:
        try:
            s = json.dumps(v, ensure_ascii=False)
        except (TypeError, ValueError):
            s = repr(v)
    if len(s) > n:
        s = s[: n - 3] + "..."
    return s


# JSON kinds by Python type, in order: bool before int (a bool is an int).
_KINDS = ((type(None), "null"), (bool, "bool"), (int, "int"), (float, "float"),
          (str, "string"), (list, "array"), (dict, "object"))


def _kind(v):
    for t, kind in _KINDS:
        if isinstance(v, t):
            return kind
    return type(v).__name__


def compare_json(exp, act, path="$", diffs=None, key_order=False):
    """Append to diffs (and return it) every difference between an expected
    JSON value (which may hold Matchers) and the actual value."""
    if diffs is None:
        diffs = []
    if isinstance(exp, Matcher):
        if not exp.match(act):
            diffs.append("%s: expected %s, got %s" % (path, exp.desc, short(act)))
        return diffs
    ke, ka = _kind(exp), _kind(act)
    if ke != ka:
        diffs.append("%s: expected %s, got %s" % (path, short(exp), short(act)))
        return diffs
    if ke == "object":
        missing = [k for k in exp if k not in act]
        extra = [k for k in act if k not in exp]
        if missing:
            diffs.append("%s: missing key(s) %s" % (path, ", ".join(missing)))
        if extra:
            diffs.append("%s: unexpected key(s) %s" % (path, ", ".join(extra)))
        if key_order and not missing and not extra and list(exp) != list(act):
            diffs.append("%s: key order %s, got %s" % (path, list(exp), list(act)))
        for k in exp:
            if k in act:
                compare_json(exp[k], act[k], "%s.%s" % (path, k), diffs, key_order)
    elif ke == "array":
        if len(exp) != len(act):
            diffs.append("%s: expected %d item(s), got %d" % (path, len(exp), len(act)))
            # show the first item that differs in identity, if any
            for i, (e, a) in enumerate(zip(exp, act)):
                sub = compare_json(e, a, "%s[%d]" % (path, i), [], key_order)
                if sub:
                    diffs.extend(sub[:1])
                    break
            else:
                if len(exp) > len(act):
                    diffs.append("%s[%d]: missing %s" % (path, len(act), short(exp[len(act)])))
                else:
                    diffs.append("%s[%d]: unexpected %s" % (path, len(exp), short(act[len(exp)])))
        else:
            for i, (e, a) in enumerate(zip(exp, act)):
                compare_json(e, a, "%s[%d]" % (path, i), diffs, key_order)
    else:
        if exp != act:
            diffs.append("%s: expected %s, got %s" % (path, short(exp), short(act)))
    return diffs


def compare(expect, resp, key_order=False):
    """Differences between an Expect and a Response (list of short strings)."""
    diffs = []
    if resp.status != expect.status:
        diffs.append("status: expected %d, got %d" % (expect.status, resp.status))
    for name, spec in expect.headers.items():
        got = resp.header(name)
        if spec is ABSENT:
            if got is not None:
                diffs.append("%s: expected absent, got %r" % (name, got))
        elif spec is PRESENT:
            if got is None:
                diffs.append("%s: expected present, got absent" % name)
        elif isinstance(spec, Matcher):
            if not spec.match(got):
                diffs.append("%s: expected %s, got %s" % (
                    name, spec.desc, "absent" if got is None else repr(got)))
        else:
            if got != spec:
                diffs.append("%s: expected %r, got %s" % (
                    name, spec, "absent" if got is None else repr(got)))
    if expect.kind == "any":
        pass
    elif expect.kind == "empty":
        if resp.body:
            diffs.append("body: expected empty, got %s" % short(resp.body))
    elif expect.kind == "text":
        try:
            text = resp.body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text != expect.body:
            diffs.append("body: expected %s, got %s" % (short(expect.body), short(resp.body)))
    else:
        try:
            act = resp.json()
        except (UnicodeDecodeError, ValueError):
            diffs.append("body: expected JSON %s, got non-JSON %s" % (
                short(expect.body), short(resp.body)))
        else:
            compare_json(expect.body, act, "body", diffs, key_order)
    return diffs


# ---------------------------------------------------------------------------
# JSON helpers
# ---------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_\-]*)|\[(\d+)\]")


def parse_path(path, root):
    """'$.clusters[0].last_heartbeat' (root '$') or
    'resp_body.segments[3].created_at' (root 'resp_body') -> ['clusters', 0, ...]."""
    if not path.startswith(root):
        raise ValueError("path %r does not start with %r" % (path, root))
    rest = path[len(root):]
    out = []
    pos = 0
    while pos < len(rest):
        m = _PATH_TOKEN.match(rest, pos)
        if not m:
            raise ValueError("bad path %r" % path)
        out.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return out


def get_path(obj, steps):
    """Value at steps, or raise KeyError/IndexError/TypeError."""
    for s in steps:
        obj = obj[s]
    return obj


def set_path(obj, steps, value):
    for s in steps[:-1]:
        obj = obj[s]
    obj[steps[-1]] = value


def map_strings(obj, fn):
    """Deep copy of a JSON value with fn applied to every string value (not
    to object keys; Matchers are kept)."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [map_strings(v, fn) for v in obj]
    if isinstance(obj, dict):
        return {k: map_strings(v, fn) for k, v in obj.items()}
    return obj


def host_replacer(ref_netloc, target):
    """Replace the reference server's base URL by ours in strings."""
    old = "http://" + ref_netloc
    new = target.base if target is not None else old

    def fn(s):
        return s.replace(old, new) if old in s else s
    return fn


def load_corpus(path):
    recs = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    recs.append(json.loads(line))
                except ValueError as e:
                    raise SystemExit("error: %s:%d: not JSON: %s" % (path, n, e))
    except OSError as e:
        raise SystemExit("error: cannot read corpus: %s" % e)
    names = set()
    for r in recs:
        if r["name"] in names:
            raise SystemExit("error: %s: duplicate record name %r" % (path, r["name"]))
        names.add(r["name"])
    return recs


def readme_record_names(readme_path, corpus_names, section="## Records expected to differ"):
    """Back-quoted words of the README's divergence section that are names of
    corpus records (other back-quoted words - values, messages - are ignored)."""
    try:
        text = open(readme_path, encoding="utf-8").read()
    except OSError:
        return None
    i = text.find(section)
    if i >= 0:
        text = text[i:]
    found = []
    for w in re.findall(r"`([^`]+)`", text):
        if w in corpus_names and w not in found:
            found.append(w)
    return found


# ---------------------------------------------------------------------------
# hacgi-manage
# ---------------------------------------------------------------------------

class ManageError(Exception):
    pass


class Manage:
    """Runs `hacgi-manage [--data-dir DIR] ARGS...` with DATA_DIR=DIR in the
    environment as well."""

    def __init__(self, path, data_dir, pass_flag=True, verbose=False, dry_run=False):
        self.path = path
        self.data_dir = data_dir
        self.pass_flag = pass_flag
        self.verbose = verbose
        self.dry_run = dry_run
        self.log = []            # commands run (for --dry-run display)

    def argv(self, args):
        argv = [self.path]
        if self.pass_flag:
            argv += ["--data-dir", self.data_dir]
        return argv + list(args)

    def check_ready(self):
        if not os.path.isfile(self.path) or not os.access(self.path, os.X_OK):
            raise ManageError("hacgi-manage not found or not executable: %s" % self.path)
        if not os.path.isdir(self.data_dir):
            raise ManageError("data directory does not exist: %s" % self.data_dir)

    def run(self, *args):
        argv = self.argv(args)
        self.log.append(list(args))
        if self.dry_run:
            return ""
        env = dict(os.environ)
        env["DATA_DIR"] = self.data_dir
        try:
            p = subprocess.run(argv, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=MANAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ManageError("timeout after %gs: %s" % (MANAGE_TIMEOUT, " ".join(argv)))
        except OSError as e:
            raise ManageError("cannot run %s: %s" % (self.path, e))
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace").strip()
        if self.verbose:
            print("# manage %s -> %d%s" % (" ".join(args), p.returncode,
                                           (": " + err) if err else ""), flush=True)
        if p.returncode != 0:
            raise ManageError("%s exited %d: %s" % (" ".join(args), p.returncode,
                                                   err or "(no message)"))
        return out


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

class Reporter:
    """One line per record: `ok NAME`, `FAIL NAME: ...`, `n/a NAME: ...`;
    then `replay API: N passed, N failed`.  With --names only matching
    records are reported and counted (all are still sent)."""

    MAX_DIFFS = 3

    def __init__(self, api, names_regex=None, verbose=False):
        self.api = api
        try:
            self.names = re.compile(names_regex) if names_regex else None
        except re.error as e:
            raise SystemExit("error: --names: bad regular expression %r: %s" % (names_regex, e))
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.na = 0

    def wanted(self, name):
        return self.names is None or bool(self.names.search(name))

    def ok(self, name):
        if self.wanted(name):
            self.passed += 1
            print("ok %s" % name, flush=True)

    def fail(self, name, diffs, detail=None):
        if not self.wanted(name):
            return
        self.failed += 1
        shown = diffs if self.verbose else diffs[: self.MAX_DIFFS]
        more = "" if len(shown) == len(diffs) else " (+%d more)" % (len(diffs) - len(shown))
        print("FAIL %s: %s%s" % (name, "; ".join(shown), more), flush=True)
        if self.verbose and detail:
            for line in detail:
                print("    " + line, flush=True)

    def not_applicable(self, name, why):
        if self.wanted(name):
            self.na += 1
            print("n/a %s: %s" % (name, why), flush=True)

    def finish(self):
        if self.na:
            print("(%d record(s) not applicable)" % self.na)
        print("replay %s: %d passed, %d failed" % (self.api, self.passed, self.failed),
              flush=True)
        return 1 if self.failed else 0


MAX_CONSECUTIVE_SEND_ERRORS = 10


def probe(target, timeout=REQUEST_TIMEOUT):
    """None when something listens at the target, else an error text."""
    try:
        socket.create_connection((target.host, target.port), timeout=timeout).close()
        return None
    except OSError as e:
        return "cannot connect to %s:%d: %s" % (target.host, target.port, e)


def run_sequence(records, replay_one, rep):
    """Replay records in order; replay_one(rec) returns False when the request
    could not be sent at all.  After MAX_CONSECUTIVE_SEND_ERRORS such records
    in a row the server is taken as gone: the rest are reported as failed
    without being sent."""
    bad = 0
    for i, rec in enumerate(records):
        if replay_one(rec) is False:
            bad += 1
        else:
            bad = 0
        if bad >= MAX_CONSECUTIVE_SEND_ERRORS:
            rest = records[i + 1:]
            print("error: %d requests in a row could not be sent - server gone? "
                  "%d remaining record(s) not sent" % (bad, len(rest)), file=sys.stderr, flush=True)
            for r in rest:
                rep.fail(r["name"], ["not sent (replay aborted after %d send errors in a row)" % bad])
            return


def response_detail(method, path, headers, resp, expect=None):
    """Lines describing an exchange (for --verbose)."""
    lines = ["> %s %s" % (method, path)]
    for k, v in headers:
        lines.append("> %s: %s" % (k, v))
    if resp is not None:
        lines.append("< %d %s" % (resp.status, resp.reason))
        for k, v in resp.headers:
            lines.append("< %s: %s" % (k, v))
        lines.append("< " + short(resp.body, 400))
    if expect is not None:
        lines.append("expected: %d %s" % (expect.status, short(expect.body, 400)))
    return lines


# ---------------------------------------------------------------------------
# The replay (masakari.py, cinder.py)
# ---------------------------------------------------------------------------

class Context:
    """What a replay keeps whatever the API; each harness adds its own."""

    def __init__(self, records, args, target, ref_netloc):
        self.records = records
        self.by_name = {r["name"]: r for r in records}
        self.args = args
        self.target = target
        self.www_auth = www_authenticate_spec(args, target)
        self.host_fn = host_replacer(ref_netloc, target)


def build_expect(ctx, rec, overrides, record_expect):
    """(Expect with reference values, override group or None): the answer
    overrides[name] = (group, builder) decides, else record_expect(rec)."""
    if rec["name"] in overrides:
        group, builder = overrides[rec["name"]]
        e = builder(ctx, rec)
        e.note = group
        return e, group
    return record_expect(rec), None


def exchange(ctx, rep, name, request, body, content_length, problems=(), **kw):
    """Send a record's request = (method, path, headers); kw go to send().
    (Response, True), or (None, sent) when there is nothing to compare,
    already reported: the request could not be sent at all (sent False), or
    the web server itself refused a POST/PUT without Content-Length (411:
    not hacgi's answer, so n/a)."""
    method, path, headers = request
    try:
        resp = send(ctx.target, method, path, headers, body, content_length, **kw)
    except SendError as e:
        rep.fail(name, list(problems) + ["request failed: %s" % e],
                 response_detail(method, path, headers, None))
        return None, False
    if not content_length and method in ("POST", "PUT") and resp.status == 411:
        rep.not_applicable(name, "the web server refused a %s without Content-Length (411)"
                           % method)
        return None, True
    return resp, True


def judge(ctx, rep, name, request, resp, expect, group, problems=(),
          tag_ok=False):
    """Report the record ok (with tag_ok, an overridden one as `NAME
    [group]`), or failed with problems and the differences (the first
    tagged with the override group)."""
    diffs = list(problems) + compare(expect, resp, ctx.args.key_order)
    if diffs:
        if group:
            diffs[0] = "[%s] %s" % (group, diffs[0])
        rep.fail(name, diffs, response_detail(*request, resp, expect))
    elif group and tag_ok:
        rep.ok("%s [%s]" % (name, group))
    else:
        rep.ok(name)
    return True


def run(args, api, what, records, context, setup, replay_one, plan=list):
    """The replay against a server; returns the exit status.  what names the
    API in the message when nothing listens.  ctx = context(records, args,
    target); setup(ctx, manage) registers what the records need and may
    return a context manager held while replay_one(ctx, rec, manage, rep)
    runs on each record of plan(records), in order."""
    target = Target(args.url)
    err = probe(target)
    if err:
        print("error: %s (is the %s running?)" % (err, what), file=sys.stderr)
        return 2
    ctx = context(records, args, target)
    manage = Manage(args.manage, args.data_dir, pass_flag=not args.manage_env_only,
                    verbose=args.verbose)
    try:
        manage.check_ready()
        during = setup(ctx, manage)
    except ManageError as e:
        print("error: setup: %s" % e, file=sys.stderr)
        return 2
    rep = Reporter(api, args.names, args.verbose)
    with during or contextlib.nullcontext():
        run_sequence(plan(records), lambda rec: replay_one(ctx, rec, manage, rep), rep)
    return rep.finish()


class Tally:
    """--dry-run: the recorded answers compared with their expectations.
    Only overridden records may differ, and each override must differ."""

    def __init__(self):
        self.groups = {}          # override group -> record names
        self.same = []            # overridden, yet equal to the recording
        self.unexpected = []      # not overridden, yet different

    def add(self, name, group, diffs, may_equal=False):
        if group:
            self.groups.setdefault(group, []).append(name)
            if not diffs and not may_equal:
                self.same.append(name)
        elif diffs:
            self.unexpected.append("%s: %s" % (name, "; ".join(diffs[:2])))

    def overridden(self):
        return sum(len(v) for v in self.groups.values())

    def report(self, records, overrides, counts, readme, known, problems):
        """Print the overrides per group against counts (the README's), the
        README's divergence section against overrides and known (records it
        names that need none) and the self-compare; then the problems.
        Returns the exit status."""
        names = [r["name"] for r in records]
        for g in counts:
            n = len(self.groups.get(g, []))
            flag = "" if n == counts[g] else "   <-- README lists %d" % counts[g]
            print("  %-14s %3d%s" % (g, n, flag))
            if n != counts[g]:
                problems.append("group %s: %d overrides, README lists %d" % (g, n, counts[g]))
        missing = [n for n in overrides if n not in names]
        print("README-listed names not found in the corpus: %s" % (", ".join(missing) or "none"))
        problems += ["override for unknown record %s" % n for n in missing]
        readme_names = readme_record_names(readme, set(names))
        if readme_names is None:
            print("README not found: %s (cross-check skipped)" % readme)
        else:
            untreated = [n for n in readme_names if n not in overrides and n not in known]
            print("record names in the README divergence section: %d; without override: %s"
                  % (len(readme_names), ", ".join(untreated) or "none"))
            problems += ["README names %s but no override" % n for n in untreated]
        if self.same:
            problems.append("overrides equal to the recording: %s" % ", ".join(self.same))
        print("self-compare of recorded answers: %d non-overridden records equal to their "
              "expectation, %d differ" % (len(records) - self.overridden()
                                          - len(self.unexpected), len(self.unexpected)))
        problems += self.unexpected
        return dry_run_status(problems)


def dry_run_status(problems):
    """The end of a --dry-run: the problems, or ok; the exit status."""
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  " + p)
        return 1
    print("dry run: ok")
    return 0


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def arg_parser(api, default_corpus, description):
    p = argparse.ArgumentParser(
        prog=os.path.basename(sys.argv[0]),
        description=description)
    p.add_argument("--url", help="base URL of the %s under test, e.g. http://127.0.0.1:PORT" % api)
    p.add_argument("--manage", help="path of bin/hacgi-manage")
    p.add_argument("--data-dir", help="the DATA_DIR the server uses")
    p.add_argument("--corpus", default=default_corpus,
                   help="corpus file (default: %(default)s)")
    p.add_argument("--names", metavar="REGEX",
                   help="only report records whose name matches (all are still sent)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="print every difference and the exchange of failing records")
    p.add_argument("--dry-run", action="store_true",
                   help="no server: load the corpus, build every request and expected "
                        "answer, check the divergence table against the README")
    p.add_argument("--auth-uri", metavar="URI",
                   help="AUTH_URI the server was started with (default: http://HOST/ "
                        "from our Host header), for the 401 WWW-Authenticate check")
    p.add_argument("--manage-env-only", action="store_true",
                   help="give hacgi-manage the data directory only through DATA_DIR "
                        "(default: also --data-dir DIR before the subcommand)")
    p.add_argument("--key-order", action="store_true",
                   help="also require JSON object keys in the recorded order")
    return p


def check_args(args, parser):
    if args.names:
        try:
            re.compile(args.names)
        except re.error as e:
            parser.error("--names: bad regular expression: %s" % e)
    if args.dry_run:
        return
    missing = [o for o, v in (("--url", args.url), ("--manage", args.manage),
                              ("--data-dir", args.data_dir)) if not v]
    if missing:
        parser.error("missing %s (or use --dry-run)" % ", ".join(missing))


def www_authenticate_spec(args, target):
    """Matcher for the 401 WWW-Authenticate header (SPEC §2.2)."""
    if args.auth_uri:
        want = 'Keystone uri="%s"' % args.auth_uri
    else:
        want = 'Keystone uri="http://%s/"' % (target.netloc if target else "HOST")
    return HeaderMatch(repr(want), lambda v: v == want)
