/* incimap info: one streaming pass over a shapefile, CSV or GeoJSON file
 * that describes it (format, geometry, count, fields and types, extent,
 * CRS, encoding) and, through the incident readers' own checks, what it
 * would give as incidents (usable and skipped records, dates, types,
 * actors, precisions). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/util.h"
#include "data/csv.h"
#include "data/data.h"
#include "data/geojson.h"
#include "data/pool.h"
#include "data/records.h"
#include "data/shp.h"
#include "data/text.h"
#include "geo/geo.h"
#include "incimap/incimap.h"

#define IM_INFO_MAX_ACTORS 10

/* ---- incident statistics ---------------------------------------------- */

typedef struct {
    const char *name;  /* pooled */
    long long count;
} im_tally;

typedef struct {
    im_info *info;
    im_pool *pool;
    im_tally *actors;  /* open addressing on the pooled pointer */
    size_t cap, n;
    char date_min[11], date_max[11];
    int extent_from_incidents;
    int failed;
} im_istats;

static size_t im_ptr_hash(const void *p)
{
    size_t h = (size_t)p;
    return (h >> 4) ^ (h >> 13);
}

static int im_istats_actor(im_istats *st, const char *actor)
{
    const char *name = im_pool_intern(st->pool, actor, strlen(actor));
    size_t k;
    if (!name)
        return -1;
    if (st->n * 2 >= st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 64, i;
        im_tally *t = calloc(ncap, sizeof *t);
        if (!t)
            return -1;
        for (i = 0; i < st->cap; i++) {
            if (!st->actors[i].name)
                continue;
            k = im_ptr_hash(st->actors[i].name) & (ncap - 1);
            while (t[k].name)
                k = (k + 1) & (ncap - 1);
            t[k] = st->actors[i];
        }
        free(st->actors);
        st->actors = t;
        st->cap = ncap;
    }
    k = im_ptr_hash(name) & (st->cap - 1);
    while (st->actors[k].name && st->actors[k].name != name)
        k = (k + 1) & (st->cap - 1);
    if (!st->actors[k].name) {
        st->actors[k].name = name;
        st->n++;
    }
    st->actors[k].count++;
    return 0;
}

static void im_extent_add(im_info *info, double x, double y)
{
    if (!info->has_extent) {
        info->extent[0] = info->extent[2] = x;
        info->extent[1] = info->extent[3] = y;
        info->has_extent = 1;
        return;
    }
    info->extent[0] = fmin(info->extent[0], x);
    info->extent[1] = fmin(info->extent[1], y);
    info->extent[2] = fmax(info->extent[2], x);
    info->extent[3] = fmax(info->extent[3], y);
}

static int im_istats_visit(void *user, const im_incident *inc)
{
    im_istats *st = user;
    im_info *info = st->info;
    info->nincidents++;
    if (inc->date) {
        if (!st->date_min[0] || strcmp(inc->date, st->date_min) < 0)
            memcpy(st->date_min, inc->date, 11);
        if (!st->date_max[0] || strcmp(inc->date, st->date_max) > 0)
            memcpy(st->date_max, inc->date, 11);
    } else {
        info->nundated++;
    }
    info->types[inc->type].count++;
    info->geo_precision[inc->geo_precision]++;
    info->time_precision[inc->time_precision]++;
    if (st->extent_from_incidents)
        im_extent_add(info, inc->lon, inc->lat);
    if (im_istats_actor(st, inc->actor ? inc->actor : "") != 0) {
        st->failed = 1;
        return -1;
    }
    return 0;
}

