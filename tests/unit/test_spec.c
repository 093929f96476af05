/* Unit tests of src/spec: the map file -> im_map, its defaults, its error
 * messages (exact file:line:col), --set overrides, colours and page sizes.
 * argv[1] is tests/data; error cases are written to a scratch directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "incimap/error.h"
#include "incimap/map.h"
#include "spec/spec.h"

static const char *g_data;  /* tests/data */
static char g_tmp[512];     /* scratch directory */
static char g_yaml[600];    /* g_tmp/t.yaml */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static const char *tmp_path(const char *name)
{
    static char buf[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_tmp, name);
    return buf[k];
}

#define RGB_NEAR(c, R, G, B, A)                 \
    do {                                        \
        CHECK_NEAR((c).r, (R) / 255.0, 1e-9);   \
        CHECK_NEAR((c).g, (G) / 255.0, 1e-9);   \
        CHECK_NEAR((c).b, (B) / 255.0, 1e-9);   \
        CHECK_NEAR((c).a, (A), 1e-9);           \
    } while (0)

/* Read PATH, expecting success. */
static im_map *read_ok(int line, const char *path, const char **ov, int nov)
{
    im_diag d;
    im_map *m = NULL;
    im_diag_init(&d, NULL, NULL);
    if (im_map_read(path, ov, nov, &m, &d) != 0 || !m) {
        fprintf(stderr, "%s:%d: im_map_read(%s) failed: %s\n", __FILE__, line, path, d.message);
        im_test_failures++;
        return NULL;
    }
    return m;
}

/* Write YAML to t.yaml (unless NULL: then read PATH) and expect failure
 * with STATUS and message WHERE + MSG: WHERE "" = "t.yaml: ", "3:5" =
 * "t.yaml:3:5: ", "--set" = "--set: ".  A MSG ending in '*' is a prefix. */
static void expect_fail_at(int line, const char *yaml, const char *path, const char **ov, int nov,
                           im_status status, const char *where, const char *msg)
{
    im_diag d;
    im_map *m = (im_map *)&d; /* must be reset to NULL */
    char want[2048];
    size_t n;
    if (yaml) {
        write_file(g_yaml, yaml);
        path = g_yaml;
    }
    if (strcmp(where, "--set") == 0)
        snprintf(want, sizeof want, "--set: %s", msg);
    else if (*where)
        snprintf(want, sizeof want, "%s:%s: %s", path, where, msg);
    else
        snprintf(want, sizeof want, "%s: %s", path, msg);
    n = strlen(want);
    im_diag_init(&d, NULL, NULL);
    if (im_map_read(path, ov, nov, &m, &d) == 0) {
        fprintf(stderr, "%s:%d: expected failure \"%s\", but it succeeded\n", __FILE__, line, want);
        im_test_failures++;
        im_map_free(m);
        return;
    }
    if (m != NULL) {
        fprintf(stderr, "%s:%d: *out not NULL after failure\n", __FILE__, line);
        im_test_failures++;
    }
    if (d.status != status) {
        fprintf(stderr, "%s:%d: status %d, expected %d (%s)\n", __FILE__, line, (int)d.status,
                (int)status, d.message);
        im_test_failures++;
    }
    if (n && want[n - 1] == '*' ? strncmp(d.message, want, n - 1) != 0
                                : strcmp(d.message, want) != 0) {
        fprintf(stderr, "%s:%d: expected\n  %s\ngot\n  %s\n", __FILE__, line, want, d.message);
        im_test_failures++;
    }
}

#define EXPECT_FAIL(yaml, status, where, msg) \
    expect_fail_at(__LINE__, yaml, NULL, NULL, 0, status, where, msg)

