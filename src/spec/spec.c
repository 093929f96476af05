/* The map file's schema: a YAML tree (yaml_tree.h) -> im_map.
 *
 * Owns the key names, defaults, ranges and messages of the map file; the
 * --set overrides, which are applied to the tree before it is converted;
 * and the existence checks of the files a map names.  Every error points at
 * the offending node (file:line:col), or at "--set" for an override. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/util.h"
#include "data/data.h"
#include "incimap/error.h"
#include "incimap/map.h"
#include "spec/include.h"
#include "spec/spec.h"
#include "spec/theme.h"
#include "spec/yaml_tree.h"

#define SET_FILE "--set" /* the "file" of errors in overrides */
#define MAX_SET_DEPTH 16

typedef struct spec {
    im_map *m;
    im_arena *a;  /* the map's arena: everything kept is copied here */
    im_diag *d;
    int sources_cap;
    /* im_map_read_all: the node the last error was at, and the nodes whose
     * errors only follow from an earlier one (not reported again) */
    const im_ynode *fail_node;
    const im_ynode **damaged;
    int ndamaged;
} spec;

/* ---- diagnostics */

/* im_map_read_all: a list item taken out after an error (a base, a zone,
 * ...) is replaced by this node, which the list readers skip, so that the
 * items after it keep their index in messages. */
static im_ynode im_spec_gone = {.kind = IM_YNODE_SCALAR, .str = "", .plain = 1, .weight = 1};
#define GONE(n) ((n) == &im_spec_gone)

static int sfail(spec *s, const im_ynode *n, im_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Fail at node N.  Values that came from --set are reported as "--set"
 * (an IM_ERR_USAGE for what would be a map-file error). */
static int sfail(spec *s, const im_ynode *n, im_status st, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    int i;
    s->fail_node = n;
    if (GONE(n))
        return -1;
    for (i = 0; n && i < s->ndamaged; i++)
        if (s->damaged[i] == n)
            return -1; /* follows from an error reported already */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n && n->from_set)
        return im_fail(s->d, st == IM_ERR_SPEC ? IM_ERR_USAGE : st, SET_FILE, 0, 0, "%s", msg);
    return im_fail(s->d, st, n && n->file ? n->file : s->m->path, n ? n->line : 0, n ? n->col : 0,
                   "%s", msg);
}

#define FAIL(n, ...) sfail(s, (n), IM_ERR_SPEC, __VA_ARGS__)

static int oom(spec *s)
{
    return im_fail(s->d, IM_ERR_INTERNAL, s->m->path, 0, 0, "out of memory");
}

static im_loc loc_of(const spec *s, const im_ynode *n)
{
    im_loc l;
    if (n && n->from_set) {
        l.file = SET_FILE;
        l.line = l.col = 0;
    } else {
        l.file = n && n->file ? n->file : s->m->path;
        l.line = n ? n->line : 0;
        l.col = n ? n->col : 0;
    }
    return l;
}

static int unknown_key(spec *s, const im_ynode *key, const char *where, const char *const *keys)
{
    char list[600];
    size_t n = 0;
    int i;
    list[0] = '\0';
    for (i = 0; keys[i] && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", keys[i]);
    if (where)
        return FAIL(key, "unknown key '%s' in %s (expected one of: %s)", key->str, where, list);
    return FAIL(key, "unknown key '%s' (expected one of: %s)", key->str, list);
}

static int missing_key(spec *s, const im_ynode *map, const char *key, const char *where)
{
    return FAIL(map, "missing key '%s' in %s", key, where);
}

/* ---- scalar values */

static int is_text(const im_ynode *v)
{
    return v->kind == IM_YNODE_SCALAR && !im_ynode_is_null(v);
}

/* Any scalar as text, copied into the map's arena. */
static int want_text(spec *s, const im_ynode *v, const char *what, const char **out)
{
    char *t;
    if (!is_text(v))
        return FAIL(v, "expected a text for %s, got %s", what, im_ynode_kind_name(v));
    t = im_arena_strdup(s->a, v->str);
    if (!t)
        return oom(s);
    *out = t;
    return 0;
}

/* Text that must not be empty or blank. */
static int want_name(spec *s, const im_ynode *v, const char *what, const char **out)
{
    const char *p;
    if (want_text(s, v, what, out))
        return -1;
    for (p = *out; *p == ' ' || *p == '\t'; p++)
        ;
    if (!*p)
        return FAIL(v, "%s cannot be empty", what);
    return 0;
}

static int want_map(spec *s, const im_ynode *v, const char *what)
{
    if (v->kind != IM_YNODE_MAP)
        return FAIL(v, "expected a mapping for %s, got %s", what, im_ynode_kind_name(v));
    return 0;
}

static int want_seq(spec *s, const im_ynode *v, const char *what)
{
    if (v->kind != IM_YNODE_SEQ)
        return FAIL(v, "expected a list for %s, got %s", what, im_ynode_kind_name(v));
    return 0;
}

static int want_number(spec *s, const im_ynode *v, const char *what, double *out)
{
    if (!is_text(v))
        return FAIL(v, "expected a number for %s, got %s", what, im_ynode_kind_name(v));
    if (im_parse_double(v->str, out))
        return FAIL(v, "expected a number for %s, got '%.60s'", what, v->str);
    return 0;
}

/* A number in [LO, HI] ((LO, HI] when LO_OPEN; HI may be HUGE_VAL). */
static int want_number_in(spec *s, const im_ynode *v, const char *what, double lo, double hi,
                          int lo_open, double *out)
{
    double x;
    if (want_number(s, v, what, &x))
        return -1;
    if ((lo_open ? x <= lo : x < lo) || x > hi) {
        if (hi == HUGE_VAL)
            return FAIL(v, "%s must be %s %g, got %.60s", what, lo_open ? "greater than" : "at least",
                        lo, v->str);
        return FAIL(v, "%s %.60s is out of range %s%g, %g]", what, v->str, lo_open ? "(" : "[", lo,
                    hi);
    }
    *out = x;
    return 0;
}

static int want_bool(spec *s, const im_ynode *v, const char *what, int *out)
{
    if (is_text(v)) {
        if (im_streq_ci(v->str, "true") || im_streq_ci(v->str, "yes")) {
            *out = 1;
            return 0;
        }
        if (im_streq_ci(v->str, "false") || im_streq_ci(v->str, "no")) {
            *out = 0;
            return 0;
        }
        return FAIL(v, "expected true or false for %s, got '%.60s'", what, v->str);
    }
    return FAIL(v, "expected true or false for %s, got %s", what, im_ynode_kind_name(v));
}

static int want_lonlat(spec *s, const im_ynode *v, const char *what, im_lonlat *out)
{
    double lon, lat;
    if (v->kind != IM_YNODE_SEQ)
        return FAIL(v, "expected [lon, lat] for %s, got %s", what, im_ynode_kind_name(v));
    if (v->nitems != 2)
        return FAIL(v, "expected [lon, lat] for %s, got a list of %d", what, v->nitems);
    if (want_number(s, v->items[0], "longitude", &lon) ||
        want_number(s, v->items[1], "latitude", &lat))
        return -1;
    if (lon < -180 || lon > 180)
        return FAIL(v->items[0], "longitude %.60s is out of range [-180, 180]", v->items[0]->str);
    if (lat < -90 || lat > 90)
        return FAIL(v->items[1], "latitude %.60s is out of range [-90, 90]", v->items[1]->str);
    out->lon = lon;
    out->lat = lat;
    return 0;
}

static int want_points(spec *s, const im_ynode *v, const char *what, int min, im_lonlat **pts,
                       int *npts)
{
    int i;
    if (v->kind != IM_YNODE_SEQ)
        return FAIL(v, "expected a list of [lon, lat] points for %s, got %s", what,
                    im_ynode_kind_name(v));
    if (v->nitems < min)
        return FAIL(v, "%s needs at least %d points, got %d", what, min, v->nitems);
    *pts = im_arena_alloc(s->a, (size_t)v->nitems * sizeof **pts);
    if (!*pts)
        return oom(s);
    for (i = 0; i < v->nitems; i++)
        if (want_lonlat(s, v->items[i], what, &(*pts)[i]))
            return -1;
    *npts = v->nitems;
    return 0;
}

static int want_color(spec *s, const im_ynode *v, const char *what, int *has, im_rgba *out)
{
    int none = 0;
    if (im_ynode_is_null(v))
        return FAIL(v,
                    "expected a colour for %s, got nothing (in YAML '#' starts a comment: "
                    "quote colours, e.g. %s: \"#ff0000\")",
                    what, what);
    if (v->kind != IM_YNODE_SCALAR)
        return FAIL(v, "expected a colour for %s, got %s", what, im_ynode_kind_name(v));
    if (im_spec_parse_color(v->str, out, &none))
        return FAIL(v, "invalid colour '%.60s' for %s (expected %s)", v->str, what,
                    IM_SPEC_COLOR_FORMS);
    *has = !none;
    return 0;
}

static int want_dash(spec *s, const im_ynode *v, const char *what, double *dash, int *ndash)
{
    int i, nonzero = 0;
    if (is_text(v) && (im_streq_ci(v->str, "solid") || im_streq_ci(v->str, "none"))) {
        *ndash = 0;
        return 0;
    }
    if (v->kind != IM_YNODE_SEQ)
        return FAIL(v, "expected a list of lengths for %s (e.g. [6, 3]) or solid, got %s", what,
                    im_ynode_kind_name(v));
    if (v->nitems > IM_MAX_DASH)
        return FAIL(v, "%s takes at most %d lengths, got %d", what, IM_MAX_DASH, v->nitems);
    for (i = 0; i < v->nitems; i++) {
        if (want_number_in(s, v->items[i], what, 0, HUGE_VAL, 0, &dash[i]))
            return -1;
        nonzero |= dash[i] > 0;
    }
    if (v->nitems && !nonzero)
        return FAIL(v, "%s lengths cannot all be 0", what);
    *ndash = v->nitems;
    return 0;
}

/* {FIELD: value} or {FIELD: [value, ...]}: values kept as text. */
static int want_where(spec *s, const im_ynode *v, const char *what, im_where *w)
{
    const im_ynode *val;
    int i;
    if (v->kind != IM_YNODE_MAP)
        return FAIL(v, "expected a mapping of one field for %s (e.g. {NAME: Euphrates}), got %s",
                    what, im_ynode_kind_name(v));
    if (v->npairs != 1)
        return FAIL(v, "%s takes exactly one field (e.g. {NAME: Euphrates}), got %d", what,
                    v->npairs);
    w->field = im_arena_strdup(s->a, v->pairs[0].key->str);
    if (!w->field)
        return oom(s);
    val = v->pairs[0].value;
    if (val->kind == IM_YNODE_SEQ) {
        if (val->nitems == 0)
            return FAIL(val, "%s needs at least one value for '%s'", what, w->field);
        w->values = im_arena_alloc(s->a, (size_t)val->nitems * sizeof *w->values);
        if (!w->values)
            return oom(s);
        for (i = 0; i < val->nitems; i++)
            if (want_text(s, val->items[i], what, &w->values[i]))
                return -1;
        w->nvalues = val->nitems;
        return 0;
    }
    w->values = im_arena_alloc(s->a, sizeof *w->values);
    if (!w->values)
        return oom(s);
    if (want_text(s, val, what, &w->values[0]))
        return -1;
    w->nvalues = 1;
    return 0;
}

static int want_corner(spec *s, const im_ynode *v, const char *what, im_corner dflt,
                       im_corner *out)
{
    static const struct { const char *name; im_corner c; } corners[] = {
        {"top-left", IM_CORNER_TOP_LEFT},       {"top-right", IM_CORNER_TOP_RIGHT},
        {"bottom-left", IM_CORNER_BOTTOM_LEFT}, {"bottom-right", IM_CORNER_BOTTOM_RIGHT},
        {"none", IM_CORNER_NONE},               {"false", IM_CORNER_NONE},
        {"no", IM_CORNER_NONE},
    };
    size_t i;
    if (is_text(v)) {
        for (i = 0; i < sizeof corners / sizeof corners[0]; i++) {
            if (im_streq_ci(v->str, corners[i].name)) {
                *out = corners[i].c;
                return 0;
            }
        }
        if (im_streq_ci(v->str, "true") || im_streq_ci(v->str, "yes")) {
            *out = dflt;
            return 0;
        }
    }
    if (v->kind == IM_YNODE_SCALAR && !im_ynode_is_null(v))
        return FAIL(v,
                    "expected top-left, top-right, bottom-left, bottom-right or none for %s, "
                    "got '%.60s'",
                    what, v->str);
    return FAIL(v, "expected top-left, top-right, bottom-left, bottom-right or none for %s, got %s",
                what, im_ynode_kind_name(v));
}

/* priority: a whole number; labels with higher priority are placed first. */
static int want_priority(spec *s, const im_ynode *v, int *out)
{
    double p = 0;
    if (want_number_in(s, v, "priority", -1000, 1000, 0, &p))
        return -1;
    if (p != floor(p))
        return FAIL(v, "priority must be a whole number, got %.60s", v->str);
    *out = (int)p;
    return 0;
}

/* ---- files the map names */

/* NULL when PATH can be opened as a regular file, else why not. */
static const char *file_problem(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    const char *why = NULL;
    if (fd < 0)
        return strerror(errno);
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = strerror(EISDIR);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    close(fd);
    return why;
}

/* Resolve the path written in V against the directory of the file it is
 * in: the map file's, or an included style's (values from --set: against
 * the current directory, as a shell user typed them). */
static char *resolve(spec *s, const im_ynode *v)
{
    const char *dir = v->from_set ? NULL : s->m->dir;
    char *p;
    if (!v->from_set && v->file) {
        dir = im_path_dir(s->a, v->file);
        if (!dir) {
            oom(s);
            return NULL;
        }
    }
    p = im_path_join(s->a, dir, v->str);
    if (!p)
        oom(s);
    return p;
}

static int want_file(spec *s, const im_ynode *v, const char *what, const char **out)
{
    const char *why;
    char *p;
    if (!is_text(v) || !*v->str)
        return FAIL(v, "expected a file name for %s, got %s", what,
                    is_text(v) ? "an empty text" : im_ynode_kind_name(v));
    p = resolve(s, v);
    if (!p)
        return -1;
    why = file_problem(p);
    if (why)
        return sfail(s, v, IM_ERR_DATA, "cannot open '%s': %s", v->str, why);
    *out = p;
    return 0;
}

/* A shapefile: as written, or with ".shp" added. */
static int want_shapefile(spec *s, const im_ynode *v, const char *what, const char **out)
{
    const char *why;
    char *p, *p2;
    if (!is_text(v) || !*v->str)
        return FAIL(v, "expected a shapefile for %s, got %s", what,
                    is_text(v) ? "an empty text" : im_ynode_kind_name(v));
    p = resolve(s, v);
    if (!p)
        return -1;
    why = file_problem(p);
    if (!why) {
        *out = p;
        return 0;
    }
    if (im_has_suffix_ci(v->str, ".shp"))
        return sfail(s, v, IM_ERR_DATA, "cannot open '%s': %s", v->str, why);
    p2 = im_arena_printf(s->a, "%s.shp", p);
    if (!p2)
        return oom(s);
    if (!file_problem(p2)) {
        *out = p2;
        return 0;
    }
    return sfail(s, v, IM_ERR_DATA, "cannot open '%s' or '%s.shp': %s", v->str, v->str, why);
}

/* ---- styles */

enum { STYLE_FILL = 1, STYLE_COLOR = 2 };

typedef struct style_seen {
    const im_ynode *fill, *stroke; /* keys given */
} style_seen;

/* The style keys layers, lines and zones share (FLAGS: whether fill and
 * the colour synonym of stroke are allowed).  Returns 1 when the pair is
 * no style key, else 0 or -1. */
static int style_pair(spec *s, const im_ypair *p, int flags, im_style *st, style_seen *seen)
{
    const char *k = p->key->str;
    const im_ynode *v = p->value;
    if (strcmp(k, "fill") == 0 && (flags & STYLE_FILL)) {
        seen->fill = p->key;
        return want_color(s, v, "fill", &st->has_fill, &st->fill);
    }
    if (strcmp(k, "stroke") == 0 || (strcmp(k, "color") == 0 && (flags & STYLE_COLOR))) {
        if (seen->stroke)
            return FAIL(p->key, "'stroke' and 'color' cannot both be given");
        seen->stroke = p->key;
        return want_color(s, v, k, &st->has_stroke, &st->stroke);
    }
    if (strcmp(k, "width") == 0)
        return want_number_in(s, v, "width", 0, HUGE_VAL, 0, &st->width);
    if (strcmp(k, "dash") == 0)
        return want_dash(s, v, "dash", st->dash, &st->ndash);
    if (strcmp(k, "opacity") == 0)
        return want_number_in(s, v, "opacity", 0, 1, 0, &st->opacity);
    return 1;
}

static im_rgba rgb_hex(unsigned v, double alpha)
{
    im_rgba c;
    c.r = ((v >> 16) & 0xffu) / 255.0;
    c.g = ((v >> 8) & 0xffu) / 255.0;
    c.b = (v & 0xffu) / 255.0;
    c.a = alpha;
    return c;
}

/* ---- basemap */

static const char *const layer_keys[] = {"source", "name", "fill", "stroke", "width", "dash",
                                         "opacity", "where", "label", "size", "font_size", "rank",
                                         NULL};
static const char *const rank_keys[] = {"field", "max", NULL};

static int parse_rank(spec *s, const im_ynode *v, const char *where, im_layer *l)
{
    char w[64];
    const im_ynode *field = NULL, *max = NULL;
    int i;
    snprintf(w, sizeof w, "%s.rank", where);
    if (want_map(s, v, "rank"))
        return -1;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        if (strcmp(k, "field") == 0)
            field = v->pairs[i].value;
        else if (strcmp(k, "max") == 0)
            max = v->pairs[i].value;
        else
            return unknown_key(s, v->pairs[i].key, w, rank_keys);
    }
    if (!field)
        return missing_key(s, v, "field", w);
    if (!max)
        return missing_key(s, v, "max", w);
    if (want_name(s, field, "rank field", &l->rank_field) || want_number(s, max, "rank max", &l->max_rank))
        return -1;
    return 0;
}

