"""tools/routes.py: which program serves a path, from tools/routes.tsv
(the table lib/http/route.c and the server configs follow).  Shared by
tools/cost.py and tests/rel/rel.py, which run the programs directly."""

import os
import re

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


def load_routes():
    """[(api, compiled path regex, program name)] in table order."""
    routes = []
    with open(os.path.join(TOP, 'tools', 'routes.tsv')) as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            api, regex, prog = line.rstrip('\n').split('\t')
            routes.append((api, re.compile(regex), prog))
    return routes


ROUTES = load_routes()


def program(api, uri, cgi_bin):
    """The program under cgi_bin serving uri of api ('ha', 'vol' or
    'volume'); ValueError when none does."""
    path = uri.split('?', 1)[0]
    api = {'vol': 'volume'}.get(api, api)
    for a, rx, prog in ROUTES:
        if a == api and rx.match(path):
            return os.path.join(cgi_bin, prog)
    raise ValueError(uri)
