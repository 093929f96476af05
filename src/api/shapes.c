/* Lines and zones read from files (`lines: [{source: lines.geojson}]`,
 * `zones: [{source: zones.shp}]`): GeoJSON LineString/MultiLineString and
 * Polygon/MultiPolygon features, line and polygon shapefiles (reprojected
 * to lon/lat from their .prj), and GeoJSON points with a radius_km
 * property as geodesic circles.  Features are filtered by `where:`, named
 * by a property, and those that share a name become one line or zone of
 * several parts; each further name adds a line or zone with the entry's
 * style. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/load.h"
#include "core/util.h"
#include "data/data.h"
#include "data/geojson.h"
#include "data/shp.h"
#include "geo/geo.h"

/* One feature kept: its name, its parts (lon/lat), or a circle. */
typedef struct {
    char *name;
    double *xy;
    int npos;
    int *part;
    int nparts;
    int is_circle;
    double radius_km;
} im_feat;

typedef struct {
    /* the entry */
    int zones;                 /* reading zones (else lines) */
    const char *what;          /* "lines[2]" */
    const char *file;
    const im_where *where;
    const char *name_field;    /* NULL: name, NAME, Name or title */
    const char *fixed_name;    /* the entry's name: every feature is called so */
    double radius_km;          /* zones: for points without a radius_km property */
    im_loc loc;
    im_diag *d;
    /* what was read */
    im_feat *feats;
    int nfeats, cap;
    int where_seen, name_seen;
    int skipped;               /* features of a kind that does not fit */
    const char *skipped_kind;
    int failed;
} im_shapes;

static void im_shapes_free(im_shapes *c)
{
    int i;
    for (i = 0; i < c->nfeats; i++) {
        free(c->feats[i].name);
        free(c->feats[i].xy);
        free(c->feats[i].part);
    }
    free(c->feats);
}

static int im_shapes_oom(im_shapes *c)
{
    c->failed = 1;
    return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
}

/* The name of a feature from its properties NAMES/VALUES. */
static const char *im_shapes_name(im_shapes *c, const char *const *names,
                                  const char *const *values, int n)
{
    static const char *const common[] = {"name", "title", NULL};
    int i, k;
    if (c->fixed_name)
        return c->fixed_name;
    if (c->name_field) {
        for (i = 0; i < n; i++)
            if (im_streq_ci(names[i], c->name_field)) {
                c->name_seen = 1;
                return values[i];
            }
        return "";
    }
    for (k = 0; common[k]; k++)
        for (i = 0; i < n; i++)
            if (im_streq_ci(names[i], common[k]) && *values[i])
                return values[i];
    return "";
}

/* 1 if the feature passes where:. */
static int im_shapes_where(im_shapes *c, const char *const *names, const char *const *values,
                           int n)
{
    int i;
    if (!c->where || !c->where->field)
        return 1;
    for (i = 0; i < n; i++) {
        if (im_streq_ci(names[i], c->where->field)) {
            c->where_seen = 1;
            return im_where_match(c->where, values[i]);
        }
    }
    return 0;
}

/* Add a feature of NPOS positions XY in NPARTS parts (PART: starts). */
static int im_shapes_add(im_shapes *c, const char *name, const double *xy, int npos,
                         const int *part, int nparts, int is_circle, double radius_km)
{
    im_feat *f;
    if (c->nfeats == c->cap) {
        int ncap = c->cap ? c->cap * 2 : 8;
        im_feat *p = realloc(c->feats, (size_t)ncap * sizeof *p);
        if (!p)
            return im_shapes_oom(c);
        c->feats = p;
        c->cap = ncap;
    }
    f = &c->feats[c->nfeats];
    memset(f, 0, sizeof *f);
    f->name = strdup(name);
    f->xy = malloc((size_t)(npos > 0 ? npos : 1) * 2 * sizeof *f->xy);
    f->part = malloc((size_t)(nparts > 0 ? nparts : 1) * sizeof *f->part);
    if (!f->name || !f->xy || !f->part) {
        free(f->name);
        free(f->xy);
        free(f->part);
        return im_shapes_oom(c);
    }
    /* an empty geometry comes with no arrays at all */
    if (npos > 0)
        memcpy(f->xy, xy, (size_t)npos * 2 * sizeof *xy);
    if (nparts > 0)
        memcpy(f->part, part, (size_t)nparts * sizeof *part);
    f->npos = npos;
    f->nparts = nparts;
    f->is_circle = is_circle;
    f->radius_km = radius_km;
    c->nfeats++;
    return 0;
}

