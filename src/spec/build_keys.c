/* The map file's keys for `incimap build`: `formats:` (which files a map
 * gives) and `atlas:` (one page per record or group).  Render ignores
 * them; build reads them from the map model. */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "incimap/incimap.h"
#include "spec/spec.h"
#include "spec/yaml_tree.h"

static int bfail(const im_map *m, const im_ynode *n, const char *fmt, const char *arg,
                 im_diag *d)
{
    if (n && n->from_set)
        return im_fail(d, IM_ERR_USAGE, "--set", 0, 0, fmt, arg);
    return im_fail(d, IM_ERR_SPEC, m->path, n ? n->line : 0, n ? n->col : 0, fmt, arg);
}

static const char *text_of(const im_ynode *v)
{
    return v && v->kind == IM_YNODE_SCALAR ? v->str : NULL;
}

static int parse_formats(im_map *m, const im_ynode *v, im_diag *d)
{
    int i;
    if (v->kind != IM_YNODE_SEQ || v->nitems == 0)
        return bfail(m, v, "expected a list of formats for formats (e.g. [png, pdf])%s", "", d);
    m->formats = 0;
    for (i = 0; i < v->nitems; i++) {
        const char *t = text_of(v->items[i]);
        if (t && im_streq_ci(t, "png"))
            m->formats |= IM_MAP_FORMAT_PNG;
        else if (t && im_streq_ci(t, "svg"))
            m->formats |= IM_MAP_FORMAT_SVG;
        else if (t && im_streq_ci(t, "pdf"))
            m->formats |= IM_MAP_FORMAT_PDF;
        else
            return bfail(m, v->items[i], "unknown format '%.60s' (expected png, svg or pdf)",
                         t ? t : im_ynode_kind_name(v->items[i]), d);
    }
    return 0;
}

static int want_positive(im_map *m, const im_ynode *v, const char *what, double *out,
                         im_diag *d)
{
    const char *t = text_of(v);
    if (!t || im_parse_double(t, out) != 0 || *out <= 0)
        return bfail(m, v, "expected a positive number for atlas.%s", what, d);
    return 0;
}

static int parse_atlas(im_map *m, im_arena *a, const im_ynode *v, im_diag *d)
{
    im_atlas *at = &m->atlas;
    int i;
    if (v->kind != IM_YNODE_MAP)
        return bfail(m, v, "expected a mapping for atlas (e.g. {per: incident})%s", "", d);
    at->radius_km = 25;
    at->margin = 0.15;
    at->index = 1;
    at->loc.file = m->path;
    at->loc.line = v->line;
    at->loc.col = v->col;
    for (i = 0; i < v->npairs; i++) {
        const char *k = v->pairs[i].key->str;
        const im_ynode *val = v->pairs[i].value;
        const char *t = text_of(val);
        if (strcmp(k, "per") == 0) {
            if (!t || !*t)
                return bfail(m, val, "expected incident, month, year or a field for atlas.per%s",
                             "", d);
            if (im_streq_ci(t, "incident"))
                at->per = IM_ATLAS_INCIDENT;
            else if (im_streq_ci(t, "month"))
                at->per = IM_ATLAS_MONTH;
            else if (im_streq_ci(t, "year"))
                at->per = IM_ATLAS_YEAR;
            else {
                at->per = IM_ATLAS_FIELD;
                at->field = im_arena_strdup(a, t);
            }
        } else if (strcmp(k, "radius_km") == 0) {
            if (want_positive(m, val, "radius_km", &at->radius_km, d) != 0)
                return -1;
        } else if (strcmp(k, "margin") == 0) {
            if (want_positive(m, val, "margin", &at->margin, d) != 0)
                return -1;
        } else if (strcmp(k, "name") == 0) {
            if (!t || !*t || strchr(t, '/'))
                return bfail(m, val, "expected a file name template without '/' for atlas.name "
                             "(e.g. \"{date}-{id}.png\")%s", "", d);
            if (im_format_from_path(t) == IM_FORMAT_NONE)
                return bfail(m, val, "atlas.name '%.60s' must end in .png, .svg or .pdf", t, d);
            at->name = im_arena_strdup(a, t);
        } else if (strcmp(k, "index") == 0) {
            if (t && (strcmp(t, "true") == 0 || strcmp(t, "yes") == 0))
                at->index = 1;
            else if (t && (strcmp(t, "false") == 0 || strcmp(t, "no") == 0))
                at->index = 0;
            else
                return bfail(m, val, "expected true or false for atlas.index%s", "", d);
        } else {
            return bfail(m, v->pairs[i].key,
                         "unknown key '%.60s' in atlas (expected per, radius_km, margin, name "
                         "or index)", k, d);
        }
    }
    if (at->per == IM_ATLAS_NONE)
        return bfail(m, v, "atlas needs per: incident, month, year or a field%s", "", d);
    if (!at->name)
        at->name = at->per == IM_ATLAS_INCIDENT ? "{date}-{id}.png" : "{group}.png";
    return 0;
}

int im_spec_build_key(im_map *m, im_arena *a, const char *key, const im_ynode *v, im_diag *d)
{
    if (strcmp(key, "formats") == 0)
        return parse_formats(m, v, d);
    return parse_atlas(m, a, v, d);
}
