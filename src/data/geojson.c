/* GeoJSON (RFC 7946) through yajl's streaming parser: the scanner that
 * hands out one feature at a time with its geometry and properties, and
 * the incident reader on top of it (Point and MultiPoint features become
 * incidents; properties are found by the same names as CSV columns).
 * Features are numbered from 0, as in .features[0], and located by the
 * line and byte offset of their '{'. */
#include "data/geojson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "data/data.h"
#include "data/records.h"
#include "data/text.h"

#define IM_GJ_CHUNK (64 * 1024)
#define IM_GJ_MAX_DEPTH 64

/* What the container at each nesting level is. */
typedef enum {
    IM_GJ_SKIP = 0,   /* of no interest: its contents are ignored */
    IM_GJ_ROOT,       /* the top-level object */
    IM_GJ_FEATURES,   /* the "features" array */
    IM_GJ_FEATURE,    /* one element of "features" */
    IM_GJ_GEOMETRY,   /* a "geometry" object */
    IM_GJ_COORDS,     /* a "coordinates" array or an array inside it */
    IM_GJ_PROPS       /* a "properties" object */
} im_gj_frame;

/* The member a value belongs to. */
typedef enum {
    IM_GJ_KEY_NONE = 0,
    IM_GJ_KEY_TYPE,
    IM_GJ_KEY_FEATURES,
    IM_GJ_KEY_GEOMETRY,
    IM_GJ_KEY_PROPERTIES,
    IM_GJ_KEY_COORDINATES,
    IM_GJ_KEY_OTHER
} im_gj_key;

/* A Feature being read, or the root object (which may itself be a Feature
 * or a bare geometry).  Its buffers are kept from feature to feature. */
typedef struct im_gj_obj {
    int line;
    long long offset;
    int index;
    char type[32];            /* its own "type" */
    int has_geometry;         /* has a "geometry" member */
    int geometry_null;        /* ... and it is null */
    char geom_type[32];       /* that geometry's "type" */
    int has_coords;           /* coordinates were seen (its own or its geometry's) */
    int coords_bad;           /* a position with fewer than 2 numbers, or junk */
    int min_level, max_level; /* nesting of positions (0 = the coordinates are one) */
    long last_parent, last_grand;
    double *xy;
    int npos, cap;
    int *part_start;
    int nparts, pcap;
    int *poly_start;
    int npolys, ycap;
    /* properties: names and values NUL-terminated in pbuf */
    char *pbuf;
    size_t plen, pbcap;
    size_t *name_off, *val_off;
    char *kind;
    int nprops, kcap;
    char bad_utf8[64];        /* the first property with bytes that are not UTF-8 */
} im_gj_obj;

typedef struct im_gj {
    yajl_handle h;
    const char *file;
    im_diag *d;
    im_gj_feature_fn fn;
    void *user;

    const unsigned char *chunk;   /* the chunk being parsed */
    size_t scanned;               /* its bytes whose newlines are counted */
    int line;                     /* line of chunk[scanned] */
    long long base;               /* file offset of chunk[0] */

    int depth;
    unsigned char frame[IM_GJ_MAX_DEPTH + 2];
    long serial[IM_GJ_MAX_DEPTH + 2];   /* which array is open at each depth */
    unsigned char had_child[IM_GJ_MAX_DEPTH + 2];
    long next_serial;
    im_gj_key key;                /* member name just read */
    im_gj_obj root, feat;
    im_gj_obj *cur;               /* the object geometry/properties belong to */
    int coords_depth;             /* depth of the "coordinates" array */
    double pos[2];
    int npos_vals;                /* numbers in the innermost coordinates array */
    int nfeatures;
    int saw_features;
    char *pkey;                   /* the property name just read, until its value */
    size_t pkey_len;
    /* what the callback gets */
    const char **names, **values;
    int ncap;
    int failed;
} im_gj;

static void im_gj_obj_clear(im_gj_obj *o)
{
    o->line = 0;
    o->offset = 0;
    o->index = 0;
    o->type[0] = o->geom_type[0] = '\0';
    o->has_geometry = o->geometry_null = o->has_coords = o->coords_bad = 0;
    o->min_level = 1 << 20;
    o->max_level = -1;
    o->last_parent = o->last_grand = -2;
    o->npos = o->nparts = o->npolys = 0;
    o->plen = 0;
    o->nprops = 0;
    o->bad_utf8[0] = '\0';
}