static int parse_layer(spec *s, const im_ynode *v, int index, im_layer *l)
{
    char where[48];
    style_seen seen = {NULL, NULL};
    const im_ynode *source = NULL;
    int i, rc;
    snprintf(where, sizeof where, "basemap[%d]", index);
    if (want_map(s, v, where))
        return -1;
    l->style.width = 1;
    l->style.opacity = 1;
    l->style.stroke = rgb_hex(0x555555, 1);
    l->point_size = 4;
    l->font_size = 8;
    l->loc = loc_of(s, v);
    for (i = 0; i < v->npairs; i++) {
        const im_ypair *p = &v->pairs[i];
        const char *k = p->key->str;
        rc = style_pair(s, p, STYLE_FILL, &l->style, &seen);
        if (rc <= 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        if (strcmp(k, "source") == 0) {
            source = p->value;
            rc = want_shapefile(s, p->value, "source", &l->path);
        } else if (strcmp(k, "name") == 0) {
            rc = want_name(s, p->value, "name", &l->name);
        } else if (strcmp(k, "where") == 0) {
            rc = want_where(s, p->value, "where", &l->where);
        } else if (strcmp(k, "label") == 0) {
            rc = want_name(s, p->value, "label", &l->label_field);
        } else if (strcmp(k, "size") == 0) {
            rc = want_number_in(s, p->value, "size", 0, HUGE_VAL, 0, &l->point_size);
        } else if (strcmp(k, "font_size") == 0) {
            rc = want_number_in(s, p->value, "font_size", 0, HUGE_VAL, 1, &l->font_size);
        } else if (strcmp(k, "rank") == 0) {
            rc = parse_rank(s, p->value, where, l);
        } else {
            rc = unknown_key(s, p->key, where, layer_keys);
        }
        if (rc)
            return -1;
    }
    if (!source)
        return missing_key(s, v, "source", where);
    if (!l->name) {
        l->name = im_path_stem(s->a, l->path);
        if (!l->name)
            return oom(s);
    }
    /* an outline by default, unless the layer is filled */
    if (!seen.stroke)
        l->style.has_stroke = !l->style.has_fill;
    return 0;
}

static int parse_layers(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    int i, j;
    if (want_seq(s, v, "basemap layers"))
        return -1;
    m->layers = im_arena_alloc(s->a, (size_t)v->nitems * sizeof *m->layers);
    if (!m->layers)
        return oom(s);
    for (i = 0; i < v->nitems; i++) {
        if (GONE(v->items[i]))
            continue;
        if (parse_layer(s, v->items[i], i, &m->layers[i]))
            return -1;
        for (j = 0; j < i; j++)
            if (m->layers[j].name && strcmp(m->layers[j].name, m->layers[i].name) == 0)
                return FAIL(v->items[i], "two layers are named '%s' (basemap[%d] and basemap[%d])",
                            m->layers[i].name, j, i);
        m->nlayers = i + 1;
    }
    return 0;
}

static const char *const basemap_keys[] = {"default", "layers", NULL};

static int parse_basemap(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    int i;
    if (v->kind == IM_YNODE_SEQ) {
        m->basemap_default = 0;
        return parse_layers(s, v);
    }
    if (v->kind == IM_YNODE_MAP) {
        m->basemap_default = 1;
        for (i = 0; i < v->npairs; i++) {
            const char *k = v->pairs[i].key->str;
            int rc;
            if (strcmp(k, "default") == 0)
                rc = want_bool(s, v->pairs[i].value, "basemap default", &m->basemap_default);
            else if (strcmp(k, "layers") == 0)
                rc = parse_layers(s, v->pairs[i].value);
            else
                rc = unknown_key(s, v->pairs[i].key, "basemap", basemap_keys);
            if (rc)
                return -1;
        }
        return 0;
    }
    if (is_text(v) && im_streq_ci(v->str, "default")) {
        m->basemap_default = 1;
        return 0;
    }
    if (is_text(v) && im_streq_ci(v->str, "none")) {
        m->basemap_default = 0;
        return 0;
    }
    if (is_text(v))
        return FAIL(v, "expected default, none or a list of layers for basemap, got '%.60s'", v->str);
    return FAIL(v, "expected default, none or a list of layers for basemap, got %s",
                im_ynode_kind_name(v));
}

/* ---- incidents */

static const char *const incidents_keys[] = {"source", "columns", "where", "symbol", "color",
                                             "size", "label", "labels", NULL};
static const char *const by_keys[] = {"by", NULL};
static const char *const size_by_keys[] = {"by", "max", NULL};
static const char *const range_keys[] = {"min", "max", NULL};
/* columns: the roles, in im_role order */
static const char *const column_keys[] = {"lat", "lon", "date", "type", "actor", "title", "notes",
                                          "target", "fatalities", "source", "geo_precision",
                                          "time_precision", NULL};

typedef struct incidents_seen {
    const im_ynode *symbol, *color, *size, *labels, *label, *where; /* keys given */
} incidents_seen;

static int add_source(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    im_source *src;
    if (m->nsources == s->sources_cap) {
        int cap = s->sources_cap ? 2 * s->sources_cap : 4;
        im_source *p = im_arena_grow(s->a, m->sources, (size_t)m->nsources, (size_t)cap, sizeof *p);
        if (!p)
            return oom(s);
        m->sources = p;
        s->sources_cap = cap;
    }
    src = &m->sources[m->nsources];
    if (want_file(s, v, "source", &src->path))
        return -1;
    src->loc = loc_of(s, v);
    m->nsources++;
    return 0;
}

/* symbol: FIELD or symbol: {by: FIELD} (color, label likewise); *LOC gets
 * where FIELD is written. */
static int parse_by(spec *s, const im_ynode *v, const char *what, const char **out, im_loc *loc)
{
    char where[40];
    const im_ynode *by = NULL;
    int i;
    *loc = loc_of(s, v);
    if (v->kind != IM_YNODE_MAP)
        return want_name(s, v, what, out);
    snprintf(where, sizeof where, "incidents.%s", what);
    for (i = 0; i < v->npairs; i++) {
        if (strcmp(v->pairs[i].key->str, "by") == 0)
            by = v->pairs[i].value;
        else
            return unknown_key(s, v->pairs[i].key, where, by_keys);
    }
    if (!by)
        return missing_key(s, v, "by", where);
    *loc = loc_of(s, by);
    return want_name(s, by, what, out);
}

/* symbol: {shape: NAME}: every incident gets that shape (in the order
 * of im_shape_kind of src/render); else symbol: FIELD or {by: FIELD}. */
static const char *const shape_names[] = {"circle", "triangle", "square", "diamond",
                                          "star",   "cross",    NULL};

static int parse_symbol(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    const char *name;
    int k;
    if (v->kind != IM_YNODE_MAP || v->npairs != 1 || strcmp(v->pairs[0].key->str, "shape") != 0)
        return parse_by(s, v, "symbol", &m->symbol_by, &m->symbol_by_loc);
    if (want_name(s, v->pairs[0].value, "shape", &name))
        return -1;
    for (k = 0; shape_names[k]; k++)
        if (im_streq_ci(name, shape_names[k])) {
            m->symbol_shape = shape_names[k];
            return 0;
        }
    return FAIL(v->pairs[0].value, "expected circle, triangle, square, diamond, star or cross "
                                   "for incidents.symbol.shape, got '%.60s'", name);
}

static int seen_once(spec *s, const im_ynode **slot, const im_ynode *key)
{
    if (*slot)
        return FAIL(key, "'%s' is given twice in incidents (first at line %d)", key->str,
                    (*slot)->line);
    *slot = key;
    return 0;
}

/* columns: {lat: LATITUDE_DD, date: EVENT_DATE, ...}: into NAMES/LOCS. */
static int parse_columns(spec *s, const im_ynode *v, const char **names, im_loc *locs)
{
    int i, r;
    if (v->kind != IM_YNODE_MAP)
        return FAIL(v, "expected a mapping for columns (e.g. {lat: LATITUDE_DD, lon: "
                       "LONGITUDE_DD}), got %s", im_ynode_kind_name(v));
    for (i = 0; i < v->npairs; i++) {
        const im_ypair *p = &v->pairs[i];
        for (r = 0; column_keys[r] && strcmp(column_keys[r], p->key->str) != 0; r++)
            ;
        if (!column_keys[r])
            return unknown_key(s, p->key, "incidents.columns", column_keys);
        if (want_name(s, p->value, p->key->str, &names[r]))
            return -1;
        locs[r] = loc_of(s, p->value);
    }
    return 0;
}

/* where: {FIELD: value, FIELD: [values], FIELD: {min: N, max: N}, ...} */
static int parse_incident_where(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    int i, j;
    if (v->kind != IM_YNODE_MAP || v->npairs == 0)
        return FAIL(v, "expected a mapping of fields for where (e.g. {event_type: Battles, "
                       "fatalities: {min: 1}}), got %s", v->kind == IM_YNODE_MAP ? "an empty one"
                                                                              : im_ynode_kind_name(v));
    m->where = im_arena_alloc(s->a, (size_t)v->npairs * sizeof *m->where);
    if (!m->where)
        return oom(s);
    for (i = 0; i < v->npairs; i++) {
        const im_ynode *key = v->pairs[i].key, *val = v->pairs[i].value;
        im_where *w = &m->where[i];
        w->field = im_arena_strdup(s->a, key->str);
        if (!w->field)
            return oom(s);
        w->loc = loc_of(s, key);
        if (val->kind == IM_YNODE_MAP) {
            for (j = 0; j < val->npairs; j++) {
                const char *k = val->pairs[j].key->str;
                int lo = strcmp(k, "min") == 0;
                if (!lo && strcmp(k, "max") != 0)
                    return unknown_key(s, val->pairs[j].key, "where", range_keys);
                if (want_number(s, val->pairs[j].value, k, lo ? &w->min : &w->max))
                    return -1;
                *(lo ? &w->has_min : &w->has_max) = 1;
            }
            if (!w->has_min && !w->has_max)
                return FAIL(val, "expected {min: N}, {max: N} or both for '%s'", w->field);
            if (w->has_min && w->has_max && w->min > w->max)
                return FAIL(val, "min %g is greater than max %g for '%s'", w->min, w->max, w->field);
        } else {
            const im_ynode *const *items = val->kind == IM_YNODE_SEQ ? (const im_ynode *const *)val->items
                                                                    : &val;
            int n = val->kind == IM_YNODE_SEQ ? val->nitems : 1;
            if (n == 0)
                return FAIL(val, "where needs at least one value for '%s'", w->field);
            w->values = im_arena_alloc(s->a, (size_t)n * sizeof *w->values);
            if (!w->values)
                return oom(s);
            for (j = 0; j < n; j++)
                if (want_text(s, items[j], "where", &w->values[j]))
                    return -1;
            w->nvalues = n;
        }
        m->nwhere = i + 1;
    }
    return 0;
}

/* size: N, or size: {by: FIELD, max: N} (area by value). */
static int parse_size(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    const im_ynode *by = NULL;
    int i;
    if (v->kind != IM_YNODE_MAP)
        return want_number_in(s, v, "size", 0, HUGE_VAL, 1, &m->symbol_size);
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        if (strcmp(k, "by") == 0)
            by = v->pairs[i].value;
        else if (strcmp(k, "max") == 0) {
            if (want_number_in(s, v->pairs[i].value, "size max", 0, 500, 1, &m->size_max))
                return -1;
        } else
            return unknown_key(s, v->pairs[i].key, "incidents.size", size_by_keys);
    }
    if (!by)
        return missing_key(s, v, "by", "incidents.size");
    m->size_by_loc = loc_of(s, by);
    return want_name(s, by, "size", &m->size_by);
}