static void test_full(void)
{
    char path[600], dir[600], want[700];
    im_map *m;
    const im_layer *l;
    const im_line *ln;
    const im_zone *z;
    snprintf(path, sizeof path, "%s/spec/full.yaml", g_data);
    snprintf(dir, sizeof dir, "%s/spec", g_data);
    m = read_ok(__LINE__, path, NULL, 0);
    if (!m)
        return;
    CHECK(m->arena != NULL);
    CHECK_STR(m->path, path);
    CHECK_STR(m->dir, dir);
    CHECK_STR(m->title, "Russian air strikes on the At-Tanf garrison");
    CHECK_STR(m->subtitle, "16 June 2016");
    CHECK_STR(m->credit, "Sources: Interfax, WSJ, AP");
    CHECK_STR(m->title_loc.file, path);
    CHECK(m->title_loc.line == 2 && m->title_loc.col == 8);

    /* A4 landscape at 300 dpi */
    CHECK_NEAR(m->page_mm_w, 297, 1e-9);
    CHECK_NEAR(m->page_mm_h, 210, 1e-9);
    CHECK_NEAR(m->dpi, 300, 1e-9);
    CHECK(m->width_px == 3508);
    CHECK(m->height_px == 2480);

    CHECK_STR(m->projection, "EPSG:32637");
    CHECK(m->projection_loc.line == 7 && m->projection_loc.col == 13);
    CHECK(m->extent.kind == IM_EXTENT_BOX);
    CHECK_NEAR(m->extent.lon0, 35, 0);
    CHECK_NEAR(m->extent.lat0, 31.5, 0);
    CHECK_NEAR(m->extent.lon1, 43, 0);
    CHECK_NEAR(m->extent.lat1, 37.25, 0);
    CHECK(m->extent.loc.line == 8 && m->extent.loc.col == 9);
    CHECK_STR(m->font, "DejaVu Sans");
    RGB_NEAR(m->background, 0xaa, 0xbb, 0xcc, 1);

    /* basemap */
    CHECK(m->basemap_default == 0);
    CHECK(m->nlayers == 2);
    if (m->nlayers == 2) {
        l = &m->layers[0];
        snprintf(want, sizeof want, "%s/layers/rivers.shp", dir);
        CHECK_STR(l->path, want);
        CHECK_STR(l->name, "rivers");
        CHECK(!l->style.has_fill);
        CHECK(l->style.has_stroke);
        RGB_NEAR(l->style.stroke, 0x46, 0x82, 0xb4, 1);
        CHECK_NEAR(l->style.width, 1.5, 0);
        CHECK(l->style.ndash == 2);
        CHECK_NEAR(l->style.dash[0], 6, 0);
        CHECK_NEAR(l->style.dash[1], 3, 0);
        CHECK_NEAR(l->style.opacity, 0.8, 0);
        CHECK_STR(l->where.field, "name");
        CHECK(l->where.nvalues == 2);
        if (l->where.nvalues == 2) {
            CHECK_STR(l->where.values[0], "Euphrates");
            CHECK_STR(l->where.values[1], "Tigris");
        }
        CHECK_STR(l->label_field, "name");
        CHECK_NEAR(l->point_size, 4, 0);
        CHECK_NEAR(l->font_size, 8, 0);
        CHECK(l->rank_field == NULL);
        CHECK(l->loc.line == 12 && l->loc.col == 5);

        l = &m->layers[1];
        snprintf(want, sizeof want, "%s/layers/places.shp", dir); /* .shp added */
        CHECK_STR(l->path, want);
        CHECK_STR(l->name, "places");
        CHECK(l->style.has_fill);
        RGB_NEAR(l->style.fill, 255, 0, 0, 0.5);
        CHECK(!l->style.has_stroke); /* filled: no outline by default */
        CHECK_NEAR(l->style.width, 1, 0);
        CHECK(l->style.ndash == 0);
        CHECK_NEAR(l->style.opacity, 1, 0);
        CHECK(l->where.field == NULL);
        CHECK_NEAR(l->point_size, 5, 0);
        CHECK_NEAR(l->font_size, 9, 0);
        CHECK_STR(l->label_field, "NAME");
        CHECK_STR(l->rank_field, "SCALERANK");
        CHECK_NEAR(l->max_rank, 8, 0);
    }

    /* incidents: two mappings merged */
    CHECK(m->nsources == 3);
    if (m->nsources == 3) {
        snprintf(want, sizeof want, "%s/incidents.csv", dir);
        CHECK_STR(m->sources[0].path, want);
        CHECK(m->sources[0].loc.line == 27 && m->sources[0].loc.col == 13);
        snprintf(want, sizeof want, "%s/extra.geojson", dir);
        CHECK_STR(m->sources[1].path, want);
        CHECK(m->sources[1].loc.line == 31 && m->sources[1].loc.col == 14);
        snprintf(want, sizeof want, "%s/incidents.csv", dir);
        CHECK_STR(m->sources[2].path, want);
    }
    CHECK_STR(m->symbol_by, "type");
    CHECK_STR(m->color_by, "actor");
    CHECK_NEAR(m->symbol_size, 12, 0);
    CHECK(m->label_incidents == 0);

    CHECK(m->nbases == 2);
    if (m->nbases == 2) {
        CHECK_STR(m->bases[0].name, "At-Tanf garrison");
        CHECK_STR(m->bases[0].op, "US-led coalition");
        CHECK_NEAR(m->bases[0].at.lon, 38.64, 0);
        CHECK_NEAR(m->bases[0].at.lat, 33.50, 0);
        CHECK(m->bases[0].loc.line == 34 && m->bases[0].loc.col == 5);
        CHECK_STR(m->bases[1].name, "Hmeimim air base");
        CHECK(m->bases[1].op == NULL);
        CHECK_NEAR(m->bases[1].at.lon, 35.95, 0);
    }

    CHECK(m->nlines == 3);
    if (m->nlines == 3) {
        ln = &m->lines[0];
        CHECK_STR(ln->name, "Euphrates deconfliction line");
        CHECK(ln->npts == 0 && ln->pts == NULL);
        CHECK_STR(ln->follow_layer, "rivers");
        CHECK_STR(ln->follow_where.field, "name");
        CHECK(ln->follow_where.nvalues == 1);
        if (ln->follow_where.nvalues == 1)
            CHECK_STR(ln->follow_where.values[0], "Euphrates");
        CHECK(ln->has_from && ln->has_to);
        CHECK_NEAR(ln->from.lon, 38.0, 0);
        CHECK_NEAR(ln->to.lat, 34.4, 0);
        CHECK(ln->style.has_stroke && !ln->style.has_fill);
        RGB_NEAR(ln->style.stroke, 0, 0, 255, 1); /* color: is stroke */
        CHECK_NEAR(ln->style.width, 3, 0);
        CHECK(ln->style.ndash == 2);
        CHECK_NEAR(ln->style.opacity, 0.5, 0);
        CHECK(ln->loc.line == 38 && ln->loc.col == 5);

        ln = &m->lines[1];
        CHECK(ln->npts == 3);
        CHECK_NEAR(ln->pts[2].lon, 40.0, 0);
        CHECK_NEAR(ln->pts[2].lat, 32.3, 0);
        CHECK(ln->follow_layer == NULL);
        RGB_NEAR(ln->style.stroke, 0xb2, 0x18, 0x2b, 1);
        CHECK_NEAR(ln->style.width, 2.5, 0);
        CHECK(ln->style.ndash == 0);
        CHECK_NEAR(ln->style.opacity, 1, 0);

        snprintf(want, sizeof want, "%s/layers/rivers.shp", dir);
        CHECK_STR(m->lines[2].follow_layer, want);
        CHECK(!m->lines[2].has_from && !m->lines[2].has_to);
    }

    CHECK(m->nzones == 2);
    if (m->nzones == 2) {
        z = &m->zones[0];
        CHECK_STR(z->name, "At-Tanf deconfliction zone");
        CHECK(z->is_circle);
        CHECK_NEAR(z->center.lon, 38.64, 0);
        CHECK_NEAR(z->radius_km, 55, 0);
        CHECK(z->style.has_fill && z->style.has_stroke);
        RGB_NEAR(z->style.fill, 0x4f, 0x5b, 0x69, 0.15);
        RGB_NEAR(z->style.stroke, 0x4f, 0x5b, 0x69, 1);
        CHECK_NEAR(z->style.width, 2, 0);
        CHECK_NEAR(z->style.opacity, 1, 0);

        z = &m->zones[1];
        CHECK(!z->is_circle);
        CHECK(z->nring == 3);
        CHECK_NEAR(z->ring[1].lon, 41, 0);
        RGB_NEAR(z->style.fill, 0xff, 0x8c, 0x00, 0x33 / 255.0);
        CHECK(!z->style.has_stroke);
        CHECK_NEAR(z->style.width, 0, 0);
        CHECK(z->style.ndash == 2);
        CHECK_NEAR(z->style.opacity, 0.7, 0);
    }

    CHECK(m->legend == IM_CORNER_TOP_LEFT);
    CHECK(m->scalebar == IM_CORNER_NONE);
    CHECK(m->north_arrow == IM_CORNER_NONE);
    CHECK(m->incidents == NULL && m->nincidents == 0);
    im_map_free(m);
}

