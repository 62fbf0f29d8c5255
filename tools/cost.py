#!/usr/bin/env python3
"""tools/cost.py: what one request costs, at N records and at more.

Each endpoint's program is run directly with a CGI environment (RFC 3875,
as tests/direct_exec.bats and tests/rel/rel.py do), no server, and measured
three times: instructions (valgrind --tool=callgrind, the total Ir),
system calls (strace -f -c, the total) and peak RSS (wait4's ru_maxrss).
Instructions and system calls do not depend on the load of the machine;
RSS barely does.  The data is built by hacgi-manage's bulk loaders
(segment, host, notification and service populate): at each size N, N
segments, N hosts in the first segment, N finished notifications from its
first host, N Volume clusters of 3 services each; then, for the rows
marked "(N active)", N more notifications in status new.

The table gives each request at the smallest and the largest size and
their ratio.  Every request but those of UNBOUNDED (or --unbounded) is
bounded: with --check R, the run fails when one of them grows by more
than R in any measure.  The others are printed, never checked: the
whole lists, which the API gives no limit (UNBOUNDED).  Peak RSS
is what /proc gives as the program exits, with glibc's heap trimming
off so that what free() gave back still counts (tests/bench/runstat.c
-m says why: the rusage figure is short by up to a per-CPU batch, by an
amount that depends on the CPUs the program ran on, and trimming hid up
to 240 KiB of a peak, depending on where the last live block lay),
without address space randomisation, the program's file in the page
cache, the least of 3 runs.  It is checked like the others, with no
allowance.

    tools/cost.py [--sizes 100,100000] [--check 1.1] [--only REGEX]
                  [--keep] [--start-runs 200]

--start-runs K adds the start-up table: the CPU time (user + system, from
wait4) of K runs of a few O(1) requests against a statically linked hello
CGI (tests/bench/hello.c) run the same way, side by side (CPU time on a
loaded machine varies: compare the ratios of one run).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import routes

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
CGI_BIN = os.environ.get('HACGI_CGI_BIN') or os.path.join(TOP, 'cgi-bin')
MANAGE = os.environ.get('HACGI_MANAGE') or os.path.join(TOP, 'bin',
                                                        'hacgi-manage')
TOKEN = 'cost-admin-token'
PROJECT = '0123456789abcdef0123456789abcdef'
VOL_MV = 'volume 3.70'

# The requests whose cost grows with N: whole lists, no limit in the API:
# printed, never checked.  tests/perf_cost.bats passes its own list
# (--unbounded), which must equal this one; a change that bounds one of
# them takes it off both, and from then on --check holds it to the limit.
UNBOUNDED = (
    # whole lists by definition (no limit in the Volume API)
    'clusters list', 'clusters detail', 'os-services list',
)


class Req:
    """One request: label, API ('ha' or 'vol'), method, uri, body; uri and
    body may hold {k} (a number new for every run) and {names} of the
    data set."""

    def __init__(self, label, api, method, uri, body=None, status=200,
                 phase=1):
        self.label, self.api, self.method = label, api, method
        self.uri, self.body, self.status = uri, body, status
        self.phase = phase


def requests():
    seg_body = ('{"segment": {"name": "new-{k}", "recovery_method": '
                '"auto", "service_type": "COMPUTE"}}')
    host_body = ('{"host": {"name": "newh-{k}", "type": "COMPUTE", '
                 '"control_attributes": "SSH"}}')
    notif_body = ('{"notification": {"type": "PROCESS", "hostname": '
                  '"h-4", "generated_time": "2026-01-01T00:00:00", '
                  '"payload": {"process_name": "np-{k}", "event": '
                  '"STOPPED"}}}')
    cl = '{"name": "v-c3@lvm", "binary": "cinder-volume"'
    svc = '/v3/%s/os-services/' % PROJECT
    hosts = '/v1/segments/{seg1}/hosts'
    return [
        Req('segment list limit=100', 'ha', 'GET',
            '/v1/segments?limit=100'),
        Req('segment list limit=100 marker', 'ha', 'GET',
            '/v1/segments?limit=100&marker={seg_mid}'),
        Req('segment show', 'ha', 'GET', '/v1/segments/{seg2}'),
        Req('segment create', 'ha', 'POST', '/v1/segments', seg_body,
            201),
        Req('segment update', 'ha', 'PUT', '/v1/segments/{seg3}',
            '{"segment": {"description": "d{k}"}}'),
        Req('segment delete', 'ha', 'DELETE', '/v1/segments/{seg_del}',
            status=204),
        Req('host list limit=100', 'ha', 'GET', hosts + '?limit=100'),
        Req('host list limit=100 marker', 'ha', 'GET',
            hosts + '?limit=100&marker={host_mid}'),
        Req('host show', 'ha', 'GET', hosts + '/{host2}'),
        Req('host create', 'ha', 'POST', hosts, host_body, 201),
        Req('host update', 'ha', 'PUT', hosts + '/{host3}',
            '{"host": {"reserved": {odd}}}'),
        Req('host delete', 'ha', 'DELETE', hosts + '/{host_del}',
            status=204),
        Req('notification list limit=100', 'ha', 'GET',
            '/v1/notifications?limit=100'),
        Req('notification create', 'ha', 'POST', '/v1/notifications',
            notif_body, 202),
        Req('notification show', 'ha', 'GET', '/v1/notifications/{notif}'),
        Req('Instance-HA versions (/)', 'ha', 'GET', '/'),
        Req('Instance-HA version document', 'ha', 'GET', '/v1/'),
        Req('clusters list', 'vol', 'GET', '/v3/%s/clusters' % PROJECT),
        Req('clusters detail', 'vol', 'GET',
            '/v3/%s/clusters/detail' % PROJECT),
        Req('cluster show', 'vol', 'GET',
            '/v3/%s/clusters/v-c2@lvm?binary=cinder-volume' % PROJECT),
        Req('cluster enable', 'vol', 'PUT',
            '/v3/%s/clusters/enable' % PROJECT, cl + '}'),
        Req('cluster disable', 'vol', 'PUT',
            '/v3/%s/clusters/disable' % PROJECT,
            cl + ', "disabled_reason": "r{k}"}'),
        Req('heartbeat', 'vol', 'PUT', '/v3/os-hacgi-heartbeat',
            '{"service": {"host": "v-h2-1@lvm", "binary": '
            '"cinder-volume"}}'),
        Req('os-services list', 'vol', 'GET',
            '/v3/%s/os-services' % PROJECT),
        Req('os-services disable', 'vol', 'PUT', svc + 'disable',
            '{"host": "v-h3-2@lvm", "binary": "cinder-volume"}'),
        Req('os-services enable (host level)', 'vol', 'PUT',
            svc + 'enable', '{"host": "v-h3-2", "binary": '
            '"cinder-volume"}'),
        Req('os-services disable-log-reason', 'vol', 'PUT',
            svc + 'disable-log-reason', '{"host": "v-h3-2@lvm", '
            '"binary": "cinder-volume", "disabled_reason": "r{k}"}'),
        Req('os-services freeze (host)', 'vol', 'PUT', svc + 'freeze',
            '{"host": "v-h{cl}-1@lvm"}'),
        Req('os-services freeze (cluster)', 'vol', 'PUT', svc + 'freeze',
            '{"cluster": "v-c{cl}@lvm"}'),
        Req('os-services thaw (cluster)', 'vol', 'PUT', svc + 'thaw',
            '{"cluster": "v-c{frozen}@lvm"}'),
        # refused: the loaded clusters are not replicated
        Req('os-services failover_host', 'vol', 'PUT',
            svc + 'failover_host', '{"host": "v-h4-1@lvm"}', status=400),
        Req('os-services set-log (server)', 'vol', 'PUT', svc + 'set-log',
            '{"server": "v-h4-1@lvm", "binary": "cinder-volume", '
            '"prefix": "cinder.volume", "level": "DEBUG"}', status=202),
        Req('os-services get-log (server)', 'vol', 'PUT', svc + 'get-log',
            '{"server": "v-c4@lvm", "binary": "cinder-volume"}'),
        Req('Volume versions (/)', 'vol', 'GET', '/', status=300),
        Req('Volume version document (/v3/)', 'vol', 'GET', '/v3/'),
        # after N active notifications were added
        Req('segment update (N active)', 'ha', 'PUT',
            '/v1/segments/{seg3}', '{"segment": {"description": "e{k}"}}',
            phase=2),
        Req('segment delete (N active)', 'ha', 'DELETE',
            '/v1/segments/{seg_del}', status=204, phase=2),
        Req('host update (N active)', 'ha', 'PUT',
            '/v1/segments/{seg2}/hosts/{other_host}',
            '{"host": {"reserved": {odd}}}', phase=2),
    ]


# ---- programs ------------------------------------------------------------

def program(api, uri, cgi_bin=None):
    return routes.program(api, uri, cgi_bin or CGI_BIN)


def cgi_env(data_dir, method, uri, body, api):
    """What lighttpd passes (tools/bench.sh peak_rss), minus nothing the
    programs read."""
    env = {'PATH': '/usr/bin:/bin', 'GATEWAY_INTERFACE': 'CGI/1.1',
           'SERVER_PROTOCOL': 'HTTP/1.1', 'SERVER_SOFTWARE': 'lighttpd',
           'REQUEST_SCHEME': 'http', 'SERVER_NAME': '127.0.0.1',
           'SERVER_ADDR': '127.0.0.1', 'SERVER_PORT': '8080',
           'REMOTE_ADDR': '127.0.0.1', 'REMOTE_PORT': '40000',
           'REQUEST_METHOD': method, 'REQUEST_URI': uri,
           'QUERY_STRING': uri.partition('?')[2],
           'HTTP_HOST': '127.0.0.1:8080', 'HTTP_X_AUTH_TOKEN': TOKEN,
           'DATA_DIR': data_dir, 'REDIRECT_STATUS': '200',
           'CONTENT_LENGTH': str(len(body or b''))}
    if body:
        env['CONTENT_TYPE'] = 'application/json'
    if api == 'vol':
        env['HTTP_OPENSTACK_API_VERSION'] = VOL_MV
    return env


class Run:
    def __init__(self, status, out, err, rusage):
        self.status, self.out, self.err, self.rusage = status, out, err, \
            rusage

    def http_status(self):
        m = re.match(rb'Status: (\d+)', self.out)
        return int(m.group(1)) if m else None


def spawn(argv, env, body, tmp):
    """argv with body on stdin; its answer, stderr and rusage (wait4)."""
    paths = [os.path.join(tmp, n) for n in ('in', 'out', 'err')]
    with open(paths[0], 'wb') as f:
        f.write(body or b'')
    acts = [(os.POSIX_SPAWN_OPEN, 0, paths[0], os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, paths[1],
             os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_OPEN, 2, paths[2],
             os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    pid = os.posix_spawn(argv[0], argv, env, file_actions=acts)
    _, status, ru = os.wait4(pid, 0)
    with open(paths[1], 'rb') as f:
        out = f.read()
    with open(paths[2], 'rb') as f:
        err = f.read()
    return Run(status, out, err, ru)


def which(name):
    p = shutil.which(name)
    if p is None:
        sys.exit('cost.py: %s is not installed (make deps)' % name)
    return p


VALGRIND = STRACE = None


def measure_ir(argv, env, body, tmp):
    out = os.path.join(tmp, 'callgrind.out')
    r = spawn([VALGRIND, '--tool=callgrind', '-q',
               '--callgrind-out-file=' + out] + argv, env, body, tmp)
    with open(out) as f:
        for line in f:
            if line.startswith(('summary:', 'totals:')):
                return r, int(line.split()[1])
    raise RuntimeError('no callgrind summary in ' + out)


def measure_sys(argv, env, body, tmp):
    out = os.path.join(tmp, 'strace.out')
    r = spawn([STRACE, '-f', '-c', '-o', out] + argv, env, body, tmp)
    with open(out) as f:
        for line in f:
            fields = line.split()
            if fields and fields[-1] == 'total':
                return r, int(fields[3])
    raise RuntimeError('no strace total in ' + out)


RUNSTAT = None
RUNSTAT_RE = re.compile(rb'\nrunstat maxrss_kib=(\d+) cpu_us=(\d+) '
                        rb'status=(\d+)(?: peak_kib=(\d+))?\n$')


def runstat(argv, env, body, tmp, mem=False):
    """Run argv under tests/bench/runstat: (run, peak RSS KiB, CPU us);
    mem: the peak RSS /proc gives at the exit (runstat -m), not wait4's."""
    r = spawn([RUNSTAT] + (['-m'] if mem else []) + argv, env, body, tmp)
    m = RUNSTAT_RE.search(r.err)
    if m is None or (mem and m.group(4) is None):
        raise RuntimeError('runstat: no report: %r' % r.err[-300:])
    r.err = r.err[:m.start()]
    return r, int(m.group(4 if mem else 1)), int(m.group(2))


