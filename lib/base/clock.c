/* lib/base/clock.c: now, and times as text (clock.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

int64_t
clock_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
clock_now(char out[27], int whole_seconds)
{
	int64_t	 us = clock_now_us();

	if (whole_seconds)
		us -= us % 1000000;
	clock_format(us, out);
}

int
clock_format(int64_t us, char out[27])
{
	time_t		 t = (time_t)(us / 1000000);
	struct tm	 tm;
	long		 frac = (long)(us % 1000000);
	char		 tmp[64];

	if (frac < 0) {
		frac += 1000000;
		t--;
	}
	out[0] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
	memcpy(out, tmp, 26);
	out[26] = '\0';
	return tm.tm_year + 1900 >= 1 && strlen(tmp) == 26 ? 0 : -1;
}

static int64_t
days_from_civil(int y, int m, int d)
{
	int		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
clock_parse_n(const char *s, size_t n, int64_t *out)
{
	int	 y, mo, d, h, mi, se, us;

	if (n != 26 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) ||
	    digits(s + 20, 6, &us))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 59)
		return -1;
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se) * 1000000) + us;
	return 0;
}

int
clock_parse(const char *s, int64_t *out)
{
	return clock_parse_n(s, strlen(s), out);
}
