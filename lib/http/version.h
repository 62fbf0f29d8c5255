/* lib/http/version.h: the OpenStack-API-Version header (SPEC 2.4). */
#ifndef HACGI_VERSION_H
#define HACGI_VERSION_H

struct req;
struct resp;

/* Negotiate rq->mv from the header: absent means the minimum, "latest"
 * the maximum; malformed is a 400, out of range a 406.  Sets what
 * resp_send() echoes.  0, or the fault (-1). */
int	version_negotiate(struct req *, struct resp *);

#endif
