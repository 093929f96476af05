/* Incidents from a point shapefile: one incident per point (a multipoint
 * gives several), attributes found by the same names as CSV columns.
 * Reads through the shp.h API only; records are numbered from 0 in
 * messages, as shapelib and ogrinfo number them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"
#include "data/records.h"
#include "data/shp.h"

typedef struct im_shpinc {
    im_map *map;
    im_shp *shp;
    const char *file;
    int strict;
    im_diag *d;
    int col_of[IM_COL_COUNT];
    char *value[IM_COL_COUNT];  /* this record's texts (im_shp_attr reuses its buffer) */
    im_incident_sink sink;
} im_shpinc;

static void im_shpinc_clear(im_shpinc *c)
{
    int i;
    for (i = 0; i < IM_COL_COUNT; i++) {
        free(c->value[i]);
        c->value[i] = NULL;
    }
}

static int im_shpinc_visit(void *user, const im_shape *shape)
{
    im_shpinc *c = user;
    im_record r;
    char prefix[48], why[600];
    int i, p, rc = 0;

    memset(&r, 0, sizeof r);
    r.what = "field";
    for (i = 0; i < IM_COL_COUNT; i++) {
        if (c->col_of[i] < 0)
            continue;
        c->value[i] = strdup(im_shp_attr(c->shp, shape->record, c->col_of[i]));
        if (!c->value[i]) {
            im_fail(c->d, IM_ERR_INTERNAL, c->file, 0, 0, "out of memory");
            rc = -1;
            goto done;
        }
        r.text[i] = c->value[i];
        r.name[i] = im_shp_field_name(c->shp, c->col_of[i]);
    }
    snprintf(prefix, sizeof prefix, "record %d: ", shape->record);
    for (p = 0; p < shape->npoints; p++) {
        im_incident inc;
        int fill;
        memset(&inc, 0, sizeof inc);
        if (im_lonlat_check(shape->x[p], shape->y[p], why, sizeof why) != 0) {
            if (im_record_reject(c->d, c->strict, c->file, 0, prefix, why) != 0) {
                rc = -1;
                goto done;
            }
            continue;
        }
        fill = im_record_fill(c->map->arena, &r, &inc, why, sizeof why);
        if (fill == -2) {
            im_fail(c->d, IM_ERR_INTERNAL, c->file, 0, 0, "out of memory");
            rc = -1;
            goto done;
        }
        if (fill != 0) {
            /* the attributes are the same for every point of the record */
            if (im_record_reject(c->d, c->strict, c->file, 0, prefix, why) != 0)
                rc = -1;
            goto done;
        }
        inc.lon = shape->x[p];
        inc.lat = shape->y[p];
        inc.loc.file = c->file;
        inc.loc.line = 0;
        inc.loc.col = 0;
        if (im_incident_sink_add(&c->sink, &inc) != 0) {
            im_fail(c->d, IM_ERR_INTERNAL, c->file, 0, 0, "out of memory");
            rc = -1;
            goto done;
        }
    }
done:
    im_shpinc_clear(c);
    return rc;
}

int im_shp_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d)
{
    static const char *const kind_names[] = {"no shapes", "points", "lines", "polygons"};
    im_shpinc c;
    int rank[IM_COL_COUNT], i, rc = -1, nbefore = map->nincidents;
    const char *crs;

    memset(&c, 0, sizeof c);
    c.map = map;
    c.strict = strict;
    c.d = d;
    if (im_shp_open(src->path, &c.shp, d) != 0)
        return -1;
    c.file = src->path;
    im_incident_sink_init(&c.sink, map);

    if (im_shp_kind(c.shp) != IM_GEOM_POINT) {
        im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                "'%s' holds %s; incidents need a point shapefile", src->path,
                kind_names[im_shp_kind(c.shp)]);
        goto done;
    }
    crs = im_shp_crs(c.shp);
    if (crs && (strncmp(crs, "PROJCS", 6) == 0 || strncmp(crs, "PROJCRS", 7) == 0)) {
        im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                "'%s' is in projected coordinates (see its .prj); incidents need "
                "longitude/latitude: reproject it to WGS 84 (EPSG:4326)", src->path);
        goto done;
    }

    for (i = 0; i < IM_COL_COUNT; i++) {
        c.col_of[i] = -1;
        rank[i] = 1 << 30;
    }
    for (i = 0; i < im_shp_nfields(c.shp); i++) {
        int r = 0, role = im_col_lookup(im_shp_field_name(c.shp, i), &r);
        if (role >= 0 && r < rank[role]) {
            rank[role] = r;
            c.col_of[role] = i;
        }
    }
    /* a DBF field name has at most 10 characters: "sub_event_" is ACLED's
     * sub_event_type after a trip through a shapefile */
    if (c.col_of[IM_COL_SUB_EVENT_TYPE] < 0)
        c.col_of[IM_COL_SUB_EVENT_TYPE] = im_shp_field_index(c.shp, "sub_event_");

    if (im_shp_query(c.shp, NULL, im_shpinc_visit, &c, d) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        map->nincidents = nbefore; /* a file that fails adds nothing */
    im_shpinc_clear(&c);
    im_shp_close(c.shp);
    return rc;
}
