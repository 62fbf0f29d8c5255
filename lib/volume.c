/* lib/volume.c: Volume services and clusters: the reading side (journals
 * -> records -> derived values -> views).  The layout and why it has two
 * forms are in volume.h; the writing side is in volstore.c. */
#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "unicode.h"
#include "util.h"
#include "volume.h"
#include "volint.h"

#define SEQ_MAX		100000000LL	/* beyond: a corrupt journal */

/* ---- times ---- */

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

/* Exactly "YYYY-MM-DDTHH:MM:SS.ffffff" (SPEC 1.1). */
int
vol_time_parse(const char *s, int64_t *out)
{
	int	 y, mo, d, h, mi, se, us;

	if (strlen(s) != 26 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
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

void
vol_time_format(int64_t us, char out[27])
{
	time_t		 t = (time_t)(us / 1000000);
	struct tm	 tm;
	long		 frac = (long)(us % 1000000);
	char		 tmp[64];

	if (frac < 0) {
		frac += 1000000;
		t--;
	}
	gmtime_r(&t, &tm);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
	memcpy(out, tmp, 26);
	out[26] = '\0';
}

int64_t
vol_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
vol_name_ok(const char *s)
{
	size_t		 len = strlen(s), i = 0, n = 0;
	uint32_t	 cp;
	int		 blank = 1;

	if (!utf8_valid(s, len))
		return 0;
	while (i < len && utf8_next(s, len, &i, &cp) == 0) {
		n++;
		if (!uni_isspace(cp))
			blank = 0;
	}
	return n >= 1 && n <= VOL_NAME_MAX && !blank;
}

/* ---- journal lines: a flat JSON object, decoded in place ---- */

enum jt { JT_STR, JT_NULL, JT_TRUE, JT_FALSE, JT_INT };

struct jv {
	enum jt		 t;
	char		*s;
	long long	 i;
};

static int
hex4(const char *p, uint32_t *out)
{
	uint32_t	 v = 0;
	int		 i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *
put_utf8(char *w, uint32_t cp)
{
	if (cp < 0x80)
		*w++ = (char)cp;
	else if (cp < 0x800) {
		*w++ = (char)(0xC0 | (cp >> 6));
		*w++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xE0 | (cp >> 12));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*w++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*w++ = (char)(0xF0 | (cp >> 18));
		*w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*w++ = (char)(0x80 | (cp & 0x3F));
	}
	return w;
}

/* \uXXXX at r (after the backslash and 'u'), with a following low
 * surrogate; a lone \udc80-\udcff is the byte json_write escaped. */
static int
jl_unicode(char **rp, char **wp)
{
	char		*r = *rp;
	uint32_t	 cp, lo;

	if (hex4(r, &cp) == -1)
		return -1;
	r += 4;
	if (cp >= 0xD800 && cp < 0xDC00 && r[0] == '\\' && r[1] == 'u' &&
	    hex4(r + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		r += 6;
	} else if (cp >= 0xDC80 && cp <= 0xDCFF) {
		*(*wp)++ = (char)(cp & 0xFF);
		*rp = r;
		return 0;
	} else if (cp >= 0xD800 && cp < 0xE000)
		return -1;
	if (cp == 0)
		return -1;
	*wp = put_utf8(*wp, cp);
	*rp = r;
	return 0;
}

static int
jl_escape(char **rp, char **wp)
{
	static const char	 from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*k;
	char			 c = *(*rp)++;

	if (c == 'u')
		return jl_unicode(rp, wp);
	if (c == '\0' || (k = strchr(from, c)) == NULL)
		return -1;
	*(*wp)++ = to[k - from];
	return 0;
}

/* The string at *pp (on its opening quote), decoded where it lies. */
static int
jl_string(char **pp, char **out)
{
	char		*r = *pp + 1, *w = r;
	unsigned char	 c;

	*out = w;
	for (;;) {
		c = (unsigned char)*r;
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			*w++ = *r++;
		else {
			r++;
			if (jl_escape(&r, &w) == -1)
				return -1;
		}
	}
	*pp = r + 1;
	*w = '\0';
	return 0;
}

static int
jl_word(char **pp, const char *w, enum jt t, struct jv *v)
{
	size_t	 n = strlen(w);

	if (strncmp(*pp, w, n) != 0)
		return -1;
	*pp += n;
	v->t = t;
	return 0;
}

static int
jl_value(char **pp, struct jv *v)
{
	char		*p = *pp, *end;
	long long	 n;

	switch (*p) {
	case '"':
		v->t = JT_STR;
		return jl_string(pp, &v->s);
	case 'n':
		return jl_word(pp, "null", JT_NULL, v);
	case 't':
		return jl_word(pp, "true", JT_TRUE, v);
	case 'f':
		return jl_word(pp, "false", JT_FALSE, v);
	default:
		errno = 0;
		n = strtoll(p, &end, 10);
		if (end == p || errno != 0 || *end == '.' || *end == 'e' ||
		    *end == 'E')
			return -1;
		v->t = JT_INT;
		v->i = n;
		*pp = end;
		return 0;
	}
}

static void
jl_ws(char **pp)
{
	while (**pp == ' ' || **pp == '\t' || **pp == '\r')
		(*pp)++;
}

typedef int (*jl_fn)(void *, const char *, const struct jv *);

/* One journal line (NUL-terminated): {"key": value, ...}. */
static int
jl_object(char *p, jl_fn fn, void *arg)
{
	char		*key;
	struct jv	 v;

	jl_ws(&p);
	if (*p++ != '{')
		return -1;
	jl_ws(&p);
	if (*p == '}')
		return 0;
	for (;;) {
		jl_ws(&p);
		if (*p != '"' || jl_string(&p, &key) == -1)
			return -1;
		jl_ws(&p);
		if (*p++ != ':')
			return -1;
		jl_ws(&p);
		if (jl_value(&p, &v) == -1 || fn(arg, key, &v) == -1)
			return -1;
		jl_ws(&p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			return -1;
	}
	p++;
	jl_ws(&p);
	return *p == '\0' ? 0 : -1;
}

/* ---- record fields ---- */

enum fkind { FK_STR, FK_OPTSTR, FK_BOOL, FK_SEQ };

struct field {
	const char	*key;
	enum fkind	 kind;
	size_t		 off;
};

#define SF(k, kind, m)	{ k, kind, offsetof(struct vol_svc, m) }
#define CF(k, kind, m)	{ k, kind, offsetof(struct vol_cluster, m) }

static const struct field svc_fields[] = {
	SF("seq", FK_SEQ, seq),
	SF("host", FK_STR, host),
	SF("binary", FK_STR, binary),
	SF("cluster", FK_OPTSTR, cluster),
	SF("zone", FK_STR, zone),
	SF("disabled", FK_BOOL, disabled),
	SF("disabled_reason", FK_OPTSTR, disabled_reason),
	SF("heartbeat", FK_OPTSTR, heartbeat),
	SF("created_at", FK_STR, created_at),
	SF("modified_at", FK_OPTSTR, modified_at),
};

static const struct field cl_fields[] = {
	CF("seq", FK_SEQ, seq),
	CF("name", FK_STR, name),
	CF("binary", FK_STR, binary),
	CF("disabled", FK_BOOL, disabled),
	CF("disabled_reason", FK_OPTSTR, disabled_reason),
	CF("replication_status", FK_STR, replication_status),
	CF("frozen", FK_BOOL, frozen),
	CF("active_backend_id", FK_OPTSTR, active_backend_id),
	CF("created_at", FK_STR, created_at),
	CF("updated_at", FK_OPTSTR, updated_at),
};

struct fill {
	const struct field	*f;
	size_t			 nf;
	char			*rec;
	unsigned		 seen;
	int			 removed;
};

static int
fill_one(const struct field *f, char *rec, const struct jv *v)
{
	switch (f->kind) {
	case FK_SEQ:
		if (v->t != JT_INT)
			return -1;
		*(long long *)(void *)(rec + f->off) = v->i;
		return 0;
	case FK_BOOL:
		if (v->t != JT_TRUE && v->t != JT_FALSE)
			return -1;
		*(int *)(void *)(rec + f->off) = v->t == JT_TRUE;
		return 0;
	case FK_OPTSTR:
		if (v->t == JT_NULL) {
			*(const char **)(void *)(rec + f->off) = NULL;
			return 0;
		}
		/* FALLTHROUGH */
	case FK_STR:
		if (v->t != JT_STR)
			return -1;
		*(const char **)(void *)(rec + f->off) = v->s;
		return 0;
	}
	return -1;
}

static int
fill_cb(void *arg, const char *key, const struct jv *v)
{
	struct fill	*fl = arg;
	size_t		 i;

	if (strcmp(key, "removed") == 0) {
		fl->removed = v->t == JT_TRUE;
		return 0;
	}
	for (i = 0; i < fl->nf; i++)
		if (strcmp(key, fl->f[i].key) == 0) {
			fl->seen |= 1u << i;
			return fill_one(&fl->f[i], fl->rec, v);
		}
	return 0;	/* a key of a later format: ignored */
}

/* 1 = a record, 0 = a removal, -1 = corrupt. */
static int
fill_record(char *line, const struct field *f, size_t nf, void *rec)
{
	struct fill	 fl = { f, nf, rec, 0, 0 };

	if (jl_object(line, fill_cb, &fl) == -1)
		return -1;
	if (fl.removed)
		return 0;
	return fl.seen == (1u << nf) - 1 ? 1 : -1;
}

/* ---- journals ---- */

char *
volj_slurp(const struct store *st, const char *rel, size_t *len, int *err)
{
	char		 path[PATH_MAX], *p;
	struct stat	 sb;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	*err = 0;
	*len = 0;
	snprintf(path, sizeof(path), "%s/%s", st->dir, rel);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return NULL;
		log_warn("store %s: open: %s", path, strerror(errno));
		return *err = 1, NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		log_warn("store %s: not a file", path);
		close(fd);
		return *err = 1, NULL;
	}
	p = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size && (n = read(fd, p + got,
	    (size_t)sb.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	p[got] = '\0';
	*len = got;
	return p;
}

/* "{"seq": N" at the start of a line. */
long long
volj_seq_of(const char *line)
{
	static const char	 pre[] = "{\"seq\": ";
	long long		 n = 0;
	const char		*p;

	if (strncmp(line, pre, sizeof(pre) - 1) != 0)
		return -1;
	p = line + sizeof(pre) - 1;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > SEQ_MAX)
			return -1;
	return *p == ',' || *p == '}' ? n : -1;
}

/*
 * Split text into complete lines (a final line without '\n' was torn by
 * a crash: dropped) and keep the last line of each seq: last[seq].
 * Lines are NUL-terminated in place.
 */
int
volj_index(char *text, size_t len, char ***lastp, long long *nseq)
{
	char		**last = NULL, *p = text, *nl;
	long long	  cap = 0, seq, max = -1;

	while ((size_t)(p - text) < len &&
	    (nl = memchr(p, '\n', len - (size_t)(p - text))) != NULL) {
		*nl = '\0';
		if (*p != '\0') {
			if ((seq = volj_seq_of(p)) < 0) {
				free(last);
				return -1;
			}
			if (seq >= cap) {
				long long ncap = cap ? cap : 64;
				while (ncap <= seq)
					ncap *= 2;
				last = xrealloc(last, (size_t)ncap *
				    sizeof(*last));
				memset(last + cap, 0, (size_t)(ncap - cap) *
				    sizeof(*last));
				cap = ncap;
			}
			last[seq] = p;
			if (seq > max)
				max = seq;
		}
		p = nl + 1;
	}
	*lastp = last;
	*nseq = max + 1;
	return 0;
}

static int
svc_times(struct vol_svc *s)
{
	s->hb_us = s->modified_us = INT64_MIN;
	if (vol_time_parse(s->created_at, &s->created_us) == -1)
		return -1;
	if (s->heartbeat != NULL && vol_time_parse(s->heartbeat, &s->hb_us))
		return -1;
	if (s->modified_at != NULL &&
	    vol_time_parse(s->modified_at, &s->modified_us) == -1)
		return -1;
	return 0;
}

static int
load_services(struct vol_db *db, char *text, size_t len)
{
	char		**last;
	long long	  n, i;
	int		  r;

	if (volj_index(text, len, &last, &n) == -1)
		return -1;
	db->svc = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*db->svc));
	for (i = 0; i < n; i++) {
		if (last[i] == NULL)
			continue;
		r = fill_record(last[i], svc_fields, NELEM(svc_fields),
		    &db->svc[db->nsvc]);
		if (r == 1 && svc_times(&db->svc[db->nsvc]) == 0)
			db->svc[db->nsvc++].cl = -1;
		else if (r != 0)
			break;
	}
	free(last);
	return i == n ? 0 : -1;
}

static int
load_clusters(struct vol_db *db, char *text, size_t len)
{
	char		**last;
	long long	  n, i;
	int		  r;
	int64_t		  t;

	if (volj_index(text, len, &last, &n) == -1)
		return -1;
	db->cl = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*db->cl));
	for (i = 0; i < n; i++) {
		if (last[i] == NULL)
			continue;
		r = fill_record(last[i], cl_fields, NELEM(cl_fields),
		    &db->cl[db->ncl]);
		if (r == 1 && vol_time_parse(db->cl[db->ncl].created_at, &t) == 0)
			db->ncl++;
		else if (r != 0)
			break;
	}
	free(last);
	return i == n ? 0 : -1;
}

