#!/usr/bin/python3
"""openstacksdk (conn.instance_ha) against hacgi's hosts and notifications:
create a segment and N hosts, page through them with limit=10, show,
update, filter; send a notification, list and show it; see the in-use
409 on a host delete until MANAGE marks the notification finished; then
delete the segment and see its hosts gone.

usage: sdk_hosts.py URL TOKEN N MANAGE DATA_DIR
Prints one line per step; exit status 0 when every check held.
"""
import subprocess
import sys

import openstack
from openstack import exceptions


def connect(url, token):
    return openstack.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": url + "/v1", "token": token},
        instance_ha_endpoint_override=url + "/v1",
    )


def check(ok, what):
    print(("ok " if ok else "FAIL ") + what)
    if not ok:
        sys.exit(1)


def hosts_part(ha, seg, n):
    made = set()
    for i in range(n):
        h = ha.create_host(seg, name="sdk-h%02d" % i, type="COMPUTE",
                           control_attributes="SSH",
                           on_maintenance=(i == 0))
        made.add(h.uuid)
    seen = [h.uuid for h in ha.hosts(seg, limit=10)]
    print("created %d, listed %d, distinct %d" % (len(made), len(seen),
                                                 len(set(seen))))
    check(set(seen) == made and len(seen) == n, "hosts paged with limit=10")
    maint = [h.name for h in ha.hosts(seg, on_maintenance=True)]
    check(maint == ["sdk-h00"], "hosts filtered by on_maintenance")
    one = ha.get_host(seen[-1], segment_id=seg)
    check(one.name == "sdk-h00" and one.failover_segment_id == seg,
          "host shown by uuid")
    ha.update_host(one.uuid, seg, on_maintenance=False, reserved=True)
    again = ha.get_host(one.uuid, segment_id=seg)
    check(again.reserved is True and again.on_maintenance is False,
          "host updated")
    return again


def notifications_part(ha, host):
    n = ha.create_notification(
        type="COMPUTE_HOST", hostname=host.name,
        generated_time="2024-01-01T00:00:00",
        payload={"event": "STOPPED", "host_status": "NORMAL",
                 "cluster_status": "OFFLINE"})
    check(n.status == "new" and n.source_host_uuid == host.uuid,
          "notification created")
    listed = [x.notification_uuid for x in
              ha.notifications(source_host_uuid=host.uuid)]
    check(listed == [n.notification_uuid], "notifications filtered by host")
    shown = ha.get_notification(n.notification_uuid)
    check(shown.payload["event"] == "STOPPED", "notification shown")
    try:
        ha.create_notification(
            type="COMPUTE_HOST", hostname=host.name,
            generated_time="2024-01-01T00:01:00",
            payload={"event": "STOPPED", "host_status": "NORMAL",
                     "cluster_status": "OFFLINE"})
        check(False, "duplicate notification refused")
    except exceptions.ConflictException as e:
        check("is duplicate" in str(e), "duplicate notification refused")
    return n


def in_use_part(ha, seg, host, notif, manage, data_dir):
    try:
        ha.delete_host(host.uuid, seg, ignore_missing=False)
        check(False, "host delete refused while in use")
    except exceptions.ConflictException as e:
        check("in-use" in str(e), "host delete refused while in use")
    subprocess.run([manage, "--data-dir", data_dir, "notification",
                    "set-status", notif.notification_uuid, "finished"],
                   check=True)
    ha.delete_host(host.uuid, seg, ignore_missing=False)
    check(ha.get_notification(notif.notification_uuid).status == "finished",
          "host deleted once the notification finished")


def main():
    url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    manage, data_dir = sys.argv[4], sys.argv[5]
    ha = connect(url, token).instance_ha
    seg = ha.create_segment(name="sdk-seg", recovery_method="auto",
                            service_type="COMPUTE").uuid
    host = hosts_part(ha, seg, n)
    notif = notifications_part(ha, host)
    in_use_part(ha, seg, host, notif, manage, data_dir)
    left = len(list(ha.hosts(seg, limit=10)))
    check(left == n - 1, "%d hosts left" % left)
    ha.delete_segment(seg, ignore_missing=False)
    try:
        list(ha.hosts(seg))
        check(False, "hosts gone with their segment")
    except exceptions.ResourceNotFound:
        check(True, "hosts gone with their segment")
    return 0


if __name__ == "__main__":
    sys.exit(main())
