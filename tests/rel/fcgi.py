"""tests/rel/fcgi.py: a FastCGI 1.0 client for the tests (rel.py, the
soak): start a program as a responder, the way lighttpd's bin-path and
Apache's mod_fcgid do (a listening socket as its fd 0), and send it
requests.

    r = Responder(path_to_program, env={...})   # started, listening
    out, err = r.request({'REQUEST_METHOD': 'GET', ...}, b'body')
    r.close()

out is the program's answer in the CGI form (Status:, headers, body),
err what it sent on FCGI_STDERR.  A responder answers one request at a
time on one connection; a request raises ConnectionError when the
responder died before answering.
"""
import os
import socket
import struct
import subprocess
import tempfile

VERSION = 1
BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR = \
    1, 2, 3, 4, 5, 6, 7
RESPONDER = 1
MAX = 65535


def record(rtype, rid, content=b''):
    pad = -len(content) % 8
    return struct.pack('>BBHHBx', VERSION, rtype, rid, len(content),
                       pad) + content + b'\0' * pad


def stream(rtype, rid, data):
    out = [record(rtype, rid, data[i:i + MAX])
           for i in range(0, len(data), MAX)]
    out.append(record(rtype, rid))
    return b''.join(out)


def pair_len(n):
    return bytes([n]) if n < 128 else struct.pack('>I', n | 0x80000000)


def params(env):
    out = b''
    for k, v in env.items():
        k = k.encode('latin-1') if isinstance(k, str) else k
        v = v.encode('utf-8', 'surrogateescape') if isinstance(v, str) \
            else v
        out += pair_len(len(k)) + pair_len(len(v)) + k + v
    return out


def recv_exact(s, n):
    buf = b''
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError('responder closed the connection')
        buf += chunk
    return buf


def exchange(addr, env, body=b'', timeout=60, rid=1):
    """One request on a new connection to addr (a Unix socket path):
    (stdout bytes, stderr bytes, app status)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(addr)
        s.sendall(record(BEGIN_REQUEST, rid,
                         struct.pack('>HB5x', RESPONDER, 0)) +
                  stream(PARAMS, rid, params(env)) +
                  stream(STDIN, rid, body or b''))
        out, err = [], []
        while True:
            ver, rtype, r, clen, pad = struct.unpack(
                '>BBHHBx', recv_exact(s, 8))
            content = recv_exact(s, clen + pad)[:clen]
            if rtype == STDOUT:
                out.append(content)
            elif rtype == STDERR:
                err.append(content)
            elif rtype == END_REQUEST:
                status = struct.unpack('>IB3x', content)[0]
                return b''.join(out), b''.join(err), status
    finally:
        s.close()


class Responder:
    """A program started as a FastCGI responder on a fresh Unix socket."""

    def __init__(self, program, env=None, wrap=None, stderr=None,
                 tmpdir=None):
        self.dir = tempfile.mkdtemp(prefix='fcgi.', dir=tmpdir)
        self.addr = os.path.join(self.dir, 'sock')
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.addr)
        self.listener.listen(16)
        self.proc = subprocess.Popen(
            (wrap or []) + [program], stdin=self.listener.fileno(),
            stdout=subprocess.DEVNULL,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
            env=env or {})
        self.requests = 0

    def request(self, env, body=b'', timeout=60):
        out, err, _ = exchange(self.addr, env, body, timeout)
        self.requests += 1
        return out, err

    def alive(self):
        return self.proc.poll() is None

    def close(self, sig=None):
        if self.proc.poll() is None:
            if sig is not None:
                self.proc.send_signal(sig)
            else:
                self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.listener.close()
        try:
            os.unlink(self.addr)
            os.rmdir(self.dir)
        except OSError:
            pass
        return self.proc.returncode