static int im_tally_cmp(const void *a, const void *b)
{
    const im_tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Move the statistics into the info (its arena). */
static int im_istats_finish(im_istats *st)
{
    im_info *info = st->info;
    size_t i, n = 0;
    int t;
    info->incidents = 1;
    for (t = 0; t < IM_ITYPE_COUNT; t++)
        info->types[t].name = im_incident_type_name((im_incident_type)t);
    if (st->date_min[0]) {
        info->date_min = im_arena_strdup(info->arena, st->date_min);
        info->date_max = im_arena_strdup(info->arena, st->date_max);
    }
    for (i = 0; i < st->cap; i++)
        if (st->actors[i].name)
            st->actors[n++] = st->actors[i];
    if (n > 1)
        qsort(st->actors, n, sizeof *st->actors, im_tally_cmp);
    info->nactors = (int)n;
    info->actors = im_arena_alloc(info->arena, (n ? n : 1) * sizeof *info->actors);
    if (!info->actors)
        return -1;
    for (i = 0; i < n; i++) {
        info->actors[i].name = *st->actors[i].name ? st->actors[i].name : "(none)";
        info->actors[i].count = st->actors[i].count;
    }
    return 0;
}

static int im_istats_init(im_istats *st, im_info *info)
{
    memset(st, 0, sizeof *st);
    st->info = info;
    st->pool = im_pool_create(info->arena);
    return st->pool ? 0 : -1;
}

static void im_istats_free(im_istats *st)
{
    im_pool_free(st->pool);
    free(st->actors);
}

/* ---- field types -------------------------------------------------------- */

/* What the values of a CSV column or GeoJSON property were. */
typedef struct {
    const char *name;
    long long nempty, nvalues;
    int not_int, not_num, not_date, not_bool;
    char kinds[8];     /* GeoJSON: the JSON kinds seen */
} im_ftype;

static void im_ftype_value(im_ftype *f, const char *v, char kind)
{
    char buf[64], iso[11];
    size_t n;
    const char *t;
    long iv;
    double dv;
    if (kind == '0' || (kind != 'o' && !*v)) {
        f->nempty++;
        return;
    }
    f->nvalues++;
    if (kind && !strchr(f->kinds, kind) && strlen(f->kinds) < sizeof f->kinds - 1) {
        size_t k = strlen(f->kinds);
        f->kinds[k] = kind;
        f->kinds[k + 1] = '\0';
    }
    if (kind == 'o')
        return;
    t = v;
    while (*t == ' ' || *t == '\t')
        t++;
    n = strlen(t);
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' || t[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= sizeof buf) {
        f->not_int = f->not_num = f->not_date = f->not_bool = 1;
        if (n == 0)
            f->nempty++, f->nvalues--;
        return;
    }
    memcpy(buf, t, n);
    buf[n] = '\0';
    if (!f->not_int && im_parse_int(buf, &iv) != 0)
        f->not_int = 1;
    if (!f->not_num && im_parse_double(buf, &dv) != 0)
        f->not_num = 1;
    if (!f->not_date && im_date_parse(buf, iso) != 0)
        f->not_date = 1;
    if (!f->not_bool && strcmp(buf, "true") != 0 && strcmp(buf, "false") != 0)
        f->not_bool = 1;
}

/* The type name of what F saw (CSV: text guessed; GeoJSON: JSON kinds). */
static const char *im_ftype_name(const im_ftype *f, int json)
{
    if (f->nvalues == 0)
        return "String";
    if (json) {
        if (strlen(f->kinds) > 1)
            return "mixed";
        switch (f->kinds[0]) {
        case 'n':
            return f->not_int ? "Real" : "Integer";
        case 'b':
            return "Boolean";
        case 'o':
            return "Object";
        default:
            return f->not_date ? "String" : "Date";
        }
    }
    if (!f->not_int)
        return "Integer";
    if (!f->not_num)
        return "Real";
    if (!f->not_date)
        return "Date";
    return "String";
}

static const char *im_role_label(int col)
{
    static const char *const labels[IM_COL_COUNT] = {
        "latitude", "longitude", "date", "type", "event type", "sub-event type", "actor",
        "title", "notes", "target", "fatalities", "source", "geo precision", "time precision"};
    return col >= 0 && col < IM_COL_COUNT ? labels[col] : NULL;
}