/* ---- the cluster key table: (name, binary) -> index ---- */

static uint32_t
key_hash(const char *name, const char *binary)
{
	uint32_t	 h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	h = (h ^ 0xFF) * 16777619u;
	for (; *binary != '\0'; binary++)
		h = (h ^ (unsigned char)*binary) * 16777619u;
	return h;
}

static void
hash_build(struct vol_db *db)
{
	size_t	 i, j;

	db->hashsz = 16;
	while (db->hashsz < 2 * db->ncl)
		db->hashsz *= 2;
	db->hash = xcalloc(db->hashsz, sizeof(*db->hash));
	for (i = 0; i < db->ncl; i++) {
		j = key_hash(db->cl[i].name, db->cl[i].binary) &
		    (db->hashsz - 1);
		while (db->hash[j] != 0)
			j = (j + 1) & (db->hashsz - 1);
		db->hash[j] = (long)i + 1;
	}
}

long
vol_cluster_index(const struct vol_db *db, const char *name,
    const char *binary)
{
	const struct vol_cluster	*c;
	size_t				 j;

	if (db->hash == NULL || name == NULL)
		return -1;
	j = key_hash(name, binary) & (db->hashsz - 1);
	for (; db->hash[j] != 0; j = (j + 1) & (db->hashsz - 1)) {
		c = &db->cl[db->hash[j] - 1];
		if (strcmp(c->name, name) == 0 && strcmp(c->binary, binary) == 0)
			return db->hash[j] - 1;
	}
	return -1;
}

