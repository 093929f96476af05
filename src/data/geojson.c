/* GeoJSON incident reader: yajl's streaming parser fed 64 KB at a time, so
 * a large FeatureCollection never sits in memory as a tree.  Accepts a
 * FeatureCollection, a single Feature or a bare geometry, members in any
 * order.  Point and MultiPoint features become incidents (properties are
 * mapped by the same names as CSV columns); other geometries are skipped
 * with a warning.  Features are numbered from 0, as in .features[0], and
 * located by the line their '{' is on. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "data/data.h"
#include "data/records.h"

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
 * or a bare geometry). */
typedef struct im_gj_obj {
    int line;
    int index;
    char type[32];            /* its own "type" */
    int has_geometry;         /* has a "geometry" member */
    int geometry_null;        /* ... and it is null */
    char geom_type[32];       /* that geometry's "type" */
    int has_coords;           /* coordinates were seen (its own or its geometry's) */
    int coords_bad;           /* a position with fewer than 2 numbers, or junk */
    int pos_level;            /* deepest nesting of a position (0 = Point); -1 none */
    double *xy;               /* positions at nesting 0 and 1: lon, lat pairs */
    int npos, cap;
    char *prop[IM_COL_COUNT];
    char *prop_name[IM_COL_COUNT];
    int prop_rank[IM_COL_COUNT];
} im_gj_obj;

typedef struct im_gj {
    yajl_handle h;
    im_map *map;
    const char *file;
    int strict;
    im_diag *d;

    const unsigned char *chunk;   /* the chunk being parsed */
    size_t scanned;               /* its bytes whose newlines are counted */
    int line;                     /* line of chunk[scanned] */

    int depth;
    unsigned char frame[IM_GJ_MAX_DEPTH + 2];
    im_gj_key key;                /* member name just read */
    int prop_role, prop_rank;     /* for a key inside "properties" */
    char *prop_key;
    im_gj_obj root, feat;
    im_gj_obj *cur;               /* the object geometry/properties belong to */
    int coords_depth;             /* depth of the "coordinates" array */
    double pos[2];
    int npos_vals;                /* numbers in the innermost coordinates array */
    int nfeatures;
    int saw_features;
    im_incident_sink sink;
    int failed;
} im_gj;

static void im_gj_obj_reset(im_gj_obj *o)
{
    int i;
    free(o->xy);
    for (i = 0; i < IM_COL_COUNT; i++) {
        free(o->prop[i]);
        free(o->prop_name[i]);
    }
    memset(o, 0, sizeof *o);
    o->pos_level = -1;
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

static int im_gj_reject(im_gj *g, const im_gj_obj *o, const char *why)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "feature %d: ", o->index);
    if (im_record_reject(g->d, g->strict, g->file, o->line, prefix, why) != 0) {
        g->failed = 1;
        return -1;
    }
    return 0;
}

static const char *im_gj_geometry_types[] = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection", NULL};

static int im_gj_is_geometry_type(const char *t)
{
    int i;
    for (i = 0; im_gj_geometry_types[i]; i++) {
        if (strcmp(t, im_gj_geometry_types[i]) == 0)
            return 1;
    }
    return 0;
}

static int im_gj_emit_point(im_gj *g, const im_gj_obj *o, double lon, double lat)
{
    im_record r;
    im_incident inc;
    char why[600];
    int i, rc;
    if (im_lonlat_check(lon, lat, why, sizeof why) != 0)
        return im_gj_reject(g, o, why);
    memset(&r, 0, sizeof r);
    r.what = "property";
    for (i = 0; i < IM_COL_COUNT; i++) {
        r.text[i] = o->prop[i];
        r.name[i] = o->prop_name[i];
    }
    memset(&inc, 0, sizeof inc);
    rc = im_record_fill(g->map->arena, &r, &inc, why, sizeof why);
    if (rc == -2) {
        im_gj_oom(g);
        return -1;
    }
    if (rc != 0)
        return im_gj_reject(g, o, why);
    inc.lon = lon;
    inc.lat = lat;
    inc.loc.file = g->file;
    inc.loc.line = o->line;
    inc.loc.col = 0;
    if (im_incident_sink_add(&g->sink, &inc) != 0) {
        im_gj_oom(g);
        return -1;
    }
    return 0;
}

