/* lib/base/pyrepr.h: Python renderings of JSON values for fault messages
 * (SPEC 2.9). */
#ifndef HACGI_PYREPR_H
#define HACGI_PYREPR_H

#include <cjson/cJSON.h>

#include "base/buf.h"

/* repr() of a Python str holding the UTF-8 text utf8. */
void	pyrepr_str(struct buf *, const char *utf8);
/* repr() of the JSON value as Python's json module loads it. */
void	pyrepr(struct buf *, const cJSON *);
/* str(): the raw text for strings, repr() otherwise. */
void	pystr(struct buf *, const cJSON *);
/* repr() of a Python float (shortest round-trip digits). */
void	pyrepr_float(struct buf *, double);

/* And back: Python int() of a str.  Surrounding whitespace (str.isspace(),
 * or only C's isspace() set when ascii_space), a sign, digits with single
 * '_' between them.  0, or -1 when s is not an integer; a value too large
 * becomes LLONG_MAX (-LLONG_MAX). */
int	py_int(const char *s, int ascii_space, long long *out);

#endif