static void test_defaults(void)
{
    im_map *m;
    write_file(g_yaml, "title: x\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (!m)
        return;
    CHECK_STR(m->title, "x");
    CHECK(m->subtitle == NULL && m->credit == NULL);
    CHECK(m->width_px == 1600 && m->height_px == 1200);
    CHECK_NEAR(m->dpi, 96, 0);
    CHECK(m->page_mm_w == 0 && m->page_mm_h == 0);
    CHECK_STR(m->projection, "auto");
    CHECK(m->extent.kind == IM_EXTENT_AUTO);
    CHECK_NEAR(m->extent.margin, 0.15, 0);
    CHECK_STR(m->font, "Noto Sans");
    RGB_NEAR(m->background, 0xc6, 0xdf, 0xe9, 1);
    CHECK(m->basemap_default == 1 && m->nlayers == 0);
    CHECK(m->nsources == 0);
    CHECK_STR(m->symbol_by, "type");
    CHECK_STR(m->color_by, "actor");
    CHECK_NEAR(m->symbol_size, 14, 0);
    CHECK(m->label_incidents == 1);
    CHECK(m->nbases == 0 && m->nlines == 0 && m->nzones == 0);
    CHECK(m->legend == IM_CORNER_BOTTOM_LEFT);
    CHECK(m->scalebar == IM_CORNER_BOTTOM_RIGHT);
    CHECK(m->north_arrow == IM_CORNER_TOP_RIGHT);
    im_map_free(m);

    /* a page: 150 dpi unless given */
    write_file(g_yaml, "page: 160mm x 110mm\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (m) {
        CHECK_NEAR(m->dpi, 150, 0);
        CHECK(m->width_px == 945 && m->height_px == 650);
        CHECK_NEAR(m->page_mm_w, 160, 1e-9);
        im_map_free(m);
    }
    /* size with dpi */
    write_file(g_yaml, "size: 800x600\ndpi: 300\nextent: {center: [38.6, 33.5], radius_km: 150}\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (m) {
        CHECK(m->width_px == 800 && m->height_px == 600);
        CHECK_NEAR(m->dpi, 300, 0);
        CHECK(m->extent.kind == IM_EXTENT_CIRCLE);
        CHECK_NEAR(m->extent.center.lat, 33.5, 0);
        CHECK_NEAR(m->extent.radius_km, 150, 0);
        im_map_free(m);
    }
    /* a box in the projection's units; the map edge to edge */
    write_file(g_yaml, "projection: EPSG:32637\nextent: {projected: [-456000, -338000, 456000, "
                       "346000.5]}\nlayout: full\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (m) {
        CHECK(m->extent.kind == IM_EXTENT_PROJECTED);
        CHECK_NEAR(m->extent.x0, -456000, 0);
        CHECK_NEAR(m->extent.y0, -338000, 0);
        CHECK_NEAR(m->extent.x1, 456000, 0);
        CHECK_NEAR(m->extent.y1, 346000.5, 0);
        CHECK(m->layout_full == 1);
        im_map_free(m);
    }
    /* auto extent with a margin; basemap mapping form; legend: true */
    write_file(g_yaml, "extent: {auto: true, margin: 0.2}\nlegend: true\nbasemap: none\n"
                       "background: none\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (m) {
        CHECK(m->extent.kind == IM_EXTENT_AUTO);
        CHECK_NEAR(m->extent.margin, 0.2, 0);
        CHECK(m->legend == IM_CORNER_BOTTOM_LEFT);
        CHECK(m->basemap_default == 0 && m->nlayers == 0);
        CHECK_NEAR(m->background.a, 0, 0);
        im_map_free(m);
    }
    /* zones: a circle whose fill follows its stroke; merge keys */
    write_file(g_yaml, "zones:\n"
                       "  - &z {name: A, center: [38, 33], radius_km: 10, stroke: blue}\n"
                       "  - {<<: *z, name: B, width: 4}\n");
    m = read_ok(__LINE__, g_yaml, NULL, 0);
    if (m) {
        CHECK(m->nzones == 2);
        if (m->nzones == 2) {
            RGB_NEAR(m->zones[0].style.fill, 0, 0, 255, 0.15);
            CHECK_STR(m->zones[1].name, "B");
            CHECK(m->zones[1].is_circle);
            CHECK_NEAR(m->zones[1].radius_km, 10, 0);
            CHECK_NEAR(m->zones[1].style.width, 4, 0);
            RGB_NEAR(m->zones[1].style.stroke, 0, 0, 255, 1);
        }
        im_map_free(m);
    }
}

static void test_errors(void)
{
    char big[200];
    /* YAML syntax, with libyaml's own words */
    EXPECT_FAIL("title: [a, b\nsize: 10x10\n", IM_ERR_SPEC, "2:5",
                "did not find expected ',' or ']' (while parsing a flow sequence at line 1, "
                "column 8)");
    EXPECT_FAIL("title: x\n\tsize: 800x600\n", IM_ERR_SPEC, "2:1",
                "found a tab character that violates indentation*");
    EXPECT_FAIL("title: \"abc\n", IM_ERR_SPEC, "2:1",
                "found unexpected end of stream (while scanning a quoted scalar at line 1, "
                "column 8)");
    EXPECT_FAIL("title: \xff\n", IM_ERR_SPEC, "1:8",
                "invalid leading UTF-8 octet (byte 0xFF); the map file must be UTF-8");
    EXPECT_FAIL("title: x\n---\ntitle: y\n", IM_ERR_SPEC, "2:1",
                "only one YAML document is allowed (found a second '---')");
    EXPECT_FAIL("", IM_ERR_SPEC, "",
                "the map file is empty (expected a mapping of keys such as 'title: ...')");
    EXPECT_FAIL("- title: x\n", IM_ERR_SPEC, "1:1",
                "the map file must be a mapping of keys (title:, incidents:, ...), not a list");
    EXPECT_FAIL("{a: 1}: 2\n", IM_ERR_SPEC, "1:1", "a mapping key must be text, not a mapping");

    /* tree */
    EXPECT_FAIL("title: x\nsubtitle: y\ntitle: z\n", IM_ERR_SPEC, "3:1",
                "duplicate key 'title' (first given at line 1)");
    EXPECT_FAIL("zones:\n  - {name: a, name: b}\n", IM_ERR_SPEC, "2:15",
                "duplicate key 'name' (first given at line 2)");
    EXPECT_FAIL("title: *t\n", IM_ERR_SPEC, "1:8",
                "unknown alias '*t' (an anchor '&t' must come before it)");
    EXPECT_FAIL("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
                IM_ERR_SPEC, "6:8", "alias expansion too large (billion laughs?)");

    /* schema */
    EXPECT_FAIL("title: x\nsubtitel: y\n", IM_ERR_SPEC, "2:1",
                "unknown key 'subtitel' (expected one of: title, subtitle, credit, size, page, "
                "dpi, projection, extent, font, background, basemap, incidents, bases, lines, "
                "zones, legend, scalebar, north_arrow, theme, graticule, inset, labels, when, as_of, keywords, png, colors, caption, include, layout, formats, atlas)");
    EXPECT_FAIL("zones:\n  - name: z\n    center: [38.64, 33.5]\n    radius_km: 5\n"
                "    colour: red\n",
                IM_ERR_SPEC, "5:5",
                "unknown key 'colour' in zones[0] (expected one of: name, center, radius_km, "
                "polygon, source, where, name_field, fill, stroke, width, dash, opacity, "
                "priority)");
    EXPECT_FAIL("bases:\n  - {name: b, at: [38.6, 95]}\n", IM_ERR_SPEC, "2:26",
                "latitude 95 is out of range [-90, 90]");
    EXPECT_FAIL("bases:\n  - {name: b, at: [-181, 33]}\n", IM_ERR_SPEC, "2:20",
                "longitude -181 is out of range [-180, 180]");
    EXPECT_FAIL("bases:\n  - {name: b, at: [38]}\n", IM_ERR_SPEC, "2:19",
                "expected [lon, lat] for at, got a list of 1");
    EXPECT_FAIL("bases:\n  - {name: b}\n", IM_ERR_SPEC, "2:5", "missing key 'at' in bases[0]");
    EXPECT_FAIL("zones:\n  - name: z\n    center: [1, 2]\n    radius_km: abc\n", IM_ERR_SPEC,
                "4:16", "expected a number for radius_km, got 'abc'");
    EXPECT_FAIL("zones:\n  - {name: z, center: [1, 2], radius_km: 6000}\n", IM_ERR_SPEC, "2:42",
                "radius_km 6000 is out of range (0, 5000]");
    EXPECT_FAIL("zones:\n  - {name: z, center: [1, 2]}\n", IM_ERR_SPEC, "2:5",
                "missing key 'radius_km' in zones[0] (a circle needs center and radius_km)");
    EXPECT_FAIL("zones:\n  - {name: z, polygon: [[1, 2], [2, 3]]}\n", IM_ERR_SPEC, "2:24",
                "polygon needs at least 3 points, got 2");
    EXPECT_FAIL("zones:\n  - {name: z, polygon: [[1, 2], [2, 3], [3, 3]], center: [1, 1]}\n",
                IM_ERR_SPEC, "2:50", "'center' and 'polygon' cannot both be given");
    EXPECT_FAIL("lines:\n  - {name: l}\n", IM_ERR_SPEC, "2:5",
                "lines[0] needs 'points', 'follow' or 'source'");
    EXPECT_FAIL("lines:\n  - {name: l, points: [[1, 2], [3, 4]], stroke: red, color: blue}\n",
                IM_ERR_SPEC, "2:54", "'stroke' and 'color' cannot both be given");
    EXPECT_FAIL("lines:\n  - {name: l, follow: {layer: rivers}}\n", IM_ERR_SPEC, "2:23",
                "missing key 'where' in lines[0].follow");
    EXPECT_FAIL("lines:\n  - {name: l, points: [[1, 2], [3, 4]], dash: [1,1,1,1,1,1,1,1,1]}\n",
                IM_ERR_SPEC, "2:47", "dash takes at most 8 lengths, got 9");
    EXPECT_FAIL("lines:\n  - {name: l, points: [[1, 2], [3, 4]], dash: [0, 0]}\n", IM_ERR_SPEC,
                "2:47", "dash lengths cannot all be 0");
    EXPECT_FAIL("lines:\n  - {name: l, points: [[1, 2], [3, 4]], width: -1}\n", IM_ERR_SPEC,
                "2:48", "width must be at least 0, got -1");
    EXPECT_FAIL("background: \"#ggg\"\n", IM_ERR_SPEC, "1:13",
                "invalid colour '#ggg' for background (expected #rgb, #rrggbb, #rrggbbaa, "
                "rgb(r, g, b), rgba(r, g, b, a), a colour name such as steelblue, or none)");
    EXPECT_FAIL("background: #fff\n", IM_ERR_SPEC, "1:12",
                "expected a colour for background, got nothing (in YAML '#' starts a comment: "
                "quote colours, e.g. background: \"#ff0000\")");
    EXPECT_FAIL("page: A4\nsize: 800x600\n", IM_ERR_SPEC, "2:1",
                "'size' and 'page' cannot both be given");
    EXPECT_FAIL("size: 10x600\n", IM_ERR_SPEC, "1:7", "width 10 px is out of range [16, 20000]");
    EXPECT_FAIL("size: big\n", IM_ERR_SPEC, "1:7",
                "expected WxH pixels for size (e.g. 1600x1200), got 'big'");
    EXPECT_FAIL("page: B5\n", IM_ERR_SPEC, "1:7",
                "expected A3, A4, A5, Letter or Legal, optionally with -portrait or -landscape, "
                "or a size such as 160mm x 110mm, 16cm x 11cm, 6.3in x 4.3in or 454pt x 312pt for page, got 'B5'");
    EXPECT_FAIL("page: 500mm x 500mm\ndpi: 1200\n", IM_ERR_SPEC, "1:7",
                "page '500mm x 500mm' at 1200 dpi is 23622x23622 px (each side must be "
                "16..20000)");
    EXPECT_FAIL("dpi: 20\n", IM_ERR_SPEC, "1:6", "dpi 20 is out of range [36, 1200]");
    EXPECT_FAIL("projection: ''\n", IM_ERR_SPEC, "1:13", "projection cannot be empty");
    EXPECT_FAIL("extent: [40, 30, 35, 35]\n", IM_ERR_SPEC, "1:18",
                "extent [lon0, lat0, lon1, lat1] needs lon0 < lon1, got 40 and 35");
    EXPECT_FAIL("projection: EPSG:32637\nextent: {projected: [1, 2, 3]}\n", IM_ERR_SPEC, "2:21",
                "expected [x0, y0, x1, y1] in projected units for extent.projected");
    EXPECT_FAIL("projection: EPSG:32637\nextent: {projected: [5, 2, 3, 4]}\n", IM_ERR_SPEC, "2:21",
                "extent.projected [x0, y0, x1, y1] needs x0 < x1 and y0 < y1");
    EXPECT_FAIL("extent: {projected: [1, 2, 3, 4]}\n", IM_ERR_SPEC, "1:9",
                "extent.projected needs a projection (the box is in its units)");
    EXPECT_FAIL("projection: EPSG:32637\nextent: {projected: [1, 2, 3, 4], margin: 1}\n",
                IM_ERR_SPEC, "2:10", "'projected' cannot be combined with other keys in extent");
    EXPECT_FAIL("layout: poster\n", IM_ERR_SPEC, "1:9", "expected page or full for layout");
    EXPECT_FAIL("extent: {center: [1, 2], radius_km: 5, margin: 0.1}\n", IM_ERR_SPEC, "1:40",
                "'margin' cannot be combined with 'center' and 'radius_km' in extent");
    EXPECT_FAIL("legend: middle\n", IM_ERR_SPEC, "1:9",
                "expected top-left, top-right, bottom-left, bottom-right, outside-right, "
                "outside-bottom or none for legend, got 'middle'");
    EXPECT_FAIL("incidents:\n  symbol: {shape: hexagon}\n  source: x.csv\n", IM_ERR_SPEC, "2:19",
                "expected circle, triangle, square, diamond, star or cross for "
                "incidents.symbol.shape, got 'hexagon'");
    EXPECT_FAIL("incidents:\n  symbol: type\n", IM_ERR_SPEC, "2:3",
                "missing key 'source' in incidents");
    EXPECT_FAIL("incidents:\n  - {source: a.csv, size: 3}\n  - {source: b.csv, size: 4}\n",
                IM_ERR_DATA, "2:14", "cannot open 'a.csv': No such file or directory");
    EXPECT_FAIL("incidents:\n  source: missing.csv\n", IM_ERR_DATA, "2:11",
                "cannot open 'missing.csv': No such file or directory");
    EXPECT_FAIL("incidents:\n  source: [t.yaml, missing.csv]\n", IM_ERR_DATA, "2:20",
                "cannot open 'missing.csv': No such file or directory");
    EXPECT_FAIL("incidents:\n  source: .\n", IM_ERR_DATA, "2:11", "cannot open '.': Is a directory");
    EXPECT_FAIL("incidents:\n  - {source: t.yaml, size: 3}\n  - {source: t.yaml, size: 4}\n",
                IM_ERR_SPEC, "3:22", "'size' is given twice in incidents (first at line 2)");
    EXPECT_FAIL("basemap:\n  - source: nope\n", IM_ERR_DATA, "2:13",
                "cannot open 'nope' or 'nope.shp': No such file or directory");
    EXPECT_FAIL("basemap:\n  - {name: x}\n", IM_ERR_SPEC, "2:5", "missing key 'source' in basemap[0]");
    EXPECT_FAIL("basemap:\n  - {source: t.yaml, where: {a: 1, b: 2}}\n", IM_ERR_SPEC, "2:29",
                "where takes exactly one field (e.g. {NAME: Euphrates}), got 2");
    EXPECT_FAIL("basemap:\n  - {source: t.yaml}\n  - {source: t.yaml}\n", IM_ERR_SPEC, "3:5",
                "two layers are named 't' (basemap[0] and basemap[1])");
    EXPECT_FAIL("lines:\n  - name: l\n    follow: {layer: gone.shp, where: {n: x}}\n", IM_ERR_DATA,
                "3:21", "cannot open 'gone.shp': No such file or directory");
    EXPECT_FAIL("incidents: {source: t.yaml, labels: maybe}\n", IM_ERR_SPEC, "1:37",
                "expected true or false for labels, got 'maybe'");
    EXPECT_FAIL("title: [a]\n", IM_ERR_SPEC, "1:8", "expected a text for title, got a list");

    /* the file itself */
    expect_fail_at(__LINE__, NULL, g_tmp, NULL, 0, IM_ERR_SPEC, "", "is a directory, not a map file");
    expect_fail_at(__LINE__, NULL, tmp_path("absent.yaml"), NULL, 0, IM_ERR_SPEC, "",
                   "cannot open map file: No such file or directory");
    if (mkfifo(tmp_path("fifo.yaml"), 0600) == 0)
        expect_fail_at(__LINE__, NULL, tmp_path("fifo.yaml"), NULL, 0, IM_ERR_SPEC, "",
                       "not a regular file");
    {
        int fd = open(tmp_path("big.yaml"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0 && ftruncate(fd, 16L * 1024 * 1024 + 1) == 0) {
            close(fd);
            expect_fail_at(__LINE__, NULL, tmp_path("big.yaml"), NULL, 0, IM_ERR_SPEC, "",
                           "map file is too large (16777217 bytes; the limit is 16 MB)");
        } else if (fd >= 0) {
            close(fd);
        }
    }
    /* many nodes without aliases: a different message */
    {
        size_t n = 0, cap = 100002 * 3 + 64;
        char *text = malloc(cap);
        int i;
        if (text) {
            n += (size_t)snprintf(text + n, cap - n, "title: [");
            for (i = 0; i < 100001; i++)
                n += (size_t)snprintf(text + n, cap - n, "%s1", i ? "," : "");
            snprintf(text + n, cap - n, "]\n");
            snprintf(big, sizeof big, "1:%d", 9 + 2 * 99997);
            EXPECT_FAIL(text, IM_ERR_SPEC, big, "too many YAML nodes (more than 100000)");
            free(text);
        }
    }
}

static void test_overrides(void)
{
    char path[600];
    const char *ov[16];
    im_map *m;
    snprintf(path, sizeof path, "%s/spec/full.yaml", g_data);

    ov[0] = "title=Foo";
    ov[1] = "size=800x600";        /* drops page: */
    ov[2] = "legend=none";
    ov[3] = "incidents[0].size=10";
    ov[4] = "extent=[35,31,43,38]";
    ov[5] = "zones.0.fill=red";
    ov[6] = "credit=Sources: AP"; /* YAML would see a mapping: taken literally */
    ov[7] = "subtitle=";          /* empty: no subtitle */
    ov[8] = "dpi=~";              /* null: back to the default */
    ov[9] = "zones.1.name=#2";    /* YAML would see a comment */
    ov[10] = "scalebar=top-left";
    ov[11] = "incidents.0.symbol={shape: Star}";
    m = read_ok(__LINE__, path, ov, 12);
    if (m) {
        CHECK_STR(m->symbol_shape, "star");
        CHECK_STR(m->title, "Foo");
        CHECK(m->title_loc.line == 0);
        CHECK_STR(m->title_loc.file, "--set");
        CHECK(m->width_px == 800 && m->height_px == 600);
        CHECK(m->page_mm_w == 0);
        CHECK_NEAR(m->dpi, 96, 0);
        CHECK(m->legend == IM_CORNER_NONE);
        CHECK(m->scalebar == IM_CORNER_TOP_LEFT);
        CHECK_NEAR(m->symbol_size, 10, 0);
        CHECK(m->extent.kind == IM_EXTENT_BOX);
        CHECK_NEAR(m->extent.lat1, 38, 0);
        CHECK_STR(m->credit, "Sources: AP");
        CHECK(m->subtitle == NULL);
        if (m->nzones == 2) {
            RGB_NEAR(m->zones[0].style.fill, 255, 0, 0, 1);
            CHECK_STR(m->zones[1].name, "#2");
        }
        CHECK(m->nlayers == 2);
        im_map_free(m);
    }

    /* keys that do not exist yet are created; --set paths are relative to
     * the current directory, not to the map file's */
    {
        char cwd[600], sub[700], sub_yaml[800];
        snprintf(sub, sizeof sub, "%s/sub", g_tmp);
        snprintf(sub_yaml, sizeof sub_yaml, "%s/m.yaml", sub);
        write_file(g_yaml, "title: x\n");
        if (mkdir(sub, 0700) == 0 && getcwd(cwd, sizeof cwd) && chdir(g_tmp) == 0) {
            write_file(sub_yaml, "title: x\n");
            ov[0] = "incidents.source=t.yaml";
            ov[1] = "incidents.size=9";
            m = read_ok(__LINE__, sub_yaml, ov, 2);
            if (m) {
                CHECK(m->nsources == 1);
                if (m->nsources == 1) {
                    CHECK_STR(m->sources[0].path, "t.yaml");
                    CHECK_STR(m->sources[0].loc.file, "--set");
                }
                CHECK_NEAR(m->symbol_size, 9, 0);
                im_map_free(m);
            }
            CHECK(chdir(cwd) == 0);
            unlink(sub_yaml);
            rmdir(sub);
        } else {
            fprintf(stderr, "cannot set up %s\n", sub);
            im_test_failures++;
        }
    }

    /* an alias is copied before it is changed */
    write_file(g_yaml, "zones:\n  - &z {name: A, center: [38, 33], radius_km: 10}\n  - *z\n");
    ov[0] = "zones.0.radius_km=20";
    m = read_ok(__LINE__, g_yaml, ov, 1);
    if (m) {
        CHECK(m->nzones == 2);
        if (m->nzones == 2) {
            CHECK_NEAR(m->zones[0].radius_km, 20, 0);
            CHECK_NEAR(m->zones[1].radius_km, 10, 0);
        }
        im_map_free(m);
    }

    /* errors */
    write_file(g_yaml, "title: x\n");
    ov[0] = "foo=1";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "unknown key 'foo' (expected one of: title, subtitle, credit, size, page, dpi, "
                   "projection, extent, font, background, basemap, incidents, bases, lines, zones, "
                   "legend, scalebar, north_arrow, theme, graticule, inset, labels, when, as_of, keywords, png, colors, caption, include, layout, formats, atlas)");
    ov[0] = "nokey";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "expected key=value, got 'nokey'");
    ov[0] = "a..b=1";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set", "invalid key 'a..b'");
    ov[0] = "extent=[1,2";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "invalid value for 'extent': did not find expected ',' or ']' (while parsing a "
                   "flow sequence at line 1, column 1)");
    ov[0] = "title.x=1";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "cannot set 'title.x': 'title' is not a mapping");
    ov[0] = "incidents.size=10";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "missing key 'source' in incidents");
    ov[0] = "size=abc";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "expected WxH pixels for size (e.g. 1600x1200), got 'abc'");
    ov[0] = "bases=[{name: b, at: [1, 95]}]";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "latitude 95 is out of range [-90, 90]");
    ov[0] = "incidents.source=nope.csv";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_DATA, "--set",
                   "cannot open 'nope.csv': No such file or directory");
    write_file(g_yaml, "zones:\n  - {name: A, center: [38, 33], radius_km: 10}\n");
    ov[0] = "zones.3.name=x";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_USAGE, "--set",
                   "cannot set 'zones.3.name': 'zones' is a list of 1; use an index 0..0");
    /* a map-file error still wins when it comes first */
    write_file(g_yaml, "title: [x\n");
    ov[0] = "foo=1";
    expect_fail_at(__LINE__, NULL, g_yaml, ov, 1, IM_ERR_SPEC, "2:1", "did not find*");
}

