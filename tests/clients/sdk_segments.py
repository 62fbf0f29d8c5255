#!/usr/bin/python3
"""openstacksdk against hacgi's Instance-HA API: create N segments, page
through them with limit=10 (the SDK follows markers), check it saw all.

usage: sdk_segments.py URL TOKEN N
"""
import sys

import openstack


def connect(url, token):
    return openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": url + "/v1", "token": token},
        instance_ha_endpoint_override=url + "/v1",
    )


def main():
    url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = connect(url, token)
    made = set()
    for i in range(n):
        seg = conn.instance_ha.create_segment(
            name="sdk-%02d" % i, recovery_method="auto",
            service_type="COMPUTE")
        made.add(seg.uuid)
    # the SDK pages with marker = the last integer id (divergence 5 also
    # takes uuids); the segment's uuid names it in a URL
    seen = [s.uuid for s in conn.instance_ha.segments(limit=10)]
    print("created %d, listed %d, distinct %d" % (len(made), len(seen),
                                                 len(set(seen))))
    if set(seen) != made or len(seen) != len(made):
        return 1
    one = conn.instance_ha.get_segment(seen[0])
    print("shown %s" % one.name)
    # a Segment object's id is the integer id, so name segments by uuid
    conn.instance_ha.update_segment(one.uuid, description="via sdk")
    if conn.instance_ha.get_segment(one.uuid).description != "via sdk":
        return 1
    conn.instance_ha.delete_segment(one.uuid, ignore_missing=False)
    left = len(list(conn.instance_ha.segments(limit=10)))
    print("after delete %d" % left)
    return 0 if left == n - 1 else 1


if __name__ == "__main__":
    sys.exit(main())