int
vol_load(const struct store *st, int what, struct vol_db *db)
{
	static const char *const rel[2] = { VOLJ_SERVICES, VOLJ_CLUSTERS };
	size_t	 len[2] = { 0, 0 };
	int	 i, err;

	memset(db, 0, sizeof(*db));
	for (i = 0; i < 2; i++) {
		if (!(what & (1 << i)))
			continue;
		db->text[i] = volj_slurp(st, rel[i], &len[i], &err);
		if (err)
			return -1;
	}
	if (db->text[1] != NULL && load_clusters(db, db->text[1], len[1])) {
		log_warn("store %s/%s: corrupt journal", st->dir, rel[1]);
		return -1;
	}
	if (db->text[0] != NULL && load_services(db, db->text[0], len[0])) {
		log_warn("store %s/%s: corrupt journal", st->dir, rel[0]);
		return -1;
	}
	if (what & VOL_CLUSTERS)
		hash_build(db);
	return 0;
}

/* A db of one service and (or) one cluster record: the views of single
 * records without reading the journals. */
int
vol_load_records(struct vol_db *db, const cJSON *svc, const cJSON *cl)
{
	const cJSON	*rec[2] = { svc, cl };
	struct buf	 b;
	int		 i, rc = 0;

	memset(db, 0, sizeof(*db));
	for (i = 0; i < 2; i++) {
		if (rec[i] == NULL)
			continue;
		buf_init(&b);
		json_write(&b, rec[i]);
		buf_putc(&b, '\n');
		db->text[i] = buf_take(&b);
		if ((i == 0 ? load_services : load_clusters)(db, db->text[i],
		    strlen(db->text[i])) == -1)
			rc = -1;
	}
	hash_build(db);
	return rc;
}

