/* lib/http/mv.h: microversions, the values (SPEC 2.4); version.h
 * negotiates them from the request header. */
#ifndef HACGI_MV_H
#define HACGI_MV_H

enum api { API_VOLUME, API_HA };

struct mv {
	int	 major;
	int	 minor;
};

/* The range an API serves. */
struct mv mv_min(enum api);
struct mv mv_max(enum api);

int	mv_cmp(const struct mv *, const struct mv *);	/* <0, 0, >0 */
int	mv_ge(const struct mv *, int, int);
/* "MajorNum.MinorNum": ^([1-9][0-9]*)\.([1-9][0-9]*|0)$, numbers clamped
 * to stay in range; 0, or -1 if v is not that. */
int	mv_parse(const char *v, struct mv *);
/* "3.70" */
void	mv_format(const struct mv *, char out[24]);

#endif