static void im_gj_obj_free(im_gj_obj *o)
{
    free(o->xy);
    free(o->part_start);
    free(o->poly_start);
    free(o->pbuf);
    free(o->name_off);
    free(o->val_off);
    free(o->kind);
    memset(o, 0, sizeof *o);
}

/* Current line: count the newlines yajl has consumed since we last looked. */
static int im_gj_line_now(im_gj *g)
{
    size_t upto = yajl_get_bytes_consumed(g->h);
    for (; g->scanned < upto; g->scanned++) {
        if (g->chunk[g->scanned] == '\n')
            g->line++;
    }
    return g->line;
}

static int im_gj_fail(im_gj *g, im_status st, const char *msg)
{
    g->failed = 1;
    im_fail(g->d, st, g->file, im_gj_line_now(g), 0, "%s", msg);
    return 0; /* cancels the parse */
}

static int im_gj_oom(im_gj *g)
{
    return im_gj_fail(g, IM_ERR_INTERNAL, "out of memory");
}

static const struct {
    const char *name;
    im_gj_geom geom;
    int level;         /* nesting of its positions */
} im_gj_types[] = {
    {"Point", IM_GJ_POINT, 0},
    {"MultiPoint", IM_GJ_MULTIPOINT, 1},
    {"LineString", IM_GJ_LINESTRING, 1},
    {"MultiLineString", IM_GJ_MULTILINESTRING, 2},
    {"Polygon", IM_GJ_POLYGON, 2},
    {"MultiPolygon", IM_GJ_MULTIPOLYGON, 3},
    {"GeometryCollection", IM_GJ_COLLECTION, -1},
};

static int im_gj_type_index(const char *t)
{
    size_t i;
    for (i = 0; i < sizeof im_gj_types / sizeof im_gj_types[0]; i++) {
        if (strcmp(t, im_gj_types[i].name) == 0)
            return (int)i;
    }
    return -1;
}

void im_gj_prefix(const im_gj_feature *f, char *buf, size_t size)
{
    snprintf(buf, size, "feature %d (byte %lld): ", f->index, f->offset);
}

/* Hand a complete feature (or a root that is one) to the callback; GTYPE is
 * its geometry's type, "" when it has none (HAS_GEOMETRY: it should). */
static int im_gj_emit_obj(im_gj *g, im_gj_obj *o, const char *gtype, int has_geometry)
{
    im_gj_feature f;
    int i, ti;
    memset(&f, 0, sizeof f);
    f.index = o->index;
    f.line = o->line;
    f.offset = o->offset;
    f.type = gtype;
    f.geometry_null = o->geometry_null;
    ti = *gtype ? im_gj_type_index(gtype) : -1;
    if (o->geometry_null || (!*gtype && !has_geometry))
        f.geom = IM_GJ_NONE;
    else
        f.geom = ti < 0 ? IM_GJ_UNKNOWN : im_gj_types[ti].geom;
    if (ti >= 0 && im_gj_types[ti].level >= 0) {
        int want = im_gj_types[ti].level;
        if (o->coords_bad)
            f.bad = "a position is not [longitude, latitude]";
        else if (!o->has_coords)
            f.bad = "no coordinates";
        else if (o->npos > 0 && (o->min_level != o->max_level || o->max_level != want))
            f.bad = want == 0   ? "the coordinates are not [longitude, latitude]"
                    : want == 1 ? "the coordinates are not a list of [longitude, latitude]"
                    : want == 2 ? "the coordinates are not a list of lists of positions"
                                : "the coordinates are not a list of polygons";
        else if (f.geom == IM_GJ_POINT && o->npos != 1)
            f.bad = "the coordinates are not [longitude, latitude]";
        else if (f.geom == IM_GJ_LINESTRING || f.geom == IM_GJ_MULTILINESTRING) {
            for (i = 0; i < o->nparts; i++) {
                int end = i + 1 < o->nparts ? o->part_start[i + 1] : o->npos;
                if (end - o->part_start[i] < 2)
                    f.bad = "a line has fewer than 2 positions";
            }
        } else if (f.geom == IM_GJ_POLYGON || f.geom == IM_GJ_MULTIPOLYGON) {
            for (i = 0; i < o->nparts; i++) {
                int end = i + 1 < o->nparts ? o->part_start[i + 1] : o->npos;
                if (end - o->part_start[i] < 3)
                    f.bad = "a ring has fewer than 3 positions";
            }
        }
    }
    f.xy = o->xy;
    f.npos = o->npos;
    f.part_start = o->part_start;
    f.nparts = o->nparts;
    f.poly_start = o->poly_start;
    f.npolys = o->npolys;
    if (o->nprops > g->ncap) {
        int ncap = o->nprops * 2;
        const char **n = realloc(g->names, (size_t)ncap * sizeof *n);
        const char **v;
        if (!n)
            return im_gj_oom(g), -1;
        g->names = n;
        v = realloc(g->values, (size_t)ncap * sizeof *v);
        if (!v)
            return im_gj_oom(g), -1;
        g->values = v;
        g->ncap = ncap;
    }
    for (i = 0; i < o->nprops; i++) {
        g->names[i] = o->pbuf + o->name_off[i];
        g->values[i] = o->pbuf + o->val_off[i];
    }
    f.prop_name = g->names;
    f.prop_value = g->values;
    f.prop_kind = o->kind;
    f.nprops = o->nprops;
    f.bad_utf8 = o->bad_utf8[0] ? o->bad_utf8 : NULL;
    if (g->fn(g->user, &f) != 0) {
        g->failed = 1;
        return -1;
    }
    return 0;
}

