/* lib/base/unicode.h: UTF-8 decoding and encoding, and the Unicode
 * classes of SPEC 2.9, 4.3. */
#ifndef HACGI_UNICODE_H
#define HACGI_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), else 0. */
int	utf8_valid(const char *s, size_t len);
/* Decode the code point at s[*i] into *cp and advance *i: 0, or -1 (and
 * *i unchanged) if the sequence there is invalid or *i >= len. */
int	utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp);
/* Code points in a valid NUL-terminated string. */
size_t	utf8_count(const char *s);
/* Encode cp (at most U+10FFFF) at w, which has room for 4 bytes; returns
 * the end of what was written. */
char	*utf8_put(char *w, uint32_t cp);
/* 1 if the NUL-terminated s is well-formed UTF-8 without a control
 * character (uni_control), else 0. */
int	utf8_clean(const char *s);

/* The [printable] set of the name/description rules (Zs included; only
 * U+0000..FFFE, as the reference builds its regex). */
int	uni_printable(uint32_t cp);
/* Zs space separators. */
int	uni_zs(uint32_t cp);
/* Python str.isspace(). */
int	uni_isspace(uint32_t cp);
/* Unicode Cc: the C0 controls U+0000-001F, DEL and the C1 controls
 * U+0080-009F (ESC and CSI start terminal escape sequences). */
int	uni_control(uint32_t cp);
/* Python str.isprintable() for one character: what repr() keeps as is. */
int	uni_repr_printable(uint32_t cp);

#endif