void
vol_free(struct vol_db *db)
{
	free(db->text[0]);
	free(db->text[1]);
	free(db->svc);
	free(db->cl);
	free(db->hash);
	memset(db, 0, sizeof(*db));
}

/* ---- derived values (SPEC 1.2) ---- */

static void
derive_member(struct vol_db *db, struct vol_svc *s, int64_t floor_us)
{
	struct vol_cluster	*c;

	if ((s->cl = vol_cluster_index(db, s->cluster, s->binary)) < 0)
		return;
	c = &db->cl[s->cl];
	c->num_hosts++;
	if (s->hb_us == INT64_MIN)
		return;
	if (s->hb_us < floor_us)
		c->num_down_hosts++;
	if (c->last_heartbeat == NULL || s->hb_us > c->last_us) {
		c->last_heartbeat = s->heartbeat;
		c->last_us = s->hb_us;
	}
}

void
vol_derive(struct vol_db *db, int down_time)
{
	int64_t	 floor_us;
	size_t	 i;

	db->now_us = vol_now_us();
	db->down_time = down_time;
	floor_us = db->now_us - (int64_t)down_time * 1000000;
	for (i = 0; i < db->nsvc; i++)
		derive_member(db, &db->svc[i], floor_us);
	for (i = 0; i < db->ncl; i++)
		db->cl[i].up = db->cl[i].last_heartbeat != NULL &&
		    db->cl[i].last_us >= floor_us;
}