/* A Feature (or the root) is complete. */
static int im_gj_emit(im_gj *g, im_gj_obj *o, int is_root)
{
    if (o->has_geometry)
        return im_gj_emit_obj(g, o, o->geometry_null ? "" : o->geom_type, 1);
    if (o->has_coords || im_gj_type_index(o->type) >= 0)
        return im_gj_emit_obj(g, o, o->type, 1); /* a bare geometry */
    if (is_root && strcmp(o->type, "FeatureCollection") == 0)
        return 0; /* without "features": nothing in it */
    if (is_root && strcmp(o->type, "Feature") != 0) {
        g->failed = 1;
        return im_fail(g->d, IM_ERR_DATA, g->file, o->line, 0,
                       "not GeoJSON: expected a FeatureCollection, a Feature or a "
                       "geometry");
    }
    return im_gj_emit_obj(g, o, "", 0); /* a Feature without geometry */
}

static int im_gj_push(im_gj *g, im_gj_frame f, int is_array)
{
    if (g->depth >= IM_GJ_MAX_DEPTH) {
        char msg[80];
        snprintf(msg, sizeof msg, "nesting too deep (more than %d levels)",
                 IM_GJ_MAX_DEPTH);
        return im_gj_fail(g, IM_ERR_DATA, msg);
    }
    if (g->depth > 0)
        g->had_child[g->depth] = 1;
    g->depth++;
    g->frame[g->depth] = (unsigned char)f;
    g->serial[g->depth] = is_array ? g->next_serial++ : -1;
    g->had_child[g->depth] = 0;
    g->key = IM_GJ_KEY_NONE;
    return 1;
}

/* Append property NAME (LEN bytes) with VALUE (VLEN bytes, NULL: "") of
 * KIND to O. */
static int im_gj_prop(im_gj_obj *o, const char *name, size_t len, const char *value,
                      size_t vlen, char kind)
{
    size_t need = o->plen + len + vlen + 2;
    if (need > o->pbcap) {
        size_t ncap = o->pbcap ? o->pbcap : 512;
        char *p;
        while (ncap < need)
            ncap *= 2;
        p = realloc(o->pbuf, ncap);
        if (!p)
            return -1;
        o->pbuf = p;
        o->pbcap = ncap;
    }
    if (o->nprops == o->kcap) {
        int ncap = o->kcap ? o->kcap * 2 : 16;
        size_t *no = realloc(o->name_off, (size_t)ncap * sizeof *no), *vo;
        char *k;
        if (!no)
            return -1;
        o->name_off = no;
        vo = realloc(o->val_off, (size_t)ncap * sizeof *vo);
        if (!vo)
            return -1;
        o->val_off = vo;
        k = realloc(o->kind, (size_t)ncap);
        if (!k)
            return -1;
        o->kind = k;
        o->kcap = ncap;
    }
    o->name_off[o->nprops] = o->plen;
    memcpy(o->pbuf + o->plen, name, len);
    o->plen += len;
    o->pbuf[o->plen++] = '\0';
    o->val_off[o->nprops] = o->plen;
    if (vlen)
        memcpy(o->pbuf + o->plen, value, vlen);
    o->plen += vlen;
    o->pbuf[o->plen++] = '\0';
    o->kind[o->nprops] = kind;
    o->nprops++;
    return 0;
}