/* Roles of the fields NAMES, as the readers would give them. */
static void im_info_roles(im_info *info, im_builder *b)
{
    int rank[IM_COL_COUNT], i, k;
    for (i = 0; i < IM_COL_COUNT; i++)
        rank[i] = 1 << 30;
    for (i = 0; i < info->nfields; i++) {
        int r = 0, col = im_builder_role(b, info->fields[i].name, &r);
        if (col >= 0 && r < rank[col])
            rank[col] = r;
    }
    for (i = 0; i < info->nfields; i++) {
        int r = 0, col = im_builder_role(b, info->fields[i].name, &r);
        if (col >= 0 && r == rank[col]) {
            info->fields[i].role = im_role_label(col);
            rank[col] = -2; /* the first of equal names only */
        }
    }
    (void)k;
}

/* Room for N fields in the info's arena. */
static im_info_field *im_info_fields(im_info *info, int n)
{
    return im_arena_alloc(info->arena, (size_t)(n > 0 ? n : 1) * sizeof(im_info_field));
}

/* ---- shapefiles -------------------------------------------------------- */

static const char *im_dbf_type(char t, int width, int decimals)
{
    switch (t) {
    case 'C':
        return "String";
    case 'N':
    case 'F':
        if (decimals > 0 || width > 18)
            return "Real";
        return width < 10 ? "Integer" : "Integer64";
    case 'D':
        return "Date";
    case 'L':
        return "Boolean";
    default:
        return "String";
    }
}

static int im_info_crs(im_info *info, const char *wkt)
{
    char name[256];
    if (!wkt) {
        info->crs = "WGS 84 (EPSG:4326)";
        info->crs_source = "none given: WGS 84 assumed (no .prj)";
        return 0;
    }
    im_geo_crs_name(wkt, name, sizeof name);
    info->crs = im_arena_strdup(info->arena, name);
    info->crs_source = ".prj";
    return info->crs ? 0 : -1;
}

