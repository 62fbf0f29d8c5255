#!/usr/bin/python3
"""Fill a freshly bootstrapped Keystone for tests/keystone*.bats, in one
process (an openstack command per step would take a second each): the
service role, projects, users with their roles, and both hacgi APIs in
the catalog.  Prints shell assignments (name=value) for the suite.

usage: ks_setup.py AUTH_URL ADMIN_PASSWORD HA_URL VOLUME_URL PASSWORD \
    SERVICE_PASSWORD

Projects: hacgi-demo (the suite's project), hacgi-other, service.
Users (password PASSWORD): ks-admin (admin on hacgi-demo; Keystone's
implied roles add member and reader), ks-member (member), ks-reader
(reader), ks-service (service), ks-other (admin on hacgi-other), hacgi
(service on service: hacgi's own service user, password
SERVICE_PASSWORD) and ks-domain (admin on
the Default domain only: domain-scoped tokens).
"""
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client



def main():
    auth_url, admin_pw, ha_url, vol_url, pw, svc_pw = sys.argv[1:7]
    auth = v3.Password(auth_url=auth_url, username="admin",
                       password=admin_pw, project_name="admin",
                       user_domain_id="default", project_domain_id="default")
    ks = client.Client(session=session.Session(auth=auth))
    # a fresh Keystone: bootstrap made admin, member and reader
    roles = {r.name: r for r in ks.roles.list()}
    roles["service"] = ks.roles.create(name="service")
    projects = {p: ks.projects.create(name=p, domain="default")
                for p in ("hacgi-demo", "hacgi-other", "service")}
    users = (("ks-admin", "admin", "hacgi-demo"),
             ("ks-member", "member", "hacgi-demo"),
             ("ks-reader", "reader", "hacgi-demo"),
             ("ks-service", "service", "hacgi-demo"),
             ("ks-other", "admin", "hacgi-other"),
             ("hacgi", "service", "service"))
    for name, role, project in users:
        u = ks.users.create(name=name, domain="default",
                            password=svc_pw if name == "hacgi" else pw)
        ks.roles.grant(roles[role], user=u, project=projects[project])
    u = ks.users.create(name="ks-domain", domain="default", password=pw)
    ks.roles.grant(roles["admin"], user=u, domain="default")
    catalog = (("masakari", "instance-ha", ha_url + "/v1"),
               ("cinderv3", "volumev3", vol_url + "/v3/%(project_id)s"),
               ("cinder", "block-storage", vol_url + "/v3/%(project_id)s"))
    for name, stype, url in catalog:
        svc = ks.services.create(name=name, type=stype,
                                 description="hacgi " + stype)
        for iface in ("public", "internal"):
            ks.endpoints.create(service=svc, url=url, interface=iface,
                                region="RegionOne")
    print("KS_PROJECT=%s" % projects["hacgi-demo"].id)
    print("KS_OTHER_PROJECT=%s" % projects["hacgi-other"].id)


if __name__ == "__main__":
    main()