static void im_shapes_skip(im_shapes *c, const char *kind)
{
    c->skipped++;
    if (!c->skipped_kind)
        c->skipped_kind = kind;
}

/* ---- GeoJSON */

static int im_shapes_gj_feature(void *user, const im_gj_feature *f)
{
    im_shapes *c = user;
    const char *name;
    char prefix[64];
    int i;
    if (f->geom == IM_GJ_NONE || f->geom == IM_GJ_UNKNOWN || f->geom == IM_GJ_COLLECTION) {
        im_shapes_skip(c, f->geom == IM_GJ_COLLECTION ? "GeometryCollection" : "no geometry");
        return 0;
    }
    if (!im_shapes_where(c, f->prop_name, f->prop_value, f->nprops))
        return 0;
    if (f->bad || f->bad_utf8) {
        im_gj_prefix(f, prefix, sizeof prefix);
        if (f->bad)
            im_warn(c->d, c->file, f->line, 0, "%sskipped: %s: %s", prefix, f->type, f->bad);
        else
            im_warn(c->d, c->file, f->line, 0,
                    "%sskipped: invalid UTF-8 in property '%s' (save the file as UTF-8)", prefix,
                    f->bad_utf8);
        return 0;
    }
    for (i = 0; i < f->npos; i++) {
        double lon = f->xy[2 * i], lat = f->xy[2 * i + 1];
        if (!(fabs(lat) <= 90 && fabs(lon) <= 180)) {
            im_gj_prefix(f, prefix, sizeof prefix);
            im_warn(c->d, c->file, f->line, 0,
                    "%sskipped: position %d (%g, %g) is not a longitude and latitude", prefix,
                    i, lon, lat);
            return 0;
        }
    }
    name = im_shapes_name(c, f->prop_name, f->prop_value, f->nprops);
    if (f->geom == IM_GJ_POINT || f->geom == IM_GJ_MULTIPOINT) {
        double r = c->radius_km;
        if (!c->zones) {
            im_shapes_skip(c, f->type);
            return 0;
        }
        for (i = 0; i < f->nprops; i++) {
            double v;
            if (im_streq_ci(f->prop_name[i], "radius_km") &&
                im_parse_double(f->prop_value[i], &v) == 0)
                r = v;
        }
        if (!(r > 0 && r <= 5000)) {
            im_gj_prefix(f, prefix, sizeof prefix);
            im_warn(c->d, c->file, f->line, 0,
                    "%sskipped: a point is a zone only with a radius_km property "
                    "(or radius_km: in the map file) between 0 and 5000", prefix);
            return 0;
        }
        for (i = 0; i < f->npos; i++) {
            int zero = 0;
            if (im_shapes_add(c, name, f->xy + 2 * i, 1, &zero, 1, 1, r) != 0)
                return -1;
        }
        return 0;
    }
    if (c->zones && (f->geom == IM_GJ_LINESTRING || f->geom == IM_GJ_MULTILINESTRING)) {
        im_shapes_skip(c, f->type);
        return 0;
    }
    return im_shapes_add(c, name, f->xy, f->npos, f->part_start, f->nparts, 0, 0);
}

/* ---- shapefiles */

typedef struct {
    im_shapes *c;
    im_shp *shp;
    im_geo_tf *tf;
    const char **names;
    const char **values;
    char **owned;
    int nfields;
    double *x, *y;
    size_t cap;
} im_shapes_shp;