static void test_colors(void)
{
    im_rgba c;
    int none = -1;
    CHECK(im_spec_parse_color("#f00", &c, &none) == 0 && !none);
    RGB_NEAR(c, 255, 0, 0, 1);
    CHECK(im_spec_parse_color(" #FF000080 ", &c, &none) == 0);
    RGB_NEAR(c, 255, 0, 0, 128 / 255.0);
    CHECK(im_spec_parse_color("#102030", &c, &none) == 0);
    RGB_NEAR(c, 0x10, 0x20, 0x30, 1);
    CHECK(im_spec_parse_color("rgb(255, 128, 0)", &c, &none) == 0);
    RGB_NEAR(c, 255, 128, 0, 1);
    CHECK(im_spec_parse_color("RGBA(0,0,255,0.5)", &c, &none) == 0);
    RGB_NEAR(c, 0, 0, 255, 0.5);
    CHECK(im_spec_parse_color("rgb(100%, 0%, 50%)", &c, &none) == 0);
    RGB_NEAR(c, 255, 0, 127.5, 1);
    CHECK(im_spec_parse_color("SteelBlue", &c, &none) == 0 && !none);
    RGB_NEAR(c, 0x46, 0x82, 0xb4, 1);
    CHECK(im_spec_parse_color("grey", &c, &none) == 0);
    RGB_NEAR(c, 0x80, 0x80, 0x80, 1);
    CHECK(im_spec_parse_color("gold", &c, &none) == 0);
    RGB_NEAR(c, 0xff, 0xd7, 0x00, 1);
    CHECK(im_spec_parse_color("none", &c, &none) == 0 && none == 1);
    CHECK(im_spec_parse_color("#ff", &c, &none) == -1);
    CHECK(im_spec_parse_color("#ggg", &c, &none) == -1);
    CHECK(im_spec_parse_color("rgb(256, 0, 0)", &c, &none) == -1);
    CHECK(im_spec_parse_color("rgb(1, 2)", &c, &none) == -1);
    CHECK(im_spec_parse_color("rgba(1, 2, 3)", &c, &none) == -1);
    CHECK(im_spec_parse_color("rgba(1, 2, 3, 2)", &c, &none) == -1);
    CHECK(im_spec_parse_color("rgb(1, 2, 3", &c, &none) == -1);
    CHECK(im_spec_parse_color("bluish", &c, &none) == -1);
    CHECK(im_spec_parse_color("", &c, &none) == -1);
}