static int64_t
absdiff(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

/* os-services state: |now - (heartbeat or created_at)| <= D. */
int
vol_svc_up(const struct vol_db *db, const struct vol_svc *s)
{
	int64_t	 t = s->hb_us != INT64_MIN ? s->hb_us : s->created_us;

	return absdiff(db->now_us, t) <= (int64_t)db->down_time * 1000000;
}

static const char *
svc_updated_at(const struct vol_db *db, const struct vol_svc *s)
{
	int64_t	 t = s->hb_us != INT64_MIN ? s->hb_us : s->created_us;

	if (s->modified_at != NULL &&
	    absdiff(db->now_us, s->modified_us) <= absdiff(db->now_us, t))
		return s->modified_at;
	return s->heartbeat;
}

/* ---- matching (SPEC 3.2, divergence 10) ---- */

static int
prefix_then(const char *s, const char *v, size_t n, char sep)
{
	return strncmp(s, v, n) == 0 && s[n] == sep;
}

int
vol_name_match(const char *v, const char *s)
{
	size_t	 n = strlen(v);

	if (strcmp(s, v) == 0)
		return 1;
	if (strchr(v, '#') != NULL)
		return 0;
	if (prefix_then(s, v, n, '#'))
		return 1;
	return strchr(v, '@') == NULL && prefix_then(s, v, n, '@');
}

long
vol_cluster_find(const struct vol_db *db, const char *name,
    const char *binary)
{
	size_t	 i;

	for (i = 0; i < db->ncl; i++)
		if ((binary == NULL || strcmp(db->cl[i].binary, binary) == 0)
		    && vol_name_match(name, db->cl[i].name))
			return (long)i;
	return -1;
}

/* ---- views ---- */

/* Python json.dumps of a str; printable ASCII is copied as is. */
void
vol_json_str(struct buf *b, const char *s)
{
	const unsigned char	*p;
	cJSON			*tmp;

	if (s == NULL) {
		buf_put(b, "null", 4);
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7F || *p == '"' || *p == '\\')
			break;
	if (*p == '\0') {
		buf_putc(b, '"');
		buf_put(b, s, (size_t)(p - (const unsigned char *)s));
		buf_putc(b, '"');
		return;
	}
	tmp = cJSON_CreateString(s);
	json_write(b, tmp);
	cJSON_Delete(tmp);
}

static void
kv(struct buf *b, const char *key, const char *val)
{
	buf_puts(b, key);
	vol_json_str(b, val);
}

static void
kb(struct buf *b, const char *key, int val)
{
	buf_puts(b, key);
	buf_puts(b, val ? "true" : "false");
}

static void
ki(struct buf *b, const char *key, int val)
{
	buf_printf(b, "%s%d", key, val);
}

static void
cluster_head(struct buf *b, const struct vol_cluster *c)
{
	kv(b, "{\"name\": ", c->name);
	kv(b, ", \"binary\": ", c->binary);
	buf_puts(b, c->up ? ", \"state\": \"up\"" : ", \"state\": \"down\"");
	buf_puts(b, c->disabled ? ", \"status\": \"disabled\"" :
	    ", \"status\": \"enabled\"");
}

void
vol_cluster_summary(struct buf *b, const struct vol_cluster *c,
    const struct mv *mv, int with_reason)
{
	cluster_head(b, c);
	if (mv_ge(mv, 3, 26))
		kv(b, ", \"replication_status\": ", c->replication_status);
	if (with_reason)
		kv(b, ", \"disabled_reason\": ", c->disabled_reason);
	buf_putc(b, '}');
}

void
vol_cluster_detail(struct buf *b, const struct vol_cluster *c,
    const struct mv *mv)
{
	cluster_head(b, c);
	ki(b, ", \"num_hosts\": ", c->num_hosts);
	ki(b, ", \"num_down_hosts\": ", c->num_down_hosts);
	kv(b, ", \"last_heartbeat\": ", c->last_heartbeat != NULL ?
	    c->last_heartbeat : "");
	kv(b, ", \"created_at\": ", c->created_at);
	kv(b, ", \"updated_at\": ", c->updated_at != NULL ? c->updated_at :
	    "");
	kv(b, ", \"disabled_reason\": ", c->disabled_reason);
	if (mv_ge(mv, 3, 26)) {
		kv(b, ", \"replication_status\": ", c->replication_status);
		kb(b, ", \"frozen\": ", c->frozen);
		kv(b, ", \"active_backend_id\": ", c->active_backend_id);
	}
	buf_putc(b, '}');
}

void
vol_service_view(struct buf *b, const struct vol_db *db,
    const struct vol_svc *s, const struct mv *mv)
{
	const struct vol_cluster	*c;
	int				 up = vol_svc_up(db, s);
	int				 vol;

	vol = strcmp(s->binary, VOL_DEFAULT_BINARY) == 0;
	kv(b, "{\"binary\": ", s->binary);
	kv(b, ", \"host\": ", s->host);
	kv(b, ", \"zone\": ", s->zone);
	buf_puts(b, s->disabled ? ", \"status\": \"disabled\"" :
	    ", \"status\": \"enabled\"");
	buf_puts(b, up ? ", \"state\": \"up\"" : ", \"state\": \"down\"");
	kv(b, ", \"updated_at\": ", svc_updated_at(db, s));
	if (mv_ge(mv, 3, 49) && vol)
		kv(b, ", \"backend_state\": ", up ? "up" : NULL);
	if (mv_ge(mv, 3, 7))
		kv(b, ", \"cluster\": ", s->cluster);
	kv(b, ", \"disabled_reason\": ", s->disabled_reason);
	if (vol) {
		c = s->cl >= 0 ? &db->cl[s->cl] : NULL;
		kv(b, ", \"replication_status\": ", c != NULL ?
		    c->replication_status : "not-capable");
		kv(b, ", \"active_backend_id\": ", c != NULL ?
		    c->active_backend_id : NULL);
		kb(b, ", \"frozen\": ", c != NULL && c->frozen);
	}
	buf_putc(b, '}');
}