static int im_shapes_shp_visit(void *user, const im_shape *s)
{
    im_shapes_shp *v = user;
    im_shapes *c = v->c;
    double *xy;
    int i, rc;
    for (i = 0; i < v->nfields; i++) {
        free(v->owned[i]);
        v->owned[i] = strdup(im_shp_attr(v->shp, s->record, i));
        if (!v->owned[i])
            return im_shapes_oom(c);
        v->values[i] = v->owned[i];
    }
    if (!im_shapes_where(c, v->names, v->values, v->nfields))
        return 0;
    if (s->kind == IM_GEOM_POINT || (c->zones && s->kind == IM_GEOM_LINE)) {
        im_shapes_skip(c, s->kind == IM_GEOM_POINT ? "points" : "lines");
        return 0;
    }
    if (im_grow_xy(&v->x, &v->y, &v->cap, (size_t)s->npoints) != 0)
        return im_shapes_oom(c);
    memcpy(v->x, s->x, (size_t)s->npoints * sizeof *v->x);
    memcpy(v->y, s->y, (size_t)s->npoints * sizeof *v->y);
    im_geo_tf_fwd(v->tf, v->x, v->y, (size_t)s->npoints);
    xy = malloc((size_t)s->npoints * 2 * sizeof *xy);
    if (!xy)
        return im_shapes_oom(c);
    for (i = 0; i < s->npoints; i++) {
        xy[2 * i] = v->x[i];
        xy[2 * i + 1] = v->y[i];
        if (v->x[i] == HUGE_VAL) {
            im_warn(c->d, c->file, 0, 0, "record %d: skipped: cannot be turned into "
                    "longitude and latitude", s->record);
            free(xy);
            return 0;
        }
    }
    rc = im_shapes_add(c, im_shapes_name(c, v->names, v->values, v->nfields), xy, s->npoints,
                       s->part_start, s->nparts, 0, 0);
    free(xy);
    return rc;
}

static int im_shapes_read_shp(im_shapes *c)
{
    im_shapes_shp v;
    im_geo *ll = NULL;
    int i, rc = -1;
    memset(&v, 0, sizeof v);
    v.c = c;
    if (im_shp_open_at(c->file, &c->loc, &v.shp, c->d) != 0)
        return -1;
    v.nfields = im_shp_nfields(v.shp);
    v.names = calloc((size_t)v.nfields + 1, sizeof *v.names);
    v.values = calloc((size_t)v.nfields + 1, sizeof *v.values);
    v.owned = calloc((size_t)v.nfields + 1, sizeof *v.owned);
    if (!v.names || !v.values || !v.owned) {
        im_shapes_oom(c);
        goto done;
    }
    for (i = 0; i < v.nfields; i++)
        v.names[i] = im_shp_field_name(v.shp, i);
    /* a lon/lat "map" turns the layer's CRS into plain lon/lat */
    if (im_geo_create("EPSG:4326", c->loc, &ll, c->d) != 0 ||
        im_geo_tf_get(ll, im_shp_crs(v.shp), c->file, &v.tf, c->d) != 0)
        goto done;
    if (im_shp_query(v.shp, NULL, im_shapes_shp_visit, &v, c->d) != 0)
        goto done;
    rc = 0;
done:
    for (i = 0; v.owned && i < v.nfields; i++)
        free(v.owned[i]);
    free(v.owned);
    free(v.names);
    free(v.values);
    free(v.x);
    free(v.y);
    im_geo_free(ll);
    im_shp_close(v.shp);
    return rc;
}

/* ---- into the model */

/* The features named NAME (from index FIRST on) as one line or zone's
 * points and parts, in the arena; marks them used by clearing their name. */