def measure_rss(argv, env, body, tmp):
    # A page of the program counts once it is mapped, and a fault maps
    # the neighbours that are in the page cache (fault-around): read the
    # program first, or a run after its pages were evicted (a 100,000
    # record load does that) shows less.
    with open(argv[0], 'rb') as f:
        while f.read(1 << 20):
            pass
    r, rss, _ = runstat(argv, env, body, tmp, mem=True)
    return r, rss


MEASURES = (('Ir', measure_ir, 1), ('syscalls', measure_sys, 1),
            ('RSS KiB', measure_rss, 3))


# ---- data sets -----------------------------------------------------------

def manage(data_dir, *args):
    p = subprocess.run([MANAGE, '--data-dir', data_dir] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit('cost.py: hacgi-manage %s: %s' % (
            ' '.join(args), p.stderr.decode(errors='replace').strip()))
    return p.stdout.decode()


def name_uuid(data_dir, kind, name):
    """The uuid the name index gives name (lib/ha/layout.h)."""
    h = hashlib.sha256(name.encode()).hexdigest()
    with open(os.path.join(data_dir, 'ha', 'names',
                           '%s-%s.json' % (kind, h))) as f:
        return json.load(f)['uuid']


class DataSet:
    def __init__(self, n, root):
        self.n = n
        self.dir = os.path.join(root, 'n%d' % n)
        self.names = {}
        self.k = 0

    def build(self, log):
        d, n = self.dir, self.n
        os.mkdir(d, 0o700)
        manage(d, 'token', 'create', '--user', 'admin', '--project',
               PROJECT, '--roles', 'admin', '--token', TOKEN)
        steps = [
            ('segments', ['segment', 'populate', '--prefix', 's-',
                          '--count', str(n + 20)]),
            ('hosts', ['host', 'populate', '--segment', None, '--prefix',
                       'h-', '--count', str(n)]),
            ('hosts of segment s-2', ['host', 'populate', '--segment',
                                      None, '--prefix', 'g-', '--count',
                                      '20']),
            ('notifications', ['notification', 'populate', '--host', 'h-1',
                               '--prefix', 'p-', '--count', str(n),
                               '--status', 'finished']),
            ('clusters x 3 services', ['service', 'populate', '--prefix',
                                       'v-', '--count', str(n)]),
        ]
        for what, args in steps:
            if what == 'hosts':
                args[3] = name_uuid(d, 's', 's-1')
            elif what.startswith('hosts of'):
                args[3] = name_uuid(d, 's', 's-2')
            t = timed(lambda: manage(d, *args))
            log('N=%d: %s loaded in %.1f s (wall clock)' % (n, what, t))
        self.names = {
            'seg1': name_uuid(d, 's', 's-1'),
            'seg2': name_uuid(d, 's', 's-2'),
            'seg3': name_uuid(d, 's', 's-3'),
            # the markers leave 60 rows after them at every size, so
            # that a page holds as many rows at 100 as at 100,000 (in
            # the middle, a page at 100 held fewer than 100 rows)
            'seg_mid': name_uuid(d, 's', 's-61'),
            'host2': name_uuid(d, 'h', 'h-2'),
            'host3': name_uuid(d, 'h', 'h-3'),
            'host_mid': name_uuid(d, 'h', 'h-61'),
            'other_host': name_uuid(d, 'h', 'g-1'),
            'notif': next(f for f in os.listdir(os.path.join(
                d, 'ha', 'notifications')) if f.endswith('.json'))[:-5],
        }
        # deletes take s-4, s-5, ... (no hosts) and h-N, h-N-1, ...
        self.next_seg, self.next_host = 4, n
        # freezes take clusters v-c10@lvm, v-c11@lvm, ..., thaws those
        # frozen, in turn
        self.next_cl, self.frozen = 10, []

    def activate(self, log):
        t = timed(lambda: manage(self.dir, 'notification', 'populate',
                                 '--host', 'h-1', '--prefix', 'q-',
                                 '--count', str(self.n)))
        log('N=%d: %d active notifications loaded in %.1f s (wall clock)'
            % (self.n, self.n, t))

    def fill(self, text):
        self.k += 1
        names = dict(self.names, k=self.k,
                     odd='true' if self.k % 2 else 'false')
        if '{seg_del}' in text:
            names['seg_del'] = name_uuid(self.dir, 's',
                                         's-%d' % self.next_seg)
            self.next_seg += 1
        if '{cl}' in text:
            names['cl'] = self.next_cl
            self.frozen.append(self.next_cl)
            self.next_cl += 1
        if '{frozen}' in text:
            names['frozen'] = self.frozen.pop(0)
        if '{host_del}' in text:
            names['host_del'] = name_uuid(self.dir, 'h',
                                          'h-%d' % self.next_host)
            self.next_host -= 1
        return re.sub(r'\{(\w+)\}', lambda m: str(names[m.group(1)]),
                      text)


def timed(fn):
    import time
    t0 = time.monotonic()
    fn()
    return time.monotonic() - t0


# ---- the run -------------------------------------------------------------

def measure(ds, rq, tmp):
    """{measure name: value} for one request at one data set."""
    out = {}
    for name, fn, reps in MEASURES:
        vals = []
        for _ in range(reps):
            uri = ds.fill(rq.uri)
            body = ds.fill(rq.body).encode() if rq.body else None
            argv = [program(rq.api, uri)]
            env = cgi_env(ds.dir, rq.method, uri, body, rq.api)
            r, v = fn(argv, env, body, tmp)
            if r.http_status() != rq.status:
                sys.exit('cost.py: N=%d %s: %s %s answered %s, not %d: '
                         '%r %r' % (ds.n, rq.label, rq.method, uri,
                                    r.http_status(), rq.status, r.out[:300],
                                    r.err[-300:]))
            vals.append(v)
        out[name] = min(vals)
    return out


def fmt(v):
    if v >= 10_000_000:
        return '%.0fM' % (v / 1e6)
    if v >= 100_000:
        return '%.0fk' % (v / 1e3)
    return str(v)


def table(results, sizes, check, unbounded):
    lo, hi = sizes[0], sizes[-1]
    head = '%-32s' % 'request'
    for name, _, _ in MEASURES:
        head += ' | %9s %9s %6s' % ('%s@%s' % (name.split()[0], short(lo)),
                                    '@' + short(hi), 'ratio')
    lines = [head, '-' * len(head)]
    bad = []
    for label, per in results:
        row = '%-32s' % (label + (' *' if label in unbounded else ''))
        for name, _, _ in MEASURES:
            a, b = per[lo][name], per[hi][name]
            ratio = b / a if a else float('inf')
            row += ' | %9s %9s %6.2f' % (fmt(a), fmt(b), ratio)
            if check and label not in unbounded and ratio > check:
                bad.append('%s: %s grew %.2fx (%d -> %d)' % (
                    label, name, ratio, a, b))
        lines.append(row)
    lines.append('* a whole list (no limit in the API): printed, not '
                 'checked')
    return lines, bad


def short(n):
    return '%dk' % (n // 1000) if n >= 1000 and n % 1000 == 0 else str(n)


# ---- start-up cost -------------------------------------------------------

def build_runstat(tmp):
    exe = os.path.join(tmp, 'runstat')
    subprocess.check_call(['cc', '-O2', '-Wall', '-Wextra', '-Werror',
                           '-static', '-o', exe,
                           os.path.join(TOP, 'tests', 'bench', 'runstat.c')])
    return exe


def build_hello(tmp):
    out = {}
    src = os.path.join(TOP, 'tests', 'bench', 'hello.c')
    for kind, flags in (('static', ['-static']), ('dynamic', [])):
        exe = os.path.join(tmp, 'hello-' + kind)
        subprocess.check_call(['cc', '-O2'] + flags + ['-o', exe, src])
        out[kind] = exe
    return out


def start_table(ds, tmp, runs, other):
    """other: (label, cgi-bin) of another build to run beside, or None."""
    hello = build_hello(tmp)
    rows = [('hello CGI, static', [hello['static']], None, None),
            ('hello CGI, dynamic', [hello['dynamic']], None, None)]
    for label in ('segment show', 'Instance-HA version document',
                  'host show', 'notification show', 'heartbeat'):
        rq = next(r for r in requests() if r.label == label)
        rows.append((label, None, rq, None))
        if other is not None:
            rows.append(('%s (%s)' % (label, other[0]), None, rq, other[1]))
    lines = ['%-40s %10s %9s %11s %9s' % ('program (N=%d)' % ds.n,
                                          'Ir', 'vs hello', 'CPU us/run',
                                          'vs hello')]
    cases = []
    for label, argv, rq, cgi_bin in rows:
        if rq is not None:
            uri = ds.fill(rq.uri)
            body = ds.fill(rq.body).encode() if rq.body else None
            argv = [program(rq.api, uri, cgi_bin)]
            env = cgi_env(ds.dir, rq.method, uri, body, rq.api)
        else:
            body, env = None, cgi_env(ds.dir, 'GET', '/hello', None, 'ha')
        cases.append((label, argv, env, body, []))
    # round robin: a change of the machine's load hits every row alike
    for _ in range(runs):
        for _, argv, env, body, cpu in cases:
            cpu.append(runstat(argv, env, body, tmp)[2])
    base_ir = base_cpu = None
    for label, argv, env, body, cpu in cases:
        _, ir = measure_ir(argv, env, body, tmp)
        med = statistics.median(cpu)
        if base_ir is None:
            base_ir, base_cpu = ir, med
        lines.append('%-40s %10d %8.2fx %11.0f %8.2fx' % (
            label, ir, ir / base_ir, med, med / base_cpu))
    lines.append('CPU: median of %d runs each, in turns, user + system '
                 'from wait4 (moves with the load: compare within a run)'
                 % runs)
    return lines


def main():
    global VALGRIND, STRACE, RUNSTAT
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', default='100,100000')
    ap.add_argument('--check', type=float, default=None)
    ap.add_argument('--only', default=None,
                    help='regex: only the requests whose label matches')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--start-runs', type=int, default=0)
    ap.add_argument('--unbounded', action='append', default=None,
                    help='a request not checked (repeat; default: '
                    'UNBOUNDED)')
    ap.add_argument('--list-unbounded', action='store_true')
    ap.add_argument('--beside', nargs=2, metavar=('LABEL', 'CGI_BIN'),
                    help='start-up table: the programs of another build '
                    'too, run beside these')
    ap.add_argument('--tmp', default=os.environ.get('TMPDIR', '/tmp'))
    a = ap.parse_args()
    if a.list_unbounded:
        print('\n'.join(UNBOUNDED))
        return 0
    unbounded = set(UNBOUNDED if a.unbounded is None else a.unbounded)
    unknown = unbounded - {r.label for r in requests()}
    if unknown:
        sys.exit('cost.py: no such request: %s' % ', '.join(unknown))
    VALGRIND, STRACE = which('valgrind'), which('strace')
    sizes = sorted(int(s) for s in a.sizes.split(','))
    reqs = [r for r in requests()
            if a.only is None or re.search(a.only, r.label)]
    root = tempfile.mkdtemp(prefix='hacgi-cost.', dir=a.tmp)
    RUNSTAT = build_runstat(root)

    def log(msg):
        print('cost.py: ' + msg, file=sys.stderr, flush=True)

    start = None
    try:
        per = {}
        for n in sizes:
            ds = DataSet(n, root)
            ds.build(log)
            if a.start_runs and n == sizes[0]:
                start = start_table(ds, root, a.start_runs, a.beside)
            for phase in (1, 2):
                if phase == 2 and any(r.phase == 2 for r in reqs):
                    ds.activate(log)
                for rq in reqs:
                    if rq.phase == phase:
                        per.setdefault(rq.label, {})[n] = measure(
                            ds, rq, root)
                        log('N=%d: %s: %s' % (n, rq.label,
                                              per[rq.label][n]))
            if not a.keep:
                shutil.rmtree(ds.dir)
        results = [(r.label, per[r.label]) for r in reqs]
        lines, bad = table(results, sizes, a.check, unbounded)
        print('Cost of one request, direct exec, N = %s' %
              ' and '.join(str(s) for s in sizes))
        print('\n'.join(lines))
        if start is not None:
            print()
            print('\n'.join(start))
        if bad:
            print()
            print('\n'.join('cost.py: bounded request grew: ' + b
                            for b in bad))
            return 1
        return 0
    finally:
        if a.keep:
            log('kept ' + root)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