/* Which frame a container opening here is (IS_ARRAY: '[' rather than '{'). */
static im_gj_frame im_gj_classify(im_gj *g, int is_array)
{
    im_gj_frame parent = g->depth ? (im_gj_frame)g->frame[g->depth] : IM_GJ_SKIP;
    im_gj_key key = g->key;
    switch (parent) {
    case IM_GJ_ROOT:
    case IM_GJ_FEATURE: {
        im_gj_obj *o = parent == IM_GJ_ROOT ? &g->root : &g->feat;
        if (parent == IM_GJ_ROOT && key == IM_GJ_KEY_FEATURES && is_array) {
            g->saw_features = 1;
            return IM_GJ_FEATURES;
        }
        if (key == IM_GJ_KEY_GEOMETRY && !is_array) {
            g->cur = o;
            o->has_geometry = 1;
            o->geometry_null = 0;
            return IM_GJ_GEOMETRY;
        }
        if (key == IM_GJ_KEY_PROPERTIES && !is_array) {
            g->cur = o;
            return IM_GJ_PROPS;
        }
        if (parent == IM_GJ_ROOT && key == IM_GJ_KEY_COORDINATES && is_array) {
            g->cur = o;
            o->has_coords = 1;
            g->coords_depth = g->depth + 1;
            return IM_GJ_COORDS;
        }
        return IM_GJ_SKIP;
    }
    case IM_GJ_FEATURES:
        return is_array ? IM_GJ_SKIP : IM_GJ_FEATURE;
    case IM_GJ_GEOMETRY:
        if (key == IM_GJ_KEY_COORDINATES && is_array) {
            g->cur->has_coords = 1;
            g->coords_depth = g->depth + 1;
            return IM_GJ_COORDS;
        }
        return IM_GJ_SKIP;
    case IM_GJ_COORDS:
        if (is_array) {
            if (g->npos_vals > 0)
                g->cur->coords_bad = 1; /* [1, [2, 3]] */
            return IM_GJ_COORDS;
        }
        g->cur->coords_bad = 1;
        return IM_GJ_SKIP;
    case IM_GJ_PROPS:
        /* an object or array as a property's value: named, not read */
        if (g->key == IM_GJ_KEY_OTHER && g->pkey) {
            if (im_gj_prop(g->cur, g->pkey, g->pkey_len, NULL, 0, 'o') != 0)
                im_gj_oom(g);
        }
        return IM_GJ_SKIP;
    default:
        return IM_GJ_SKIP;
    }
}

static int im_gj_start(im_gj *g, int is_array)
{
    im_gj_frame f;
    if (g->failed)
        return 0;
    if (g->depth == 0) {
        if (is_array)
            return im_gj_fail(g, IM_ERR_DATA,
                              "not GeoJSON: the top level is an array, expected an object");
        im_gj_obj_clear(&g->root);
        g->root.line = im_gj_line_now(g);
        g->root.offset = g->base + (long long)yajl_get_bytes_consumed(g->h) - 1;
        return im_gj_push(g, IM_GJ_ROOT, 0);
    }
    f = im_gj_classify(g, is_array);
    if (g->failed)
        return 0;
    if (f == IM_GJ_FEATURE) {
        im_gj_obj_clear(&g->feat);
        g->feat.index = g->nfeatures++;
        g->feat.line = im_gj_line_now(g);
        g->feat.offset = g->base + (long long)yajl_get_bytes_consumed(g->h) - 1;
    }
    if (f == IM_GJ_COORDS)
        g->npos_vals = 0;
    return im_gj_push(g, f, is_array);
}

static int im_gj_start_map(void *ctx)
{
    return im_gj_start(ctx, 0);
}

static int im_gj_start_array(void *ctx)
{
    return im_gj_start(ctx, 1);
}

