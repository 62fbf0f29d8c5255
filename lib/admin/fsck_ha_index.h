/* lib/admin/fsck_ha_index.h: fsck of the Instance-HA indexes
 * (fsck_ha_index.c), run by check_ha() after the records are read. */
#ifndef HACGI_FSCK_HA_INDEX_H
#define HACGI_FSCK_HA_INDEX_H

struct fsck;

void	 check_ha_index(struct fsck *);

#endif