/* A Feature (or the root) is complete: turn its points into incidents. */
static int im_gj_emit(im_gj *g, im_gj_obj *o, int is_root)
{
    const char *gtype;
    char why[200];
    int i;

    if (o->has_geometry) {
        if (o->geometry_null)
            return im_gj_reject(g, o, "no geometry (null)");
        gtype = o->geom_type;
    } else if (o->has_coords || im_gj_is_geometry_type(o->type)) {
        gtype = o->type; /* a bare geometry */
    } else if (is_root && strcmp(o->type, "FeatureCollection") == 0) {
        return 0; /* without "features": nothing in it */
    } else if (is_root && strcmp(o->type, "Feature") != 0) {
        g->failed = 1;
        return im_fail(g->d, IM_ERR_DATA, g->file, o->line, 0,
                       "not GeoJSON: expected a FeatureCollection, a Feature or a "
                       "geometry");
    } else {
        return im_gj_reject(g, o, "no geometry");
    }

    if (!*gtype)
        return im_gj_reject(g, o, "the geometry has no \"type\"");
    if (strcmp(gtype, "Point") == 0) {
        if (o->coords_bad || o->pos_level != 0 || o->npos != 1)
            return im_gj_reject(g, o, "the Point's coordinates are not [longitude, latitude]");
        return im_gj_emit_point(g, o, o->xy[0], o->xy[1]);
    }
    if (strcmp(gtype, "MultiPoint") == 0) {
        if (o->coords_bad || (o->npos > 0 && o->pos_level != 1))
            return im_gj_reject(g, o,
                                "the MultiPoint's coordinates are not a list of "
                                "[longitude, latitude]");
        if (o->npos == 0)
            return im_gj_reject(g, o, "empty MultiPoint");
        for (i = 0; i < o->npos; i++) {
            if (im_gj_emit_point(g, o, o->xy[2 * i], o->xy[2 * i + 1]) != 0)
                return -1;
        }
        return 0;
    }
    if (im_gj_is_geometry_type(gtype)) {
        /* not bad data, just not incidents: a warning even when strict */
        im_warn(g->d, g->file, o->line, 0, "feature %d: %s is not a point; skipped%s",
                o->index, gtype,
                strstr(gtype, "LineString") ? " (use it under lines:)" : "");
        return 0;
    }
    snprintf(why, sizeof why, "unknown geometry type '%.40s'", gtype);
    return im_gj_reject(g, o, why);
}

static int im_gj_push(im_gj *g, im_gj_frame f)
{
    if (g->depth >= IM_GJ_MAX_DEPTH) {
        char msg[80];
        snprintf(msg, sizeof msg, "nesting too deep (more than %d levels)",
                 IM_GJ_MAX_DEPTH);
        return im_gj_fail(g, IM_ERR_DATA, msg);
    }
    g->frame[++g->depth] = (unsigned char)f;
    g->key = IM_GJ_KEY_NONE;
    return 1;
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
        if (is_array)
            return IM_GJ_COORDS;
        g->cur->coords_bad = 1;
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
        im_gj_obj_reset(&g->root);
        g->root.line = im_gj_line_now(g);
        return im_gj_push(g, IM_GJ_ROOT);
    }
    f = im_gj_classify(g, is_array);
    if (f == IM_GJ_FEATURE) {
        im_gj_obj_reset(&g->feat);
        g->feat.index = g->nfeatures++;
        g->feat.line = im_gj_line_now(g);
    }
    if (f == IM_GJ_COORDS)
        g->npos_vals = 0;
    return im_gj_push(g, f);
}

static int im_gj_start_map(void *ctx)
{
    return im_gj_start(ctx, 0);
}

static int im_gj_start_array(void *ctx)
{
    return im_gj_start(ctx, 1);
}