/* A position array closed at depth DEPTH: append it to the object. */
static int im_gj_position(im_gj *g, im_gj_obj *o, int depth)
{
    int level = depth - g->coords_depth;
    long parent = depth - 1 >= g->coords_depth ? g->serial[depth - 1] : -1;
    long grand = depth - 2 >= g->coords_depth ? g->serial[depth - 2] : -1;
    if (level < o->min_level)
        o->min_level = level;
    if (level > o->max_level)
        o->max_level = level;
    if (g->npos_vals < 2) {
        o->coords_bad = 1;
        return 0;
    }
    if (grand != o->last_grand || o->npolys == 0) {
        if (o->npolys == o->ycap) {
            int ncap = o->ycap ? o->ycap * 2 : 4;
            int *p = realloc(o->poly_start, (size_t)ncap * sizeof *p);
            if (!p)
                return -1;
            o->poly_start = p;
            o->ycap = ncap;
        }
        o->poly_start[o->npolys++] = o->nparts;
        o->last_grand = grand;
        o->last_parent = -3; /* a new polygon starts a new part */
    }
    if (parent != o->last_parent) {
        if (o->nparts == o->pcap) {
            int ncap = o->pcap ? o->pcap * 2 : 8;
            int *p = realloc(o->part_start, (size_t)ncap * sizeof *p);
            if (!p)
                return -1;
            o->part_start = p;
            o->pcap = ncap;
        }
        o->part_start[o->nparts++] = o->npos;
        o->last_parent = parent;
    }
    if (o->npos == o->cap) {
        int ncap = o->cap ? o->cap * 2 : 16;
        double *xy = realloc(o->xy, (size_t)ncap * 2 * sizeof *xy);
        if (!xy)
            return -1;
        o->xy = xy;
        o->cap = ncap;
    }
    o->xy[2 * o->npos] = g->pos[0];
    o->xy[2 * o->npos + 1] = g->pos[1];
    o->npos++;
    return 0;
}

static int im_gj_end(im_gj *g)
{
    im_gj_frame f;
    if (g->failed)
        return 0;
    f = (im_gj_frame)g->frame[g->depth];
    if (f == IM_GJ_COORDS) {
        if (g->npos_vals > 0) {
            if (g->had_child[g->depth])
                g->cur->coords_bad = 1;
            else if (im_gj_position(g, g->cur, g->depth) != 0)
                return im_gj_oom(g);
        }
        g->npos_vals = 0;
    }
    g->depth--;
    g->key = IM_GJ_KEY_NONE;
    if (f == IM_GJ_FEATURE) {
        if (im_gj_emit(g, &g->feat, 0) != 0)
            return 0;
    } else if (f == IM_GJ_ROOT) {
        if (!g->saw_features && im_gj_emit(g, &g->root, 1) != 0)
            return 0;
    }
    return 1;
}

static int im_gj_end_map(void *ctx)
{
    return im_gj_end(ctx);
}

static int im_gj_end_array(void *ctx)
{
    return im_gj_end(ctx);
}

static int im_gj_map_key(void *ctx, const unsigned char *key, size_t len)
{
    im_gj *g = ctx;
    im_gj_frame f;
    if (g->failed)
        return 0;
    f = (im_gj_frame)g->frame[g->depth];
    g->key = IM_GJ_KEY_OTHER;
    if (f == IM_GJ_PROPS) {
        const char *nul = memchr(key, '\0', len);
        char *p = realloc(g->pkey, len + 1);
        if (!p)
            return im_gj_oom(g);
        memcpy(p, key, len);
        p[len] = '\0';
        g->pkey = p;
        g->pkey_len = nul ? (size_t)(nul - (const char *)key) : len;
        if (!g->cur->bad_utf8[0] && !im_utf8_valid(p, g->pkey_len))
            snprintf(g->cur->bad_utf8, sizeof g->cur->bad_utf8, "(a property name)");
        return 1;
    }
#define IM_GJ_IS(s) (len == sizeof(s) - 1 && memcmp(key, s, len) == 0)
    if (IM_GJ_IS("type"))
        g->key = IM_GJ_KEY_TYPE;
    else if (IM_GJ_IS("features"))
        g->key = IM_GJ_KEY_FEATURES;
    else if (IM_GJ_IS("geometry"))
        g->key = IM_GJ_KEY_GEOMETRY;
    else if (IM_GJ_IS("properties"))
        g->key = IM_GJ_KEY_PROPERTIES;
    else if (IM_GJ_IS("coordinates"))
        g->key = IM_GJ_KEY_COORDINATES;
#undef IM_GJ_IS
    return 1;
}