static int parse_incidents_map(spec *s, const im_ynode *v, const char *where, incidents_seen *seen)
{
    im_map *m = s->m;
    const im_ynode *source = NULL;
    const char *columns[IM_ROLE_COUNT] = {NULL};
    im_loc column_loc[IM_ROLE_COUNT];
    int i, j, rc, first = m->nsources;
    memset(column_loc, 0, sizeof column_loc);
    for (i = 0; i < v->npairs; i++) {
        const im_ypair *p = &v->pairs[i];
        const char *k = p->key->str;
        if (strcmp(k, "source") == 0) {
            source = p->value;
            if (p->value->kind == IM_YNODE_SEQ) {
                if (p->value->nitems == 0)
                    return FAIL(p->value, "source needs at least one file");
                for (j = 0; j < p->value->nitems; j++)
                    if (add_source(s, p->value->items[j]))
                        return -1;
                rc = 0;
            } else {
                rc = add_source(s, p->value);
            }
        } else if (strcmp(k, "columns") == 0) {
            rc = parse_columns(s, p->value, columns, column_loc);
        } else if (strcmp(k, "where") == 0) {
            rc = seen_once(s, &seen->where, p->key) || parse_incident_where(s, p->value);
        } else if (strcmp(k, "symbol") == 0) {
            rc = seen_once(s, &seen->symbol, p->key) || parse_symbol(s, p->value);
        } else if (strcmp(k, "color") == 0) {
            rc = seen_once(s, &seen->color, p->key) ||
                 parse_by(s, p->value, "color", &m->color_by, &m->color_by_loc);
        } else if (strcmp(k, "label") == 0) {
            rc = seen_once(s, &seen->label, p->key) ||
                 parse_by(s, p->value, "label", &m->label_by, &m->label_by_loc);
        } else if (strcmp(k, "size") == 0) {
            rc = seen_once(s, &seen->size, p->key) || parse_size(s, p->value);
        } else if (strcmp(k, "labels") == 0) {
            rc = seen_once(s, &seen->labels, p->key) ||
                 want_bool(s, p->value, "labels", &m->label_incidents);
        } else {
            rc = unknown_key(s, p->key, where, incidents_keys);
        }
        if (rc)
            return -1;
    }
    if (!source)
        return missing_key(s, v, "source", where);
    for (i = first; i < m->nsources; i++) {
        memcpy(m->sources[i].columns, columns, sizeof columns);
        memcpy(m->sources[i].column_loc, column_loc, sizeof column_loc);
    }
    return 0;
}

