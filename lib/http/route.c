/* lib/http/route.c: path -> endpoint for both APIs (SPEC 2.3, 2.8, 3.0, 4). */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "http/route.h"

#define MAXCOMP	8

/* The program serving each endpoint (the methods it serves are its
 * handler table's: app.c). */
static const char *const binaries[EP__MAX] = {
	[EP_NONE] =		NULL,
	[EP_HA_ROOT] =		"ha-root",
	[EP_HA_CHOICES] =	"ha-root",
	[EP_HA_VERSION] =	"ha-root",
	[EP_HA_VERSIONS] =	"ha-root",
	[EP_HA_EXTENSIONS] =	"ha-root",
	[EP_HA_EXTENSION] =	"ha-root",
	[EP_HA_SEGMENTS] =	"ha-segments",
	[EP_HA_SEGMENT] =	"ha-segment",
	[EP_HA_SEGMENT_ACTION] = "ha-segment",
	[EP_HA_HOSTS] =		"ha-hosts",
	[EP_HA_HOST] =		"ha-host",
	[EP_HA_NOTIFICATIONS] =	"ha-notifications",
	[EP_HA_NOTIFICATION] =	"ha-notification",
	[EP_HA_NOTIFICATION_ACTION] = "ha-notification",
	[EP_VOL_ROOT] =		"vol-root",
	[EP_VOL_HEALTH] =	"vol-root",
	[EP_VOL_V3] =		"vol-root",
	[EP_VOL_V3SLASH] =	"vol-root",
	[EP_VOL_CLUSTERS] =	"vol-clusters",
	[EP_VOL_CLUSTERS_DETAIL] = "vol-clusters",
	[EP_VOL_CLUSTER] =	"vol-cluster",
	[EP_VOL_SERVICES] =	"vol-services",
	[EP_VOL_SERVICE] =	"vol-service",
	[EP_VOL_HEARTBEAT] =	"vol-heartbeat",
};

struct comps {
	char	*c[MAXCOMP];
	int	 n;
	int	 overflow;
};

/* Split "a/b/c" (no leading '/') keeping empty components. */
static void
comps_split(const char *s, struct comps *cs)
{
	const char	*e;

	memset(cs, 0, sizeof(*cs));
	for (;;) {
		e = strchr(s, '/');
		if (cs->n == MAXCOMP) {
			cs->overflow = 1;
			return;
		}
		cs->c[cs->n++] = e != NULL ? xstrndup(s, (size_t)(e - s)) :
		    xstrdup(s);
		if (e == NULL)
			return;
		s = e + 1;
	}
}

static void
comps_free(struct comps *cs)
{
	int	 i;

	for (i = 0; i < cs->n; i++)
		free(cs->c[i]);
}

/* SPEC 2.3: a project id is [0-9a-f-]+, any length. */
static int
is_project(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789abcdef-") == strlen(s);
}

static int
is(const struct comps *cs, int i, const char *w)
{
	return i < cs->n && strcmp(cs->c[i], w) == 0;
}

static int
has_empty(const struct comps *cs, int from)
{
	int	 i;

	for (i = from; i < cs->n; i++)
		if (cs->c[i] != NULL && cs->c[i][0] == '\0')
			return 1;
	return 0;
}

static void
take_arg(struct match *m, struct comps *cs, int i, int slot)
{
	m->arg[slot] = cs->c[i];
	cs->c[i] = NULL;
}

static int
strip_suffix(char *s, const char *suf)
{
	size_t	 l = strlen(s), sl = strlen(suf);

	if (l <= sl || strcmp(s + l - sl, suf) != 0)
		return 0;
	s[l - sl] = '\0';
	return 1;
}

static const char *const ha_words[] = {
	"versions", "extensions", "segments", "notifications",
};

static int
ha_known(const char *w)
{
	size_t	 i;

	for (i = 0; i < NELEM(ha_words); i++)
		if (strcmp(w, ha_words[i]) == 0)
			return 1;
	return 0;
}

static enum ep
ha_resource(struct match *m, struct comps *cs, int b)
{
	int	 n = cs->n - b;

	if (is(cs, b, "versions"))
		return n == 1 ? EP_HA_VERSIONS :
		    n == 2 && is(cs, b + 1, "v1.0") ? EP_HA_VERSION : EP_NONE;
	if (is(cs, b, "extensions") && n <= 2) {
		if (n == 2)
			take_arg(m, cs, b + 1, 0);
		return n == 1 ? EP_HA_EXTENSIONS : EP_HA_EXTENSION;
	}
	if (is(cs, b, "notifications") && n <= 3) {
		if (n >= 2)
			take_arg(m, cs, b + 1, 0);
		if (n == 3)
			return is(cs, b + 2, "action") ?
			    EP_HA_NOTIFICATION_ACTION : EP_NONE;
		return n == 1 ? EP_HA_NOTIFICATIONS : EP_HA_NOTIFICATION;
	}
	if (!is(cs, b, "segments") || n > 4)
		return EP_NONE;
	if (n >= 2)
		take_arg(m, cs, b + 1, 0);
	if (n == 1)
		return EP_HA_SEGMENTS;
	if (n == 2)
		return EP_HA_SEGMENT;
	if (n == 3)
		return is(cs, b + 2, "action") ? EP_HA_SEGMENT_ACTION :
		    is(cs, b + 2, "hosts") ? EP_HA_HOSTS : EP_NONE;
	if (!is(cs, b + 2, "hosts"))
		return EP_NONE;
	take_arg(m, cs, b + 3, 1);
	return EP_HA_HOST;
}