/* A scalar value: TEXT (LEN bytes) is a string's contents, a number as
 * written, "true"/"false", or NULL for null. */
static int im_gj_scalar(im_gj *g, const char *text, size_t len, char kind, double num)
{
    im_gj_frame f;
    if (g->failed)
        return 0;
    if (g->depth == 0)
        return im_gj_fail(g, IM_ERR_DATA,
                          "not GeoJSON: the top level is not an object");
    f = (im_gj_frame)g->frame[g->depth];
    switch (f) {
    case IM_GJ_ROOT:
    case IM_GJ_FEATURE:
    case IM_GJ_GEOMETRY: {
        im_gj_obj *o = f == IM_GJ_ROOT ? &g->root : f == IM_GJ_FEATURE ? &g->feat : g->cur;
        if (g->key == IM_GJ_KEY_TYPE && kind == 's') {
            char *dst = f == IM_GJ_GEOMETRY ? o->geom_type : o->type;
            size_t n = len < 31 ? len : 31;
            memcpy(dst, text, n);
            dst[n] = '\0';
        } else if (g->key == IM_GJ_KEY_GEOMETRY && f != IM_GJ_GEOMETRY && !text) {
            o->has_geometry = 1;
            o->geometry_null = 1;
        }
        break;
    }
    case IM_GJ_COORDS:
        if (kind != 'n' || g->had_child[g->depth]) {
            g->cur->coords_bad = 1;
        } else {
            if (g->npos_vals < 2)
                g->pos[g->npos_vals] = num;
            g->npos_vals++;
        }
        break;
    case IM_GJ_PROPS:
        if (kind == 's' && !g->cur->bad_utf8[0] && !im_utf8_valid(text, len))
            snprintf(g->cur->bad_utf8, sizeof g->cur->bad_utf8, "%.*s",
                     (int)(g->pkey_len < 40 ? g->pkey_len : 40), g->pkey ? g->pkey : "");
        if (g->pkey &&
            im_gj_prop(g->cur, g->pkey, g->pkey_len, text, text ? len : 0,
                       kind) != 0)
            return im_gj_oom(g);
        break;
    default:
        break;
    }
    g->key = IM_GJ_KEY_NONE;
    return 1;
}

static int im_gj_null(void *ctx)
{
    return im_gj_scalar(ctx, NULL, 0, '0', 0);
}

static int im_gj_boolean(void *ctx, int v)
{
    return im_gj_scalar(ctx, v ? "true" : "false", v ? 4 : 5, 'b', 0);
}

static int im_gj_number(void *ctx, const char *s, size_t len)
{
    im_gj *g = ctx;
    char buf[64], *tmp = NULL;
    const char *z = buf;
    double v;
    if (g->failed)
        return 0;
    if (len < sizeof buf) {
        memcpy(buf, s, len);
        buf[len] = '\0';
    } else {
        tmp = malloc(len + 1);
        if (!tmp)
            return im_gj_oom(g);
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        z = tmp;
    }
    v = strtod(z, NULL);
    if (!isfinite(v)) {
        char msg[120];
        snprintf(msg, sizeof msg, "number %.40s%s is out of range", z,
                 len > 40 ? "..." : "");
        free(tmp);
        return im_gj_fail(g, IM_ERR_DATA, msg);
    }
    free(tmp);
    return im_gj_scalar(g, s, len, 'n', v);
}

static int im_gj_string(void *ctx, const unsigned char *s, size_t len)
{
    const char *t = (const char *)s;
    /* a string with an escaped NUL is cut there */
    const char *nul = memchr(t, '\0', len);
    return im_gj_scalar(ctx, t, nul ? (size_t)(nul - t) : len, 's', 0);
}

static const yajl_callbacks im_gj_callbacks = {
    im_gj_null,      im_gj_boolean,  NULL,           NULL,
    im_gj_number,    im_gj_string,   im_gj_start_map, im_gj_map_key,
    im_gj_end_map,   im_gj_start_array, im_gj_end_array};

/* Report yajl's own error ("parse error: premature EOF") at the line of
 * the byte it stopped at. */