static int im_shapes_group(im_arena *a, im_shapes *c, int first, im_lonlat **pts, int *npts,
                           int **parts, int *nparts)
{
    const char *name = c->feats[first].name;
    int i, k, n = 0, np = 0, o = 0, q = 0;
    for (i = first; i < c->nfeats; i++) {
        if (c->feats[i].name && !c->feats[i].is_circle && strcmp(c->feats[i].name, name) == 0) {
            n += c->feats[i].npos;
            np += c->feats[i].nparts;
        }
    }
    *pts = im_arena_alloc(a, (size_t)n * sizeof **pts);
    *parts = im_arena_alloc(a, (size_t)np * sizeof **parts);
    if (!*pts || !*parts)
        return -1;
    for (i = first; i < c->nfeats; i++) {
        im_feat *f = &c->feats[i];
        if (!f->name || f->is_circle || (i > first && strcmp(f->name, name) != 0))
            continue;
        for (k = 0; k < f->nparts; k++)
            (*parts)[q++] = o + f->part[k];
        for (k = 0; k < f->npos; k++) {
            (*pts)[o + k].lon = f->xy[2 * k];
            (*pts)[o + k].lat = f->xy[2 * k + 1];
        }
        o += f->npos;
        if (i > first) {
            free(f->name);
            f->name = NULL;
        }
    }
    *npts = n;
    *nparts = np;
    return 0;
}

/* Read entry E's source into C. */
static int im_shapes_read(im_shapes *c)
{
    if (im_has_suffix_ci(c->file, ".shp"))
        return im_shapes_read_shp(c);
    if (im_has_suffix_ci(c->file, ".geojson") || im_has_suffix_ci(c->file, ".json"))
        return im_geojson_scan(c->file, &c->loc, im_shapes_gj_feature, c, c->d);
    return im_fail(c->d, IM_ERR_DATA, c->loc.file, c->loc.line, c->loc.col,
                   "%s: cannot read lines or zones from '%s' (expected .geojson, .json or "
                   ".shp)", c->what, c->file);
}

/* After reading: what the user should hear of an entry, and whether it
 * found anything. */
static int im_shapes_report(im_shapes *c)
{
    if (c->where && c->where->field && !c->where_seen && c->nfeats == 0)
        return im_fail(c->d, IM_ERR_DATA, c->where->loc.file, c->where->loc.line,
                       c->where->loc.col, "%s: no feature of '%s' has a field '%s'", c->what,
                       c->file, c->where->field);
    if (c->name_field && !c->name_seen && c->nfeats > 0)
        im_warn(c->d, c->loc.file, c->loc.line, c->loc.col,
                "%s: no feature of '%s' has a field '%s' to name it", c->what, c->file,
                c->name_field);
    if (c->skipped)
        im_warn(c->d, c->loc.file, c->loc.line, c->loc.col,
                "%s: %d feature%s of '%s' skipped (%s%s)", c->what, c->skipped,
                c->skipped == 1 ? "" : "s", c->file, c->skipped_kind,
                c->zones ? " cannot be zones; use them under lines:"
                         : " cannot be lines; use them under zones:");
    if (c->nfeats == 0)
        return im_fail(c->d, IM_ERR_DATA, c->loc.file, c->loc.line, c->loc.col,
                       "%s: no %s in '%s'%s", c->what, c->zones ? "zone" : "line", c->file,
                       c->where && c->where->field ? " where the filter holds" : "");
    im_verbose(c->d, "read %s for %s: %d features kept, %d skipped", c->file, c->what, c->nfeats,
               c->skipped);
    return 0;
}

