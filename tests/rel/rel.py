#!/usr/bin/env python3
"""tests/rel/rel.py: the drivers of the reliability suites (tests/rel_*.bats).

    rel.py fiu     [--ops A,B] [--stride K]   I/O faults, one per run
    rel.py crash   [--ops A,B] [--stride K] [--random N] [--seed S]
    rel.py stress  --url U --data-dir D --token T [--requests N] [--rounds R]
    rel.py sample  --wrap 'valgrind -q --error-exitcode=99 ...'
                                               every program once, under
                                               a checker (tools/sanitize.sh)
    rel.py ops                                 list the operations

fiu and crash run the programs directly (CGI environment, no server) on a
copy of a small base data directory:

  fiu    For each operation and each N, the Nth storage call (open,
         openat, fstat, fstatat, read, write, fsync, close, rename(at),
         unlink(at), opendir/fdopendir/readdir, mkdir(at), rmdir, flock:
         the libfiu POSIX preload plus tests/rel/fiu_extra.c) fails with
         EIO.  The answer must be the success it would have been
         (the failure was harmless) or a JSON 500 fault; after a 500 the
         data must be exactly as before.  Then each operation once with
         every read and write cut short (libfiu's reduce points): the
         answer and the data of a fault-free run.
  crash  Same enumeration, but the process gets SIGKILL right before its
         Nth storage call; then a long random sequence of writes killed at
         random times.  The data must be the state before or the state
         after the operation, every document must parse, fsck must find
         no error, every acknowledged write must be there, and the
         operation run again must behave accordingly.

HACGI_FASTCGI=1: fiu and crash send every request to the programs as
FastCGI responders (tests/rel/fcgi.py) instead of a process each: one
long-lived responder per program for the ordinary requests, so that each
request follows many others in one process; a fresh one for a request
under a fault point (the point counts from the process's start), which
then answers one more request after the fault, the fault not sticking;
a random kill is the SIGKILL of the responder serving the request.

stress sends mixed requests, all at once, through a web server, then
checks that every acknowledged write is present and every acknowledged
delete absent (tests/rel_concurrency.bats).

Every run ends with a line "rel: KEY=N ..." of counts (runs, faults,
kills, requests, findings) and exits non-zero on any violation; no
defect is tolerated.
"""
import argparse
import glob
import http.client
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import fcgi

sys.path.insert(0, os.path.join(os.path.dirname(
    os.path.abspath(__file__)), '..', '..', 'tools'))
import routes  # noqa: E402  tools/routes.py

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, '..', '..'))
BIN = os.environ.get('HACGI_BIN') or SRC       # tree holding cgi-bin/, bin/
CGI_BIN = os.environ.get('HACGI_CGI_BIN') or os.path.join(BIN, 'cgi-bin')
MANAGE = os.environ.get('HACGI_MANAGE') or os.path.join(BIN, 'bin',
                                                        'hacgi-manage')
TOKEN = 'admin:admin'
FIU_DIR = '/usr/lib/fiu'
ACTIVE = ('new', 'running', 'error')
KINDS = ('segments', 'hosts', 'notifications', 'vol_services',
         'vol_clusters', 'vol_log')
VOL_LOG = {'api': 'vol/log-levels.json',
           'services': 'vol/log-levels-services.json'}

counts = {}
WRAP = []      # a command the programs run under (rel.py sample --wrap)
FASTCGI = bool(os.environ.get('HACGI_FASTCGI'))


def count(key, n=1):
    counts[key] = counts.get(key, 0) + n


class Violation(Exception):
    pass


# ---- programs ----------------------------------------------------------

def program(api, uri):
    return routes.program(api, uri, CGI_BIN)


class Resp:
    def __init__(self, rc, out, err):
        self.rc, self.raw, self.err = rc, out, err
        self.status, self.headers, self.body, self.json = None, {}, b'', None
        head, sep, body = out.partition(b'\r\n\r\n')
        if not sep:
            return
        for line in head.split(b'\r\n'):
            k, _, v = line.decode('latin-1').partition(':')
            self.headers[k.strip().lower()] = v.strip()
        st = self.headers.get('status', '')
        self.status = int(st.split()[0]) if st[:3].isdigit() else None
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return 'status=%s rc=%s body=%r err=%r' % (
            self.status, self.rc, self.body[:300], self.err[-300:])


def fiu_env(nth, action, countfile=None):
    """What fiu-run -x sets (LD_PRELOAD, FIU_ENABLE, FIU_CTRL_FIFO), with
    tests/rel/fiu_extra.so first."""
    env = {
        'LD_PRELOAD': '%s %s/fiu_run_preload.so %s/fiu_posix_preload.so' % (
            extra_so(), FIU_DIR, FIU_DIR),
        'FIU_ENABLE': '', 'FIU_CTRL_FIFO': '',
        'HACGI_FIU_NTH': 'posix/io/ %d %s' % (nth, action),
    }
    if countfile:
        env['HACGI_FIU_COUNT'] = countfile
    return env


_extra = None


def extra_so():
    global _extra
    if _extra is None:
        out = os.environ.get('HACGI_REL_TMP') or tempfile.gettempdir()
        _extra = os.path.join(out, 'fiu_extra.%d.so' % os.getpid())
        subprocess.check_call(['cc', '-O1', '-g', '-shared', '-fPIC', '-o',
                               _extra, os.path.join(HERE, 'fiu_extra.c'),
                               '-lfiu', '-ldl'])
    return _extra


def cgi_env(data_dir, method, uri, data, extra=None, token=TOKEN):
    env = {'REQUEST_METHOD': method, 'REQUEST_URI': uri,
           'DATA_DIR': data_dir, 'HTTP_HOST': 'localhost',
           'SERVER_PROTOCOL': 'HTTP/1.1', 'GATEWAY_INTERFACE': 'CGI/1.1'}
    if token is not None:
        env['HTTP_X_AUTH_TOKEN'] = token
    if data:
        env['CONTENT_TYPE'] = 'application/json'
        env['CONTENT_LENGTH'] = str(len(data))
    env.update(extra or {})
    return env


def encode(body):
    if body is None:
        return b''
    if isinstance(body, bytes):
        return body
    return json.dumps(body).encode()