static int parse_incidents(spec *s, const im_ynode *v)
{
    incidents_seen seen;
    char where[40];
    int i;
    memset(&seen, 0, sizeof seen);
    if (v->kind == IM_YNODE_MAP)
        return parse_incidents_map(s, v, "incidents", &seen);
    if (v->kind != IM_YNODE_SEQ)
        return FAIL(v, "expected a mapping for incidents (e.g. {source: incidents.csv}), got %s",
                    im_ynode_kind_name(v));
    for (i = 0; i < v->nitems; i++) {
        if (GONE(v->items[i]))
            continue;
        snprintf(where, sizeof where, "incidents[%d]", i);
        if (want_map(s, v->items[i], where) ||
            parse_incidents_map(s, v->items[i], where, &seen))
            return -1;
    }
    return 0;
}

/* ---- bases, lines, zones */

static const char *const base_keys[] = {"name", "at", "operator", "priority", NULL};

static int parse_bases(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    char where[40];
    int i, j;
    if (want_seq(s, v, "bases"))
        return -1;
    m->bases = im_arena_alloc(s->a, (size_t)v->nitems * sizeof *m->bases);
    if (!m->bases)
        return oom(s);
    for (i = 0; i < v->nitems; i++) {
        const im_ynode *it = v->items[i];
        im_base *b = &m->bases[i];
        int has_at = 0, rc;
        if (GONE(it))
            continue;
        snprintf(where, sizeof where, "bases[%d]", i);
        if (want_map(s, it, where))
            return -1;
        b->loc = loc_of(s, it);
        for (j = 0; j < it->npairs; j++) {
            const char *k = it->pairs[j].key->str;
            const im_ynode *val = it->pairs[j].value;
            if (strcmp(k, "name") == 0) {
                rc = want_name(s, val, "name", &b->name);
            } else if (strcmp(k, "at") == 0) {
                rc = want_lonlat(s, val, "at", &b->at);
                has_at = 1;
            } else if (strcmp(k, "operator") == 0) {
                rc = want_text(s, val, "operator", &b->op);
            } else if (strcmp(k, "priority") == 0) {
                rc = want_priority(s, val, &b->priority);
            } else {
                rc = unknown_key(s, it->pairs[j].key, where, base_keys);
            }
            if (rc)
                return -1;
        }
        if (!b->name)
            return missing_key(s, it, "name", where);
        if (!has_at)
            return missing_key(s, it, "at", where);
        m->nbases = i + 1;
    }
    return 0;
}

static const char *const follow_keys[] = {"layer", "where", "from", "to", NULL};

static int parse_follow(spec *s, const im_ynode *v, const char *line_where, im_line *l)
{
    char where[48];
    const im_ynode *layer = NULL, *wh = NULL;
    int i, rc;
    snprintf(where, sizeof where, "%s.follow", line_where);
    if (want_map(s, v, "follow"))
        return -1;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        if (strcmp(k, "layer") == 0) {
            layer = val;
            if (is_text(val) && im_has_suffix_ci(val->str, ".shp"))
                rc = want_file(s, val, "layer", &l->follow_layer);
            else
                rc = want_name(s, val, "layer", &l->follow_layer);
        } else if (strcmp(k, "where") == 0) {
            wh = val;
            rc = want_where(s, val, "where", &l->follow_where);
        } else if (strcmp(k, "from") == 0) {
            rc = want_lonlat(s, val, "from", &l->from);
            l->has_from = 1;
        } else if (strcmp(k, "to") == 0) {
            rc = want_lonlat(s, val, "to", &l->to);
            l->has_to = 1;
        } else {
            rc = unknown_key(s, v->pairs[i].key, where, follow_keys);
        }
        if (rc)
            return -1;
    }
    if (!layer)
        return missing_key(s, v, "layer", where);
    if (!wh)
        return missing_key(s, v, "where", where);
    return 0;
}

static const char *const line_keys[] = {"name", "points", "follow", "source", "where",
                                        "name_field", "stroke", "color", "width", "dash",
                                        "opacity", "priority", NULL};

/* The keys of lines and zones read from a file: source, where, name_field.
 * Returns 1 when P is none of them, else 0 or -1. */
static int feature_source_pair(spec *s, const im_ypair *p, const char **source, im_loc *loc,
                               im_where *w, const char **name_field)
{
    const char *k = p->key->str;
    if (strcmp(k, "source") == 0) {
        *loc = loc_of(s, p->value);
        return want_file(s, p->value, "source", source);
    }
    if (strcmp(k, "where") == 0) {
        if (want_where(s, p->value, "where", w))
            return -1;
        w->loc = loc_of(s, p->value->pairs[0].key);
        return 0;
    }
    if (strcmp(k, "name_field") == 0)
        return want_name(s, p->value, "name_field", name_field);
    return 1;
}

/* Lines and zones from a source take no geometry of their own. */
static int source_conflict(spec *s, const char *where, const char *source,
                           const im_ynode *geometry, const char *what)
{
    if (source && geometry)
        return FAIL(geometry, "'source' and '%s' cannot both be given in %s", what, where);
    return 0;
}

static int parse_lines(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    char where[40];
    int i, j, rc;
    if (want_seq(s, v, "lines"))
        return -1;
    m->lines = im_arena_alloc(s->a, (size_t)v->nitems * sizeof *m->lines);
    if (!m->lines)
        return oom(s);
    for (i = 0; i < v->nitems; i++) {
        const im_ynode *it = v->items[i];
        const im_ynode *points = NULL, *follow = NULL;
        style_seen seen = {NULL, NULL};
        if (GONE(it))
            continue;
        im_line *l = &m->lines[i];
        snprintf(where, sizeof where, "lines[%d]", i);
        if (want_map(s, it, where))
            return -1;
        l->loc = loc_of(s, it);
        l->style.has_stroke = 1;
        l->style.stroke = s->m->theme.line;
        l->style.width = 2.5;
        l->style.opacity = 1;
        for (j = 0; j < it->npairs; j++) {
            const im_ypair *p = &it->pairs[j];
            const char *k = p->key->str;
            rc = style_pair(s, p, STYLE_COLOR, &l->style, &seen);
            if (rc <= 0) {
                if (rc < 0)
                    return -1;
                continue;
            }
            if (strcmp(k, "name") == 0) {
                rc = want_name(s, p->value, "name", &l->name);
            } else if (strcmp(k, "points") == 0) {
                if (follow)
                    return FAIL(p->key, "'points' and 'follow' cannot both be given");
                points = p->value;
                rc = want_points(s, p->value, "points", 2, &l->pts, &l->npts);
            } else if (strcmp(k, "priority") == 0) {
                rc = want_priority(s, p->value, &l->priority);
            } else if (strcmp(k, "follow") == 0) {
                if (points)
                    return FAIL(p->key, "'points' and 'follow' cannot both be given");
                follow = p->value;
                rc = parse_follow(s, p->value, where, l);
            } else if ((rc = feature_source_pair(s, p, &l->source, &l->source_loc, &l->where,
                                                 &l->name_field)) == 1) {
                rc = unknown_key(s, p->key, where, line_keys);
            }
            if (rc)
                return -1;
        }
        if (source_conflict(s, where, l->source, points, "points") ||
            source_conflict(s, where, l->source, follow, "follow"))
            return -1;
        if (!l->name && !l->source)
            return missing_key(s, it, "name", where);
        if (!points && !follow && !l->source)
            return FAIL(it, "%s needs 'points', 'follow' or 'source'", where);
        m->nlines = i + 1;
    }
    return 0;
}

static const char *const zone_keys[] = {"name", "center", "radius_km", "polygon", "source",
                                        "where", "name_field", "fill", "stroke", "width",
                                        "dash", "opacity", "priority", NULL};

static int parse_zones(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    char where[40];
    int i, j, rc;
    if (want_seq(s, v, "zones"))
        return -1;
    m->zones = im_arena_alloc(s->a, (size_t)v->nitems * sizeof *m->zones);
    if (!m->zones)
        return oom(s);
    for (i = 0; i < v->nitems; i++) {
        const im_ynode *it = v->items[i];
        const im_ynode *center = NULL, *radius = NULL, *polygon = NULL;
        style_seen seen = {NULL, NULL};
        if (GONE(it))
            continue;
        im_zone *z = &m->zones[i];
        snprintf(where, sizeof where, "zones[%d]", i);
        if (want_map(s, it, where))
            return -1;
        z->loc = loc_of(s, it);
        z->style.has_stroke = 1;
        z->style.stroke = s->m->theme.zone;
        z->style.width = 2;
        z->style.opacity = 1;
        for (j = 0; j < it->npairs; j++) {
            const im_ypair *p = &it->pairs[j];
            const char *k = p->key->str;
            rc = style_pair(s, p, STYLE_FILL, &z->style, &seen);
            if (rc <= 0) {
                if (rc < 0)
                    return -1;
                continue;
            }
            if (strcmp(k, "name") == 0) {
                rc = want_name(s, p->value, "name", &z->name);
            } else if (strcmp(k, "center") == 0) {
                if (polygon)
                    return FAIL(p->key, "'center' and 'polygon' cannot both be given");
                center = p->key;
                rc = want_lonlat(s, p->value, "center", &z->center);
            } else if (strcmp(k, "radius_km") == 0) {
                if (polygon)
                    return FAIL(p->key, "'radius_km' and 'polygon' cannot both be given");
                radius = p->key;
                rc = want_number_in(s, p->value, "radius_km", 0, 5000, 1, &z->radius_km);
            } else if (strcmp(k, "priority") == 0) {
                rc = want_priority(s, p->value, &z->priority);
            } else if (strcmp(k, "polygon") == 0) {
                if (center || radius)
                    return FAIL(p->key, "'polygon' and '%s' cannot both be given",
                                center ? "center" : "radius_km");
                polygon = p->key;
                rc = want_points(s, p->value, "polygon", 3, &z->ring, &z->nring);
            } else if ((rc = feature_source_pair(s, p, &z->source, &z->source_loc, &z->where,
                                                 &z->name_field)) == 1) {
                rc = unknown_key(s, p->key, where, zone_keys);
            }
            if (rc)
                return -1;
        }
        if (source_conflict(s, where, z->source, center, "center") ||
            source_conflict(s, where, z->source, polygon, "polygon"))
            return -1;
        /* with a source, radius_km is the radius of its points that have
         * no radius_km property */
        if (!z->name && !z->source)
            return missing_key(s, it, "name", where);
        if (!z->source && center && !radius)
            return FAIL(it, "missing key 'radius_km' in %s (a circle needs center and radius_km)",
                        where);
        if (!z->source && radius && !center)
            return FAIL(it, "missing key 'center' in %s (a circle needs center and radius_km)",
                        where);
        if (!z->source && !center && !polygon)
            return FAIL(it, "%s needs 'center' and 'radius_km', 'polygon' or 'source'", where);
        z->is_circle = center != NULL;
        /* a translucent wash of the outline's colour unless a fill is given */
        if (!seen.fill) {
            z->style.has_fill = 1;
            z->style.fill = z->style.has_stroke ? z->style.stroke : s->m->theme.zone;
            z->style.fill.a = 0.15;
        }
        m->nzones = i + 1;
    }
    return 0;
}