static int im_load_line_source(im_map *m, int index, im_line **grown, int *ngrown, int *cap,
                               im_diag *d)
{
    im_line base = (*grown)[index];
    im_shapes c;
    char what[32];
    int i, rc = -1, first = 1;
    snprintf(what, sizeof what, "lines[%d]", index);
    memset(&c, 0, sizeof c);
    c.what = what;
    c.file = base.source;
    c.where = &base.where;
    c.name_field = base.name_field;
    c.fixed_name = base.name;
    c.loc = base.source_loc;
    c.d = d;
    if (im_shapes_read(&c) != 0 || im_shapes_report(&c) != 0)
        goto done;
    for (i = 0; i < c.nfeats; i++) {
        im_line *l;
        int *parts = NULL;
        if (!c.feats[i].name)
            continue;
        if (!first) {
            if (*ngrown == *cap) {
                int ncap = *cap * 2;
                im_line *p = im_arena_grow(m->arena, *grown, (size_t)*ngrown, (size_t)ncap,
                                           sizeof *p);
                if (!p) {
                    im_shapes_oom(&c);
                    goto done;
                }
                *grown = p;
                *cap = ncap;
            }
            (*grown)[(*ngrown)++] = base;
            l = &(*grown)[*ngrown - 1];
        } else {
            l = &(*grown)[index];
        }
        first = 0;
        if (im_shapes_group(m->arena, &c, i, &l->pts, &l->npts, &parts, &l->nparts) != 0) {
            im_shapes_oom(&c);
            goto done;
        }
        l->part_start = parts;
        l->name = im_arena_strdup(m->arena, *c.feats[i].name ? c.feats[i].name
                                                              : im_path_stem(m->arena, c.file));
        if (!l->name) {
            im_shapes_oom(&c);
            goto done;
        }
    }
    rc = 0;
done:
    im_shapes_free(&c);
    return rc;
}

static int im_load_zone_source(im_map *m, int index, im_zone **grown, int *ngrown, int *cap,
                               im_diag *d)
{
    im_zone base = (*grown)[index];
    im_shapes c;
    char what[32];
    int i, rc = -1, first = 1;
    snprintf(what, sizeof what, "zones[%d]", index);
    memset(&c, 0, sizeof c);
    c.zones = 1;
    c.what = what;
    c.file = base.source;
    c.where = &base.where;
    c.name_field = base.name_field;
    c.fixed_name = base.name;
    c.radius_km = base.radius_km;
    c.loc = base.source_loc;
    c.d = d;
    if (im_shapes_read(&c) != 0 || im_shapes_report(&c) != 0)
        goto done;
    for (i = 0; i < c.nfeats; i++) {
        im_zone *z;
        im_feat *f = &c.feats[i];
        int *parts = NULL;
        if (!f->name)
            continue;
        if (!first) {
            if (*ngrown == *cap) {
                int ncap = *cap * 2;
                im_zone *p = im_arena_grow(m->arena, *grown, (size_t)*ngrown, (size_t)ncap,
                                           sizeof *p);
                if (!p) {
                    im_shapes_oom(&c);
                    goto done;
                }
                *grown = p;
                *cap = ncap;
            }
            (*grown)[(*ngrown)++] = base;
            z = &(*grown)[*ngrown - 1];
        } else {
            z = &(*grown)[index];
        }
        first = 0;
        z->name = im_arena_strdup(m->arena, *f->name ? f->name : im_path_stem(m->arena, c.file));
        if (!z->name) {
            im_shapes_oom(&c);
            goto done;
        }
        if (f->is_circle) {
            z->is_circle = 1;
            z->center.lon = f->xy[0];
            z->center.lat = f->xy[1];
            z->radius_km = f->radius_km;
            continue;
        }
        z->is_circle = 0;
        if (im_shapes_group(m->arena, &c, i, &z->ring, &z->nring, &parts, &z->nparts) != 0) {
            im_shapes_oom(&c);
            goto done;
        }
        z->part_start = parts;
    }
    rc = 0;
done:
    im_shapes_free(&c);
    return rc;
}

int im_map_load_shapes(im_map *m, im_diag *d)
{
    int i, n, cap, rc = 0;
    n = m->nlines;
    cap = n > 0 ? n : 1;
    for (i = 0; i < m->nlines; i++) {
        if (!m->lines[i].source)
            continue;
        if (im_load_line_source(m, i, &m->lines, &n, &cap, d) != 0) {
            rc = -1;
            if (!d->collect)
                return -1;
        }
    }
    m->nlines = n;
    n = m->nzones;
    cap = n > 0 ? n : 1;
    for (i = 0; i < m->nzones; i++) {
        if (!m->zones[i].source)
            continue;
        if (im_load_zone_source(m, i, &m->zones, &n, &cap, d) != 0) {
            rc = -1;
            if (!d->collect)
                return -1;
        }
    }
    m->nzones = n;
    return rc;
}
