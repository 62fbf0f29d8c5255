#!/usr/bin/python3
"""openstacksdk against hacgi's Instance-HA API: create N segments, page
through them with limit=10 (the SDK follows markers), check it saw each
segment once, show, update and delete one; the segments it made are
deleted again however it ends.  Works on a store that already holds
segments (they are listed too, and left alone).

usage: sdk_segments.py URL TOKEN N
       sdk_segments.py --cloud NAME N
The second form logs in as the clouds.yaml entry NAME says (Keystone,
the endpoint from the catalog: tests/keystone.bats).
"""
import os
import sys

import openstack


def connect(url, token):
    return openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": url + "/v1", "token": token},
        instance_ha_endpoint_override=url + "/v1",
    )


def main():
    if sys.argv[1] == "--cloud":
        conn = openstack.connect(cloud=sys.argv[2])
    else:
        conn = connect(sys.argv[1], sys.argv[2])
    n = int(sys.argv[3])
    before = set(s.uuid for s in conn.instance_ha.segments(limit=10))
    tag = os.urandom(4).hex()
    made = set()
    try:
        return run(conn, before, made, tag, n)
    finally:
        for uuid in made:
            conn.instance_ha.delete_segment(uuid, ignore_missing=True)


def run(conn, before, made, tag, n):
    for i in range(n):
        seg = conn.instance_ha.create_segment(
            name="sdk-%s-%02d" % (tag, i), recovery_method="auto",
            service_type="COMPUTE")
        made.add(seg.uuid)
    # the SDK pages with marker = the last integer id (divergence 5 also
    # takes uuids); the segment's uuid names it in a URL
    seen = [s.uuid for s in conn.instance_ha.segments(limit=10)]
    print("created %d, listed %d (%d before), distinct %d"
          % (len(made), len(seen), len(before), len(set(seen))))
    if set(seen) != made | before or len(seen) != len(set(seen)):
        return 1
    one = conn.instance_ha.get_segment(sorted(made)[0])
    print("shown %s" % one.name)
    # a Segment object's id is the integer id, so name segments by uuid
    conn.instance_ha.update_segment(one.uuid, description="via sdk")
    if conn.instance_ha.get_segment(one.uuid).description != "via sdk":
        return 1
    conn.instance_ha.delete_segment(one.uuid, ignore_missing=False)
    made.discard(one.uuid)
    left = set(s.uuid for s in conn.instance_ha.segments(limit=10))
    print("after delete %d" % len(left))
    return 0 if left == made | before else 1


if __name__ == "__main__":
    sys.exit(main())