static int im_gj_end(im_gj *g)
{
    im_gj_frame f;
    if (g->failed)
        return 0;
    f = (im_gj_frame)g->frame[g->depth];
    if (f == IM_GJ_COORDS) {
        int level = g->depth - g->coords_depth;
        im_gj_obj *o = g->cur;
        if (g->npos_vals > 0) {
            if (level > o->pos_level)
                o->pos_level = level;
            if (level <= 1) {
                if (g->npos_vals < 2) {
                    o->coords_bad = 1;
                } else {
                    if (o->npos == o->cap) {
                        int ncap = o->cap ? o->cap * 2 : 8;
                        double *xy = realloc(o->xy, (size_t)ncap * 2 * sizeof *xy);
                        if (!xy)
                            return im_gj_oom(g);
                        o->xy = xy;
                        o->cap = ncap;
                    }
                    o->xy[2 * o->npos] = g->pos[0];
                    o->xy[2 * o->npos + 1] = g->pos[1];
                    o->npos++;
                }
            }
        }
        g->npos_vals = 0;
    }
    g->depth--;
    g->key = IM_GJ_KEY_NONE;
    if (f == IM_GJ_FEATURE) {
        if (im_gj_emit(g, &g->feat, 0) != 0)
            return 0;
        im_gj_obj_reset(&g->feat);
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
        char name[64];
        int rank = 0;
        free(g->prop_key);
        g->prop_key = NULL;
        g->prop_role = -1;
        if (len < sizeof name) {
            memcpy(name, key, len);
            name[len] = '\0';
            g->prop_role = im_col_lookup(name, &rank);
            g->prop_rank = rank;
            if (g->prop_role >= 0) {
                g->prop_key = strdup(name);
                if (!g->prop_key)
                    return im_gj_oom(g);
            }
        }
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
static int im_gj_scalar(im_gj *g, const char *text, size_t len, int is_string, int is_number,
                        double num)
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
        if (g->key == IM_GJ_KEY_TYPE && is_string) {
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
        if (!is_number) {
            g->cur->coords_bad = 1;
        } else {
            if (g->npos_vals < 2)
                g->pos[g->npos_vals] = num;
            g->npos_vals++;
        }
        break;
    case IM_GJ_PROPS:
        if (g->prop_role >= 0 && g->prop_key) {
            im_gj_obj *o = g->cur;
            int role = g->prop_role;
            if (!o->prop_name[role] || g->prop_rank < o->prop_rank[role]) {
                char *val = malloc(len + 1);
                if (!val)
                    return im_gj_oom(g);
                if (len)
                    memcpy(val, text, len);
                val[len] = '\0';
                free(o->prop[role]);
                free(o->prop_name[role]);
                o->prop[role] = val;
                o->prop_name[role] = g->prop_key;
                o->prop_rank[role] = g->prop_rank;
                g->prop_key = NULL;
            }
        }
        break;
    default:
        break;
    }
    g->key = IM_GJ_KEY_NONE;
    return 1;
}

static int im_gj_null(void *ctx)
{
    return im_gj_scalar(ctx, NULL, 0, 0, 0, 0);
}

static int im_gj_boolean(void *ctx, int v)
{
    return im_gj_scalar(ctx, v ? "true" : "false", v ? 4 : 5, 0, 0, 0);
}

static int im_gj_number(void *ctx, const char *s, size_t len)
{
    im_gj *g = ctx;
    char buf[64], *tmp = NULL;
    const char *z = buf;
    double v;
    int rc;
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
    rc = im_gj_scalar(g, s, len, 0, 1, v);
    return rc;
}

static int im_gj_string(void *ctx, const unsigned char *s, size_t len)
{
    const char *t = (const char *)s;
    /* a string with an escaped NUL is cut there */
    const char *nul = memchr(t, '\0', len);
    return im_gj_scalar(ctx, t, nul ? (size_t)(nul - t) : len, 1, 0, 0);
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

int im_geojson_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d)
{
    unsigned char *chunk = NULL;
    FILE *f = NULL;
    int rc = -1, first = 1, any = 0, nbefore = map->nincidents;
    yajl_status st;
    im_gj g;

    memset(&g, 0, sizeof g);
    g.map = map;
    g.file = src->path;
    g.strict = strict;
    g.d = d;
    g.line = 1;
    g.prop_role = -1;
    g.root.pos_level = -1;
    g.feat.pos_level = -1;
    g.cur = &g.root;
    im_incident_sink_init(&g.sink, map);

    f = fopen(src->path, "rb");
    if (!f) {
        im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                "cannot open '%s': %s", src->path, strerror(errno));
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
    if (rc != 0)
        map->nincidents = nbefore; /* a file that fails adds nothing */
    if (g.h)
        yajl_free(g.h);
    if (f)
        fclose(f);
    free(chunk);
    free(g.prop_key);
    im_gj_obj_reset(&g.root);
    im_gj_obj_reset(&g.feat);
    return rc;
}
