/* The render pipeline: map file -> data -> projection -> frame -> drawing
 * -> atomic output (+ world file). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/load.h"
#include "api/scene.h"
#include "core/atomic.h"
#include "core/threads.h"
#include "core/util.h"

#define IM_FRAME_PAD 12.0

im_format im_format_from_path(const char *path)
{
    if (!path)
        return IM_FORMAT_NONE;
    if (im_has_suffix_ci(path, ".png"))
        return IM_FORMAT_PNG;
    if (im_has_suffix_ci(path, ".svg"))
        return IM_FORMAT_SVG;
    if (im_has_suffix_ci(path, ".pdf"))
        return IM_FORMAT_PDF;
    return IM_FORMAT_NONE;
}

static const char *im_format_name(im_format f)
{
    return f == IM_FORMAT_PNG ? "PNG" : f == IM_FORMAT_SVG ? "SVG" : "PDF";
}

const char *im_default_geodata_dir(void)
{
    const char *env = getenv("INCIMAP_GEODATA");
    return env && *env ? env : INCIMAP_GEODATA_DIR;
}

/* ---- extent ------------------------------------------------------------ */

typedef struct {
    double lon0, lat0, lon1, lat1;
    int any;
} im_llbox;

static void im_llbox_add(im_llbox *b, double lon, double lat)
{
    if (!b->any) {
        b->lon0 = b->lon1 = lon;
        b->lat0 = b->lat1 = lat;
        b->any = 1;
        return;
    }
    /* comparisons, not fmin/fmax calls: a million incidents pass here */
    b->lon0 = lon < b->lon0 ? lon : b->lon0;
    b->lon1 = lon > b->lon1 ? lon : b->lon1;
    b->lat0 = lat < b->lat0 ? lat : b->lat0;
    b->lat1 = lat > b->lat1 ? lat : b->lat1;
}

/* The lon/lat box of everything the map shows. */
static void im_content_box(const im_map *m, im_llbox *b)
{
    int i, k;
    for (i = 0; i < m->nincidents; i++)
        im_llbox_add(b, m->incidents[i].lon, m->incidents[i].lat);
    for (i = 0; i < m->nbases; i++)
        im_llbox_add(b, m->bases[i].at.lon, m->bases[i].at.lat);
    for (i = 0; i < m->nlines; i++)
        for (k = 0; k < m->lines[i].npts; k++)
            im_llbox_add(b, m->lines[i].pts[k].lon, m->lines[i].pts[k].lat);
    for (i = 0; i < m->nzones; i++) {
        const im_zone *z = &m->zones[i];
        if (z->is_circle) {
            double lon, lat;
            for (k = 0; k < 360; k += 15) {
                im_geod_direct(z->center.lon, z->center.lat, k, z->radius_km * 1000, &lon, &lat);
                im_llbox_add(b, lon, lat);
            }
        } else {
            for (k = 0; k < z->nring; k++)
                im_llbox_add(b, z->ring[k].lon, z->ring[k].lat);
        }
    }
}

/* Resolve the extent to a lon/lat box (plus, for circles, the centre). */
static void im_extent_box(const im_map *m, im_llbox *b)
{
    const im_extent *e = &m->extent;
    memset(b, 0, sizeof *b);
    if (e->kind == IM_EXTENT_BOX) {
        b->lon0 = e->lon0;
        b->lat0 = e->lat0;
        b->lon1 = e->lon1;
        b->lat1 = e->lat1;
        b->any = 1;
        return;
    }
    if (e->kind == IM_EXTENT_CIRCLE) {
        double lon, lat;
        int k;
        for (k = 0; k < 360; k += 5) {
            im_geod_direct(e->center.lon, e->center.lat, k, e->radius_km * 1000, &lon, &lat);
            im_llbox_add(b, lon, lat);
        }
        return;
    }
    im_content_box(m, b);
    if (!b->any) {
        /* nothing to show: the Levant */
        b->lon0 = 35;
        b->lat0 = 31.5;
        b->lon1 = 43;
        b->lat1 = 37.5;
        b->any = 1;
        return;
    }
    {
        double margin = e->margin > 0 ? e->margin : 0.15;
        double clat = (b->lat0 + b->lat1) / 2;
        double dlon = b->lon1 - b->lon0, dlat = b->lat1 - b->lat0;
        /* at least ~60 km across so a single incident has context */
        double min_deg = 0.55;
        double klon = cos(clat * M_PI / 180);
        if (dlat < min_deg) {
            b->lat0 -= (min_deg - dlat) / 2;
            b->lat1 += (min_deg - dlat) / 2;
            dlat = min_deg;
        }
        if (dlon * klon < min_deg) {
            double want = min_deg / (klon > 0.1 ? klon : 0.1);
            b->lon0 -= (want - dlon) / 2;
            b->lon1 += (want - dlon) / 2;
            dlon = want;
        }
        b->lon0 = fmax(-180, b->lon0 - dlon * margin);
        b->lon1 = fmin(180, b->lon1 + dlon * margin);
        b->lat0 = fmax(-89, b->lat0 - dlat * margin);
        b->lat1 = fmin(89, b->lat1 + dlat * margin);
    }
}