static void im_gj_syntax_error(im_gj *g)
{
    unsigned char *msg;
    char clean[200];
    size_t k;
    im_gj_line_now(g);
    msg = yajl_get_error(g->h, 0, NULL, 0);
    snprintf(clean, sizeof clean, "%s", msg ? (const char *)msg : "syntax error");
    if (msg)
        yajl_free_error(g->h, msg);
    k = strlen(clean);
    while (k > 0 && (clean[k - 1] == '\n' || clean[k - 1] == ' ' || clean[k - 1] == '.'))
        clean[--k] = '\0';
    im_fail(g->d, IM_ERR_DATA, g->file, g->line, 0, "invalid JSON: %s%s", clean,
            strstr(clean, "premature EOF") ? " (the file is truncated?)" : "");
}

int im_geojson_scan(const char *path, const im_loc *named_at, im_gj_feature_fn fn, void *user,
                    im_diag *d)
{
    unsigned char *chunk = NULL;
    FILE *f = NULL;
    int rc = -1, first = 1, any = 0;
    yajl_status st;
    im_gj g;

    memset(&g, 0, sizeof g);
    g.file = path;
    g.d = d;
    g.fn = fn;
    g.user = user;
    g.line = 1;
    g.cur = &g.root;
    im_gj_obj_clear(&g.root);
    im_gj_obj_clear(&g.feat);

    f = fopen(path, "rb");
    if (f)
        im_diag_dep(d, path);
    if (!f) {
        if (named_at)
            im_fail(d, IM_ERR_DATA, named_at->file, named_at->line, named_at->col,
                    "cannot open '%s': %s", path, strerror(errno));
        else
            im_fail(d, IM_ERR_DATA, NULL, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        goto done;
    }
    chunk = malloc(IM_GJ_CHUNK);
    g.h = yajl_alloc(&im_gj_callbacks, NULL, &g);
    if (!chunk || !g.h) {
        im_fail(d, IM_ERR_INTERNAL, g.file, 0, 0, "out of memory");
        goto done;
    }
    /* plain JSON only: no comments, one value, nothing after it */
    yajl_config(g.h, yajl_allow_comments, 0);
    yajl_config(g.h, yajl_allow_multiple_values, 0);
    yajl_config(g.h, yajl_allow_trailing_garbage, 0);
    /* bytes that are not UTF-8 spoil one feature, not the file: checked
     * in the properties, where they matter */
    yajl_config(g.h, yajl_dont_validate_strings, 1);

    for (;;) {
        size_t n = fread(chunk, 1, IM_GJ_CHUNK, f), skip = 0, i;
        if (n == 0) {
            if (ferror(f)) {
                im_fail(d, IM_ERR_DATA, g.file, g.line, 0, "read error: %s",
                        strerror(errno));
                goto done;
            }
            break;
        }
        if (first) {
            first = 0;
            if (n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
                skip = 3;
            g.base = (long long)skip;
        }
        for (i = skip; i < n && !any; i++) {
            if (chunk[i] != ' ' && chunk[i] != '\t' && chunk[i] != '\r' && chunk[i] != '\n')
                any = 1;
        }
        g.chunk = chunk + skip;
        g.scanned = 0;
        st = yajl_parse(g.h, chunk + skip, n - skip);
        if (st == yajl_status_client_canceled || g.failed)
            goto done;
        if (st != yajl_status_ok) {
            im_gj_syntax_error(&g);
            goto done;
        }
        for (; g.scanned < n - skip; g.scanned++) {
            if (g.chunk[g.scanned] == '\n')
                g.line++;
        }
        g.base += (long long)(n - skip);
    }
    if (!any) {
        im_fail(d, IM_ERR_DATA, g.file, 0, 0, "empty file");
        goto done;
    }
    g.chunk = (const unsigned char *)"";
    g.scanned = 0;
    st = yajl_complete_parse(g.h);
    if (st == yajl_status_client_canceled || g.failed)
        goto done;
    if (st != yajl_status_ok) {
        im_gj_syntax_error(&g);
        goto done;
    }
    rc = 0;

done:
    if (g.h)
        yajl_free(g.h);
    if (f)
        fclose(f);
    free(chunk);
    free(g.pkey);
    im_gj_obj_free(&g.root);
    im_gj_obj_free(&g.feat);
    free(g.names);
    free(g.values);
    return rc;
}

/* ---- incidents -------------------------------------------------------- */

typedef struct im_gjinc {
    im_builder b;
} im_gjinc;

static int im_gjinc_feature(void *user, const im_gj_feature *f)
{
    im_gjinc *c = user;
    char prefix[64];
    if (f->geom >= IM_GJ_LINESTRING && f->geom <= IM_GJ_COLLECTION) {
        /* not bad data, just not incidents: a warning even when strict */
        im_gj_prefix(f, prefix, sizeof prefix);
        im_warn(c->b.d, c->b.file, f->line, 0, "%s%s is not a point; skipped%s", prefix,
                f->type,
                f->geom == IM_GJ_LINESTRING || f->geom == IM_GJ_MULTILINESTRING
                    ? " (use it under lines:)"
                : f->geom == IM_GJ_POLYGON || f->geom == IM_GJ_MULTIPOLYGON
                    ? " (use it under zones:)"
                    : "");
        return 0;
    }
    return im_gj_feature_incidents(&c->b, f);
}

int im_gj_feature_incidents(void *builder, const im_gj_feature *f)
{
    im_builder *b = builder;
    im_record r;
    int rank[IM_COL_COUNT], i;
    char prefix[64], why[200];
    im_gj_prefix(f, prefix, sizeof prefix);
    if (f->geom == IM_GJ_NONE) {
        b->src->nrecords++;
        return im_builder_reject(b, f->line, prefix,
                                 f->geometry_null ? "no geometry (null)" : "no geometry");
    }
    if (f->geom == IM_GJ_UNKNOWN) {
        b->src->nrecords++;
        if (*f->type)
            snprintf(why, sizeof why, "unknown geometry type '%.40s'", f->type);
        else
            snprintf(why, sizeof why, "the geometry has no \"type\"");
        return im_builder_reject(b, f->line, prefix, why);
    }
    if (f->geom != IM_GJ_POINT && f->geom != IM_GJ_MULTIPOINT)
        return 0;
    if (f->bad) {
        b->src->nrecords++;
        snprintf(why, sizeof why, "%s: %s", f->type, f->bad);
        return im_builder_reject(b, f->line, prefix, why);
    }
    if (f->geom == IM_GJ_MULTIPOINT && f->npos == 0) {
        b->src->nrecords++;
        return im_builder_reject(b, f->line, prefix, "empty MultiPoint");
    }
    if (f->bad_utf8) {
        b->src->nrecords++;
        snprintf(why, sizeof why, "invalid UTF-8 in property '%s' (save the file as UTF-8)",
                 f->bad_utf8);
        return im_builder_reject(b, f->line, prefix, why);
    }
    memset(&r, 0, sizeof r);
    r.what = "property";
    for (i = 0; i < IM_COL_COUNT; i++)
        rank[i] = 1 << 30;
    for (i = 0; i < f->nprops; i++) {
        int k = 0, role = im_builder_role(b, f->prop_name[i], &k);
        if (role >= 0 && k < rank[role] && f->prop_kind[i] != 'o') {
            rank[role] = k;
            r.text[role] = f->prop_value[i];
            r.name[role] = f->prop_name[i];
        }
    }
    r.field_name = f->prop_name;
    r.field_value = f->prop_value;
    r.nfields = f->nprops;
    for (i = 0; i < f->npos; i++) {
        if (im_builder_add(b, &r, f->xy + 2 * i, 0, f->line, prefix) != 0)
            return -1;
    }
    return 0;
}

int im_geojson_read(im_map *map, im_source *src, int strict, im_incident_fn visit,
                    void *user, im_diag *d)
{
    im_gjinc c;
    int rc = -1;
    memset(&c, 0, sizeof c);
    if (im_builder_init(&c.b, map, src, "property", strict, visit, user, d) != 0)
        goto done;
    if (im_geojson_scan(src->path, &src->loc, im_gjinc_feature, &c, d) != 0)
        goto done;
    if (im_builder_finish(&c.b) != 0)
        goto done;
    rc = 0;
done:
    im_builder_done(&c.b, rc == 0);
    return rc;
}

int im_geojson_read_incidents(im_map *map, im_source *src, int strict, im_diag *d)
{
    return im_geojson_read(map, src, strict, NULL, NULL, d);
}