/* ---- extent */

static const char *const extent_keys[] = {"center", "radius_km", "auto", "margin", "projected",
                                          NULL};

#define EXTENT_FORMS \
    "auto, [lon0, lat0, lon1, lat1], {center: [lon, lat], radius_km: N}, " \
    "{projected: [x0, y0, x1, y1]} or {auto: true, margin: M}"

/* extent: {projected: [x0, y0, x1, y1]}: the frame in the projection's own
 * units (metres for most), for a map that must cover exactly that box. */
static int parse_projected_extent(spec *s, const im_ynode *v, im_extent *e)
{
    double x[4];
    int i;
    if (v->kind != IM_YNODE_SEQ || v->nitems != 4)
        return FAIL(v, "expected [x0, y0, x1, y1] in projected units for extent.projected");
    for (i = 0; i < 4; i++)
        if (want_number(s, v->items[i], i % 2 ? "y" : "x", &x[i]))
            return -1;
    if (x[0] >= x[2] || x[1] >= x[3])
        return FAIL(v, "extent.projected [x0, y0, x1, y1] needs x0 < x1 and y0 < y1");
    e->kind = IM_EXTENT_PROJECTED;
    e->x0 = x[0];
    e->y0 = x[1];
    e->x1 = x[2];
    e->y1 = x[3];
    return 0;
}

static int parse_extent(spec *s, const im_ynode *v, im_extent *e)
{
    const im_ynode *center = NULL, *radius = NULL, *autok = NULL, *margin = NULL, *proj = NULL;
    int i, on = 1;
    e->loc = loc_of(s, v);
    if (v->kind == IM_YNODE_SCALAR) {
        if (is_text(v) && im_streq_ci(v->str, "auto")) {
            e->kind = IM_EXTENT_AUTO;
            return 0;
        }
        if (is_text(v))
            return FAIL(v, "expected %s for extent, got '%.60s'", EXTENT_FORMS, v->str);
        return FAIL(v, "expected %s for extent, got nothing", EXTENT_FORMS);
    }
    if (v->kind == IM_YNODE_SEQ) {
        double x[4];
        if (v->nitems != 4)
            return FAIL(v, "expected [lon0, lat0, lon1, lat1] for extent, got a list of %d",
                        v->nitems);
        for (i = 0; i < 4; i++) {
            const char *what = i % 2 ? "latitude" : "longitude";
            if (want_number(s, v->items[i], what, &x[i]))
                return -1;
            if (i % 2 == 0 && (x[i] < -180 || x[i] > 180))
                return FAIL(v->items[i], "longitude %.60s is out of range [-180, 180]",
                            v->items[i]->str);
            if (i % 2 == 1 && (x[i] < -90 || x[i] > 90))
                return FAIL(v->items[i], "latitude %.60s is out of range [-90, 90]",
                            v->items[i]->str);
        }
        if (x[0] >= x[2])
            return FAIL(v->items[2], "extent [lon0, lat0, lon1, lat1] needs lon0 < lon1, got %.30s and %.30s",
                        v->items[0]->str, v->items[2]->str);
        if (x[1] >= x[3])
            return FAIL(v->items[3], "extent [lon0, lat0, lon1, lat1] needs lat0 < lat1, got %.30s and %.30s",
                        v->items[1]->str, v->items[3]->str);
        e->kind = IM_EXTENT_BOX;
        e->lon0 = x[0];
        e->lat0 = x[1];
        e->lon1 = x[2];
        e->lat1 = x[3];
        return 0;
    }
    for (i = 0; i < v->npairs; i++) {
        const im_ypair *p = &v->pairs[i];
        const char *k = p->key->str;
        int rc;
        if (strcmp(k, "center") == 0) {
            center = p->key;
            rc = want_lonlat(s, p->value, "center", &e->center);
        } else if (strcmp(k, "radius_km") == 0) {
            radius = p->key;
            rc = want_number_in(s, p->value, "radius_km", 0, 10000, 1, &e->radius_km);
        } else if (strcmp(k, "auto") == 0) {
            autok = p->key;
            rc = want_bool(s, p->value, "auto", &on);
            if (!rc && !on)
                return FAIL(p->value, "extent {auto: false} gives no extent; use [lon0, lat0, "
                                      "lon1, lat1] or {center: [lon, lat], radius_km: N}");
        } else if (strcmp(k, "margin") == 0) {
            margin = p->key;
            rc = want_number_in(s, p->value, "margin", 0, 2, 0, &e->margin);
        } else if (strcmp(k, "projected") == 0) {
            proj = p->key;
            rc = parse_projected_extent(s, p->value, e);
        } else {
            rc = unknown_key(s, p->key, "extent", extent_keys);
        }
        if (rc)
            return -1;
    }
    if (proj) {
        if (center || radius || autok || margin)
            return FAIL(proj, "'projected' cannot be combined with other keys in extent");
        return 0;
    }
    if (center || radius) {
        if (autok || margin)
            return FAIL(autok ? autok : margin,
                        "'%s' cannot be combined with 'center' and 'radius_km' in extent",
                        autok ? "auto" : "margin");
        if (!center)
            return missing_key(s, v, "center", "extent");
        if (!radius)
            return missing_key(s, v, "radius_km", "extent");
        e->kind = IM_EXTENT_CIRCLE;
        return 0;
    }
    e->kind = IM_EXTENT_AUTO; /* {auto: true, margin: M}; the default margin stays */
    return 0;
}

/* ---- canvas */

#define PAGE_FORMS \
    "A3, A4, A5, Letter or Legal, optionally with -portrait or -landscape, or a size such as " \
    "160mm x 110mm, 16cm x 11cm, 6.3in x 4.3in or 454pt x 312pt"

static int check_px(spec *s, const im_ynode *v, const char *what, long px)
{
    if (px < 16 || px > 20000)
        return FAIL(v, "%s %ld px is out of range [16, 20000]", what, px);
    return 0;
}

/* ---- cartography: theme, graticule, inset, labels, legend, scale bar */

/* theme: NAME, or {name: NAME, ELEMENT: colour, ..., palette: [colours]}.
 * Read before every other key, since default colours come from it. */
static int parse_theme(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    im_theme_kind kind = IM_THEME_LIGHT;
    const im_ynode *name = NULL;
    const char *keys[40];
    int i, n = 0, has;
    if (is_text(v)) {
        name = v;
    } else if (v->kind == IM_YNODE_MAP) {
        for (i = 0; i < v->npairs; i++)
            if (strcmp(v->pairs[i].key->str, "name") == 0)
                name = v->pairs[i].value;
    } else {
        return FAIL(v, "expected light, dark, print or {name: dark, land: \"#333333\", ...} for "
                       "theme, got %s",
                    im_ynode_kind_name(v));
    }
    if (name && (!is_text(name) || im_theme_kind_parse(name->str, &kind)))
        return FAIL(name, "unknown theme '%.60s' (expected light, dark or print)",
                    is_text(name) ? name->str : im_ynode_kind_name(name));
    im_theme_named(kind, &m->theme);
    if (v->kind != IM_YNODE_MAP)
        return 0;
    keys[n++] = "name";
    keys[n++] = "palette";
    for (i = 0; im_theme_color_names[i] && n < 39; i++)
        keys[n++] = im_theme_color_names[i];
    keys[n] = NULL;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        im_rgba *slot;
        if (strcmp(k, "name") == 0)
            continue;
        if (strcmp(k, "palette") == 0) {
            int j;
            if (want_seq(s, val, "theme palette"))
                return -1;
            if (val->nitems < 1 || val->nitems > IM_THEME_PALETTE)
                return FAIL(val, "theme palette takes 1 to %d colours, got %d", IM_THEME_PALETTE,
                            val->nitems);
            for (j = 0; j < val->nitems; j++)
                if (want_color(s, val->items[j], "palette", &has, &m->theme.palette[j]))
                    return -1;
            /* fewer colours than actors: the rest repeat the given ones */
            for (; j < IM_THEME_PALETTE; j++)
                m->theme.palette[j] = m->theme.palette[j % val->nitems];
            continue;
        }
        slot = im_theme_color(&m->theme, k);
        if (!slot)
            return unknown_key(s, v->pairs[i].key, "theme", keys);
        if (want_color(s, val, k, &has, slot))
            return -1;
        if (!has)
            slot->a = 0;
    }
    return 0;
}

static const char *const graticule_keys[] = {"step", "labels", NULL};

#define GRATICULE_FORMS "auto, none, a step in degrees (e.g. 1) or {step: 1, labels: true}"

