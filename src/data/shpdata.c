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
    im_builder b;
    im_shp *shp;
    int col_of[IM_COL_COUNT];
    int nfields;
    const char **names;     /* the DBF's field names */
    char **value;           /* this record's texts (im_shp_attr reuses its buffer) */
    int all_values;         /* the map uses fields beyond the roles: read them all */
} im_shpinc;

static void im_shpinc_clear(im_shpinc *c)
{
    int i;
    for (i = 0; c->value && i < c->nfields; i++) {
        free(c->value[i]);
        c->value[i] = NULL;
    }
}

static int im_shpinc_visit(void *user, const im_shape *shape)
{
    im_shpinc *c = user;
    im_record r;
    char prefix[48];
    int i, p, rc = 0;

    memset(&r, 0, sizeof r);
    r.what = "field";
    for (i = 0; i < c->nfields; i++) {
        int used = c->all_values;
        int k;
        for (k = 0; k < IM_COL_COUNT && !used; k++)
            used = c->col_of[k] == i;
        if (!used)
            continue;
        c->value[i] = strdup(im_shp_attr(c->shp, shape->record, i));
        if (!c->value[i]) {
            im_fail(c->b.d, IM_ERR_INTERNAL, c->b.file, 0, 0, "out of memory");
            rc = -1;
            goto done;
        }
    }
    for (i = 0; i < IM_COL_COUNT; i++) {
        if (c->col_of[i] < 0)
            continue;
        r.text[i] = c->value[c->col_of[i]];
        r.name[i] = c->names[c->col_of[i]];
    }
    if (c->all_values) {
        r.field_name = c->names;
        r.field_value = (const char *const *)c->value;
        r.nfields = c->nfields;
        r.header = 1;
    }
    snprintf(prefix, sizeof prefix, "record %d: ", shape->record);
    for (p = 0; p < shape->npoints; p++) {
        double ll[2];
        ll[0] = shape->x[p];
        ll[1] = shape->y[p];
        if (im_builder_add(&c->b, &r, ll, 0, 0, prefix) != 0) {
            rc = -1;
            goto done;
        }
    }
done:
    im_shpinc_clear(c);
    return rc;
}

int im_shp_read_points(im_map *map, im_source *src, int strict, im_incident_fn visit,
                       void *user, im_diag *d)
{
    static const char *const kind_names[] = {"no shapes", "points", "lines", "polygons"};
    im_shpinc c;
    int i, rc = -1;
    const char *crs;

    memset(&c, 0, sizeof c);
    if (im_builder_init(&c.b, map, src, "field", strict, visit, user, d) != 0)
        goto done;
    if (im_shp_open(src->path, &c.shp, d) != 0)
        goto done;

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

    c.nfields = im_shp_nfields(c.shp);
    c.names = calloc((size_t)(c.nfields > 0 ? c.nfields : 1), sizeof *c.names);
    c.value = calloc((size_t)(c.nfields > 0 ? c.nfields : 1), sizeof *c.value);
    if (!c.names || !c.value) {
        im_fail(d, IM_ERR_INTERNAL, src->path, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < c.nfields; i++)
        c.names[i] = im_shp_field_name(c.shp, i);
    if (im_builder_header(&c.b, c.names, c.nfields, 0, 0, c.col_of) != 0)
        goto done;
    /* a DBF field name has at most 10 characters: "sub_event_" is ACLED's
     * sub_event_type after a trip through a shapefile */
    if (c.col_of[IM_COL_SUB_EVENT_TYPE] < 0 && !src->columns[IM_ROLE_TYPE])
        c.col_of[IM_COL_SUB_EVENT_TYPE] = im_shp_field_index(c.shp, "sub_event_");
    c.all_values = c.b.nwant > 0 || map->keep_all_fields;

    if (im_shp_query(c.shp, NULL, im_shpinc_visit, &c, d) != 0)
        goto done;
    im_shp_warn_bad_text(c.shp, d);
    rc = 0;
done:
    im_builder_done(&c.b, rc == 0);
    im_shpinc_clear(&c);
    free(c.names);
    free(c.value);
    im_shp_close(c.shp);
    return rc;
}

int im_shp_read_incidents(im_map *map, im_source *src, int strict, im_diag *d)
{
    return im_shp_read_points(map, src, strict, NULL, NULL, d);
}