/* Projected bounds of a lon/lat box: its edges sampled densely. */
static int im_projected_box(im_geo *g, const im_llbox *b, double out[4])
{
    enum { N = 48 };
    double x[4 * N], y[4 * N];
    int i, k, ok = 0;
    k = im_rect_edge_points(b->lon0, b->lat0, b->lon1, b->lat1, N, x, y);
    im_geo_fwd(g, x, y, (size_t)k);
    out[0] = out[1] = HUGE_VAL;
    out[2] = out[3] = -HUGE_VAL;
    for (i = 0; i < k; i++) {
        if (x[i] == HUGE_VAL)
            continue;
        ok = 1;
        out[0] = fmin(out[0], x[i]);
        out[1] = fmin(out[1], y[i]);
        out[2] = fmax(out[2], x[i]);
        out[3] = fmax(out[3], y[i]);
    }
    return ok ? 0 : -1;
}

/* Lon/lat bounds of the frame (edges sampled). */
static void im_frame_llbox(im_scene *s)
{
    if (im_scene_view_llbox(s, 32, s->ll_box) != 0) {
        /* part of the frame is off the globe: treat as world-wide */
        s->ll_box[0] = -180;
        s->ll_box[1] = -90;
        s->ll_box[2] = 180;
        s->ll_box[3] = 90;
    }
}

/* ---- world file -------------------------------------------------------- */

static int im_write_world_file(im_scene *s, im_outputs *outs, const char *out_path, im_format fmt, im_diag *d)
{
    im_arena *a = s->map->arena;
    const char *dot = strrchr(out_path, '.');
    size_t stem = dot ? (size_t)(dot - out_path) : strlen(out_path);
    char *wld = im_arena_printf(a, "%.*s.%s", (int)stem, out_path,
                                fmt == IM_FORMAT_PNG ? "pgw" : fmt == IM_FORMAT_SVG ? "svgw" : "wld");
    char *prj = im_arena_printf(a, "%.*s.prj", (int)stem, out_path);
    /* device pixels of the image; the world file names the centre of the
     * top-left pixel */
    double dev = (double)s->map->width_px / im_canvas_width(s->canvas);
    double unit = 1.0 / (s->view.px_per_unit * dev);
    double x0 = s->view.xmin - s->view.fx * dev * unit + unit / 2;
    double y0 = s->view.ymax + s->view.fy * dev * unit - unit / 2;
    char *text = im_arena_printf(a, "%.10f\n0.0000000000\n0.0000000000\n%.10f\n%.10f\n%.10f\n", unit,
                                 -unit, x0, y0);
    if (!wld || !prj || !text)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    if (im_outputs_stage(outs, wld, text, d) != 0)
        return -1;
    if (!im_geo_esri_wkt(s->geo))
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    return im_outputs_stage(outs, prj, im_geo_esri_wkt(s->geo), d);
}

/* ---- the pipeline ------------------------------------------------------ */

static void im_scene_release(im_scene *s)
{
    im_labeler_free(s->labels);
    im_canvas_free(s->canvas);
    im_geo_free(s->geo);
    free(s->bx);
    free(s->by);
    im_scene_free_carto(s); /* the incident arrays, grid and labels */
}

/* Bytes in the map's incident files (those that can be stat'ed). */
static long long im_sources_size(const im_map *m)
{
    long long total = 0;
    struct stat st;
    int i;
    for (i = 0; i < m->nsources; i++)
        if (m->sources[i].path && stat(m->sources[i].path, &st) == 0 && S_ISREG(st.st_mode))
            total += (long long)st.st_size;
    return total;
}

/* Incident data from which PROJ's database is opened on a second thread
 * while the data are read: below, the two threads would only contend. */
#define IM_PREFETCH_BYTES (4LL << 20)