/* graticule: auto | none | DEGREES | {step: auto|DEGREES, labels: BOOL} */
static int parse_graticule(spec *s, const im_ynode *v, im_graticule *g)
{
    int i;
    if (is_text(v)) {
        if (im_streq_ci(v->str, "auto") || im_streq_ci(v->str, "true") || im_streq_ci(v->str, "yes")) {
            g->on = 1;
            g->step = 0;
            return 0;
        }
        if (im_streq_ci(v->str, "none") || im_streq_ci(v->str, "false") || im_streq_ci(v->str, "no")) {
            g->on = 0;
            return 0;
        }
        g->on = 1;
        return want_number_in(s, v, "graticule step (degrees)", 0, 90, 1, &g->step);
    }
    if (v->kind != IM_YNODE_MAP)
        return FAIL(v, "expected %s for graticule, got %s", GRATICULE_FORMS, im_ynode_kind_name(v));
    g->on = 1;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        int rc;
        if (strcmp(k, "step") == 0) {
            if (is_text(val) && im_streq_ci(val->str, "auto")) {
                g->step = 0;
                rc = 0;
            } else {
                rc = want_number_in(s, val, "graticule step (degrees)", 0, 90, 1, &g->step);
            }
        } else if (strcmp(k, "labels") == 0) {
            rc = want_bool(s, val, "graticule labels", &g->labels);
        } else {
            rc = unknown_key(s, v->pairs[i].key, "graticule", graticule_keys);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static const char *const inset_keys[] = {"position", "extent", NULL};

/* inset: auto | none | CORNER | {position: CORNER, extent: [lon0, lat0, lon1, lat1]} */
static int parse_inset(spec *s, const im_ynode *v, im_inset *in)
{
    im_corner c = IM_CORNER_TOP_LEFT;
    int i;
    if (is_text(v) && im_streq_ci(v->str, "auto")) {
        in->corner = IM_CORNER_TOP_LEFT;
        in->has_extent = 0;
        return 0;
    }
    if (v->kind != IM_YNODE_MAP) {
        if (want_corner(s, v, "inset", IM_CORNER_TOP_LEFT, &c))
            return -1;
        in->corner = c;
        return 0;
    }
    in->corner = IM_CORNER_TOP_LEFT;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        int rc = 0;
        if (strcmp(k, "position") == 0) {
            rc = want_corner(s, val, "inset position", IM_CORNER_TOP_LEFT, &c);
            in->corner = c;
        } else if (strcmp(k, "extent") == 0) {
            im_extent e;
            memset(&e, 0, sizeof e);
            if (val->kind != IM_YNODE_SEQ)
                return FAIL(val, "expected [lon0, lat0, lon1, lat1] for the inset's extent, got %s",
                            im_ynode_kind_name(val));
            rc = parse_extent(s, val, &e);
            in->has_extent = 1;
            in->lon0 = e.lon0;
            in->lat0 = e.lat0;
            in->lon1 = e.lon1;
            in->lat1 = e.lat1;
        } else {
            rc = unknown_key(s, v->pairs[i].key, "inset", inset_keys);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static const char *const labels_keys[] = {"language", "places", "incidents", "size", NULL};

/* labels: {language: en|ar|both, places: BOOL, incidents: date|title|both|none, size: SCALE} */
static int parse_labels(spec *s, const im_ynode *v, im_label_opts *lo)
{
    int i;
    if (want_map(s, v, "labels"))
        return -1;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        int rc = 0;
        if (strcmp(k, "language") == 0) {
            if (is_text(val) && im_streq_ci(val->str, "en"))
                lo->language = IM_LANG_EN;
            else if (is_text(val) && im_streq_ci(val->str, "ar"))
                lo->language = IM_LANG_AR;
            else if (is_text(val) && im_streq_ci(val->str, "both"))
                lo->language = IM_LANG_BOTH;
            else
                return FAIL(val, "expected en, ar or both for labels.language, got %s%.60s%s",
                            is_text(val) ? "'" : "", is_text(val) ? val->str : im_ynode_kind_name(val),
                            is_text(val) ? "'" : "");
        } else if (strcmp(k, "places") == 0) {
            rc = want_bool(s, val, "labels.places", &lo->places);
        } else if (strcmp(k, "incidents") == 0) {
            static const char *const forms[] = {"date", "title", "both", "none"};
            int j, found = 0;
            for (j = 0; j < 4 && is_text(val); j++) {
                if (im_streq_ci(val->str, forms[j])) {
                    lo->incidents = (im_incident_label)j;
                    found = 1;
                }
            }
            if (is_text(val) && (im_streq_ci(val->str, "false") || im_streq_ci(val->str, "no"))) {
                lo->incidents = IM_INCLABEL_NONE;
                found = 1;
            }
            if (!found)
                return FAIL(val, "expected date, title, both or none for labels.incidents, got %s%.60s%s",
                            is_text(val) ? "'" : "", is_text(val) ? val->str : im_ynode_kind_name(val),
                            is_text(val) ? "'" : "");
        } else if (strcmp(k, "size") == 0) {
            rc = want_number_in(s, val, "labels.size (a factor on every label's font size)", 0.25, 4, 0,
                                &lo->font_scale);
        } else {
            rc = unknown_key(s, v->pairs[i].key, "labels", labels_keys);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static const char *const legend_keys[] = {"position", "columns", NULL};

/* legend: CORNER | outside-right | outside-bottom | none |
 *         {position: ..., columns: N} */
static int parse_legend(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    const im_ynode *pos = v;
    int i;
    if (v->kind == IM_YNODE_MAP) {
        pos = NULL;
        for (i = 0; i < v->npairs; i++) {
            const char *k = v->pairs[i].key->str;
            const im_ynode *val = v->pairs[i].value;
            double cols = 0;
            if (strcmp(k, "position") == 0) {
                pos = val;
            } else if (strcmp(k, "columns") == 0) {
                if (want_number_in(s, val, "legend columns", 1, 8, 0, &cols))
                    return -1;
                m->legend_columns = (int)cols;
            } else {
                return unknown_key(s, v->pairs[i].key, "legend", legend_keys);
            }
        }
        if (!pos)
            return 0;
    }
    if (is_text(pos) && (im_streq_ci(pos->str, "outside-right") || im_streq_ci(pos->str, "outside") ||
                         im_streq_ci(pos->str, "right"))) {
        m->legend = IM_CORNER_OUTSIDE_RIGHT;
        return 0;
    }
    if (is_text(pos) && (im_streq_ci(pos->str, "outside-bottom") || im_streq_ci(pos->str, "bottom"))) {
        m->legend = IM_CORNER_OUTSIDE_BOTTOM;
        return 0;
    }
    if (is_text(pos)) {
        static const char *const corners[] = {"top-left", "top-right", "bottom-left", "bottom-right",
                                              "none", "false", "no", "true", "yes"};
        size_t j;
        int ok = 0;
        for (j = 0; j < sizeof corners / sizeof corners[0]; j++)
            ok |= im_streq_ci(pos->str, corners[j]);
        if (!ok)
            return FAIL(pos,
                        "expected top-left, top-right, bottom-left, bottom-right, outside-right, "
                        "outside-bottom or none for legend, got '%.60s'",
                        pos->str);
    }
    return want_corner(s, pos, "legend", IM_CORNER_BOTTOM_LEFT, &m->legend);
}

static const char *const scalebar_keys[] = {"position", "units", NULL};

/* scalebar: CORNER | none | {position: CORNER, units: km|mi|both} */
static int parse_scalebar(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    int i;
    if (v->kind != IM_YNODE_MAP)
        return want_corner(s, v, "scalebar", IM_CORNER_BOTTOM_RIGHT, &m->scalebar);
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        if (strcmp(k, "position") == 0) {
            if (want_corner(s, val, "scalebar position", IM_CORNER_BOTTOM_RIGHT, &m->scalebar))
                return -1;
        } else if (strcmp(k, "units") == 0) {
            if (is_text(val) && im_streq_ci(val->str, "km"))
                m->scalebar_units = IM_UNITS_KM;
            else if (is_text(val) && (im_streq_ci(val->str, "mi") || im_streq_ci(val->str, "miles")))
                m->scalebar_units = IM_UNITS_MI;
            else if (is_text(val) && im_streq_ci(val->str, "both"))
                m->scalebar_units = IM_UNITS_BOTH;
            else
                return FAIL(val, "expected km, mi or both for scalebar units, got %s%.60s%s",
                            is_text(val) ? "'" : "", is_text(val) ? val->str : im_ynode_kind_name(val),
                            is_text(val) ? "'" : "");
        } else {
            return unknown_key(s, v->pairs[i].key, "scalebar", scalebar_keys);
        }
    }
    return 0;
}

/* ---- the top level */

static const char *const top_keys[] = {
    "title",      "subtitle",   "credit", "size",      "page",     "dpi",
    "projection", "extent",     "font",   "background", "basemap", "incidents",
    "bases",      "lines",      "zones",  "legend",    "scalebar", "north_arrow",
    "theme",      "graticule",  "inset",  "labels",    "when",     "as_of",
    "keywords",   "png",        "colors", "caption",   "include",  "layout",
    "formats",    "atlas",      NULL};

static void set_defaults(im_map *m)
{
    m->width_px = 1600;
    m->height_px = 1200;
    m->projection = "auto";
    m->extent.kind = IM_EXTENT_AUTO;
    m->extent.margin = 0.15;
    m->extent.loc.file = m->path;
    m->projection_loc.file = m->path;
    m->title_loc.file = m->path;
    m->font = "Noto Sans";
    m->background = rgb_hex(0xc6dfe9, 1);
    m->basemap_default = 1;
    m->symbol_by = "type";
    m->color_by = "actor";
    m->symbol_size = 14;
    m->label_incidents = 1;
    m->legend = IM_CORNER_BOTTOM_LEFT;
    m->scalebar = IM_CORNER_BOTTOM_RIGHT;
    m->north_arrow = IM_CORNER_TOP_RIGHT;
    im_theme_named(IM_THEME_LIGHT, &m->theme);
    m->graticule.on = 1;
    m->graticule.labels = 1;
    m->inset.corner = IM_CORNER_TOP_LEFT;
    m->labels.places = 1;
    m->labels.font_scale = 1;
    m->png_colors = 256;
}

/* when: {from: DATE, to: DATE}: the time window of the incidents (a
 * month or a year stands for its first day, or its last as `to`). */
static const char *const when_keys[] = {"from", "to", NULL};

static int parse_when(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    char iso[2][11];
    int i;
    if (v->kind != IM_YNODE_MAP || v->npairs == 0)
        return FAIL(v, "expected {from: DATE, to: DATE} for when, got %s",
                    v->kind == IM_YNODE_MAP ? "an empty mapping" : im_ynode_kind_name(v));
    m->when_loc = loc_of(s, v);
    for (i = 0; i < v->npairs; i++) {
        const im_ynode *val = v->pairs[i].value;
        const char *k = v->pairs[i].key->str;
        int end = strcmp(k, "to") == 0;
        if (!end && strcmp(k, "from") != 0)
            return unknown_key(s, v->pairs[i].key, "when", when_keys);
        if (!is_text(val) || im_date_parse_bound(val->str, end, iso[end]) != 0)
            return FAIL(val, "expected a date for when.%s (2017-05-18, 18 May 2017, 18/05/2017, "
                             "2017-05 or 2017), got %s%.60s%s", k, is_text(val) ? "'" : "",
                        is_text(val) ? val->str : im_ynode_kind_name(val), is_text(val) ? "'" : "");
        *(end ? &m->when_to : &m->when_from) = im_arena_strdup(s->a, iso[end]);
        if (!(end ? m->when_to : m->when_from))
            return oom(s);
    }
    if (m->when_from && m->when_to && strcmp(m->when_from, m->when_to) > 0)
        return FAIL(v, "when: from %s is after to %s", m->when_from, m->when_to);
    return 0;
}

static int want_title(spec *s, const im_ynode *v, const char *what, const char **out);

/* keywords: a text or a list of texts, joined with ", " (PDF metadata). */
static int parse_keywords(spec *s, const im_ynode *v)
{
    char *all;
    size_t n = 0;
    int i;
    if (is_text(v))
        return want_title(s, v, "keywords", &s->m->keywords);
    if (want_seq(s, v, "keywords"))
        return -1;
    for (i = 0; i < v->nitems; i++) {
        if (!is_text(v->items[i]))
            return FAIL(v->items[i], "expected a text for a keyword, got %s",
                        im_ynode_kind_name(v->items[i]));
        n += strlen(v->items[i]->str) + 2;
    }
    all = im_arena_alloc(s->a, n + 1);
    if (!all)
        return oom(s);
    all[0] = '\0';
    for (i = 0; i < v->nitems; i++) {
        if (i)
            strcat(all, ", ");
        strcat(all, v->items[i]->str);
    }
    s->m->keywords = v->nitems ? all : NULL;
    return 0;
}

/* png: {palette: BOOL, colors: 2..256}: an 8-bit indexed PNG. */
static const char *const png_keys[] = {"palette", "colors", NULL};

static int parse_png(spec *s, const im_ynode *v)
{
    im_map *m = s->m;
    int i;
    if (want_map(s, v, "png"))
        return -1;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        double colors = 0;
        if (strcmp(k, "palette") == 0) {
            if (want_bool(s, val, "png.palette", &m->png_palette))
                return -1;
        } else if (strcmp(k, "colors") == 0) {
            if (want_number_in(s, val, "png.colors", 2, 256, 0, &colors))
                return -1;
            if (colors != floor(colors))
                return FAIL(val, "expected a whole number 2..256 for png.colors, got %s", val->str);
            m->png_colors = (int)colors;
        } else {
            return unknown_key(s, v->pairs[i].key, "png", png_keys);
        }
    }
    return 0;
}

/* colors: {VALUE: COLOUR, ...}: fixed colours for values of the field the
 * incidents are coloured by (actors by default), kept in the theme. */
static int parse_fixed_colors(spec *s, const im_ynode *v)
{
    im_theme *th = &s->m->theme;
    const char **names;
    im_rgba *cols;
    int i, has;
    if (want_map(s, v, "colors"))
        return -1;
    names = im_arena_alloc(s->a, (size_t)(v->npairs + 1) * sizeof *names);
    cols = im_arena_alloc(s->a, (size_t)(v->npairs + 1) * sizeof *cols);
    if (!names || !cols)
        return oom(s);
    for (i = 0; i < v->npairs; i++) {
        if (want_name(s, v->pairs[i].key, "a colors key", &names[i]))
            return -1;
        if (want_color(s, v->pairs[i].value, names[i], &has, &cols[i]))
            return -1;
        if (!has)
            cols[i].a = 0;
    }
    th->fixed_names = names;
    th->fixed_colors = cols;
    th->nfixed = v->npairs;
    return 0;
}

/* caption: FILE, where the map's plain-language summary is written
 * (relative to the map file, like every path in it). */
static int parse_caption(spec *s, const im_ynode *v)
{
    char *p;
    if (!is_text(v) || !*v->str)
        return FAIL(v, "expected a file name for caption, got %s",
                    is_text(v) ? "an empty text" : im_ynode_kind_name(v));
    p = resolve(s, v);
    if (!p)
        return -1;
    s->m->caption = p;
    s->m->caption_loc = loc_of(s, v);
    return 0;
}

/* Title lines: an empty text means none. */
static int want_title(spec *s, const im_ynode *v, const char *what, const char **out)
{
    if (want_text(s, v, what, out))
        return -1;
    if (!**out)
        *out = NULL;
    return 0;
}

static int convert(spec *s, const im_ynode *root)
{
    im_map *m = s->m;
    const im_ynode *size_key = NULL, *page_key = NULL, *page_v = NULL, *dpi_v = NULL;
    long w = 0, h = 0;
    int i, rc, has_bg = 1;

    set_defaults(m);
    /* the theme first: the default colours of everything else come from it */
    for (i = 0; i < root->npairs; i++)
        if (strcmp(root->pairs[i].key->str, "theme") == 0 && parse_theme(s, root->pairs[i].value))
            return -1;
    m->background = m->theme.sea;
    for (i = 0; i < root->npairs; i++) {
        const im_ypair *p = &root->pairs[i];
        const char *k = p->key->str;
        const im_ynode *v = p->value;
        if (strcmp(k, "title") == 0) {
            rc = want_title(s, v, "title", &m->title);
            m->title_loc = loc_of(s, v);
        } else if (strcmp(k, "subtitle") == 0) {
            rc = want_title(s, v, "subtitle", &m->subtitle);
        } else if (strcmp(k, "credit") == 0) {
            rc = want_title(s, v, "credit", &m->credit);
        } else if (strcmp(k, "size") == 0) {
            if (page_key)
                return FAIL(p->key, "'size' and 'page' cannot both be given");
            size_key = p->key;
            if (!is_text(v) || im_spec_parse_size(v->str, &w, &h))
                return FAIL(v, "expected WxH pixels for size (e.g. 1600x1200), got %s%.60s%s",
                            is_text(v) ? "'" : "", is_text(v) ? v->str : im_ynode_kind_name(v),
                            is_text(v) ? "'" : "");
            rc = check_px(s, v, "width", w) || check_px(s, v, "height", h);
        } else if (strcmp(k, "page") == 0) {
            if (size_key)
                return FAIL(p->key, "'size' and 'page' cannot both be given");
            page_key = p->key;
            page_v = v;
            if (!is_text(v) || im_spec_parse_page(v->str, &m->page_mm_w, &m->page_mm_h))
                return FAIL(v, "expected %s for page, got %s%.60s%s", PAGE_FORMS,
                            is_text(v) ? "'" : "", is_text(v) ? v->str : im_ynode_kind_name(v),
                            is_text(v) ? "'" : "");
            rc = 0;
        } else if (strcmp(k, "dpi") == 0) {
            dpi_v = v;
            rc = want_number_in(s, v, "dpi", 36, 1200, 0, &m->dpi);
        } else if (strcmp(k, "projection") == 0) {
            rc = want_name(s, v, "projection", &m->projection);
            if (!rc && im_streq_ci(m->projection, "auto"))
                m->projection = "auto";
            m->projection_loc = loc_of(s, v);
        } else if (strcmp(k, "extent") == 0) {
            rc = parse_extent(s, v, &m->extent);
        } else if (strcmp(k, "layout") == 0) {
            /* page: title block, frame and credit; full: the map alone,
             * edge to edge (an overlay for GIS tools with --world-file) */
            rc = 0;
            if (is_text(v) && (im_streq_ci(v->str, "full") || im_streq_ci(v->str, "page")))
                m->layout_full = im_streq_ci(v->str, "full");
            else
                rc = FAIL(v, "expected page or full for layout");
        } else if (strcmp(k, "font") == 0) {
            rc = want_name(s, v, "font", &m->font);
        } else if (strcmp(k, "background") == 0) {
            rc = want_color(s, v, "background", &has_bg, &m->background);
        } else if (strcmp(k, "basemap") == 0) {
            rc = parse_basemap(s, v);
        } else if (strcmp(k, "incidents") == 0) {
            rc = parse_incidents(s, v);
        } else if (strcmp(k, "bases") == 0) {
            rc = parse_bases(s, v);
        } else if (strcmp(k, "lines") == 0) {
            rc = parse_lines(s, v);
        } else if (strcmp(k, "zones") == 0) {
            rc = parse_zones(s, v);
        } else if (strcmp(k, "legend") == 0) {
            rc = parse_legend(s, v);
        } else if (strcmp(k, "scalebar") == 0) {
            rc = parse_scalebar(s, v);
        } else if (strcmp(k, "theme") == 0) {
            rc = 0; /* read first, above */
        } else if (strcmp(k, "graticule") == 0) {
            rc = parse_graticule(s, v, &m->graticule);
        } else if (strcmp(k, "inset") == 0) {
            rc = parse_inset(s, v, &m->inset);
        } else if (strcmp(k, "labels") == 0) {
            rc = parse_labels(s, v, &m->labels);
        } else if (strcmp(k, "as_of") == 0) {
            /* the date line of the title block: "As of 30 June 2022" */
            char iso[11];
            if (!is_text(v) || im_date_parse_bound(v->str, 0, iso) != 0)
                return FAIL(v, "expected a date for as_of (2022-06-30, 30 June 2022, ...), got %s%.60s%s",
                            is_text(v) ? "'" : "", is_text(v) ? v->str : im_ynode_kind_name(v),
                            is_text(v) ? "'" : "");
            m->as_of = im_arena_strdup(s->a, iso);
            rc = m->as_of ? 0 : oom(s);
        } else if (strcmp(k, "north_arrow") == 0) {
            rc = want_corner(s, v, "north_arrow", IM_CORNER_TOP_RIGHT, &m->north_arrow);
        } else if (strcmp(k, "when") == 0) {
            rc = parse_when(s, v);
        } else if (strcmp(k, "keywords") == 0) {
            rc = parse_keywords(s, v);
        } else if (strcmp(k, "png") == 0) {
            rc = parse_png(s, v);
        } else if (strcmp(k, "colors") == 0) {
            rc = parse_fixed_colors(s, v);
        } else if (strcmp(k, "caption") == 0) {
            rc = parse_caption(s, v);
        } else if (strcmp(k, "include") == 0) {
            /* files are included as the map file is read (include.c) */
            rc = FAIL(p->key, "include: is read from map files only, not from --set");
        } else if (strcmp(k, "formats") == 0 || strcmp(k, "atlas") == 0) {
            rc = im_spec_build_key(m, s->a, k, v, s->d); /* build_keys.c */
        } else {
            rc = unknown_key(s, p->key, NULL, top_keys);
        }
        if (rc)
            return -1;
    }

    if (m->extent.kind == IM_EXTENT_PROJECTED && strcmp(m->projection, "auto") == 0)
        return im_fail(s->d, IM_ERR_SPEC, m->path, m->extent.loc.line, m->extent.loc.col,
                       "extent.projected needs a projection (the box is in its units)");
    /* background: none is a transparent canvas */
    if (!has_bg)
        m->background.a = 0;
    m->theme.sea = m->background;

    if (page_key) {
        if (!dpi_v)
            m->dpi = 150;
        w = lround(m->page_mm_w / 25.4 * m->dpi);
        h = lround(m->page_mm_h / 25.4 * m->dpi);
        if (w < 16 || w > 20000 || h < 16 || h > 20000)
            return FAIL(page_v, "page '%.60s' at %g dpi is %ldx%ld px (each side must be 16..20000)",
                        page_v->str, m->dpi, w, h);
        m->width_px = (int)w;
        m->height_px = (int)h;
    } else {
        if (!dpi_v)
            m->dpi = 96;
        if (size_key) {
            m->width_px = (int)w;
            m->height_px = (int)h;
        }
    }
    return 0;
}

/* ---- --set overrides */

static int set_fail(im_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int set_fail(im_diag *d, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return im_fail(d, IM_ERR_USAGE, SET_FILE, 0, 0, "%s", msg);
}

static int is_key_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Split KEY ("a.b", "zones.0.fill", "zones[0].fill") into segments in TA. */
static int split_key(im_arena *ta, const char *key, size_t n, char **seg, int *nseg, im_diag *d)
{
    size_t i = 0;
    *nseg = 0;
    while (i < n) {
        size_t start = i;
        int bracket = key[i] == '[';
        if (bracket)
            start = ++i;
        while (i < n && is_key_char((unsigned char)key[i]))
            i++;
        if (i == start || *nseg == MAX_SET_DEPTH)
            return set_fail(d, "invalid key '%.*s'", (int)n, key);
        seg[*nseg] = im_arena_strndup(ta, key + start, i - start);
        if (!seg[*nseg])
            return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
        if (bracket && (i >= n || key[i] != ']' || !all_digits(seg[*nseg])))
            return set_fail(d, "invalid key '%.*s'", (int)n, key);
        if (bracket)
            i++;
        (*nseg)++;
        if (i < n && key[i] == '.')
            i++;
        else if (i < n && key[i] != '[')
            return set_fail(d, "invalid key '%.*s'", (int)n, key);
        if (i == n && key[n - 1] == '.')
            return set_fail(d, "invalid key '%.*s'", (int)n, key);
    }
    if (*nseg == 0)
        return set_fail(d, "invalid key '%.*s'", (int)n, key);
    return 0;
}

/* The value of an override: RAW as a YAML value, except that text which
 * YAML would read as something else than one scalar (a colon, a '#') is
 * taken literally unless it starts like a flow collection or quoted text,
 * and an empty RAW is the empty text. */
static int parse_set_value(im_arena *ta, const char *key, const char *raw, im_ynode **out,
                           im_diag *d)
{
    im_yaml_src src;
    im_diag tmp;
    im_ynode *n = NULL;
    size_t len = strlen(raw);
    int rc, literal;
    memset(&src, 0, sizeof src);
    src.status = IM_ERR_USAGE;
    src.no_position = 1;
    src.from_set = 1;
    im_diag_init(&tmp, NULL, NULL);
    rc = len ? im_yaml_load_string(ta, raw, len, &src, &n, &tmp) : -1;
    if (tmp.status == IM_ERR_INTERNAL)
        return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
    literal = len == 0 || (!strchr("[{\"'", raw[0]) &&
                           (rc != 0 || n->kind != IM_YNODE_SCALAR ||
                            (im_ynode_is_null(n) && strcmp(raw, "~") && strcmp(raw, "null") &&
                             strcmp(raw, "Null") && strcmp(raw, "NULL"))));
    if (literal) {
        n = im_ynode_new(ta, IM_YNODE_SCALAR);
        if (!n || !(n->str = im_arena_strdup(ta, raw)))
            return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
        n->len = len;
        n->plain = 0;
        n->from_set = 1;
    } else if (rc != 0) {
        return set_fail(d, "invalid value for '%s': %s", key, tmp.message);
    }
    *out = n;
    return 0;
}

/* Apply OV ("key.path=value") to the tree ROOT.  The key path walks
 * mappings by name and lists by index (zones.0.fill or zones[0].fill),
 * creating mappings that do not exist yet; the value replaces or adds the
 * last key, and a null value (~ or null) removes it.  Errors are
 * IM_ERR_USAGE at "--set". */
static int apply_override(im_arena *ta, im_ynode *root, const char *ov, im_diag *d)
{
    char *seg[MAX_SET_DEPTH];
    const char *eq = strchr(ov, '=');
    char *key;
    im_ynode *cur = root, *value = NULL;
    int nseg, i;
    if (!eq || eq == ov)
        return set_fail(d, "expected key=value, got '%s'", ov);
    key = im_arena_strndup(ta, ov, (size_t)(eq - ov));
    if (!key)
        return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
    if (split_key(ta, key, strlen(key), seg, &nseg, d) ||
        parse_set_value(ta, key, eq + 1, &value, d))
        return -1;
    /* size and page are alternatives: setting one drops the other */
    if (nseg == 1 && !im_ynode_is_null(value)) {
        if (strcmp(seg[0], "size") == 0)
            im_ymap_remove(root, "page");
        else if (strcmp(seg[0], "page") == 0)
            im_ymap_remove(root, "size");
    }
    for (i = 0; i < nseg; i++) {
        int last = i == nseg - 1;
        im_ynode *child, *fresh;
        im_ynode **slot;
        if (cur->kind == IM_YNODE_MAP) {
            im_ypair *p = im_ymap_pair(cur, seg[i]);
            if (last && im_ynode_is_null(value)) {
                im_ymap_remove(cur, seg[i]); /* key=null: back to the default */
                break;
            }
            if (!p) {
                im_ynode *k = im_ynode_new(ta, IM_YNODE_SCALAR);
                fresh = last ? value : im_ynode_new(ta, IM_YNODE_MAP);
                if (!k || !fresh || !(k->str = im_arena_strdup(ta, seg[i])) ||
                    im_ymap_append(ta, cur, k, fresh))
                    return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
                k->len = strlen(k->str);
                k->from_set = 1;
                fresh->from_set = 1;
                cur = fresh;
                continue;
            }
            slot = &p->value;
        } else if (cur->kind == IM_YNODE_SEQ) {
            long idx;
            if (!all_digits(seg[i]) || im_parse_int(seg[i], &idx) || idx >= cur->nitems)
                return set_fail(d, "cannot set '%s': '%s' is a list of %d; use an index 0..%d",
                                key, seg[i - 1], cur->nitems, cur->nitems - 1);
            slot = &cur->items[idx];
        } else {
            return set_fail(d, "cannot set '%s': '%s' is not a mapping", key, seg[i - 1]);
        }
        if (last) {
            *slot = value;
            break;
        }
        child = *slot;
        if (child->kind == IM_YNODE_SCALAR && !im_ynode_is_null(child))
            return set_fail(d, "cannot set '%s': '%s' is not a mapping", key, seg[i]);
        /* copy before changing: an alias may share the node elsewhere */
        fresh = child->kind == IM_YNODE_SCALAR ? im_ynode_new(ta, IM_YNODE_MAP)
                                               : im_ynode_clone(ta, child);
        if (!fresh)
            return im_fail(d, IM_ERR_INTERNAL, SET_FILE, 0, 0, "out of memory");
        if (child->kind == IM_YNODE_SCALAR)
            fresh->from_set = 1;
        *slot = fresh;
        cur = fresh;
    }
    return 0;
}

/* ---- entry points */

/* The parent of TARGET under N (a DAG: the first found), or NULL. */
static im_ynode *find_parent(im_ynode *n, const im_ynode *target, int depth)
{
    int i;
    im_ynode *p;
    if (depth > 64)
        return NULL;
    if (n->kind == IM_YNODE_SEQ) {
        for (i = 0; i < n->nitems; i++) {
            if (n->items[i] == target)
                return n;
            if ((p = find_parent(n->items[i], target, depth + 1)) != NULL)
                return p;
        }
    } else if (n->kind == IM_YNODE_MAP) {
        for (i = 0; i < n->npairs; i++) {
            if (n->pairs[i].key == target || n->pairs[i].value == target)
                return n;
            if ((p = find_parent(n->pairs[i].value, target, depth + 1)) != NULL)
                return p;
        }
    }
    return NULL;
}

/* Take the pair or item holding NODE out of PARENT (a mapping in a list
 * is replaced by im_spec_gone). */
static void drop_child(im_ynode *parent, const im_ynode *node)
{
    int i;
    if (parent->kind == IM_YNODE_SEQ) {
        for (i = 0; i < parent->nitems; i++) {
            if (parent->items[i] == node && node->kind == IM_YNODE_MAP) {
                parent->items[i] = &im_spec_gone;
                return;
            }
            if (parent->items[i] == node) {
                memmove(&parent->items[i], &parent->items[i + 1],
                        (size_t)(parent->nitems - i - 1) * sizeof *parent->items);
                parent->nitems--;
                return;
            }
        }
    } else {
        for (i = 0; i < parent->npairs; i++) {
            if (parent->pairs[i].key == node || parent->pairs[i].value == node) {
                memmove(&parent->pairs[i], &parent->pairs[i + 1],
                        (size_t)(parent->npairs - i - 1) * sizeof *parent->pairs);
                parent->npairs--;
                return;
            }
        }
    }
}

/* Convert ROOT into S's map; with ALL, every problem is reported: after an
 * error, the pair or list item it is in is taken out of the tree and the
 * tree converted again, and errors at the mapping or list it was taken
 * from (a key now missing) are not reported, since they follow from it. */
static int convert_all(spec *s, im_ynode *root, im_arena *ta, int all)
{
    im_map *m = s->m, keep = *m;
    int round;
    if (!all)
        return convert(s, root);
    for (round = 0; round < 500; round++) {
        im_ynode *parent;
        const im_ynode **grown;
        /* start from a clean map each round */
        memset(m, 0, sizeof *m);
        m->arena = keep.arena;
        m->path = keep.path;
        m->dir = keep.dir;
        s->sources_cap = 0;
        s->fail_node = NULL;
        if (convert(s, root) == 0)
            return 0; /* with the errors reported on the way, if any */
        if (s->d->status == IM_ERR_INTERNAL || !s->fail_node || s->fail_node == root)
            return -1;
        parent = find_parent(root, s->fail_node, 0);
        if (!parent)
            return -1;
        drop_child(parent, s->fail_node);
        grown = im_arena_grow(ta, s->damaged, (size_t)s->ndamaged, (size_t)s->ndamaged + 1,
                              sizeof *grown);
        if (!grown)
            return oom(s);
        grown[s->ndamaged++] = parent;
        s->damaged = grown;
    }
    return -1;
}

static int map_read(const char *map_path, const char **overrides, int noverrides, im_map **out,
                    im_diag *d, int all)
{
    im_arena *arena = NULL, *ta = NULL;
    im_map *m = NULL;
    im_ynode *root = NULL;
    spec s;
    int i, rc = -1;
    if (out)
        *out = NULL;
    if (!map_path || !out)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "im_map_read: no map file or result");
    arena = im_arena_create();
    ta = im_arena_create();
    m = arena ? im_arena_alloc(arena, sizeof *m) : NULL;
    if (!ta || !m) {
        im_fail(d, IM_ERR_INTERNAL, map_path, 0, 0, "out of memory");
        goto done;
    }
    m->arena = arena;
    arena = NULL; /* owned by m from here */
    m->path = im_arena_strdup(m->arena, map_path);
    m->dir = im_path_dir(m->arena, map_path);
    if (!m->path || !m->dir) {
        im_fail(d, IM_ERR_INTERNAL, map_path, 0, 0, "out of memory");
        goto done;
    }
    if (im_yaml_load_file(ta, map_path, &root, d) ||
        im_spec_expand_includes(ta, m->arena, map_path, &root, d))
        goto done;
    for (i = 0; i < noverrides; i++)
        if (apply_override(ta, root, overrides[i], d))
            goto done;
    memset(&s, 0, sizeof s);
    s.m = m;
    s.a = m->arena;
    s.d = d;
    if (convert_all(&s, root, ta, all))
        goto done;
    *out = m;
    m = NULL;
    rc = 0;
done:
    im_arena_destroy(ta);
    im_arena_destroy(arena);
    im_map_free(m);
    return rc;
}

int im_map_read(const char *map_path, const char **overrides, int noverrides, im_map **out,
                im_diag *d)
{
    return map_read(map_path, overrides, noverrides, out, d, 0);
}

int im_map_read_all(const char *map_path, const char **overrides, int noverrides, im_map **out,
                    im_diag *d)
{
    return map_read(map_path, overrides, noverrides, out, d, 1);
}

void im_map_free(im_map *map)
{
    if (map)
        im_arena_destroy(map->arena); /* the map itself lives in its arena */
}
