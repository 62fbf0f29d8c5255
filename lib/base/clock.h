/* lib/base/clock.h: the one clock, and the one text form of a time that
 * every record keeps: "YYYY-MM-DDTHH:MM:SS.ffffff", UTC (SPEC 1.1). */
#ifndef HACGI_CLOCK_H
#define HACGI_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Now (CLOCK_REALTIME), in microseconds since the epoch. */
int64_t	 clock_now_us(void);
/* Now as text; whole_seconds gives ".000000" (Instance-HA). */
void	 clock_now(char out[27], int whole_seconds);
/* us as text: 0, or -1 when that is not a year 1 to 9999 (out then holds
 * the first 26 characters, or "" when there is no such time). */
int	 clock_format(int64_t us, char out[27]);
/* Exactly the text form, n bytes at s (no NUL needed) or a string ->
 * microseconds: 0, or -1. */
int	 clock_parse_n(const char *s, size_t n, int64_t *out);
int	 clock_parse(const char *s, int64_t *out);

#endif
