/* The floor of the benchmark scene (../shared/bench/scene.env): only the
 * work that no renderer of this picture can avoid, with the libraries
 * incimap uses.  It reads the same Natural Earth shapefiles (shapelib) and
 * incident CSV (libcsv), projects every vertex and incident with PROJ in
 * bulk, fills and strokes the same paths with Cairo, sets the place names
 * with Pango (no collision handling), stamps one pre-drawn symbol per
 * incident with pixman (Cairo's own compositor) and writes the PNG with
 * libpng at incimap's settings.  No map file, checks, messages, labels
 * placement or layout: compare.sh divides incimap's time by this one's.
 *
 *   im_bench_floor NATURALEARTH_DIR INCIDENTS.csv OUT.png */
#include <cairo.h>
#include <csv.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pixman.h>
#include <png.h>
#include <proj.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 1600
#define H 1200
#define X0 (-456000.0)
#define Y1 346000.0
#define M_PER_PX 570.0
#define SCENE_PROJ "+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs"
/* the frame's lon/lat bounds, a little widened: shapes outside are skipped */
#define LON0 33.5
#define LON1 44.5
#define LAT0 30.9
#define LAT1 38.0

typedef struct {
    PJ *pj;
    double *x, *y;
    size_t cap;
} floor_geo;

static void rgb(cairo_t *cr, unsigned v)
{
    cairo_set_source_rgb(cr, ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0);
}

static int reserve(floor_geo *g, size_t n)
{
    if (n <= g->cap)
        return 0;
    g->cap = n * 2;
    g->x = realloc(g->x, g->cap * sizeof *g->x);
    g->y = realloc(g->y, g->cap * sizeof *g->y);
    return g->x && g->y ? 0 : -1;
}

/* lon/lat in g->x/y (N points) to pixels */
static void project(floor_geo *g, size_t n)
{
    size_t i;
    proj_trans_generic(g->pj, PJ_FWD, g->x, sizeof(double), n, g->y, sizeof(double), n, NULL, 0, 0,
                       NULL, 0, 0);
    for (i = 0; i < n; i++) {
        g->x[i] = (g->x[i] - X0) / M_PER_PX;
        g->y[i] = (Y1 - g->y[i]) / M_PER_PX;
    }
}

/* Every shape of PATH inside the frame as one Cairo path, then filled
 * (FILL >= 0) and stroked (STROKE >= 0, 1 px, DASHED 6/3). */