/* im_render_load; with PREFETCH, for a one-off render of much data. */
static int im_render_load_for(const char *map_path, const im_render_opts *opts, im_map **out, im_diag *d,
                              int prefetch)
{
    im_map *m = NULL;
    im_load_opts lo;
    *out = NULL;
    if (im_map_read(map_path, opts ? opts->overrides : NULL, opts ? opts->noverrides : 0, &m, d) != 0)
        return -1;
    /* an automatic projection, like a plain PROJ string, needs no database */
    if (prefetch && m->projection && strcmp(m->projection, "auto") != 0 &&
        im_geo_needs_database(m->projection) && im_sources_size(m) >= IM_PREFETCH_BYTES)
        im_geo_prefetch();
    /* atlas file names and groups may use any field of the data */
    if (m->atlas.per)
        m->keep_all_fields = 1;
    memset(&lo, 0, sizeof lo);
    lo.geodata_dir = opts && opts->geodata_dir ? opts->geodata_dir : im_default_geodata_dir();
    lo.strict = opts ? opts->strict : 0;
    lo.from = opts ? opts->from : NULL;
    lo.to = opts ? opts->to : NULL;
    if (im_map_load(m, &lo, d) != 0) {
        im_geo_prefetch_wait();
        im_map_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

int im_render_load(const char *map_path, const im_render_opts *opts, im_map **out, im_diag *d)
{
    return im_render_load_for(map_path, opts, out, d, 0);
}

int im_render_file(const char *map_path, const char *out_path, const im_render_opts *opts, im_diag *d)
{
    im_map *m = NULL;
    int rc;
    if (im_format_from_path(out_path) == IM_FORMAT_NONE)
        return im_fail(d, IM_ERR_USAGE, out_path, 0, 0,
                       "unknown output format (the file name must end in .png, .svg or .pdf)");
    if (im_render_load_for(map_path, opts, &m, d, 1) != 0)
        return -1;
    rc = im_render_map(m, out_path, opts, d);
    im_geo_prefetch_wait();
    im_map_free(m);
    return rc;
}

static void im_note_dep(void *user, const char *path)
{
    im_diag_dep(user, path);
}

/* The base map drawn (WARM 0), or the fonts of its labels loaded meanwhile
 * (WARM 1, on a second thread: drawing the base map sets no text). */
typedef struct im_base_part {
    im_scene *s;
    im_diag *d;
    int warm, rc;
} im_base_part;

static void *im_render_base(void *arg)
{
    im_base_part *p = arg;
    if (p->warm)
        im_scene_warm_label_fonts(p->s);
    else
        p->rc = im_scene_draw_layers(p->s, 0, p->d);
    return NULL;
}

int im_render_map(im_map *m, const char *out_path, const im_render_opts *opts, im_diag *d)
{
    im_scene s;
    im_format fmt = im_format_from_path(out_path);
    im_canvas_opts co;
    im_llbox box;
    double pbox[4], fx, fy, fw, fh, frame[4];
    const char *projdef;
    char *caption = NULL;
    const char *caption_path;
    im_outputs outs;
    int rc = -1;
    double t = im_clock_ms();

    memset(&s, 0, sizeof s);
    memset(&outs, 0, sizeof outs);
    if (fmt == IM_FORMAT_NONE)
        return im_fail(d, IM_ERR_USAGE, out_path, 0, 0,
                       "unknown output format (the file name must end in .png, .svg or .pdf)");
    s.map = m;
    s.geodata_dir = opts && opts->geodata_dir ? opts->geodata_dir : im_default_geodata_dir();

    projdef = m->projection;
    /* the lon/lat box of what the map shows: for an automatic projection
     * and to project the extent (a projected one needs neither) */
    if (!projdef || strcmp(projdef, "auto") == 0 || m->extent.kind != IM_EXTENT_PROJECTED)
        im_extent_box(m, &box);
    if (!projdef || strcmp(projdef, "auto") == 0)
        projdef = im_geo_auto_projection(m->arena, box.lon0, box.lat0, box.lon1, box.lat1);
    if (im_geo_create(projdef, m->projection_loc, &s.geo, d) != 0)
        goto done;
    if (m->extent.kind == IM_EXTENT_PROJECTED) {
        pbox[0] = m->extent.x0;
        pbox[1] = m->extent.y0;
        pbox[2] = m->extent.x1;
        pbox[3] = m->extent.y1;
    } else if (im_projected_box(s.geo, &box, pbox) != 0) {
        im_fail(d, IM_ERR_SPEC, m->extent.loc.file, m->extent.loc.line, m->extent.loc.col,
                "the extent cannot be shown in projection '%s'", projdef);
        goto done;
    }

    memset(&co, 0, sizeof co);
    co.format = fmt;
    co.width_px = m->width_px;
    co.height_px = m->height_px;
    co.dpi = m->dpi;
    co.font = m->font;
    co.title = m->title;
    co.subject = m->subtitle;
    co.author = m->credit;
    co.keywords = m->keywords;
    co.page_w_pt = m->page_mm_w / 25.4 * 72;
    co.page_h_pt = m->page_mm_h / 25.4 * 72;
    co.palette_colors = m->png_palette ? m->png_colors : 0;
    if (im_canvas_create(out_path, &co, &s.canvas, d) != 0)
        goto done;

    im_verbose(d, "set up the projection and the %s canvas in %.0f ms", im_format_name(fmt), im_clock_ms() - t);
    /* title block, frame, view, and the furniture's corners (layout.c) */
    t = im_clock_ms();
    if (im_scene_layout(&s, pbox, d) != 0)
        goto done;
    im_verbose(d, "laid out the map, %d of %d incidents in the frame, in %.0f ms", s.ninc, m->nincidents,
               im_clock_ms() - t);
    fx = s.view.fx;
    fy = s.view.fy;
    fw = s.view.fw;
    fh = s.view.fh;
    im_frame_llbox(&s);
    /* labels keep clear of the frame line */
    s.labels = im_labeler_create(fx + 2, fy + 2, fw - 4, fh - 4);
    if (!s.labels) {
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (m->basemap_default && im_scene_default_layers(&s, d) != 0)
        goto done;

    {
        im_style paper = {0}, sea = {0};
        double cw = im_canvas_width(s.canvas), ch = im_canvas_height(s.canvas);
        paper.has_fill = 1;
        paper.fill = m->theme.paper;
        paper.opacity = 1;
        /* an opaque sea over the whole image (layout: full) hides the
         * paper: a fill of seven megabytes less */
        if (!(fmt == IM_FORMAT_PNG && m->background.a >= 1 && fx <= 0 && fy <= 0 && fx + fw >= cw &&
              fy + fh >= ch))
            im_draw_rect(s.canvas, 0, 0, cw, ch, &paper);
        sea.has_fill = 1;
        sea.fill = m->background;
        sea.opacity = 1;
        im_draw_rect(s.canvas, fx, fy, fw, fh, &sea);
    }
    frame[0] = fx;
    frame[1] = fy;
    frame[2] = fw;
    frame[3] = fh;
    im_canvas_clip(s.canvas, frame);
    {
        im_base_part draw = {&s, d, 0, 0}, warm = {&s, d, 1, 0};
        im_run_pair(im_render_base, &draw, &warm);
        if (draw.rc != 0)
            goto done;
    }
    im_scene_draw_graticule(&s);
    t = im_clock_ms();
    if (im_scene_draw_features(&s, d) != 0)
        goto done;
    im_verbose(d, "drew the zones, lines, bases and %d incident symbols in %.0f ms", s.ninc, im_clock_ms() - t);
    if (im_scene_draw_furniture(&s, d) != 0)
        goto done;
    /* base-map labels are offered first, then the map's own; all are
     * placed together by priority and drawn on top */
    if (im_scene_draw_layers(&s, 1, d) != 0)
        goto done;
    t = im_clock_ms();
    im_scene_draw_labels(&s);
    im_verbose(d, "placed and drew the labels in %.0f ms", im_clock_ms() - t);
    im_canvas_clip(s.canvas, NULL);
    im_scene_draw_titles(&s);

    /* the summary is the SVG's description and the caption file (none
     * is made for a PNG or PDF without one: it counts every incident) */
    caption_path = opts && opts->caption ? opts->caption : m->caption;
    if ((fmt == IM_FORMAT_SVG || caption_path) &&
        (!(caption = im_scene_caption(&s)) || im_canvas_set_svg_text(s.canvas, m->title, caption) != 0)) {
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* the map, its caption and world file go into place together, once
     * every one of them is written */
    t = im_clock_ms();
    if (im_canvas_finish(s.canvas, d) != 0)
        goto done;
    im_verbose(d, "wrote the %s in %.0f ms", im_format_name(fmt), im_clock_ms() - t);
    if (caption_path && im_outputs_stage(&outs, caption_path, caption, d) != 0)
        goto done;
    if (opts && opts->world_file && im_write_world_file(&s, &outs, out_path, fmt, d) != 0)
        goto done;
    if (im_outputs_commit(&outs, s.canvas, d) != 0)
        goto done;
    if (d->deps)
        im_canvas_font_files(s.canvas, im_note_dep, d);
    rc = 0;
done:
    im_outputs_discard(&outs);
    free(caption);
    im_scene_release(&s);
    return rc;
}
