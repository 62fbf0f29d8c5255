#!/usr/bin/env python3
"""tests/fuzz/mkcorpus.py: (re)write the seed corpus tests/fuzz/corpus/
from the reference transcripts (tests/reference/*/corpus.jsonl) plus a
few hand-written hostile inputs.  Run it when the transcripts change;
tools/fuzz.sh --merge adds what fuzzing finds."""
import hashlib
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, '..', 'reference')
OUT = os.path.join(HERE, 'corpus')


def transcripts(api, name='corpus.jsonl'):
    with open(os.path.join(REF, api, name)) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def body_bytes(body):
    if body is None:
        return b''
    if isinstance(body, str):
        return body.encode('utf-8', 'surrogateescape')
    return json.dumps(body).encode()


def put(name, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    h = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, h), 'wb') as f:
        f.write(data)


def req_seed(api, t):
    hdr = {k.lower(): v for k, v in t.get('headers', {}).items()}
    lines = ['P=%s' % ('vol' if api == 'cinder' else 'ha'),
             'M=%s' % t['method'], 'U=%s' % t['path']]
    keys = (('content-type', 'C'), ('openstack-api-version', 'V'),
            ('accept', 'A'), ('x-auth-token', 'T'))
    for k, letter in keys:
        if k in hdr and isinstance(hdr[k], str) and '\n' not in hdr[k]:
            lines.append('%s=%s' % (letter, hdr[k]))
    if 'x-auth-token' not in hdr:
        lines.append('T=-')
    return ('\n'.join(lines) + '\n\n').encode('utf-8', 'surrogateescape') + \
        body_bytes(t.get('body'))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    seen_mv, seen_q = set(), set()
    for api in ('masakari', 'cinder'):
        for t in transcripts(api):
            put('req', req_seed(api, t))
            b = body_bytes(t.get('body'))
            if b and api == 'masakari':
                put('valid', b)
            v = {k.lower(): v for k, v in t.get('headers', {}).items()}.get(
                'openstack-api-version')
            if isinstance(v, str) and v not in seen_mv:
                seen_mv.add(v)
                put('mv', v)
            if '?' in t['path']:
                q = t['path'].split('?', 1)[1]
                if q not in seen_q:
                    seen_q.add(q)
                    put('query', b'\x00' + q.encode())
    for t in transcripts('cinder', 'corpus-services.jsonl'):
        put('req', req_seed('cinder', t))
        if t.get('body'):
            put('valid', body_bytes(t.get('body')))
    # hostile requests: traversal, NUL, httpoxy, huge lengths
    for u in ('/v1/segments/..%2f..%2ftokens', '/v1/segments/%00',
              '/v1/segments/../../etc/passwd', '/v1/segments/%2e%2e',
              '/v1//segments', '/v1/x/segments/y/hosts/z/extra',
              '/v3/clusters/..%2Fx', '/v1/segments/a%ZZb'):
        put('req', 'P=ha\nM=GET\nU=%s\n\n' % u)
        put('req', 'P=vol\nM=GET\nU=%s\n\n' % u.replace('/v1', '/v3'))
    put('req', 'P=ha\nM=POST\nU=/v1/segments\nX=http://evil:1/\nL=99999999'
        '\n\n{}')
    put('req', 'P=ha\nM=POST\nU=/v1/segments?X-Auth-Token=admin:admin\n'
        'T=-\n\n{}')
    put('req', 'P=vol\nM=PUT\nU=/v3/os-hacgi-heartbeat\nC=application/json'
        '\n\n{"host": "h@b", "binary": "cinder-volume", "cluster": "c"}')
    for v in ('instance-ha 1.2', 'volume 3.70', 'instance-ha latest, x 1',
              'volume 03.7', 'INSTANCE-HA 1.1,', ' , ,volume  3.7  ',
              'volume 99999999999999999999.1', 'instance-ha 1.' + '9' * 40):
        put('mv', v)
    for q in ('limit=1&marker=1&sort_key=name&sort_dir=asc',
              'limit=%20+1_0&page_size=-0', 'sort_key=payload&sort_dir=desc'
              '&sort_key=enabled', 'marker=1e0&limit=2', '%ff%fe=%c3&&=',
              'limit=1_000_000_000_000_000_000_000'):
        put('query', b'\x00' + q.encode())
        put('query', b'\x03' + q.encode())
    tok = ('{"tokens": [{"sha256": "%s", "user": "u", "project": "p", '
           '"roles": ["admin"]}]}' % hashlib.sha256(b'tok').hexdigest())
    for t, pol in ((tok, '{"os_masakari_api:segments:index": []}'),
                   (tok, '{"clusters:update": ["admin", 5]}'),
                   (tok, 'not json'), ('{"tokens": {}}', ''),
                   ('{"tokens": [{"sha256": 5}]}', '[]'), ('', '')):
        put('auth', b'tok\n' + t.encode() + b'\x00' + pol.encode())
    svc = ('{"seq": 1, "host": "h1@lvm", "binary": "cinder-volume", '
           '"cluster": "c1@lvm", "zone": "nova", "disabled": false, '
           '"disabled_reason": null, "heartbeat": '
           '"2024-01-01T00:00:00.000000", "created_at": '
           '"2024-01-01T00:00:00.000000", "modified_at": null}\n')
    cl = ('{"seq": 1, "name": "c1@lvm", "binary": "cinder-volume", '
          '"disabled": false, "disabled_reason": null, '
          '"replication_status": "not-capable", "frozen": false, '
          '"active_backend_id": null, "created_at": '
          '"2024-01-01T00:00:00.000000", "updated_at": null}\n')
    for s, c in ((svc, cl), (svc + '{"seq": 1, "removed": true}\n', cl),
                 (svc + svc[:40], cl), ('', cl + cl), (svc, '')):
        put('volj', s.encode() + b'\x00' + c.encode())
    for s, c in volj_actions(svc, cl):
        put('volj', s.encode() + b'\x00' + c.encode())


def volj_actions(svc, cl):
    """Records the os-services actions write (lib/vol/volsvc.h): a cluster
    listing a member, a service with its own values."""
    members = cl[:-2] + (', "members": {"h1@lvm": {"replication_status": '
                         '"failed-over", "frozen": true, '
                         '"active_backend_id": "b1"}, "x": {"a": [1, '
                         '{"}": "]"}]}}}\n')
    own = svc.replace('"cluster": "c1@lvm"', '"cluster": null')[:-2] + \
        (', "replication_status": "enabled", "frozen": true, '
         '"active_backend_id": null}\n')
    return ((svc, members), (own, cl), (own + svc, members),
            (svc, members[:-30] + '\n'))


if __name__ == '__main__':
    main()
