/* lib/base/shape.c: record shapes (shape.h). */
#include <string.h>

#include "base/shape.h"
#include "base/store.h"

/* "YYYY-MM-DDTHH:MM:SS.ffffff" */
static int
is_time(const char *s)
{
	static const char	 pat[] = "dddd-dd-ddTdd:dd:dd.dddddd";
	size_t			 i;

	if (s == NULL || strlen(s) != sizeof(pat) - 1)
		return 0;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return 0;
	return 1;
}

int
shape_type_ok(const cJSON *v, int t)
{
	double	 d = cJSON_IsNumber(v) ? v->valuedouble : 0;

	return ((t & SH_STR) && cJSON_IsString(v)) ||
	    ((t & SH_NULL) && cJSON_IsNull(v)) ||
	    ((t & SH_BOOL) && cJSON_IsBool(v)) ||
	    ((t & SH_OBJ) && cJSON_IsObject(v)) ||
	    ((t & SH_ID) && cJSON_IsNumber(v) && d >= 1 && d <= 9e15 &&
	    d == (double)(long long)d) ||
	    ((t & SH_TIME) && cJSON_IsString(v) &&
	    is_time(v->valuestring)) ||
	    ((t & SH_UUID) && cJSON_IsString(v) &&
	    store_uuid_ok(v->valuestring));
}

const char *
shape_problem(const cJSON *rec, const struct shape *sh)
{
	for (; sh->key != NULL; sh++)
		if (!shape_type_ok(cJSON_GetObjectItemCaseSensitive(rec,
		    sh->key), sh->types))
			return sh->key;
	return NULL;
}