static int draw_layer(cairo_t *cr, floor_geo *g, const char *dir, const char *name, long fill,
                      long stroke, int dashed)
{
    char path[1024];
    SHPHandle shp;
    int n, i, p, k;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    shp = SHPOpen(path, "rb");
    if (!shp)
        return -1;
    SHPGetInfo(shp, &n, NULL, NULL, NULL);
    cairo_new_path(cr);
    for (i = 0; i < n; i++) {
        SHPObject *o = SHPReadObject(shp, i);
        if (!o)
            continue;
        if (o->nVertices == 0 || o->dfXMax < LON0 || o->dfXMin > LON1 || o->dfYMax < LAT0 ||
            o->dfYMin > LAT1 || reserve(g, (size_t)o->nVertices) != 0) {
            SHPDestroyObject(o);
            continue;
        }
        memcpy(g->x, o->padfX, (size_t)o->nVertices * sizeof(double));
        memcpy(g->y, o->padfY, (size_t)o->nVertices * sizeof(double));
        project(g, (size_t)o->nVertices);
        for (p = 0; p < (o->nParts > 0 ? o->nParts : 1); p++) {
            int from = o->nParts > 0 ? o->panPartStart[p] : 0;
            int to = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
            double lx = 0, ly = 0;
            for (k = from; k < to; k++) {
                /* vertices closer than a pixel tenth add nothing */
                if (k > from && k < to - 1 && fabs(g->x[k] - lx) < 0.1 && fabs(g->y[k] - ly) < 0.1)
                    continue;
                if (k == from)
                    cairo_move_to(cr, g->x[k], g->y[k]);
                else
                    cairo_line_to(cr, g->x[k], g->y[k]);
                lx = g->x[k];
                ly = g->y[k];
            }
            if (fill >= 0)
                cairo_close_path(cr);
        }
        SHPDestroyObject(o);
    }
    SHPClose(shp);
    if (fill >= 0) {
        rgb(cr, (unsigned)fill);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        if (stroke >= 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (stroke >= 0) {
        double dash[2] = {6, 3};
        rgb(cr, (unsigned)stroke);
        cairo_set_line_width(cr, 1);
        cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_new_path(cr);
    return 0;
}

/* Places of scale rank 8 or less: a 4 px dot and the name 4 px right. */
static int draw_places(cairo_t *cr, floor_geo *g, const char *dir)
{
    char path[1024];
    SHPHandle shp;
    DBFHandle dbf;
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *font = pango_font_description_from_string("DejaVu Sans 7.5");
    int n, i, rank_f, name_f;
    snprintf(path, sizeof path, "%s/ne_10m_populated_places", dir);
    shp = SHPOpen(path, "rb");
    dbf = DBFOpen(path, "rb");
    if (!shp || !dbf)
        return -1;
    rank_f = DBFGetFieldIndex(dbf, "SCALERANK");
    name_f = DBFGetFieldIndex(dbf, "NAME");
    pango_layout_set_font_description(layout, font);
    SHPGetInfo(shp, &n, NULL, NULL, NULL);
    rgb(cr, 0);
    for (i = 0; i < n; i++) {
        SHPObject *o;
        PangoRectangle ink, logical;
        if (DBFReadIntegerAttribute(dbf, i, rank_f) > 8)
            continue;
        o = SHPReadObject(shp, i);
        if (!o || o->nVertices < 1 || reserve(g, 1) != 0) {
            SHPDestroyObject(o);
            continue;
        }
        g->x[0] = o->padfX[0];
        g->y[0] = o->padfY[0];
        SHPDestroyObject(o);
        project(g, 1);
        if (g->x[0] < -50 || g->x[0] > W || g->y[0] < -10 || g->y[0] > H + 10)
            continue;
        cairo_arc(cr, g->x[0], g->y[0], 2, 0, 2 * M_PI);
        cairo_fill(cr);
        pango_layout_set_text(layout, DBFReadStringAttribute(dbf, i, name_f), -1);
        pango_layout_get_pixel_extents(layout, &ink, &logical);
        cairo_move_to(cr, g->x[0] + 6, g->y[0] - logical.height / 2.0);
        pango_cairo_show_layout(cr, layout);
    }
    pango_font_description_free(font);
    g_object_unref(layout);
    SHPClose(shp);
    DBFClose(dbf);
    return 0;
}

/* The CSV's lat and lon columns (the 3rd and 4th) into g->x/y. */
typedef struct {
    floor_geo *g;
    size_t n;
    int col, header;
} floor_csv;

static void csv_field(void *s, size_t len, void *user)
{
    floor_csv *c = user;
    char buf[64];
    if (!c->header && (c->col == 2 || c->col == 3) && len < sizeof buf && reserve(c->g, c->n + 1) == 0) {
        memcpy(buf, s, len);
        buf[len] = '\0';
        (c->col == 2 ? c->g->y : c->g->x)[c->n] = strtod(buf, NULL);
    }
    c->col++;
}

static void csv_row(int term, void *user)
{
    floor_csv *c = user;
    (void)term;
    if (!c->header)
        c->n++;
    c->header = 0;
    c->col = 0;
}

static size_t read_incidents(floor_geo *g, const char *csv_path)
{
    struct csv_parser p;
    floor_csv c = {g, 0, 0, 1};
    char buf[1 << 16];
    size_t got;
    FILE *f = fopen(csv_path, "rb");
    if (!f || csv_init(&p, 0) != 0) {
        if (f)
            fclose(f);
        return 0;
    }
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        csv_parse(&p, buf, got, csv_field, csv_row, &c);
    csv_fini(&p, csv_field, csv_row, &c);
    csv_free(&p);
    fclose(f);
    return c.n;
}

/* One 6 px red circle with its outline, stamped at every incident. */
static void draw_incidents(cairo_surface_t *target, floor_geo *g, size_t n)
{
    enum { S = 12 };
    cairo_surface_t *sprite = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, S, S);
    cairo_t *sc = cairo_create(sprite);
    pixman_image_t *src, *dst;
    size_t i;
    cairo_arc(sc, S / 2.0, S / 2.0, 3, 0, 2 * M_PI);
    rgb(sc, 0xe31a1c);
    cairo_fill_preserve(sc);
    rgb(sc, 0x330000);
    cairo_set_line_width(sc, 1);
    cairo_stroke(sc);
    cairo_destroy(sc);
    cairo_surface_flush(sprite);
    cairo_surface_flush(target);
    src = pixman_image_create_bits(PIXMAN_a8r8g8b8, S, S, (uint32_t *)(void *)cairo_image_surface_get_data(sprite),
                                   cairo_image_surface_get_stride(sprite));
    dst = pixman_image_create_bits(PIXMAN_x8r8g8b8, W, H, (uint32_t *)(void *)cairo_image_surface_get_data(target),
                                   cairo_image_surface_get_stride(target));
    project(g, n);
    for (i = 0; i < n; i++)
        pixman_image_composite32(PIXMAN_OP_OVER, src, NULL, dst, 0, 0, 0, 0, (int)lround(g->x[i]) - S / 2,
                                 (int)lround(g->y[i]) - S / 2, S, S);
    pixman_image_unref(src);
    pixman_image_unref(dst);
    cairo_surface_mark_dirty(target);
    cairo_surface_destroy(sprite);
}

static int write_png(cairo_surface_t *img, const char *path)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img), y, x;
    unsigned char *row = malloc(3 * W);
    FILE *f = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!row || !f || !info || setjmp(png_jmpbuf(png))) {
        free(row);
        if (f)
            fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_compression_level(png, 1);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_set_IHDR(png, info, W, H, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (y = 0; y < H; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (x = 0; x < W; x++) {
            row[3 * x] = (unsigned char)(src[x] >> 16);
            row[3 * x + 1] = (unsigned char)(src[x] >> 8);
            row[3 * x + 2] = (unsigned char)src[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    PJ_CONTEXT *ctx;
    PJ *raw;
    floor_geo g = {NULL, NULL, NULL, 0};
    cairo_surface_t *img;
    cairo_t *cr;
    size_t n;
    int rc;
    if (argc != 4) {
        fprintf(stderr, "usage: %s NATURALEARTH_DIR INCIDENTS.csv OUT.png\n", argv[0]);
        return 2;
    }
    ctx = proj_context_create();
    raw = proj_create_crs_to_crs(ctx, "EPSG:4326", SCENE_PROJ, NULL);
    g.pj = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;
    img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cr = cairo_create(img);
    if (!g.pj || reserve(&g, 1024) != 0) {
        fprintf(stderr, "floor: no projection or memory\n");
        return 1;
    }
    rgb(cr, 0xaad3df);
    cairo_paint(cr);
    rc = draw_layer(cr, &g, argv[1], "ne_10m_ocean", 0xaad3df, -1, 0) |
         draw_layer(cr, &g, argv[1], "ne_10m_land", 0xe0e0e0, 0x555555, 0) |
         draw_layer(cr, &g, argv[1], "ne_10m_admin_0_boundary_lines_land", -1, 0x555555, 1) |
         draw_layer(cr, &g, argv[1], "ne_10m_rivers_lake_centerlines", -1, 0x2f6fbf, 0) |
         draw_layer(cr, &g, argv[1], "ne_10m_lakes", 0x6fa8dc, -1, 0) | draw_places(cr, &g, argv[1]);
    n = read_incidents(&g, argv[2]);
    draw_incidents(img, &g, n);
    if (rc != 0 || write_png(img, argv[3]) != 0) {
        fprintf(stderr, "floor: cannot read the base map in %s or write %s\n", argv[1], argv[3]);
        return 1;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    proj_destroy(g.pj);
    proj_destroy(raw);
    proj_context_destroy(ctx);
    free(g.x);
    free(g.y);
    return 0;
}
