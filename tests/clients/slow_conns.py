#!/usr/bin/python3
"""Slow clients (slowloris): hold N connections to each PORT on 127.0.0.1,
each sending the start of a request and then one more header line a
second, never the blank line that ends the headers.  A server without a
request-read timeout keeps a worker on each for as long as they trickle.

Writes READY (the number of connections open) once they are all open,
then trickles for SECONDS seconds (or until killed) and prints how many
connections the servers closed meanwhile.

usage: slow_conns.py N SECONDS READY PORT...
"""
import socket
import sys
import time


def open_all(n, ports):
    conns = []
    for port in ports:
        for _ in range(n):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
                s.sendall(b"GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                s.setblocking(False)
                conns.append(s)
            except OSError:
                pass
    return conns


def trickle(conns, seconds):
    closed = 0
    end = time.monotonic() + seconds
    while conns and time.monotonic() < end:
        time.sleep(1)
        alive = []
        for s in conns:
            try:
                s.send(b"X-Slow: 1\r\n")
                alive.append(s)
            except OSError:
                closed += 1
                s.close()
        conns = alive
    return closed


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    n, seconds, ready = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    conns = open_all(n, [int(p) for p in sys.argv[4:]])
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    print("closed by the servers: %d of %d"
          % (trickle(conns, seconds), len(conns)))


if __name__ == "__main__":
    main()