static int im_info_shp(im_info *info, im_diag *d)
{
    im_shp *s = NULL;
    im_map map;
    im_source src;
    im_istats st;
    im_builder b;
    const char *crs;
    int i, rc = -1, have_stats = 0;

    memset(&map, 0, sizeof map);
    memset(&src, 0, sizeof src);
    memset(&b, 0, sizeof b);
    if (im_shp_open(info->path, &s, d) != 0)
        return -1;
    info->format = "ESRI Shapefile";
    info->geometry = im_shp_type_name(s);
    info->count = im_shp_count(s);
    if (info->count > 0) {
        im_shp_bounds(s, info->extent);
        info->has_extent = 1;
    }
    crs = im_shp_crs(s);
    if (im_info_crs(info, crs) != 0)
        goto oom;
    info->encoding = im_arena_strdup(info->arena, im_shp_encoding_name(s));
    info->nfields = im_shp_nfields(s);
    info->fields = im_info_fields(info, info->nfields);
    if (!info->encoding || !info->fields)
        goto oom;
    for (i = 0; i < info->nfields; i++) {
        im_info_field *f = &info->fields[i];
        char t = im_shp_field_type(s, i, &f->width, &f->precision);
        f->name = im_arena_strdup(info->arena, im_shp_field_name(s, i));
        f->type = im_dbf_type(t, f->width, f->precision);
        if (!f->name)
            goto oom;
    }
    /* records whose text is not valid in the layer's encoding */
    for (i = 0; i < im_shp_count(s); i++) {
        int f, before = im_shp_bad_text(s);
        for (f = 0; f < info->nfields; f++)
            (void)im_shp_attr(s, i, f);
        if (im_shp_bad_text(s) > before)
            info->nbad_utf8++;
    }
    map.arena = info->arena;
    src.path = info->path;
    if (im_builder_init(&b, &map, &src, "field", 0, NULL, NULL, d) != 0)
        goto done;
    im_info_roles(info, &b);
    if (im_shp_kind(s) != IM_GEOM_POINT) {
        info->note = "not points: usable under lines: or zones:, not as incidents";
    } else if (crs && (strncmp(crs, "PROJCS", 6) == 0 || strncmp(crs, "PROJCRS", 7) == 0)) {
        info->note = "projected coordinates: reproject to WGS 84 to use as incidents";
    } else {
        im_shp_close(s);
        s = NULL;
        if (im_istats_init(&st, info) != 0)
            goto oom;
        have_stats = 1;
        if (im_data_scan_incidents(&map, &src, im_istats_visit, &st, d) != 0)
            goto done;
        info->nskipped = src.nskipped;
        if (im_istats_finish(&st) != 0)
            goto oom;
    }
    rc = 0;
    goto done;
oom:
    im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
done:
    if (have_stats)
        im_istats_free(&st);
    im_builder_done(&b, 1);
    im_shp_close(s);
    return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct {
    im_info *info;
    im_csvinc inc;          /* the incident reader, fed the same rows */
    im_istats st;
    im_ftype *ft;
    int nft;
    const im_csv_format *fmt;
    int header_ok;
    im_diag *d;
} im_info_csv_t;

static int im_info_csv_row(void *user, const im_csv_row *row, const im_csv_format *fmt)
{
    im_info_csv_t *c = user;
    int i;
    c->fmt = fmt;
    if (!c->ft) {
        c->nft = row->nfields;
        c->ft = calloc((size_t)(c->nft > 0 ? c->nft : 1), sizeof *c->ft);
        if (!c->ft)
            return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        for (i = 0; i < c->nft; i++) {
            c->ft[i].name = im_arena_strdup(c->info->arena, im_trim(row->field[i]));
            if (!c->ft[i].name)
                return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        }
        if (!c->header_ok)
            return 0; /* no coordinates: the fields are described all the same */
    } else if (!row->blank) {
        c->info->count++;
        if (row->bad_utf8 >= 0)
            c->info->nbad_utf8++;
        for (i = 0; i < c->nft; i++)
            im_ftype_value(&c->ft[i], i < row->nfields ? row->field[i] : "", 0);
        if (!c->header_ok)
            return 0;
    }
    return im_csvinc_row(&c->inc, row, fmt);
}

/* Does the header of PATH name latitude and longitude columns? */
typedef struct {
    im_builder *b;
    int ok;
} im_info_header;

static int im_info_header_row(void *user, const im_csv_row *row, const im_csv_format *fmt)
{
    im_info_header *h = user;
    int i, lat = 0, lon = 0;
    (void)fmt;
    for (i = 0; i < row->nfields; i++) {
        char name[256];
        int col;
        snprintf(name, sizeof name, "%s", row->field[i]);
        col = im_builder_role(h->b, im_trim(name), NULL);
        lat |= col == IM_COL_LAT;
        lon |= col == IM_COL_LON;
    }
    h->ok = lat && lon;
    return 1; /* the header is all we need */
}

static int im_info_csv(im_info *info, im_diag *d)
{
    im_info_csv_t c;
    im_info_header h;
    im_map map;
    im_source src;
    im_diag quiet;
    int i, rc = -1;

    memset(&c, 0, sizeof c);
    memset(&map, 0, sizeof map);
    memset(&src, 0, sizeof src);
    c.info = info;
    c.d = d;
    map.arena = info->arena;
    src.path = info->path;
    info->format = "CSV";
    if (im_builder_init(&c.inc.b, &map, &src, "column", 0, im_istats_visit, &c.st, d) != 0 ||
        im_istats_init(&c.st, info) != 0)
        goto done;
    c.st.extent_from_incidents = 1;
    /* a first look at the header only: are there coordinates? */
    h.b = &c.inc.b;
    h.ok = 0;
    im_diag_init(&quiet, NULL, NULL);
    im_csv_scan(info->path, NULL, im_info_header_row, &h, &quiet);
    if (quiet.status != IM_OK && quiet.status != IM_ERR_DATA)
        goto done;
    c.header_ok = h.ok;
    if (im_csv_scan(info->path, NULL, im_info_csv_row, &c, d) != 0)
        goto done;
    info->delimiter = !c.fmt ? "comma"
                      : c.fmt->delim == ';' ? "semicolon"
                      : c.fmt->delim == '\t' ? "tab"
                                             : "comma";
    info->encoding = c.fmt && c.fmt->bom ? "UTF-8 with BOM" : "UTF-8";
    info->nfields = c.nft;
    info->fields = im_info_fields(info, c.nft);
    if (!info->fields)
        goto done;
    for (i = 0; i < c.nft; i++) {
        info->fields[i].name = c.ft[i].name;
        info->fields[i].type = im_ftype_name(&c.ft[i], 0);
        info->fields[i].nempty = c.ft[i].nempty;
    }
    im_info_roles(info, &c.inc.b);
    if (c.header_ok) {
        info->geometry = "Point (latitude and longitude columns)";
        info->crs = "WGS 84 (EPSG:4326)";
        info->crs_source = "latitude and longitude in degrees";
        info->nskipped = src.nskipped;
        if (im_istats_finish(&c.st) != 0)
            goto done;
    } else {
        info->geometry = "None";
        info->note = "no latitude and longitude columns (lat, latitude, y and lon, lng, long, "
                     "longitude, x): name them with columns: in the map file";
    }
    rc = 0;
done:
    if (rc != 0 && d->status == IM_OK)
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_builder_done(&c.inc.b, 1);
    im_csvinc_free(&c.inc);
    im_istats_free(&c.st);
    free(c.ft);
    return rc;
}

/* ---- GeoJSON ------------------------------------------------------------ */

typedef struct {
    im_info *info;
    im_builder b;
    im_istats st;
    im_ftype *ft;
    int nft, capft;
    long long geoms[IM_GJ_UNKNOWN + 1];
    im_diag *d;
} im_info_gj_t;

static int im_info_gj_feature(void *user, const im_gj_feature *f)
{
    im_info_gj_t *c = user;
    int i, k;
    c->info->count++;
    c->geoms[f->geom]++;
    if (!f->bad) {
        for (i = 0; i < f->npos; i++)
            im_extent_add(c->info, f->xy[2 * i], f->xy[2 * i + 1]);
    }
    /* the properties: known names first, each new one appended */
    for (i = 0; i < f->nprops; i++) {
        for (k = 0; k < c->nft; k++)
            if (strcmp(c->ft[k].name, f->prop_name[i]) == 0)
                break;
        if (k == c->nft) {
            if (c->nft == c->capft) {
                int ncap = c->capft ? c->capft * 2 : 16;
                im_ftype *p = realloc(c->ft, (size_t)ncap * sizeof *p);
                if (!p)
                    return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
                c->ft = p;
                c->capft = ncap;
            }
            memset(&c->ft[k], 0, sizeof c->ft[k]);
            c->ft[k].name = im_arena_strdup(c->info->arena, f->prop_name[i]);
            if (!c->ft[k].name)
                return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
            /* it was missing from every feature before this one */
            c->ft[k].nempty = c->info->count - 1;
            c->nft++;
        }
        im_ftype_value(&c->ft[k], f->prop_value[i], f->prop_kind[i]);
    }
    for (k = 0; k < c->nft; k++) {
        for (i = 0; i < f->nprops; i++)
            if (strcmp(c->ft[k].name, f->prop_name[i]) == 0)
                break;
        if (i == f->nprops)
            c->ft[k].nempty++;
    }
    if (f->geom >= IM_GJ_LINESTRING && f->geom <= IM_GJ_COLLECTION)
        return 0; /* lines and polygons are no incidents, and no problem */
    return im_gj_feature_incidents(&c->b, f);
}

static int im_info_geojson(im_info *info, im_diag *d)
{
    static const char *const names[IM_GJ_UNKNOWN + 1] = {
        "None", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
        "MultiPolygon", "GeometryCollection", "unknown"};
    im_info_gj_t c;
    im_map map;
    im_source src;
    char geom[400];
    size_t o = 0;
    int i, rc = -1, kinds = 0;

    memset(&c, 0, sizeof c);
    memset(&map, 0, sizeof map);
    memset(&src, 0, sizeof src);
    c.info = info;
    c.d = d;
    map.arena = info->arena;
    src.path = info->path;
    info->format = "GeoJSON";
    info->crs = "WGS 84 (EPSG:4326)";
    info->crs_source = "RFC 7946: GeoJSON is always WGS 84";
    info->encoding = "UTF-8 (RFC 8259)";
    if (im_builder_init(&c.b, &map, &src, "property", 0, im_istats_visit, &c.st, d) != 0 ||
        im_istats_init(&c.st, info) != 0)
        goto done;
    if (im_geojson_scan(info->path, NULL, im_info_gj_feature, &c, d) != 0)
        goto done;
    geom[0] = '\0';
    for (i = 0; i <= IM_GJ_UNKNOWN; i++) {
        if (c.geoms[i] == 0)
            continue;
        kinds++;
        o += (size_t)snprintf(geom + o, sizeof geom - o, "%s%s (%lld)", o ? ", " : "", names[i],
                              c.geoms[i]);
        if (o >= sizeof geom)
            break;
    }
    if (kinds == 1) {
        for (i = 0; i <= IM_GJ_UNKNOWN; i++)
            if (c.geoms[i])
                snprintf(geom, sizeof geom, "%s", names[i]);
    }
    info->geometry = im_arena_strdup(info->arena, kinds ? geom : "None");
    info->nfields = c.nft;
    info->fields = im_info_fields(info, c.nft);
    if (!info->geometry || !info->fields)
        goto done;
    for (i = 0; i < c.nft; i++) {
        info->fields[i].name = c.ft[i].name;
        info->fields[i].type = im_ftype_name(&c.ft[i], 1);
        info->fields[i].nempty = c.ft[i].nempty;
    }
    im_info_roles(info, &c.b);
    if (c.geoms[IM_GJ_POINT] || c.geoms[IM_GJ_MULTIPOINT]) {
        info->nskipped = src.nskipped;
        if (im_istats_finish(&c.st) != 0)
            goto done;
    } else {
        info->note = "no points: usable under lines: or zones:, not as incidents";
    }
    rc = 0;
done:
    if (rc != 0 && d->status == IM_OK)
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_builder_done(&c.b, 1);
    im_istats_free(&c.st);
    free(c.ft);
    return rc;
}

/* ---- entry points ------------------------------------------------------- */

int im_info_file(const char *path, im_info **out, im_diag *d)
{
    im_arena *a = im_arena_create();
    im_info *info = a ? im_arena_alloc(a, sizeof *info) : NULL;
    struct stat st;
    int rc;
    *out = NULL;
    errno = 0;
    if (!info) {
        im_arena_destroy(a);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    info->arena = a;
    info->path = im_arena_strdup(a, path);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        const char *why = errno ? strerror(errno) : "not a regular file";
        if (errno == 0 && S_ISDIR(st.st_mode))
            why = strerror(EISDIR);
        im_info_free(info);
        return im_fail(d, IM_ERR_DATA, NULL, 0, 0, "cannot open '%s': %s", path, why);
    }
    if (im_has_suffix_ci(path, ".shp"))
        rc = im_info_shp(info, d);
    else if (im_has_suffix_ci(path, ".csv") || im_has_suffix_ci(path, ".tsv") ||
             im_has_suffix_ci(path, ".txt"))
        rc = im_info_csv(info, d);
    else if (im_has_suffix_ci(path, ".geojson") || im_has_suffix_ci(path, ".json"))
        rc = im_info_geojson(info, d);
    else
        rc = im_fail(d, IM_ERR_DATA, path, 0, 0,
                     "unknown data format (expected .shp, .csv, .tsv, .txt, .geojson or .json)");
    if (rc != 0) {
        im_info_free(info);
        return -1;
    }
    *out = info;
    return 0;
}

void im_info_free(im_info *info)
{
    if (info)
        im_arena_destroy(info->arena); /* the info lives in its arena */
}
