/* lib/http/mv.h: microversion negotiation (SPEC 2.4). */
#ifndef HACGI_MV_H
#define HACGI_MV_H

enum api { API_VOLUME, API_HA };

struct mv {
	int	 major;
	int	 minor;
};

struct resp;
struct req;

int	mv_negotiate(struct req *, struct resp *);	/* 0 or fault (-1) */
int	mv_ge(const struct mv *, int, int);

#endif