static void
route_ha(const char *path, struct match *m)
{
	struct comps	 cs;
	char		*rest;
	int		 b = 0;

	if (strcmp(path, "/") == 0) {
		m->ep = EP_HA_ROOT;
		return;
	}
	if (strcmp(path, "/v1") != 0 && strncmp(path, "/v1/", 4) != 0) {
		m->ep = EP_HA_CHOICES;
		return;
	}
	m->api_path = 1;
	if (path[3] == '\0' || path[4] == '\0') {
		m->ep = EP_HA_VERSION;
		return;
	}
	rest = xstrdup(path + 4);
	if (strip_suffix(rest, ".json"))
		m->json_suffix = 1;
	else
		strip_suffix(rest, ".xml");
	comps_split(rest, &cs);
	free(rest);
	if (!cs.overflow && !has_empty(&cs, 0) && cs.n >= 2 &&
	    !ha_known(cs.c[0])) {
		if (is_project(cs.c[0])) {
			m->has_project = 1;
			m->project = cs.c[0];
			cs.c[0] = NULL;
			b = 1;
		} else
			b = -1;
	}
	if (!cs.overflow && !has_empty(&cs, 0) && b >= 0)
		m->ep = ha_resource(m, &cs, b);
	comps_free(&cs);
}

static char *
collapse_slashes(const char *p)
{
	char	*s = xstrdup(p), *w = s;

	for (; *p != '\0'; p++)
		if (!(*p == '/' && p[1] == '/'))
			*w++ = *p;
	*w = '\0';
	return s;
}

static enum ep
vol_resource(struct match *m, struct comps *cs, int b, const char *method)
{
	int	 n = cs->n - b;

	if (n == 1 && is(cs, b, "os-services"))
		return EP_VOL_SERVICES;
	if (n == 2 && is(cs, b, "os-services")) {
		take_arg(m, cs, b + 1, 0);
		return EP_VOL_SERVICE;
	}
	if (n == 1 && is(cs, b, "os-hacgi-heartbeat"))
		return EP_VOL_HEARTBEAT;
	if (!is(cs, b, "clusters") || n > 2)
		return EP_NONE;
	if (n == 1)
		return EP_VOL_CLUSTERS;
	if (strcmp(method, "GET") == 0 && is(cs, b + 1, "detail"))
		return EP_VOL_CLUSTERS_DETAIL;
	take_arg(m, cs, b + 1, 0);
	return EP_VOL_CLUSTER;
}

static void
route_vol(const char *rawpath, const char *method, struct match *m)
{
	struct comps	 cs;
	char		*path = collapse_slashes(rawpath);
	int		 b = 0;

	if (strcmp(path, "/") == 0 || path[0] == '\0')
		m->ep = EP_VOL_ROOT;
	else if (strcmp(path, "/healthcheck") == 0)
		m->ep = EP_VOL_HEALTH;
	else if (strcmp(path, "/v3") == 0)
		m->api_path = 1, m->ep = EP_VOL_V3;
	else if (strcmp(path, "/v3/") == 0)
		m->api_path = 1, m->ep = EP_VOL_V3SLASH;
	else if (strncmp(path, "/v3/", 4) == 0) {
		m->api_path = 1;
		comps_split(path + 4, &cs);
		if (!cs.overflow && cs.n >= 2 && is_project(cs.c[0])) {
			m->has_project = 1;
			m->project = cs.c[0];
			cs.c[0] = NULL;
			b = 1;
		}
		if (!cs.overflow && !has_empty(&cs, b) && cs.n > b) {
			if (strip_suffix(cs.c[cs.n - 1], ".json"))
				m->json_suffix = 1;
			m->ep = vol_resource(m, &cs, b, method);
		}
		comps_free(&cs);
	}
	free(path);
}

void
route_match(enum api api, const char *path, const char *method,
    struct match *m)
{
	memset(m, 0, sizeof(*m));
	if (api == API_HA)
		route_ha(path, m);
	else
		route_vol(path, method, m);
	if (m->ep == EP_NONE) {
		free(m->arg[0]);
		free(m->arg[1]);
		m->arg[0] = m->arg[1] = NULL;
	}
	m->binary = route_binary_of(api, m->ep);
}

const char *
route_binary_of(enum api api, enum ep ep)
{
	if (ep == EP_NONE)
		return api == API_HA ? "ha-root" : "vol-root";
	return binaries[ep];
}

void
route_free(struct match *m)
{
	free(m->project);
	free(m->arg[0]);
	free(m->arg[1]);
	memset(m, 0, sizeof(*m));
}
