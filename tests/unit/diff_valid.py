#!/usr/bin/python3
"""tests/unit/diff_valid.py: differential test of lib/ha/valid.c against the
reference's own validator: jsonschema (Draft 4, as masakari 14.0.3 sets
it up: its format checkers and message shaping) with the masakari
schemas, on random bodies.

usage: diff_valid.py TEST_VALID_BINARY DESCRIPTION_PATTERN_FILE [SEED [N]]

Needs python3-jsonschema (4.10, Debian 12 like the reference) and
python3-iso8601; tests/unit/run.sh runs it only when they are there.
Last line: "N passed, N failed".
"""
import copy, datetime, json, random, re, subprocess, sys, unicodedata, uuid
import jsonschema, iso8601
from jsonschema import exceptions as jexc

def _is_printable(char):
    c = unicodedata.category(char)
    return not c.startswith("C") and (not c.startswith("Z") or c == "Zs")
def rng(ws=True, invert=False):
    regex = ""; in_range = False; last = None; last_added = None
    def ok(ch):
        r = _is_printable(ch) if ws else (_is_printable(ch) and unicodedata.category(ch) != "Zs")
        return (not r) if invert else r
    for c in (chr(i) for i in range(0xFFFF)):
        if ok(c):
            if not in_range:
                regex += re.escape(c); last_added = c
            in_range = True
        else:
            if in_range and last != last_added: regex += "-" + re.escape(last)
            in_range = False
        last = c
    else:
        if in_range: regex += "-" + re.escape(c)
    return regex
NAME_RE = '^(?![%s])[%s]*(?<![%s])$' % (rng(False, True), rng(), rng(False, True))
DESC_RE = eval(open(sys.argv[2], encoding='utf-8').read())
class InvalidName(Exception):
    pass
name = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'format': 'name'}
description = {'type': ['string', 'null'], 'minLength': 0, 'pattern': DESC_RE}
typ = {'type': ['string', 'null'], 'minLength': 0, 'maxLength': 255, 'pattern': '^[a-zA-Z0-9]*$'}
boolean = {'type': ['boolean', 'string'], 'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']}
hostname = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': '^[a-zA-Z0-9-._]*$'}
payload = {'type': 'object', 'patternProperties': {'^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}}, 'additionalProperties': False}
seg = {'type': 'object', 'properties': {'segment': {'type': 'object', 'properties': {'name': name, 'description': description, 'recovery_method': {'type': 'string', 'enum': ["auto", "reserved_host", "auto_priority", "rh_priority"]}, 'service_type': name}, 'additionalProperties': False}}, 'required': ['segment'], 'additionalProperties': False}
seg_c = copy.deepcopy(seg); seg_c['properties']['segment']['required'] = ['name', 'recovery_method', 'service_type']
seg_c12 = copy.deepcopy(seg_c); seg_c12['properties']['segment']['properties']['enabled'] = boolean
seg_u = copy.deepcopy(seg); seg_u['properties']['segment']['anyOf'] = [{'required': [k]} for k in ['name', 'description', 'recovery_method', 'service_type']]
seg_u12 = copy.deepcopy(seg_u); seg_u12['properties']['segment']['properties']['enabled'] = boolean; seg_u12['properties']['segment']['anyOf'].append({'required': ['enabled']})
host = {'type': 'object', 'properties': {'host': {'type': 'object', 'properties': {'name': name, 'type': typ, 'control_attributes': description, 'reserved': boolean, 'on_maintenance': boolean}, 'additionalProperties': False}}, 'required': ['host'], 'additionalProperties': False}
host_c = copy.deepcopy(host); host_c['properties']['host']['required'] = ['name', 'type', 'control_attributes']
host_u = copy.deepcopy(host); host_u['properties']['host']['anyOf'] = [{'required': [k]} for k in ['name', 'type', 'control_attributes', 'reserved', 'on_maintenance']]
notif = {'type': 'object', 'properties': {'notification': {'type': 'object', 'properties': {'type': {'type': 'string', 'enum': ('COMPUTE_HOST', 'VM', 'PROCESS')}, 'hostname': hostname, 'generated_time': {'type': 'string', 'format': 'date-time'}, 'payload': payload}, 'required': ['type', 'hostname', 'generated_time', 'payload'], 'additionalProperties': False}}, 'required': ['notification'], 'additionalProperties': False}
EV = ('STARTED', 'STOPPED')
ch = {'type': 'object', 'properties': {'host_status': {'enum': ('NORMAL', 'UNKNOWN'), 'type': 'string'}, 'cluster_status': {'enum': ('ONLINE', 'OFFLINE'), 'type': 'string'}, 'event': {'enum': EV, 'type': 'string'}}, 'required': ['event'], 'additionalProperties': False}
proc = {'type': 'object', 'properties': {'process_name': {'type': 'string', 'minLength': 1, 'maxLength': 4096}, 'event': {'enum': EV, 'type': 'string'}}, 'required': ['process_name', 'event'], 'additionalProperties': False}
vm = {'type': 'object', 'properties': {'instance_uuid': {'type': 'string', 'format': 'uuid'}, 'vir_domain_event': {'type': 'string', 'minLength': 1, 'maxLength': 255}, 'event': {'type': 'string', 'minLength': 1, 'maxLength': 255}}, 'required': ['instance_uuid', 'vir_domain_event', 'event'], 'additionalProperties': False}

fc = jsonschema.FormatChecker()
class FC(jsonschema.FormatChecker):
    def check(self, instance, format):
        if format not in self.checkers: return
        func, raises = self.checkers[format]
        result, cause = None, None
        try: result = func(instance)
        except raises as e: cause = e
        if not result:
            raise jexc.FormatError("%r is not a %r" % (instance, format), cause=cause)
def dt(i):
    try: iso8601.parse_date(i)
    except Exception: return False
    return True
def uuid_like(val):
    try:
        return str(uuid.UUID(val)).replace('-', '') == val.replace('urn:', '').replace('uuid:', '').strip('{}').replace('-', '').lower()
    except (TypeError, ValueError, AttributeError):
        return False
def nm(i):
    try:
        if re.search(NAME_RE, i): return True
    except TypeError: pass
    raise InvalidName()
fmt = FC(formats=())
fmt.checks('date-time')(dt); fmt.checks('uuid')(uuid_like); fmt.checks('name', InvalidName)(nm)
def validate(schema, body):
    v = jsonschema.Draft4Validator(schema, format_checker=fmt)
    try:
        v.validate(body)
    except jsonschema.ValidationError as ex:
        if isinstance(ex.cause, InvalidName):
            return "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."
        if len(ex.path) > 0:
            return "Invalid input for field/attribute %s. Value: %s. %s" % (ex.path.pop(), ex.instance, ex.message)
        return ex.message
    except TypeError as ex:
        return str(ex)
    return None
DIV6 = ["Invalid input for field/attribute %s. Value: None. None is not of "
        "type 'string'" % f for f in ("type", "control_attributes")]


def norm(m):
    """jsonschema 4.10 lists several extra keys in set order; hacgi sorts"""
    if m is None: return m
    def srt(mo):
        items = re.findall(r"'(?:[^'\\]|\\.)*'|\"[^\"]*\"", mo.group(1))
        return '(' + ', '.join(sorted(items)) + ' ' + mo.group(2)
    m = re.sub(r"\((.*) (were unexpected\))$", srt, m)
    return m

random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
STRS = ['', 'a', 'auto', 'COMPUTE', ' x', 'x ', 'a\n', '\n', 'a\tb', 'x' * 256, 'é' * 255, '2024-01-01T00:00:00', 'yesterday', 'true', 'No', 'maybe', 'STARTED', 'NORMAL', 'ONLINE', 'VM', 'PROCESS', 'COMPUTE_HOST', 'h-1.a_b', 'a b', "it's", '0123456789abcdef0123456789abcdef', '\U0001f600', '\u200b']
def scalar():
    return random.choice([None, True, False, 0, 1, 2, 1.5, -3, random.choice(STRS), random.choice(STRS), random.choice(STRS), [], {}, ['a'], {'a': 1}])
SEGK = ['name', 'description', 'recovery_method', 'service_type', 'enabled', 'foo', 'id']
HOSTK = ['name', 'type', 'control_attributes', 'reserved', 'on_maintenance', 'foo', 'zz']
NK = ['type', 'hostname', 'generated_time', 'payload', 'x']
PK = ['event', 'host_status', 'cluster_status', 'process_name', 'instance_uuid', 'vir_domain_event', 'a b', '%', '', 'k\n', 'x' * 256]
def obj(keys, n):
    return {k: scalar() for k in random.sample(keys, random.randint(0, n))}
def good_seg():
    return {'name': 'seg', 'recovery_method': 'auto', 'service_type': 'C'}
def gen():
    kind = random.choice(['seg_create', 'seg_update', 'host_create', 'host_update', 'notif_create'])
    minor = random.randint(0, 2)
    r = random.random()
    if kind.startswith('seg'):
        inner = obj(SEGK, 4)
        if random.random() < 0.4:
            g = good_seg(); g.update(inner); inner = g
        w = 'segment'
    elif kind.startswith('host'):
        inner = obj(HOSTK, 4)
        if random.random() < 0.4:
            g = {'name': 'h', 'type': 'C', 'control_attributes': 'x'}; g.update(inner); inner = g
        w = 'host'
    else:
        inner = {'type': random.choice(['COMPUTE_HOST', 'VM', 'PROCESS', scalar()]), 'hostname': random.choice(['h', scalar()]), 'generated_time': random.choice(['2024-01-01', scalar()]), 'payload': random.choice([{k: random.choice(['STARTED', 'NORMAL', 'ONLINE', 'p', '0123456789abcdef0123456789abcdef', scalar()]) for k in random.sample(PK, random.randint(0, 4))}, scalar()])}
        for k in list(inner):
            if random.random() < 0.15: del inner[k]
        if random.random() < 0.1: inner['x'] = 1
        w = 'notification'
    if r < 0.05: body = scalar()
    elif r < 0.1: body = {}
    elif r < 0.15: body = {w: scalar()}
    else: body = {w: inner}
    if random.random() < 0.05 and isinstance(body, dict): body['zz'] = 1
    return kind, minor, body
def expect(kind, minor, body):
    if kind == 'seg_create': return validate(seg_c12 if minor >= 2 else seg_c, body)
    if kind == 'seg_update': return validate(seg_u12 if minor >= 2 else seg_u, body)
    if kind == 'host_create': return validate(host_c, body)
    if kind == 'host_update': return validate(host_u, body)
    m = validate(notif, body)
    if m is not None: return m
    n = body['notification']
    s = {'COMPUTE_HOST': ch, 'VM': vm, 'PROCESS': proc}[n['type']]
    return validate(s, n['payload'])
cases = [gen() for _ in range(int(sys.argv[4]) if len(sys.argv) > 4 else 20000)]
lines = ''.join('%s\t%d\t%s\n' % (k, m, json.dumps(b).encode().hex()) for k, m, b in cases)
out = subprocess.run([sys.argv[1], '--corpus'], input=lines.encode(), capture_output=True).stdout.decode().splitlines()
passed = failed = 0
for (k, m, b), o in zip(cases, out):
    e = expect(k, m, b)
    got = json.loads(o)
    if norm(e) == norm(got):
        passed += 1
    elif e is None and k.startswith('host') and got in DIV6:
        passed += 1     # divergence 6: null type/control_attributes
    else:
        failed += 1
        print('FAIL', k, '1.%d' % m, json.dumps(b)[:200],
              '\n  jsonschema: %r\n  hacgi:      %r' % (e, got))
failed += len(cases) - len(out)


def gen_ts():
    """timestamp-like strings, mutated (SPEC 4.6 grammar)"""
    s = "%04d" % random.randint(0, 9999)
    s += random.choice(["-%d" % random.randint(0, 13),
                        "-%02d" % random.randint(0, 13),
                        "%02d" % random.randint(0, 13), ""])
    s += random.choice(["-%d" % random.randint(0, 32),
                        "-%02d" % random.randint(0, 32),
                        "%02d" % random.randint(0, 32), ""])
    if random.random() < 0.7:
        s += random.choice("T ") + "%02d" % random.randint(0, 25)
        for _ in range(2):
            s += random.choice([":%02d" % random.randint(0, 61),
                                "%02d" % random.randint(0, 61), "",
                                ":%d" % random.randint(0, 9)])
        s += random.choice(["", ".123", "," + "9" * random.randint(1, 9)])
        s += random.choice(["", "Z", "+01:00", "-0530", "+23", "-23:59",
                            "+24:00", "+05:", "+1"])
    if random.random() < 0.1:
        s += "\n"
    for _ in range(random.randint(0, 2)):
        i = random.randrange(len(s) + 1)
        s = s[:i] + random.choice("0123456789-:T Z+.,\n") + s[i + 1:]
    return s


def py_ts(s):
    try:
        d = iso8601.parse_date(s).astimezone(datetime.timezone.utc)
    except Exception:
        return "invalid"
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06d" % (
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)


stamps = [gen_ts() for _ in range(len(cases) * 5)]
out = subprocess.run([sys.argv[1], '--timestamps'],
                     input=''.join(t.encode().hex() + '\n'
                                   for t in stamps).encode(),
                     capture_output=True).stdout.decode().splitlines()
for t, o in zip(stamps, out):
    if py_ts(t) == o:
        passed += 1
    else:
        failed += 1
        print('FAIL timestamp %r\n  iso8601: %s\n  hacgi:   %s' %
              (t, py_ts(t), o))
failed += len(stamps) - len(out)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