static void test_pages(void)
{
    double w = 0, h = 0;
    long pw = 0, ph = 0;
    CHECK(im_spec_parse_page("A4", &w, &h) == 0);
    CHECK_NEAR(w, 210, 0);
    CHECK_NEAR(h, 297, 0);
    CHECK(im_spec_parse_page("a3-Landscape", &w, &h) == 0);
    CHECK_NEAR(w, 420, 0);
    CHECK_NEAR(h, 297, 0);
    CHECK(im_spec_parse_page("Letter-portrait", &w, &h) == 0);
    CHECK_NEAR(w, 215.9, 1e-9);
    CHECK(im_spec_parse_page("legal", &w, &h) == 0);
    CHECK_NEAR(h, 355.6, 1e-9);
    CHECK(im_spec_parse_page("A5", &w, &h) == 0);
    CHECK_NEAR(w, 148, 0);
    CHECK(im_spec_parse_page("160mm x 110mm", &w, &h) == 0);
    CHECK_NEAR(w, 160, 1e-9);
    CHECK_NEAR(h, 110, 1e-9);
    CHECK(im_spec_parse_page("160x110mm", &w, &h) == 0);
    CHECK_NEAR(w, 160, 1e-9);
    CHECK(im_spec_parse_page("16cm x 11cm", &w, &h) == 0);
    CHECK_NEAR(h, 110, 1e-9);
    CHECK(im_spec_parse_page("6.3in x 4.3in", &w, &h) == 0);
    CHECK_NEAR(w, 160.02, 1e-9);
    CHECK_NEAR(h, 109.22, 1e-9);
    CHECK(im_spec_parse_page("A6", &w, &h) == -1);
    CHECK(im_spec_parse_page("A4-sideways", &w, &h) == -1);
    CHECK(im_spec_parse_page("160 x 110", &w, &h) == -1);
    CHECK(im_spec_parse_page("0x110mm", &w, &h) == -1);
    CHECK(im_spec_parse_page("160mm x", &w, &h) == -1);

    CHECK(im_spec_parse_size("1600x1200", &pw, &ph) == 0 && pw == 1600 && ph == 1200);
    CHECK(im_spec_parse_size("800 X 600px", &pw, &ph) == 0 && pw == 800 && ph == 600);
    CHECK(im_spec_parse_size("800", &pw, &ph) == -1);
    CHECK(im_spec_parse_size("800x", &pw, &ph) == -1);
    CHECK(im_spec_parse_size("-5x5", &pw, &ph) == -1);
    CHECK(im_spec_parse_size("5x5x5", &pw, &ph) == -1);
}

int main(int argc, char **argv)
{
    const char *tmp = getenv("TMPDIR");
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTS_DATA_DIR\n", argv[0]);
        return 2;
    }
    g_data = argv[1];
    snprintf(g_tmp, sizeof g_tmp, "%s/incimap-spec-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmp)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return 2;
    }
    snprintf(g_yaml, sizeof g_yaml, "%s/t.yaml", g_tmp);

    test_full();
    test_defaults();
    test_errors();
    test_overrides();
    test_colors();
    test_pages();

    unlink(tmp_path("t.yaml"));
    unlink(tmp_path("fifo.yaml"));
    unlink(tmp_path("big.yaml"));
    rmdir(g_tmp);
    CHECK_DONE();
}