def cgi(data_dir, method, uri, body=None, extra=None, api=None,
        kill_after=None, token=TOKEN):
    data = encode(body)
    if api is None:
        api = 'vol' if uri.startswith('/v3') else 'ha'
    if api == 'vol':
        extra = dict(extra or {}, HTTP_OPENSTACK_API_VERSION='volume 3.70')
    env = cgi_env(data_dir, method, uri, data, extra, token)
    if FASTCGI:
        return fcgi_request(program(api, uri), env, data, kill_after)
    p = subprocess.Popen(WRAP + [program(api, uri)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env)
    if kill_after is not None:
        time.sleep(kill_after)
        p.send_signal(signal.SIGKILL)
    out, err = p.communicate(data, timeout=60)
    count('execs')
    return Resp(p.returncode, out, err)


# ---- the programs as FastCGI responders (HACGI_FASTCGI=1) ------------------

PROCESS_ENV = ('LD_PRELOAD', 'FIU_', 'HACGI_FIU_')
_pool = {}      # program -> its long-lived responder
_held = []      # the responder of the last request under a fault point


def responder(prog, env):
    """A new responder of prog; env: its process environment."""
    penv = {k: v for k, v in env.items() if k.startswith(PROCESS_ENV)}
    penv['PATH'] = '/usr/bin:/bin'
    log = open(os.path.join(os.environ.get('HACGI_REL_TMP') or
                            tempfile.gettempdir(), 'responders.log'), 'ab')
    try:
        r = fcgi.Responder(prog, env=penv, stderr=log,
                           tmpdir=os.environ.get('HACGI_REL_TMP'))
    finally:
        log.close()
    count('responders')
    return r


def release():
    """Stop the held responders the way a server does when it is done
    (SIGUSR1: libfcgi returns from accept, the program exits, and the
    fault library writes its count)."""
    while _held:
        r = _held.pop()
        rc = r.close(signal.SIGUSR1)
        if rc not in (0, -signal.SIGKILL):
            raise Violation('a responder exited with %r' % rc)


def probe(r, env):
    """After a request under a fault point, the same responder answers
    another one (a %00 in its path: 400 before any storage call)."""
    penv = dict(env, REQUEST_METHOD='GET', CONTENT_LENGTH='0',
                REQUEST_URI=env['REQUEST_URI'].split('?')[0] + '%00')
    try:
        out, _ = r.request(penv)
    except (ConnectionError, OSError):
        # the kill point may come after the answer (a Volume program's
        # start hook reads its log level on every request)
        r.proc.wait(timeout=30)
        if r.proc.returncode == -signal.SIGKILL and \
                env['HACGI_FIU_NTH'].endswith(' kill'):
            count('probes_killed')
            return
        raise Violation('after a fault, the responder died: %r' %
                        r.proc.returncode)
    resp = Resp(0, out, b'')
    count('probes')
    if resp.status != 400:
        raise Violation('after a fault, the responder answers %r' % resp)


def stop_responders():
    release()
    for r in _pool.values():
        r.close(signal.SIGUSR1)
    _pool.clear()


def fcgi_request(prog, env, data, kill_after):
    faulty = 'HACGI_FIU_NTH' in env or 'FIU_ENABLE' in env and \
        env['FIU_ENABLE']
    release()
    if faulty:
        r = responder(prog, env)
        _held.append(r)
    else:
        r = _pool.get(prog)
        if r is None or not r.alive():
            r = _pool[prog] = responder(prog, env)
    result = {}

    def send():
        try:
            result['out'] = r.request(env, data)[0]
        except (ConnectionError, OSError) as e:
            result['error'] = e
    t = threading.Thread(target=send)
    t.start()
    if kill_after is not None:
        time.sleep(kill_after)
        r.proc.send_signal(signal.SIGKILL)
        _pool.pop(prog, None)
    t.join(60)
    count('fcgi_requests')
    if 'out' in result:
        if faulty and r.alive():
            probe(r, env)
        return Resp(0, result['out'], b'')
    r.proc.wait(timeout=30)
    return Resp(r.proc.returncode, b'', str(result.get('error')).encode())


def manage(data_dir, *args, extra=None):
    env = {'PATH': '/usr/bin:/bin'}
    env.update(extra or {})
    p = subprocess.run(WRAP + [MANAGE, '--data-dir', data_dir] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=60)
    count('execs')
    return p


def fsck(data_dir):
    """fsck must find no error."""
    p = manage(data_dir, 'fsck')
    out = p.stdout.decode()
    if p.returncode != 0:
        raise Violation('fsck: rc=%d\n%s%s' % (p.returncode, out,
                                                 p.stderr.decode()))
    return out


# ---- data ----------------------------------------------------------------

def read_json(path):
    with open(path, 'rb') as f:
        return json.loads(f.read())


def snapshot(d):
    """The records, as the programs keep them."""
    st = {k: {} for k in KINDS}
    for f in glob.glob(os.path.join(d, 'ha/segments/*.json')):
        st['segments'][os.path.basename(f)[:-5]] = read_json(f)
    for f in glob.glob(os.path.join(d, 'ha/hosts/*/*.json')):
        # a host counts only while its segment exists: those of a
        # deleted segment are garbage until purged (lib/ha/segment.h)
        if os.path.basename(os.path.dirname(f)) in st['segments']:
            st['hosts'][os.path.basename(f)[:-5]] = read_json(f)
    for f in glob.glob(os.path.join(d, 'ha/notifications/*.json')):
        st['notifications'][os.path.basename(f)[:-5]] = read_json(f)
    for kind, key in (('services', 'host'), ('clusters', 'name')):
        st['vol_' + kind] = journal(os.path.join(d, 'vol', kind + '.log'),
                                    key)
    for key, rel in VOL_LOG.items():
        if os.path.exists(os.path.join(d, rel)):
            st['vol_log'][key] = read_json(os.path.join(d, rel))
    return st


def journal(path, key):
    """What Volume readers see: the last complete line of each seq."""
    live = {}
    try:
        with open(path, 'rb') as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    for line in text.split(b'\n')[:-1]:
        rec = json.loads(line)
        if rec.get('removed'):
            live.pop(rec['seq'], None)
        else:
            live[rec['seq']] = rec
    return {'%s|%s' % (r[key], r['binary']): r for r in live.values()}


def all_parse(d):
    """Every document under d parses; returns the temp files found."""
    tmp = []
    for root, dirs, files in os.walk(d):
        if 'lost+found' in dirs:
            dirs.remove('lost+found')
        for name in files:
            path = os.path.join(root, name)
            if re.search(r'\.tmp\.[0-9A-Za-z]+$', name):
                tmp.append(path)
            elif name.endswith('.json') or name == 'FORMAT':
                try:
                    if (root.endswith(os.path.join('vol', 'names')) and
                            name != 'head.json'):
                        # a bucket of the name index: a line per name
                        # (lib/vol/volindex.c)
                        with open(path, 'rb') as f:
                            for line in f.read().splitlines():
                                json.loads(line)
                    else:
                        read_json(path)
                except ValueError as e:
                    raise Violation('%s does not parse: %s' % (path, e))
    return tmp


def strip(rec, *keys):
    return {k: v for k, v in rec.items() if k not in keys}


def seg_rec(view):
    return strip(view, 'deleted_at', 'deleted')


def host_rec(view):
    return strip(view, 'failover_segment', 'deleted_at', 'deleted')


def notif_rec(view):
    return strip(view, 'deleted_at', 'deleted', 'recovery_workflow_details')


def copy_state(st):
    return json.loads(json.dumps(st))


# ---- the base data directory --------------------------------------------

SEG_BODY = {'recovery_method': 'auto', 'service_type': 'COMPUTE'}


def must(resp, status):
    if resp.status != status:
        raise Violation('setup: want %d, got %r' % (status, resp))
    return resp.json


def notif_body(hostname, when='2024-01-01T00:00:00', event='STOPPED'):
    return {'notification': {
        'type': 'COMPUTE_HOST', 'hostname': hostname,
        'generated_time': when, 'payload': {'event': event}}}


def make_base(d):
    """alpha (hosts a1 a2 a3), beta (b1), gamma (none), delta (d1, an
    active notification: in use); a finished notification from b1."""
    p = manage(d, 'token', 'create', '--user', 'admin', '--project',
               'admin', '--roles', 'admin', '--token', TOKEN)
    if p.returncode != 0:
        raise Violation('setup: token create: %r' % p)
    ids = {}
    for name, hosts in (('alpha', ('a1', 'a2', 'a3')), ('beta', ('b1',)),
                        ('gamma', ()), ('delta', ('d1',))):
        body = {'segment': dict(SEG_BODY, name=name)}
        seg = must(cgi(d, 'POST', '/v1/segments', body), 201)
        ids[name] = seg['segment']['uuid']
        for h in hosts:
            body = {'host': {'name': h, 'type': 'COMPUTE',
                             'control_attributes': 'SSH'}}
            r = must(cgi(d, 'POST', '/v1/segments/%s/hosts' % ids[name],
                         body), 201)
            ids[h] = r['host']['uuid']
    n = must(cgi(d, 'POST', '/v1/notifications', notif_body('b1')), 202)
    p = manage(d, 'notification', 'set-status',
               n['notification']['notification_uuid'], 'finished')
    if p.returncode != 0:
        raise Violation('setup: set-status: %r' % p)
    must(cgi(d, 'POST', '/v1/notifications', notif_body('d1')), 202)
    for h in ('h1@lvm', 'h2@lvm'):
        must(cgi(d, 'PUT', '/v3/os-hacgi-heartbeat', {'service': {
            'host': h, 'binary': 'cinder-volume', 'cluster': 'c1'}}), 200)
    vol_action_base(d)
    return ids


# Heartbeats in 2099 stay up and in 2000 stay down however long a run
# takes: the os-services actions look at them (failover, set-log).
LIVE, DEAD = '2099-01-01T00:00:00', '2000-01-01T00:00:00'


def vol_action_base(d):
    """c3: replication enabled, h3@lvm up, h4@lvm down (a failover leaves
    it behind); c4: failing over (failover-complete), h5@lvm up; l1@lvm:
    in no cluster."""
    cmds = [
        ['cluster', 'set', 'c3', '--replication-status', 'enabled'],
        ['cluster', 'set', 'c4', '--replication-status', 'failing-over'],
        ['service', 'heartbeat', '--host', 'h3@lvm', '--binary',
         'cinder-volume', '--cluster', 'c3', '--at', LIVE],
        ['service', 'heartbeat', '--host', 'h4@lvm', '--binary',
         'cinder-volume', '--cluster', 'c3', '--at', DEAD,
         '--created-at', DEAD],
        ['service', 'heartbeat', '--host', 'h5@lvm', '--binary',
         'cinder-volume', '--cluster', 'c4', '--at', LIVE],
        ['service', 'heartbeat', '--host', 'l1@lvm', '--binary',
         'cinder-volume', '--at', LIVE],
    ]
    for c in cmds:
        p = manage(d, *c)
        if p.returncode != 0:
            raise Violation('setup: %s: %r' % (' '.join(c), p))


# ---- operations and their outcomes ----------------------------------------
#
# An operation is run once; outcome() compares the data before and after
# with what the operation may do, and says "none" (nothing happened),
# or "done" (all of it); anything else is a Violation.  With an answer
# (resp), "done" must match it exactly.

def changes(before, after):
    out = []
    for kind in KINDS:
        b, a = before[kind], after[kind]
        out += [('add', kind, u) for u in sorted(a.keys() - b.keys())]
        out += [('del', kind, u) for u in sorted(b.keys() - a.keys())]
        out += [('mod', kind, u) for u in sorted(a.keys() & b.keys())
                if a[u] != b[u]]
    return out


def fields_match(rec, want):
    return all(rec.get(k) == v for k, v in want.items())


class Op:
    api = 'ha'
    method = 'GET'
    ok = 200            # the status of a fault-free run on the base

    def __init__(self, ids):
        self.ids = ids

    def uri(self):
        raise NotImplementedError

    def body(self):
        return None

    def outcome(self, before, after, resp):
        if changes(before, after):
            raise Violation('a read changed the data')
        return 'none'

    def retry_status(self, result):
        """Status of the same request without faults, after result."""
        return self.ok


class SegList(Op):
    name = 'seg-list'

    def uri(self):
        return '/v1/segments?sort_key=name'


class SegCreate(Op):
    name, method, ok = 'seg-create', 'POST', 201
    want = {'name': 'omega', 'service_type': 'COMPUTE',
            'recovery_method': 'auto', 'description': None,
            'enabled': True}

    def uri(self):
        return '/v1/segments'

    def body(self):
        return {'segment': dict(SEG_BODY, name='omega')}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        if len(ch) == 1 and ch[0][:2] == ('add', 'segments'):
            rec = after['segments'][ch[0][2]]
            if fields_match(rec, self.want) and (
                    resp is None or rec == seg_rec(resp.json['segment'])):
                return 'done'
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 201 if result == 'none' else 409


class SegUpdate(Op):
    name, method, ok = 'seg-update', 'PUT', 200
    target = 'alpha'
    want = {'name': 'alpha2', 'description': 'renamed'}

    def uri(self):
        return '/v1/segments/' + self.ids[self.target]

    def body(self):
        return {'segment': dict(self.want)}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        u = self.ids[self.target]
        if not ch:
            return 'none'
        if ch == [('mod', 'segments', u)]:
            rec = after['segments'][u]
            old = before['segments'][u]
            if fields_match(rec, self.want) and strip(
                    rec, 'updated_at', *self.want) == strip(
                    old, 'updated_at', *self.want) and (
                    resp is None or rec == seg_rec(resp.json['segment'])):
                return 'done'
        raise Violation('unexpected changes %r' % ch)


class SegUpdateInUse(SegUpdate):
    name, ok = 'seg-update-in-use', 409
    target = 'delta'
    want = {'description': 'x'}


class SegDelete(Op):
    name, method, ok = 'seg-delete', 'DELETE', 204
    target = 'alpha'

    def uri(self):
        return '/v1/segments/' + self.ids[self.target]

    def outcome(self, before, after, resp):
        u = self.ids[self.target]
        hosts = {h for h, r in before['hosts'].items()
                 if r['failover_segment_id'] == u}
        ch = changes(before, after)
        if not ch:
            return 'none'
        gone = {c[2] for c in ch if c[:2] == ('del', 'hosts')}
        if all(c[0] == 'del' for c in ch) and gone == hosts and \
                ('del', 'segments', u) in ch:
            return 'done'
        if ('del', 'segments', u) not in ch and set(ch) <= {
                ('del', 'hosts', h) for h in hosts}:
            raise Violation('partial delete: the segment is there, %d of '
                            'its %d hosts are gone' % (len(gone),
                                                       len(hosts)))
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 404 if result == 'done' else 204


class SegDeleteEmpty(SegDelete):
    name = 'seg-delete-empty'
    target = 'gamma'


class HostCreate(Op):
    name, method, ok = 'host-create', 'POST', 201
    want = {'name': 'b2', 'type': 'COMPUTE', 'control_attributes': 'SSH',
            'reserved': False, 'on_maintenance': False}

    def uri(self):
        return '/v1/segments/%s/hosts' % self.ids['beta']

    def body(self):
        return {'host': {'name': 'b2', 'type': 'COMPUTE',
                         'control_attributes': 'SSH'}}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        if len(ch) == 1 and ch[0][:2] == ('add', 'hosts'):
            rec = after['hosts'][ch[0][2]]
            if fields_match(rec, self.want) and rec[
                    'failover_segment_id'] == self.ids['beta'] and (
                    resp is None or rec == host_rec(resp.json['host'])):
                return 'done'
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 201 if result == 'none' else 409


class HostUpdate(Op):
    name, method, ok = 'host-update', 'PUT', 200
    want = {'name': 'a1x', 'reserved': True}

    def uri(self):
        return '/v1/segments/%s/hosts/%s' % (self.ids['alpha'],
                                             self.ids['a1'])

    def body(self):
        return {'host': dict(self.want)}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        u = self.ids['a1']
        if not ch:
            return 'none'
        if ch == [('mod', 'hosts', u)]:
            rec, old = after['hosts'][u], before['hosts'][u]
            if fields_match(rec, self.want) and strip(
                    rec, 'updated_at', *self.want) == strip(
                    old, 'updated_at', *self.want) and (
                    resp is None or rec == host_rec(resp.json['host'])):
                return 'done'
        raise Violation('unexpected changes %r' % ch)


class HostDelete(Op):
    name, method, ok = 'host-delete', 'DELETE', 204

    def uri(self):
        return '/v1/segments/%s/hosts/%s' % (self.ids['beta'],
                                             self.ids['b1'])

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        if ch == [('del', 'hosts', self.ids['b1'])]:
            return 'done'
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 404 if result == 'done' else 204


class NotifCreate(Op):
    name, method, ok = 'notif-create', 'POST', 202

    def uri(self):
        return '/v1/notifications'

    def body(self):
        return notif_body('a2', '2024-02-02T00:00:00')

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        if len(ch) == 1 and ch[0][:2] == ('add', 'notifications'):
            rec = after['notifications'][ch[0][2]]
            if rec['source_host_uuid'] == self.ids['a2'] and rec[
                    'status'] == 'new' and rec['payload'] == {
                    'event': 'STOPPED'} and (resp is None or rec ==
                                             notif_rec(resp.json[
                                                 'notification'])):
                return 'done'
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 202 if result == 'none' else 409


class VolOp(Op):
    """A Volume write changing fields of one record."""
    method, ok = 'PUT', 200
    kind = key = None
    want = {}           # fields set to these values
    free = ()           # fields that may change to anything (times)

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        if ch == [('mod', self.kind, self.key)]:
            rec = after[self.kind][self.key]
            old = before[self.kind][self.key]
            keep = tuple(self.free) + tuple(self.want)
            if fields_match(rec, self.want) and \
                    strip(rec, *keep) == strip(old, *keep):
                return 'done'
        raise Violation('unexpected changes %r' % ch)


class VolHeartbeat(VolOp):
    name = 'vol-heartbeat'
    kind, key, free = 'vol_services', 'h1@lvm|cinder-volume', ('heartbeat',)

    def uri(self):
        return '/v3/os-hacgi-heartbeat'

    def body(self):
        return {'service': {'host': 'h1@lvm', 'binary': 'cinder-volume'}}


class VolHeartbeatNew(VolHeartbeat):
    """A new service in a new cluster: two commits, the cluster first.
    Killed in between, the cluster is there without members: a legal
    state (lib/vol/volume.h), which the retry completes; after a 500 the new
    cluster must be gone again (after_run: a 500 leaves 'none')."""
    name = 'vol-heartbeat-new'

    def body(self):
        return {'service': {'host': 'h9@lvm', 'binary': 'cinder-volume',
                            'cluster': 'c9'}}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        if not ch:
            return 'none'
        adds = {c[1:] for c in ch if c[0] == 'add'}
        if len(adds) == len(ch):
            if adds == {('vol_services', 'h9@lvm|cinder-volume'),
                        ('vol_clusters', 'c9|cinder-volume')}:
                return 'done'
            if adds == {('vol_clusters', 'c9|cinder-volume')}:
                return 'cluster-only'
        raise Violation('unexpected changes %r' % ch)


class VolClusterDisable(VolOp):
    name = 'vol-cluster-disable'
    kind, key = 'vol_clusters', 'c1|cinder-volume'
    want = {'disabled': True, 'disabled_reason': 'maintenance'}
    free = ('updated_at',)

    def uri(self):
        return '/v3/clusters/disable'

    def body(self):
        return {'name': 'c1', 'disabled_reason': 'maintenance'}


class VolSvcDisable(VolOp):
    """os-services disable-log-reason: one service record."""
    name = 'vol-svc-disable'
    kind, key = 'vol_services', 'h1@lvm|cinder-volume'
    want = {'disabled': True, 'disabled_reason': 'r'}
    free = ('modified_at',)

    def uri(self):
        return '/v3/os-services/disable-log-reason'

    def body(self):
        return {'host': 'h1@lvm', 'binary': 'cinder-volume',
                'disabled_reason': 'r'}


class VolSvcEnable(VolSvcDisable):
    name = 'vol-svc-enable'
    kind, key = 'vol_services', 'h2@lvm|cinder-volume'
    want = {'disabled': False}

    def uri(self):
        return '/v3/os-services/enable'

    def body(self):
        return {'host': 'h2', 'binary': 'cinder-volume'}


class VolFreeze(VolOp):
    """freeze of a host: its cluster (and members), one record."""
    name = 'vol-freeze'
    kind, key = 'vol_clusters', 'c1|cinder-volume'
    want = {'frozen': True}
    free = ('updated_at',)

    def uri(self):
        return '/v3/os-services/freeze'

    def body(self):
        return {'host': 'h1@lvm'}

    def retry_status(self, result):
        return 400 if result == 'done' else 200


class VolFreezeLone(VolFreeze):
    """freeze of a service in no cluster: its own values."""
    name = 'vol-freeze-lone'
    kind, key = 'vol_services', 'l1@lvm|cinder-volume'
    want = {'frozen': True, 'replication_status': 'not-capable',
            'active_backend_id': None}
    free = ()

    def body(self):
        return {'host': 'l1@lvm'}


class VolFailover(VolOp):
    """failover of a cluster whose member h4@lvm is down: the cluster
    record changes and lists h4@lvm with its old values, one commit."""
    name, ok = 'vol-failover', 202
    kind, key = 'vol_clusters', 'c3|cinder-volume'
    want = {'replication_status': 'failing-over', 'members': {'h4@lvm': {
        'replication_status': 'enabled', 'frozen': False,
        'active_backend_id': None}}}
    free = ('updated_at',)

    def uri(self):
        return '/v3/os-services/failover'

    def body(self):
        return {'cluster': 'c3', 'backend_id': 'b2'}

    def retry_status(self, result):
        return 400 if result == 'done' else 202


class VolSetLog(Op):
    """set-log for every binary: the services' levels, then cinder-api's
    (two documents, in that order: lib/vol/vollog.h)."""
    name, method, ok = 'vol-set-log', 'PUT', 202
    api = 'vol'
    want_api = {n: 'DEBUG' for n in (
        'cinder.api.contrib', 'cinder.api.contrib.volume_image_metadata',
        'cinder.api.contrib.volume_unmanage',
        'cinder.api.contrib.admin_actions', 'cinder.api.contrib.cgsnapshots',
        'cinder.api.contrib.snapshot_unmanage',
        'cinder.api.contrib.consistencygroups',
        'cinder.api.contrib.snapshot_actions', 'cinder.api.contrib.backups',
        'cinder.api.contrib.services', 'cinder.api.contrib.hosts',
        'cinder.api.contrib.snapshot_manage',
        'cinder.api.contrib.qos_specs_manage',
        'cinder.api.contrib.volume_manage',
        'cinder.api.contrib.volume_transfer', 'cinder.api.v3.clusters',
        'cinder.api.versions')}
    want_services = {'services': [{'host': 'h3@lvm', 'binary':
                                   'cinder-volume',
                                   'levels': {'cinder': 'DEBUG'}}]}

    def uri(self):
        return '/v3/os-services/set-log'

    def body(self):
        return {'binary': '*', 'server': 'c3', 'prefix': 'cinder',
                'level': 'debug'}

    def outcome(self, before, after, resp):
        ch = changes(before, after)
        got = after['vol_log']
        if not ch:
            return 'none'
        if ch == [('add', 'vol_log', 'api'), ('add', 'vol_log', 'services')] \
                and got['api'] == self.want_api and \
                got['services'] == self.want_services:
            return 'done'
        if ch == [('add', 'vol_log', 'services')] and \
                got['services'] == self.want_services:
            return 'services-only'
        raise Violation('unexpected changes %r' % ch)

    def retry_status(self, result):
        return 202


OPS = [SegList, SegCreate, SegUpdate, SegUpdateInUse, SegDelete,
       SegDeleteEmpty, HostCreate, HostUpdate, HostDelete, NotifCreate,
       VolHeartbeat, VolHeartbeatNew, VolClusterDisable, VolSvcDisable,
       VolSvcEnable, VolFreeze, VolFreezeLone, VolFailover, VolSetLog]


# ---- checks shared by fiu and crash ---------------------------------------

def in_use_check(d, ids, st):
    """A segment answers 409 to a no-op update exactly when SPEC 1.3 says
    it is in use (so ha/active.json and the notifications agree)."""
    for seg, rec in st['segments'].items():
        hosts = {h for h, r in st['hosts'].items()
                 if r['failover_segment_id'] == seg}
        used = any(n['status'] in ACTIVE and n['source_host_uuid'] in hosts
                   for n in st['notifications'].values())
        r = cgi(d, 'PUT', '/v1/segments/' + seg,
                {'segment': {'name': rec['name']}})
        if r.status != (409 if used else 200):
            raise Violation('segment %s in use=%s, but a no-op update '
                            'answers %r' % (rec['name'], used, r))


def vol_name_match(v, s):
    """SPEC 3.2."""
    if s == v:
        return True
    if '#' in v:
        return False
    return s.startswith(v + '#') or ('@' not in v and
                                     s.startswith(v + '@'))


def vol_show_check(d, st):
    """Every cluster of the journals, shown through the cluster index
    (lib/vol/volume.h), is the first match the journals give, with the
    services that name it: the index and the record files agree with
    the journals whatever point a write was cut at."""
    svcs = list(st['vol_services'].values())
    cls = sorted(st['vol_clusters'].values(), key=lambda c: c['seq'])
    for c in cls:
        first = next(x for x in cls if x['binary'] == c['binary'] and
                     vol_name_match(c['name'], x['name']))
        hosts = sum(1 for x in svcs if x.get('cluster') == first['name']
                    and x['binary'] == first['binary'])
        r = cgi(d, 'GET', '/v3/clusters/%s?binary=%s' % (
            urllib.parse.quote(c['name'], safe='@'),
            urllib.parse.quote(c['binary'])))
        got = (r.json or {}).get('cluster', {})
        if r.status != 200 or got.get('name') != first['name'] or \
                got.get('num_hosts') != hosts:
            raise Violation('cluster %s: the journals give %s with %d '
                            'service(s), the show %r' % (
                                c['name'], first['name'], hosts, r))


def is_fault_500(resp):
    j = resp.json
    return (resp.status == 500 and isinstance(j, dict) and len(j) == 1 and
            list(j.values())[0].get('code') == 500 and
            resp.headers.get('content-type', '').startswith(
                'application/json'))


def after_run(d, ids, op, before, resp, killed):
    """Check the data after one run; returns the outcome."""
    tmp = all_parse(d)
    if tmp and not killed:
        raise Violation('temp files left by a finished request: %r' % tmp)
    after = snapshot(d)
    ok = resp is not None and resp.status == op.ok
    result = op.outcome(before, after, resp if ok else None)
    if resp is not None:
        if resp.status == op.ok or (op.ok == 409 and resp.status == 409):
            if result not in ('done',) and op.method != 'GET' and \
                    op.ok != 409:
                raise Violation('%d but the data did not change' %
                                resp.status)
        elif is_fault_500(resp):
            if result != 'none':
                raise Violation('500 but the data changed (%s)' % result)
        else:
            raise Violation('neither %d nor a JSON 500: %r' % (op.ok, resp))
    fsck(d)
    if op.uri().startswith('/v3'):
        vol_show_check(d, after)
    again = cgi(d, op.method, op.uri(), op.body())
    if again.status != op.retry_status(result):
        raise Violation('after %s, the same request answers %r (want %d)'
                        % (result, again, op.retry_status(result)))
    if isinstance(op, NotifCreate):
        in_use_check(d, ids, snapshot(d))
    return result


class Base:
    """A pristine base data directory, copied for each run."""

    def __init__(self, tmp):
        self.path = os.path.join(tmp, 'base')
        os.mkdir(self.path, 0o700)
        self.ids = make_base(self.path)
        self.state = snapshot(self.path)
        self.work = os.path.join(tmp, 'work')

    def fresh(self):
        if os.path.exists(self.work):
            shutil.rmtree(self.work)
        shutil.copytree(self.path, self.work, symlinks=True)
        return self.work


def calls_of(base, op):
    """How many storage calls a fault-free run makes."""
    d = base.fresh()
    cf = os.path.join(d, '..', 'count')
    if os.path.exists(cf):
        os.unlink(cf)
    r = cgi(d, op.method, op.uri(), op.body(),
            extra=fiu_env(10 ** 9, 'fail', cf))
    release()
    if r.status != op.ok:
        raise Violation('%s: fault-free run: %r' % (op.name, r))
    with open(cf) as f:
        return int(f.read().split()[-1])


def selected_ops(args):
    """The operation classes --ops names (all without it)."""
    return [o for o in OPS if not args.ops or o.name in args.ops.split(',')]


def enumerate_runs(args, base, action):
    failures = []
    ops = selected_ops(args)
    for cls in ops:
        op = cls(base.ids)
        n = calls_of(base, op)
        count('%s_points' % cls.name, n)
        for nth in range(1 + args.seed % args.stride, n + 1, args.stride):
            d = base.fresh()
            resp = cgi(d, op.method, op.uri(), op.body(),
                       extra=fiu_env(nth, action))
            killed = resp.rc == -signal.SIGKILL
            count('runs')
            count('kills' if killed else 'faults' if action == 'fail'
                  else 'unkilled')
            if action == 'fail' and killed:
                failures.append('%s #%d: died: %r' % (cls.name, nth, resp))
                continue
            try:
                res = after_run(d, base.ids, op, base.state,
                                None if killed else resp, killed)
                count('outcome_' + res)
                if resp.status is not None and not killed:
                    count('status_%d' % resp.status)
            except Violation as e:
                failures.append('%s #%d (%s): %s' % (cls.name, nth, action,
                                                     e))
    return failures


SHORT_IO = '\n'.join('enable name=posix/io/rw/%s/reduce' % f
                     for f in ('read', 'pread', 'write', 'pwrite'))


def short_runs(args, base):
    """Each operation once with every storage read and write cut short
    (libfiu's reduce points): a short read or write is no error, so the
    answer and the data must be those of a fault-free run (after_run:
    the success status with the data unchanged is a violation)."""
    failures = []
    ops = selected_ops(args)
    for cls in ops:
        op = cls(base.ids)
        d = base.fresh()
        extra = fiu_env(0, 'fail')
        extra['FIU_ENABLE'] = SHORT_IO
        resp = cgi(d, op.method, op.uri(), op.body(), extra=extra)
        count('short_runs')
        try:
            if resp.status != op.ok:
                raise Violation('short reads and writes: %r' % resp)
            after_run(d, base.ids, op, base.state, resp, False)
        except Violation as e:
            failures.append('%s (short I/O): %s' % (cls.name, e))
    return failures


# ---- manage commands under faults ------------------------------------------

def manage_runs(args, base, action):
    """token create, notification set-status and restore: each leaves
    the old or the new state."""
    failures = []
    bundle = os.path.join(os.path.dirname(base.path), 'bundle.json')
    other = os.path.join(os.path.dirname(base.path), 'other')
    if not os.path.exists(bundle):
        os.mkdir(other, 0o700)
        make_base(other)
        cgi(other, 'POST', '/v1/segments',
            {'segment': dict(SEG_BODY, name='restored')})
        p = manage(other, 'backup', bundle)
        if p.returncode != 0:
            raise Violation('backup: %r' % p)
    restored = snapshot(other)
    active = [u for u, r in base.state['notifications'].items()
              if r['status'] == 'new'][0]
    h1 = 'h1@lvm|cinder-volume'
    cmds = [
        ('service-set', ['service', 'set', '--host', 'h1@lvm', '--binary',
                         'cinder-volume', '--disabled', '--reason', 'x'],
         lambda d: strip(snapshot(d)['vol_services'][h1], 'modified_at')),
        ('cluster-set', ['cluster', 'set', 'c1', '--frozen', 'true'],
         lambda d: strip(snapshot(d)['vol_clusters']['c1|cinder-volume'],
                         'updated_at')),
        ('service-remove', ['service', 'remove', '--host', 'h2@lvm',
                            '--binary', 'cinder-volume'],
         lambda d: 'h2@lvm|cinder-volume' in snapshot(d)['vol_services']),
        ('failover-complete', ['service', 'failover-complete', '--cluster',
                               'c4', '--backend-id', 'b9'],
         lambda d: strip(snapshot(d)['vol_clusters']['c4|cinder-volume'],
                         'updated_at')),
        ('token-create', ['token', 'create', '--user', 'u', '--project',
                          'p', '--roles', 'admin', '--token', 'tok2'],
         lambda d: tokens_of(d)),
        ('set-status', ['notification', 'set-status', active, 'finished'],
         lambda d: snapshot(d)['notifications'][active]['status']),
        ('restore', ['restore', bundle], lambda d: snapshot(d)),
    ]
    for name, argv, probe in cmds:
        if args.ops and name not in args.ops.split(','):
            continue
        d = base.fresh()
        old = probe(d)
        cf = os.path.join(d, '..', 'count')
        if os.path.exists(cf):
            os.unlink(cf)
        p = manage(d, *argv, extra=fiu_env(10 ** 9, 'fail', cf))
        new = probe(d)
        if name == 'restore':
            new = restored
        with open(cf) as f:
            n = int(f.read().split()[-1])
        count('%s_points' % name, n)
        for nth in range(1 + args.seed % args.stride, n + 1, args.stride):
            d = base.fresh()
            p = manage(d, *argv, extra=fiu_env(nth, action))
            killed = p.returncode == -signal.SIGKILL
            count('runs')
            count('kills' if killed else 'faults')
            try:
                if name == 'restore' and (killed or p.returncode != 0) and \
                        os.path.exists(os.path.join(d, '.restore')):
                    # cut short after its commit point, fsck reports an
                    # error and --repair finishes it; before, the staging
                    # is a leftover --repair drops
                    committed = os.path.exists(os.path.join(
                        d, '.restore', 'COMMIT'))
                    if manage(d, 'fsck').returncode != (1 if committed
                                                        else 0):
                        raise Violation('fsck misjudges a cut-short '
                                        'restore')
                    if manage(d, 'fsck', '--repair').returncode != 0:
                        raise Violation('fsck --repair fails')
                    count('restore_finished_by_repair' if committed else
                          'restore_dropped_by_repair')
                all_parse(d)
                got = probe(d)
                if p.returncode == 0 and got != new:
                    raise Violation('rc 0 but not the new state')
                if p.returncode != 0 and got not in (old, new):
                    raise Violation('rc %d and neither old nor new state' %
                                    p.returncode)
                if not killed and p.returncode != 0 and got != old and \
                        name != 'restore':
                    raise Violation('failed (rc %d) but changed the data'
                                    % p.returncode)
                fsck(d)
            except Violation as e:
                failures.append('%s #%d (%s): %s' % (name, nth, action, e))
    return failures


def tokens_of(d):
    try:
        doc = read_json(os.path.join(d, 'tokens.json'))
    except (OSError, ValueError):
        return None
    return sorted(t['sha256'] for t in doc['tokens'])


# ---- crash: a long random sequence ------------------------------------------

def random_sequence(args, tmp):
    """Writes killed at random times; the model follows what was
    acknowledged, and what a killed write did is read back."""
    rnd = random.Random(args.seed)
    d = os.path.join(tmp, 'seq')
    os.mkdir(d, 0o700)
    make_base(d)
    failures = []
    durations = []
    for i in range(args.random):
        st = snapshot(d)
        segs = list(st['segments'])
        hosts = list(st['hosts'])
        kind = rnd.choice(['seg-create', 'seg-create', 'seg-update',
                           'seg-delete', 'host-create', 'host-create',
                           'host-update', 'host-delete'])
        name = 'r%d' % i
        if kind == 'seg-create' or not segs:
            req = ('POST', '/v1/segments',
                   {'segment': dict(SEG_BODY, name=name)})
        elif kind == 'seg-update':
            req = ('PUT', '/v1/segments/' + rnd.choice(segs),
                   {'segment': {'name': name, 'description': name}})
        elif kind == 'seg-delete':
            req = ('DELETE', '/v1/segments/' + rnd.choice(segs), None)
        elif kind == 'host-create' or not hosts:
            req = ('POST', '/v1/segments/%s/hosts' % rnd.choice(segs),
                   {'host': {'name': name, 'type': 'COMPUTE',
                             'control_attributes': name}})
        else:
            h = rnd.choice(hosts)
            seg = st['hosts'][h]['failover_segment_id']
            if kind == 'host-update':
                req = ('PUT', '/v1/segments/%s/hosts/%s' % (seg, h),
                       {'host': {'name': name, 'on_maintenance': True}})
            else:
                req = ('DELETE', '/v1/segments/%s/hosts/%s' % (seg, h),
                       None)
        # kill half of the writes, at a random time within a typical run
        delay = None
        if durations and rnd.random() < 0.5:
            delay = rnd.uniform(0, 1.2 * sorted(durations)[
                len(durations) // 2])
        t0 = time.monotonic()
        resp = cgi(d, *req, kill_after=delay)
        if resp.rc != -signal.SIGKILL:
            durations.append(time.monotonic() - t0)
        count('seq_writes')
        try:
            check_sequence_step(d, st, req, resp)
        except Violation as e:
            failures.append('sequence #%d %s %s: %s' % (i, req[0], req[1],
                                                        e))
            break
    return failures


def check_sequence_step(d, before, req, resp):
    killed = resp.rc == -signal.SIGKILL
    count('seq_kills' if killed else 'seq_completed')
    all_parse(d)
    after = snapshot(d)
    ch = changes(before, after)
    method, uri, body = req
    if not killed:
        if resp.status is None or resp.status >= 500:
            raise Violation('no answer or 5xx without a fault: %r' % resp)
        if resp.status >= 400:
            if ch:
                raise Violation('%d but changed %r' % (resp.status, ch))
            return
        want = expected_after(before, method, uri, body, resp)
        if after != want:
            raise Violation('acknowledged write not as answered: %r' %
                            changes(want, after))
        count('seq_acknowledged')
        fsck(d)
        return
    # killed: nothing, or everything the request could have done
    if not ch:
        count('seq_killed_none')
    else:
        count('seq_killed_done')
        seq_killed_plausible(before, after, method, uri, body, ch)
    fsck(d)


def expected_after(before, method, uri, body, resp):
    st = copy_state(before)
    parts = uri.strip('/').split('/')
    j = resp.json
    if parts[-1] == 'segments':
        st['segments'][j['segment']['uuid']] = seg_rec(j['segment'])
    elif parts[-1] == 'hosts':
        st['hosts'][j['host']['uuid']] = host_rec(j['host'])
    elif len(parts) == 3 and method == 'PUT':
        st['segments'][parts[2]] = seg_rec(j['segment'])
    elif len(parts) == 3 and method == 'DELETE':
        del st['segments'][parts[2]]
        for h in [h for h, r in st['hosts'].items()
                  if r['failover_segment_id'] == parts[2]]:
            del st['hosts'][h]
    elif method == 'PUT':
        st['hosts'][parts[4]] = host_rec(j['host'])
    else:
        del st['hosts'][parts[4]]
    return st


def seq_killed_plausible(before, after, method, uri, body, ch):
    parts = uri.strip('/').split('/')
    if method == 'POST':
        kind = parts[-1]
        want = body['segment' if kind == 'segments' else 'host']
        if len(ch) == 1 and ch[0][:2] == ('add', kind) and \
                after[kind][ch[0][2]]['name'] == want['name']:
            return
    elif method == 'PUT':
        kind, u = ('segments', parts[2]) if len(parts) == 3 else \
            ('hosts', parts[4])
        want = body['segment' if kind == 'segments' else 'host']
        if ch == [('mod', kind, u)] and fields_match(after[kind][u], want):
            return
    elif len(parts) == 3:
        # all or nothing: a killed delete that left the segment with
        # fewer hosts is a violation
        want = {('del', 'segments', parts[2])} | {
            ('del', 'hosts', h) for h, r in before['hosts'].items()
            if r['failover_segment_id'] == parts[2]}
        if set(ch) == want:
            return
    elif ch == [('del', 'hosts', parts[4])]:
        return
    raise Violation('a killed %s left %r' % (method, ch))


# ---- stress: concurrent requests through the web server ---------------------

class Http:
    def __init__(self, url, token, extra=None):
        m = re.match(r'http://([^:/]+):(\d+)', url)
        self.host, self.port, self.token = m.group(1), int(m.group(2)), token
        self.extra = extra or {}

    def __call__(self, method, path, body=None, timeout=120):
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = dict(self.extra, **{'X-Auth-Token': self.token})
        data = encode(body) if body is not None else None
        if data is not None:
            headers['Content-Type'] = 'application/json'
        try:
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            raw = r.read()
            try:
                j = json.loads(raw) if raw else None
            except ValueError:
                j = None
            return r.status, j
        finally:
            c.close()


def stress_round(args, ha, vol, rnd, rno):
    """One round: set up, fire everything at once, check."""
    failures = []
    # setup, sequential
    segs = {}
    for i in range(12):
        name = 'st%d-s%d' % (rno, i)
        s, j = ha('POST', '/v1/segments', {'segment': dict(SEG_BODY,
                                                            name=name)})
        if s != 201:
            return ['setup: segment create %d %r' % (s, j)]
        segs[name] = j['segment']['uuid']
    hosts = {}
    for i in range(12):
        seg = segs['st%d-s%d' % (rno, i % 6)]
        name = 'st%d-h%d' % (rno, i)
        s, j = ha('POST', '/v1/segments/%s/hosts' % seg, {'host': {
            'name': name, 'type': 'COMPUTE', 'control_attributes': 'SSH'}})
        if s != 201:
            return ['setup: host create %d %r' % (s, j)]
        hosts[name] = (seg, j['host']['uuid'])
    seglist = list(segs.values())
    reqs = []   # (tag, method, path, body)
    n = args.requests
    # 1. creates with fresh names, and pairs racing for one name
    for i in range(n // 8):
        reqs.append(('create', 'POST', '/v1/segments', {'segment': dict(
            SEG_BODY, name='st%d-new%d' % (rno, i))}))
    for i in range(n // 20):
        for _ in range(2):
            reqs.append(('race-create', 'POST', '/v1/segments', {
                'segment': dict(SEG_BODY, name='st%d-race%d' % (rno, i))}))
    # 2. four updates of different fields of the same segments (s0-s3):
    #    a lost update would drop one
    fields = [('name', 'st%d-ren%d'), ('description', 'd%d-%d'),
              ('service_type', 'T%d-%d'), ('recovery_method', None)]
    for i in range(4):
        for f, fmt in fields:
            v = 'reserved_host' if fmt is None else fmt % (rno, i)
            reqs.append(('update', 'PUT', '/v1/segments/' + seglist[i],
                         {'segment': {f: v}}))
    # 3. deletes (s6-s9, no hosts) racing with updates of the same
    for i in range(6, 10):
        reqs.append(('delete', 'DELETE', '/v1/segments/' + seglist[i], None))
        reqs.append(('upd-del', 'PUT', '/v1/segments/' + seglist[i],
                     {'segment': {'description': 'late'}}))
    # 4. hosts: creates, updates of different fields, deletes
    for i in range(n // 10):
        seg = seglist[i % 6]
        reqs.append(('host-create', 'POST', '/v1/segments/%s/hosts' % seg,
                     {'host': {'name': 'st%d-nh%d' % (rno, i),
                               'type': 'COMPUTE',
                               'control_attributes': 'SSH'}}))
    hl = list(hosts.items())
    for name, (seg, h) in hl[:6]:
        for f, v in (('name', name + 'x'), ('reserved', True),
                     ('on_maintenance', True), ('type', 'XEN')):
            reqs.append(('host-update', 'PUT', '/v1/segments/%s/hosts/%s'
                         % (seg, h), {'host': {f: v}}))
    for name, (seg, h) in hl[6:10]:
        reqs.append(('host-delete', 'DELETE', '/v1/segments/%s/hosts/%s'
                     % (seg, h), None))
    # 5. the Volume API: heartbeats and cluster enable/disable
    reqs += volume_requests(args, rno, vol is not None)
    # 6. readers fill up to n
    while len(reqs) < n:
        reqs.append(('read', 'GET', rnd.choice(
            ['/v1/segments', '/v1/segments/' + rnd.choice(seglist),
             '/v1/segments/%s/hosts' % rnd.choice(seglist)]), None))
    reqs = reqs[:max(n, len(reqs))]
    rnd.shuffle(reqs)
    results = [None] * len(reqs)
    gate = threading.Barrier(len(reqs))

    def worker(i):
        tag, method, path, body = reqs[i]
        client = vol if tag.startswith('vol') else ha
        try:
            gate.wait()
            results[i] = client(method, path, body)
        except Exception as e:     # noqa: BLE001 - recorded as a finding
            results[i] = (None, repr(e))
    threads = [threading.Thread(target=worker, args=(i,))
               for i in range(len(reqs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    count('requests', len(reqs))
    for (tag, method, path, body), (s, j) in zip(reqs, results):
        count('stress_%s' % s)
        if s is None or s >= 500:
            failures.append('%s %s %s: %r %r' % (tag, method, path, s, j))
    failures += stress_check(ha, vol, rno, reqs, results, segs, hosts)
    return failures


def volume_requests(args, rno, have_vol):
    if not have_vol:
        return []
    reqs = []
    for i in range(args.requests // 10):
        reqs.append(('vol-heartbeat', 'PUT', '/v3/os-hacgi-heartbeat',
                     {'service': {'host': 'st%d-vh%d@lvm' % (rno, i % 7),
                                  'binary': 'cinder-volume',
                                  'cluster': 'st%d-c%d' % (rno, i % 3)}}))
    for i in range(3):
        for action in ('enable', 'disable'):
            reqs.append(('vol-cluster', 'PUT', '/v3/clusters/' + action,
                         {'name': 'st%d-c%d' % (rno, i)}))
    # the os-services actions, racing the heartbeats that create their
    # services (so 404 and 400 are fine) and each other
    for i in range(3):
        reqs.append(('vol-svc-disable', 'PUT',
                     '/v3/os-services/disable-log-reason',
                     {'host': 'st%d-vh%d@lvm' % (rno, i),
                      'binary': 'cinder-volume', 'disabled_reason': 'x'}))
        for action in ('freeze', 'thaw'):
            reqs.append(('vol-svc-action', 'PUT', '/v3/os-services/' +
                         action, {'cluster': 'st%d-c%d' % (rno, i)}))
    for level in ('DEBUG', 'INFO'):
        reqs.append(('vol-svc-action', 'PUT', '/v3/os-services/set-log',
                     {'binary': 'cinder-api', 'prefix': 'cinder.api.v3',
                      'level': level}))
    return reqs


def stress_check(ha, vol, rno, reqs, results, segs, hosts):
    fails = []
    s, j = ha('GET', '/v1/segments')
    if s != 200:
        return ['final segment list: %r' % s]
    by_uuid = {x['uuid']: x for x in j['segments']}
    by_name = {}
    for x in j['segments']:
        by_name.setdefault(x['name'], []).append(x)
    deleted = set()
    for (tag, method, path, body), (st, out) in zip(reqs, results):
        if tag == 'delete' and st == 204:
            deleted.add(path.rsplit('/', 1)[1])
    for (tag, method, path, body), (st, out) in zip(reqs, results):
        if tag in ('create', 'race-create') and st == 201:
            u = out['segment']['uuid']
            if u not in by_uuid:
                fails.append('acknowledged create %s missing' % u)
        if tag == 'race-create' and st not in (201, 409):
            fails.append('race create answered %s' % st)
        if tag == 'update' and st == 200:
            u = path.rsplit('/', 1)[1]
            (f, v), = body['segment'].items()
            if by_uuid.get(u, {}).get(f) != v:
                fails.append('acknowledged update %s %s=%r lost (%r)' % (
                    u, f, v, by_uuid.get(u, {}).get(f)))
        if tag == 'delete' and st == 204:
            if path.rsplit('/', 1)[1] in by_uuid:
                fails.append('acknowledged delete %s present' % path)
        if tag == 'upd-del' and st not in (200, 404):
            fails.append('update racing a delete answered %s' % st)
    for name, xs in by_name.items():
        if len(xs) > 1:
            fails.append('duplicate segment name %r' % name)
    wins = {}
    for (tag, method, path, body), (st, out) in zip(reqs, results):
        if tag == 'race-create' and st == 201:
            wins.setdefault(body['segment']['name'], []).append(st)
    for name, w in wins.items():
        if len(w) != 1:
            fails.append('%d creates of %r succeeded' % (len(w), name))
    fails += stress_check_hosts(ha, reqs, results, hosts, by_uuid)
    fails += stress_check_volume(vol, reqs, results)
    return fails


def stress_check_hosts(ha, reqs, results, hosts, segments):
    fails = []
    seen = {}
    names = {}
    for seg in segments:
        s, j = ha('GET', '/v1/segments/%s/hosts' % seg)
        if s != 200:
            fails.append('final host list of %s: %s' % (seg, s))
            continue
        for h in j['hosts']:
            seen[h['uuid']] = h
            names.setdefault(h['name'], []).append(h['uuid'])
    for (tag, method, path, body), (st, out) in zip(reqs, results):
        if tag == 'host-create' and st == 201 and \
                out['host']['uuid'] not in seen:
            fails.append('acknowledged host create %s missing' %
                         out['host']['uuid'])
        if tag == 'host-update' and st == 200:
            u = path.rsplit('/', 1)[1]
            (f, v), = body['host'].items()
            if seen.get(u, {}).get(f) != v:
                fails.append('acknowledged host update %s %s=%r lost' % (
                    u, f, v))
        if tag == 'host-delete' and st == 204 and \
                path.rsplit('/', 1)[1] in seen:
            fails.append('acknowledged host delete %s present' % path)
    for name, us in names.items():
        if len(us) > 1:
            fails.append('duplicate host name %r' % name)
    return fails


def stress_check_volume(vol, reqs, results):
    if vol is None:
        return []
    fails = []
    s, j = vol('GET', '/v3/os-services')
    if s != 200:
        return ['final os-services: %s' % s]
    svc = {(x['host'], x['binary']): x for x in j['services']}
    for (tag, method, path, body), (st, out) in zip(reqs, results):
        b = (body or {}).get('service', {})
        if tag == 'vol-heartbeat' and st == 200 and \
                (b['host'], b['binary']) not in svc:
            fails.append('acknowledged heartbeat %s missing' % b['host'])
        if tag == 'vol-svc-disable' and st == 200 and svc.get(
                (body['host'], body['binary']), {}).get('status') != \
                'disabled':
            fails.append('acknowledged disable of %s lost' % body['host'])
        if tag.startswith('vol-svc') and st not in (200, 202, 400, 404):
            fails.append('%s %s answered %s' % (tag, path, st))
    return fails


def stress(args):
    rnd = random.Random(args.seed)
    ha = Http(args.url, args.token)
    vol = Http(args.volume_url, args.token, {
        'OpenStack-API-Version': 'volume 3.70'}) if args.volume_url else None
    failures = []
    for rno in range(args.rounds):
        fl = stress_round(args, ha, vol, rnd, rno)
        p = manage(args.data_dir, 'fsck')
        count('fsck_runs')
        if p.returncode != 0:
            fl.append('fsck after round %d: %s' % (rno, p.stdout.decode()))
        failures += ['round %d: %s' % (rno, f) for f in fl]
    return failures



# ---- sample: every program once, under a checker (valgrind, ASan) ----------

def sample_requests(ids):
    """(api, method, uri, body, extra env): every endpoint, valid and
    not."""
    a, b, a1 = ids['alpha'], ids['beta'], ids['a1']
    seg = {'segment': dict(SEG_BODY, name='new')}
    host = {'host': {'name': 'nh', 'type': 'C', 'control_attributes': 'x'}}
    v37 = {'HTTP_OPENSTACK_API_VERSION': 'volume 3.7'}
    return [
        ('ha', 'GET', '/', None, {}), ('ha', 'GET', '/v2', None, {}),
        ('ha', 'GET', '/v1', None, {}), ('ha', 'GET', '/v1/extensions', None, {}),
        ('ha', 'GET', '/v1/extensions/segments', None, {}),
        ('ha', 'GET', '/v1/segments?limit=2&sort_key=name&sort_dir=asc', None, {}),
        ('ha', 'GET', '/v1/segments?marker=%s&enabled=1' % a, None, {}),
        ('ha', 'GET', '/v1/segments?limit=x', None, {}),
        ('ha', 'GET', '/v1/segments?sort_key=bogus', None, {}),
        ('ha', 'POST', '/v1/segments', seg, {}),
        ('ha', 'POST', '/v1/segments', seg, {}),
        ('ha', 'POST', '/v1/segments', b'{"segment": {"name": 5', {}),
        ('ha', 'POST', '/v1/segments', b'\xff\xfe', {}),
        ('ha', 'POST', '/v1/segments', {'segment': {'name': 'x' * 300}}, {}),
        ('ha', 'POST', '/v1/segments', None, {'CONTENT_LENGTH': '999999999'}),
        ('ha', 'POST', '/v1/segments', seg, {'CONTENT_TYPE': 'text/xml'}),
        ('ha', 'GET', '/v1/segments/' + a, None,
         {'HTTP_OPENSTACK_API_VERSION': 'instance-ha 1.2'}),
        ('ha', 'GET', '/v1/segments/' + a, None,
         {'HTTP_OPENSTACK_API_VERSION': 'instance-ha 9.9'}),
        ('ha', 'GET', '/v1/segments/..%2f..%2ftokens', None, {}),
        ('ha', 'PUT', '/v1/segments/' + b, {'segment': {'description': 'd'}}, {}),
        ('ha', 'PUT', '/v1/segments/' + b, {'segment': {}}, {}),
        ('ha', 'GET', '/v1/segments/%s/hosts?on_maintenance=x' % a, None, {}),
        ('ha', 'GET', '/v1/segments/%s/hosts?reserved=0' % a, None, {}),
        ('ha', 'POST', '/v1/segments/%s/hosts' % b, host, {}),
        ('ha', 'GET', '/v1/segments/%s/hosts/%s' % (a, a1), None, {}),
        ('ha', 'PUT', '/v1/segments/%s/hosts/%s' % (a, a1),
         {'host': {'on_maintenance': 'yes'}}, {}),
        ('ha', 'DELETE', '/v1/segments/%s/hosts/%s' % (a, ids['a2']), None, {}),
        ('ha', 'POST', '/v1/notifications', notif_body('a3'), {}),
        ('ha', 'POST', '/v1/notifications', notif_body('zz'), {}),
        ('ha', 'GET', '/v1/notifications?generated-since=2020-01-01', None, {}),
        ('ha', 'GET', '/v1/notifications?generated-since=bad', None, {}),
        ('ha', 'DELETE', '/v1/segments/' + ids['gamma'], None, {}),
        ('ha', 'DELETE', '/v1/segments/' + ids['delta'], None, {}),
        ('ha', 'HEAD', '/v1/segments', None, {}),
        ('ha', 'GET', '/v1/segments', None, {'HTTP_X_AUTH_TOKEN': 'nope'}),
        ('vol', 'GET', '/', None, {}), ('vol', 'GET', '/healthcheck', None, {}),
        ('vol', 'GET', '/v3', None, {}), ('vol', 'GET', '/v3/', None, {}),
        ('vol', 'GET', '/v3/clusters', None, v37),
        ('vol', 'GET', '/v3/clusters/detail?is_up=1&num_hosts=x', None, v37),
        ('vol', 'GET', '/v3/clusters/c1?binary=cinder-volume', None, v37),
        ('vol', 'PUT', '/v3/clusters/disable',
         {'name': 'c1', 'disabled_reason': ' r '}, v37),
        ('vol', 'PUT', '/v3/clusters/enable', {'name': 'c1'}, v37),
        ('vol', 'PUT', '/v3/clusters/bogus', {'name': 'c1'}, v37),
        ('vol', 'GET', '/v3/os-services?host=h1', None,
         {'HTTP_OPENSTACK_API_VERSION': 'volume 3.70'}),
        ('vol', 'PUT', '/v3/os-hacgi-heartbeat', {'service': {
            'host': 'h3@lvm', 'binary': 'cinder-volume', 'cluster': 'c3'}},
         {}),
        ('vol', 'PUT', '/v3/os-hacgi-heartbeat', {'service': {'host': ' '}}, {}),
        ('vol', 'PUT', '/v3/os-services/disable-log-reason', {
            'host': 'h1', 'binary': 'cinder-volume', 'disabled_reason': 'r'},
         {}),
        ('vol', 'PUT', '/v3/os-services/enable',
         {'host': 'h1@lvm', 'service': 'cinder-volume'}, {}),
        ('vol', 'PUT', '/v3/os-services/disable', {'host': 'h1\n'}, {}),
        ('vol', 'PUT', '/v3/os-services/freeze', {'cluster': 'c1'}, {}),
        ('vol', 'PUT', '/v3/os-services/thaw', {'host': 'h2@lvm'}, {}),
        ('vol', 'PUT', '/v3/os-services/failover', {'cluster': 'c3'}, {}),
        ('vol', 'PUT', '/v3/os-services/failover_host', {'host': 'l1@lvm'},
         {}),
        ('vol', 'PUT', '/v3/os-services/set-log',
         {'binary': '*', 'level': 'DEBUG'}, {}),
        ('vol', 'PUT', '/v3/os-services/get-log', {}, {}),
        ('vol', 'PUT', '/v3/os-services/get-log', {'binary': 5}, {}),
        ('vol', 'PUT', '/v3/os-services/frobnicate', {}, {}),
        ('vol', 'GET', '/v3/nothing', None, {'HTTP_ACCEPT': 'application/json'}),
    ]


def sample(args, tmp):
    global WRAP
    d = os.path.join(tmp, 'sample')
    os.mkdir(d, 0o700)
    ids = make_base(d)
    WRAP = shlex.split(args.wrap)
    failures = []
    for api, method, uri, body, extra in sample_requests(ids):
        r = cgi(d, method, uri, body, extra=extra, api=api)
        count('sample_requests')
        if r.rc != 0 or r.status is None:
            failures.append('%s %s: rc=%s %s' % (method, uri, r.rc,
                                                  r.err.decode()[-2000:]))
    bundle = os.path.join(tmp, 'sample.json')
    for argv in (['fsck'], ['token', 'list'], ['cluster', 'list'],
                 ['service', 'heartbeat', '--host', 'm@b', '--binary', 'b',
                  '--cluster', 'mc'],
                 ['service', 'set', '--host', 'm@b', '--binary', 'b',
                  '--disabled', '--reason', 'r'],
                 ['cluster', 'set', 'mc', '--binary', 'b', '--frozen',
                  'true'],
                 ['service', 'failover-complete', '--cluster', 'c4',
                  '--backend-id', 'b'],
                 ['backup', bundle], ['restore', bundle], ['fsck', '--repair'],
                 ['token', 'create', '--user', 'u', '--project', 'p',
                  '--roles', 'admin'], ['bogus']):
        p = manage(d, *argv)
        count('sample_manage')
        if p.returncode not in (0, 1, 2) or b'ERROR' in p.stderr or \
                b'runtime error' in p.stderr or b'definitely lost' in \
                p.stderr:
            failures.append('hacgi-manage %s: rc=%s %s' % (
                ' '.join(argv), p.returncode, p.stderr.decode()[-2000:]))
    WRAP = []
    return failures

# ---- main ----------------------------------------------------------------

def report(failures):
    print('rel: ' + ' '.join('%s=%d' % kv for kv in sorted(counts.items())))
    for f in failures[:40]:
        print('FAIL: ' + f)
    if len(failures) > 40:
        print('FAIL: ... %d more' % (len(failures) - 40))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cmd', choices=['fiu', 'crash', 'stress', 'sample', 'ops'])
    ap.add_argument('--wrap', default='')
    ap.add_argument('--ops', default='')
    ap.add_argument('--stride', type=int, default=1)
    ap.add_argument('--random', type=int, default=0)
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--url')
    ap.add_argument('--volume-url')
    ap.add_argument('--data-dir')
    ap.add_argument('--token')
    ap.add_argument('--requests', type=int, default=200)
    ap.add_argument('--rounds', type=int, default=1)
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    print('rel: %s seed=%d%s' % (args.cmd, args.seed,
                                 ' (FastCGI)' if FASTCGI else ''))
    if args.cmd == 'ops':
        print(' '.join(o.name for o in OPS) + ' service-set cluster-set '
              'service-remove failover-complete token-create set-status '
              'restore')
        return 0
    if args.cmd == 'stress':
        return report(stress(args))
    tmp = tempfile.mkdtemp(prefix='hacgi-rel.',
                           dir=os.environ.get('HACGI_REL_TMP'))
    try:
        if args.cmd == 'sample':
            return report(sample(args, tmp))
        base = Base(tmp)
        action = 'fail' if args.cmd == 'fiu' else 'kill'
        failures = enumerate_runs(args, base, action)
        failures += manage_runs(args, base, action)
        if args.cmd == 'fiu':
            failures += short_runs(args, base)
        if args.cmd == 'crash' and args.random:
            failures += random_sequence(args, tmp)
        return report(failures)
    finally:
        stop_responders()
        if _extra and os.path.exists(_extra):
            os.unlink(_extra)
        if not os.environ.get('HACGI_KEEP_TMP'):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
