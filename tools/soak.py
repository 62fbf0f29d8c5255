#!/usr/bin/env python3
"""tools/soak.py (make soak; a short run in tests/fastcgi_soak.bats): the
programs as FastCGI responders, one set of them (one responder per
program, started directly on a listening socket: tests/rel/fcgi.py)
answering N mixed requests in cycles: segment create, show, update,
host create, show, list, delete, segment delete, segment list, a
heartbeat, clusters detail, cluster show, os-services, notification
list, faults (400, 404), and a notification create in each of the
first NOTIFICATIONS cycles (never deleted: the data set stays the same
after them, before --warm).  Prints, and checks:

  - every answer has the status the cycle expects;
  - every responder's RSS after N requests within 10% (--rss-slack) of
    its RSS after the first 1,000 (--warm) requests (not under --wrap);
  - answers identical to CGI mode: every --compare-th read is also run
    as a CGI process on the same data, and the two answers compared
    (the request id aside);
  - --wrap 'valgrind ...': the responders run under it (the dynamically
    linked programs: --cgi-bin cgi-bin/dynamic), are stopped the way a
    server stops them (SIGUSR1) at the end, and must exit 0.

Exit status 1 on any failure.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
sys.path.insert(0, os.path.join(TOP, 'tests', 'rel'))
import fcgi  # noqa: E402

PROJECT = '0123456789abcdef0123456789abcdef'
TOKEN = 'soak-admin-token'
REQID = re.compile(rb'req-[0-9a-f-]{36}')
# Notifications are never deleted and a list shows them all: created in
# the first cycles only, or the lists (and the memory they need) would
# grow with the run.
NOTIFICATIONS = 20


class Soak:
    def __init__(self, args):
        self.args = args
        self.data = args.data_dir
        self.wrap = shlex.split(args.wrap) if args.wrap else []
        self.resp = {}
        self.n = 0
        self.failures = []
        self.rss_warm = {}
        self.compared = 0
        self.logdir = tempfile.mkdtemp(prefix='hacgi-soak.')

    def prog(self, name):
        return os.path.join(self.args.cgi_bin, name)

    def responder(self, name):
        r = self.resp.get(name)
        if r is None:
            log = open(os.path.join(self.logdir, name + '.log'), 'ab')
            r = self.resp[name] = fcgi.Responder(
                self.prog(name), env={'PATH': '/usr/bin:/bin'},
                wrap=self.wrap, stderr=log, tmpdir=self.logdir)
            log.close()
        return r

    def env(self, method, uri, body, vol):
        env = {'REQUEST_METHOD': method, 'REQUEST_URI': uri,
               'DATA_DIR': self.data, 'HTTP_HOST': '127.0.0.1',
               'HTTP_X_AUTH_TOKEN': TOKEN, 'GATEWAY_INTERFACE': 'CGI/1.1',
               'SERVER_PROTOCOL': 'HTTP/1.1',
               'CONTENT_LENGTH': str(len(body))}
        if body:
            env['CONTENT_TYPE'] = 'application/json'
        if vol:
            env['HTTP_OPENSTACK_API_VERSION'] = 'volume 3.7'
        return env

    def call(self, name, method, uri, body=None, want=200, compare=False):
        b = json.dumps(body).encode() if isinstance(body, dict) else \
            (body or b'')
        env = self.env(method, uri, b, name.startswith('vol-'))
        out, _ = self.responder(name).request(env, b, timeout=600)
        self.n += 1
        head, _, rest = out.partition(b'\r\n\r\n')
        st = int(head.split()[1]) if head.startswith(b'Status:') else 0
        if st != want:
            self.failures.append('#%d %s %s: %d, want %d: %r' % (
                self.n, method, uri, st, want, rest[:200]))
        if compare:
            self.compare(name, env, b, out)
        if self.n == self.args.warm:
            self.rss_warm = self.rss()
        return rest

    def compare(self, name, env, body, out):
        p = subprocess.run([self.prog(name)], input=body, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.compared += 1
        if REQID.sub(b'req-ID', p.stdout) != REQID.sub(b'req-ID', out):
            self.failures.append('#%d %s: FastCGI and CGI answers differ:'
                                 '\n  %r\n  %r' % (self.n, env['REQUEST_URI'],
                                                   out[:300],
                                                   p.stdout[:300]))

    def rss(self):
        out = {}
        for name, r in self.resp.items():
            pid = r.proc.pid
            if self.wrap:       # the program is valgrind's own process
                pid = r.proc.pid
            with open('/proc/%d/status' % pid) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        out[name] = int(line.split()[1])
        return out

    def cycle(self, i):
        cmp = self.args.compare and i % self.args.compare == 0
        seg = json.loads(self.call(
            'ha-segments', 'POST', '/v1/segments',
            {'segment': {'name': 'soak-%d' % i, 'recovery_method': 'auto',
                         'service_type': 'COMPUTE'}}, 201))['segment']['uuid']
        self.call('ha-segment', 'GET', '/v1/segments/' + seg, compare=cmp)
        self.call('ha-segment', 'PUT', '/v1/segments/' + seg,
                  {'segment': {'description': 'd%d' % i}})
        host = json.loads(self.call(
            'ha-hosts', 'POST', '/v1/segments/%s/hosts' % seg,
            {'host': {'name': 'h-%d' % i, 'type': 'COMPUTE',
                      'control_attributes': 'SSH'}}, 201))['host']['uuid']
        self.call('ha-host', 'GET', '/v1/segments/%s/hosts/%s' % (seg, host),
                  compare=cmp)
        self.call('ha-hosts', 'GET', '/v1/segments/%s/hosts' % seg,
                  compare=cmp)
        if i < NOTIFICATIONS:
            self.call('ha-notifications', 'POST', '/v1/notifications',
                      {'notification': {
                          'type': 'PROCESS', 'hostname': 'keep-h',
                          'generated_time': '2026-01-01T00:00:00',
                          'payload': {'process_name': 'p%d' % i,
                                      'event': 'STOPPED'}}}, 202)
        if i % 10 == 0:
            self.call('ha-notifications', 'GET', '/v1/notifications',
                      compare=cmp)
        self.call('ha-host', 'DELETE', '/v1/segments/%s/hosts/%s' % (
            seg, host), want=204)
        self.call('ha-segment', 'DELETE', '/v1/segments/' + seg, want=204)
        self.call('ha-segments', 'GET', '/v1/segments?limit=100',
                  compare=cmp)
        self.call('ha-segments', 'POST', '/v1/segments', b'{"segment": ',
                  want=400)
        self.call('ha-segment', 'GET', '/v1/segments/' + seg, want=404)
        self.call('vol-heartbeat', 'PUT', '/v3/os-hacgi-heartbeat',
                  {'service': {'host': 'soak%d@lvm' % (i % 20),
                               'binary': 'cinder-volume',
                               'cluster': 'c%d@lvm' % (i % 5)}})
        self.call('vol-clusters', 'GET', '/v3/%s/clusters/detail' % PROJECT,
                  compare=cmp)
        self.call('vol-services', 'GET', '/v3/%s/os-services' % PROJECT,
                  compare=cmp)
        self.call('vol-cluster', 'GET',
                  '/v3/%s/clusters/c0@lvm?binary=cinder-volume' % PROJECT,
                  compare=cmp)

    def stop(self):
        bad = []
        for name, r in self.resp.items():
            rc = r.close(signal.SIGUSR1)
            if rc != 0:
                log = os.path.join(self.logdir, name + '.log')
                with open(log, errors='replace') as f:
                    tail = f.read()[-3000:]
                bad.append('%s exited %r:\n%s' % (name, rc, tail))
        return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--requests', type=int, default=200000)
    ap.add_argument('--warm', type=int, default=1000)
    ap.add_argument('--rss-slack', type=float, default=0.10)
    ap.add_argument('--compare', type=int, default=100,
                    help='compare every Nth cycle with CGI (0: never)')
    ap.add_argument('--cgi-bin', default=os.path.join(TOP, 'cgi-bin'))
    ap.add_argument('--manage', default=os.path.join(TOP, 'bin',
                                                     'hacgi-manage'))
    ap.add_argument('--data-dir')
    ap.add_argument('--wrap', default='',
                    help='the responders run under this (valgrind ...)')
    args = ap.parse_args()
    tmp = None
    if args.data_dir is None:
        # fsync costs the disk, not the responders: a tmpfs if there is one
        base = '/dev/shm' if os.path.isdir('/dev/shm') else None
        tmp = args.data_dir = tempfile.mkdtemp(prefix='hacgi-soak.',
                                               dir=base)
    os.makedirs(args.data_dir, mode=0o700, exist_ok=True)
    os.chmod(args.data_dir, 0o700)
    subprocess.run([args.manage, '--data-dir', args.data_dir, 'token',
                    'create', '--user', 'admin', '--project', PROJECT,
                    '--roles', 'admin', '--token', TOKEN], check=True,
                   stdout=subprocess.DEVNULL)
    s = Soak(args)
    # the host notifications come from (in use from then on)
    keep = json.loads(s.call('ha-segments', 'POST', '/v1/segments', {
        'segment': {'name': 'keep', 'recovery_method': 'auto',
                    'service_type': 'COMPUTE'}}, 201))['segment']['uuid']
    s.call('ha-hosts', 'POST', '/v1/segments/%s/hosts' % keep,
           {'host': {'name': 'keep-h', 'type': 'COMPUTE',
                     'control_attributes': 'SSH'}}, 201)
    t0 = time.monotonic()
    i = 0
    try:
        while s.n < args.requests and len(s.failures) < 20:
            s.cycle(i)
            i += 1
        secs = time.monotonic() - t0
        rss = s.rss()
    finally:
        bad = s.stop()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print('soak: %d requests (%d cycles) through %d responders in %.1f s '
          '(%.0f/s)%s' % (s.n, i, len(rss), secs, s.n / secs,
                          ' under ' + args.wrap if args.wrap else ''))
    print('soak: %d answers compared with CGI mode' % s.compared)
    print('%-18s %12s %12s %8s' % ('responder', 'RSS@%d' % args.warm,
                                   'RSS@%d' % s.n, 'growth'))
    for name in sorted(rss):
        w = s.rss_warm.get(name)
        g = (rss[name] - w) / w if w else 0.0
        print('%-18s %9s KiB %9d KiB %+7.1f%%' % (
            name, w if w else '-', rss[name], 100 * g))
        # under a checker the RSS is the checker's (memcheck keeps freed
        # blocks in quarantine): its own report says what leaked
        if w and g > args.rss_slack and not args.wrap:
            s.failures.append('%s: RSS grew %.1f%% (%d -> %d KiB)' % (
                name, 100 * g, w, rss[name]))
    s.failures += bad
    for f in s.failures:
        print('FAIL ' + f)
    print('soak: %s' % ('ok' if not s.failures else
                        '%d failure(s)' % len(s.failures)))
    shutil.rmtree(s.logdir, ignore_errors=True)
    return 1 if s.failures else 0


if __name__ == '__main__':
    sys.exit(main())
