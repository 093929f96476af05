/* Resolving `follow:` lines into points. */
#ifndef IM_GEO_FOLLOW_H
#define IM_GEO_FOLLOW_H

#include "geo/geo.h"

/* Fill line->pts (lon/lat, in arena A) from the features of SHP_PATH that
 * match line->follow_where, between line->from and line->to (the stretch
 * of the chained feature between the vertices nearest to them). */
int im_follow_resolve(im_arena *a, im_line *line, const char *shp_path, im_diag *d);

#endif
