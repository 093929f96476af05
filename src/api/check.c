/* incimap check: the map file and every file it names, read the way
 * render reads them but without drawing, collecting every problem: the
 * map file's errors (each once), base-map layers (readable, their .prj,
 * the fields the map names), the projection, every incident record, lines
 * and zones from files, lines that follow a layer.  Incidents outside an
 * explicit extent are worth a warning. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/load.h"
#include "core/util.h"
#include "data/shp.h"
#include "geo/geo.h"
#include "incimap/incimap.h"
#include "spec/spec.h"

/* A field the map names in layer L that the shapefile must have. */
static void im_check_layer_field(im_shp *shp, const im_layer *l, int index, const char *key,
                                 const char *field, im_diag *d)
{
    char list[400];
    size_t o = 0;
    int i;
    if (!field || im_shp_field_index(shp, field) >= 0)
        return;
    list[0] = '\0';
    for (i = 0; i < im_shp_nfields(shp); i++) {
        int k = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                         im_shp_field_name(shp, i));
        if (k < 0 || (size_t)k >= sizeof list - o - 5) {
            snprintf(list + o, sizeof list - o, ", ...");
            break;
        }
        o += (size_t)k;
    }
    im_fail(d, IM_ERR_DATA, l->loc.file, l->loc.line, l->loc.col,
            "basemap[%d].%s: no field '%s' in '%s' (it has: %s)", index, key, field, l->path,
            list);
}

static void im_check_layers(im_map *m, im_geo *ll, im_check_result *r, im_diag *d)
{
    int i;
    for (i = 0; i < m->nlayers; i++) {
        const im_layer *l = &m->layers[i];
        im_shp *shp = NULL;
        im_geo_tf *tf;
        if (!l->path)
            continue;
        r->nfiles++;
        r->nlayers++;
        if (im_shp_open_at(l->path, &l->loc, &shp, d) != 0)
            continue;
        im_check_layer_field(shp, l, i, "where", l->where.field, d);
        im_check_layer_field(shp, l, i, "label", l->label_field, d);
        im_check_layer_field(shp, l, i, "rank", l->rank_field, d);
        if (ll && im_shp_crs(shp))
            im_geo_tf_get(ll, im_shp_crs(shp), im_shp_path(shp), &tf, d);
        im_shp_close(shp);
    }
}

/* How many different files the lines and zones were read from. */
static int im_check_shape_files(const im_map *m)
{
    int n = m->nlines + m->nzones, i, j, count = 0;
    for (i = 0; i < n; i++) {
        const char *a = i < m->nlines ? m->lines[i].source : m->zones[i - m->nlines].source;
        int seen = 0;
        if (!a)
            continue;
        for (j = 0; j < i && !seen; j++) {
            const char *b = j < m->nlines ? m->lines[j].source : m->zones[j - m->nlines].source;
            seen = b && strcmp(a, b) == 0;
        }
        count += !seen;
    }
    return count;
}

/* Incidents that an extent given in the map file leaves out. */
static void im_check_extent(const im_map *m, im_diag *d)
{
    const im_extent *e = &m->extent;
    int i, out = 0;
    if (e->kind == IM_EXTENT_AUTO)
        return;
    for (i = 0; i < m->nincidents; i++) {
        const im_incident *inc = &m->incidents[i];
        if (e->kind == IM_EXTENT_BOX)
            out += inc->lon < e->lon0 || inc->lon > e->lon1 || inc->lat < e->lat0 ||
                   inc->lat > e->lat1;
        else
            out += im_geod_distance(e->center.lon, e->center.lat, inc->lon, inc->lat) >
                   e->radius_km * 1000;
    }
    if (out > 0)
        im_warn(d, e->loc.file, e->loc.line, e->loc.col,
                "%d of %d incidents lie outside the extent and will not be on the map", out,
                m->nincidents);
}

int im_check_file(const char *map_path, const im_check_opts *opts, im_check_result *out,
                  im_diag *d)
{
    im_check_result r;
    im_map *m = NULL;
    im_geo *ll = NULL, *g = NULL;
    im_load_opts lo;
    int collect = d->collect, i;

    memset(&r, 0, sizeof r);
    d->collect = 1;
    if (im_map_read_all(map_path, opts ? opts->overrides : NULL, opts ? opts->noverrides : 0, &m,
                        d) != 0)
        goto done;
    if (m->projection && strcmp(m->projection, "auto") != 0 &&
        im_geo_create(m->projection, m->projection_loc, &g, d) != 0)
        g = NULL;
    if (im_geo_create("EPSG:4326", m->projection_loc, &ll, d) != 0)
        ll = NULL;
    im_check_layers(m, ll, &r, d);

    memset(&lo, 0, sizeof lo);
    lo.geodata_dir = opts && opts->geodata_dir ? opts->geodata_dir : im_default_geodata_dir();
    lo.strict = opts ? opts->strict : 0;
    lo.from = opts ? opts->from : NULL;
    lo.to = opts ? opts->to : NULL;
    lo.no_notes = 1;
    im_map_load(m, &lo, d);
    for (i = 0; i < m->nsources; i++) {
        r.nfiles++;
        r.nrecords += m->sources[i].nrecords;
        r.nkept += m->sources[i].nkept;
        r.nskipped += m->sources[i].nskipped;
        r.nfiltered += m->sources[i].nfiltered;
    }
    r.nlines = m->nlines;
    r.nzones = m->nzones;
    r.nfiles += im_check_shape_files(m);
    im_check_extent(m, d);
done:
    im_geo_free(g);
    im_geo_free(ll);
    im_map_free(m);
    d->collect = collect;
    if (out)
        *out = r;
    return d->status == IM_OK ? 0 : -1;
}
