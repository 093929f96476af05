/* Unit tests of the map file's cartography keys: theme (named, with
 * overrides, defaults of zones and lines following it), graticule, inset,
 * labels, legend (corners, outside, columns), scale bar units, label
 * priorities; and their error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "incimap/error.h"
#include "incimap/map.h"
#include "spec/theme.h"

static char g_yaml[600];

static im_map *read_yaml(const char *yaml, im_diag *d)
{
    FILE *f = fopen(g_yaml, "wb");
    im_map *m = NULL;
    if (!f) {
        perror(g_yaml);
        exit(2);
    }
    fputs(yaml, f);
    fclose(f);
    im_diag_init(d, NULL, NULL);
    if (im_map_read(g_yaml, NULL, 0, &m, d) != 0)
        return NULL;
    return m;
}

static im_map *ok(int line, const char *yaml)
{
    im_diag d;
    im_map *m = read_yaml(yaml, &d);
    if (!m) {
        fprintf(stderr, "%s:%d: unexpected failure: %s\n", __FILE__, line, d.message);
        im_test_failures++;
    }
    return m;
}

/* Expect failure whose message contains WANT. */
static void fails(int line, const char *yaml, const char *want)
{
    im_diag d;
    im_map *m = read_yaml(yaml, &d);
    if (m) {
        fprintf(stderr, "%s:%d: expected failure (%s)\n", __FILE__, line, want);
        im_test_failures++;
        im_map_free(m);
        return;
    }
    if (d.status != IM_ERR_SPEC || !strstr(d.message, want)) {
        fprintf(stderr, "%s:%d: expected \"%s\", got (%d) \"%s\"\n", __FILE__, line, want, (int)d.status,
                d.message);
        im_test_failures++;
    }
}

#define OK(y) ok(__LINE__, y)
#define FAILS(y, w) fails(__LINE__, y, w)

static int same(im_rgba a, im_rgba b)
{
    return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 && fabs(a.b - b.b) < 1e-9 && fabs(a.a - b.a) < 1e-9;
}

static void test_defaults(void)
{
    im_map *m = OK("title: x\n");
    im_theme light;
    if (!m)
        return;
    im_theme_named(IM_THEME_LIGHT, &light);
    CHECK(m->theme.kind == IM_THEME_LIGHT);
    CHECK(same(m->background, light.sea));
    CHECK(m->graticule.on && m->graticule.labels && m->graticule.step == 0);
    CHECK(m->inset.corner == IM_CORNER_TOP_LEFT && !m->inset.has_extent);
    CHECK(m->labels.language == IM_LANG_EN && m->labels.places && m->labels.incidents == IM_INCLABEL_DATE);
    CHECK_NEAR(m->labels.font_scale, 1, 0);
    CHECK(m->legend == IM_CORNER_BOTTOM_LEFT && m->legend_columns == 0);
    CHECK(m->scalebar_units == IM_UNITS_KM);
    im_map_free(m);
}

static void test_theme(void)
{
    im_map *m;
    im_theme dark;
    im_theme_named(IM_THEME_DARK, &dark);
    m = OK("theme: dark\nzones:\n  - {name: z, center: [38, 33], radius_km: 5}\n"
           "lines:\n  - {name: l, points: [[1, 2], [3, 4]]}\n");
    if (m) {
        CHECK(m->theme.kind == IM_THEME_DARK);
        CHECK(same(m->background, dark.sea));
        /* zones and lines without a colour take the theme's */
        CHECK(same(m->zones[0].style.stroke, dark.zone));
        CHECK(same(m->lines[0].style.stroke, dark.line));
        im_map_free(m);
    }
    /* the theme is read first, wherever it stands in the file */
    m = OK("zones:\n  - {name: z, center: [38, 33], radius_km: 5}\ntheme: print\n");
    if (m) {
        im_theme print;
        int i;
        im_theme_named(IM_THEME_PRINT, &print);
        CHECK(same(m->zones[0].style.stroke, print.zone));
        /* print is greyscale throughout */
        for (i = 0; i < IM_THEME_PALETTE; i++)
            CHECK(m->theme.palette[i].r == m->theme.palette[i].g && m->theme.palette[i].g == m->theme.palette[i].b);
        CHECK(print.land.r == print.land.g && print.sea.g == print.sea.b && print.text.r == print.text.b);
        im_map_free(m);
    }
    /* overrides of single elements, a palette, and background as the sea */
    m = OK("theme: {name: dark, land: \"#102030\", palette: [red, \"#00ff00\"]}\nbackground: \"#000080\"\n");
    if (m) {
        CHECK_NEAR(m->theme.land.r, 0x10 / 255.0, 1e-9);
        CHECK_NEAR(m->theme.land.b, 0x30 / 255.0, 1e-9);
        CHECK_NEAR(m->theme.palette[0].r, 1, 1e-9);
        CHECK_NEAR(m->theme.palette[1].g, 1, 1e-9);
        CHECK(same(m->theme.palette[2], m->theme.palette[0]));
        CHECK_NEAR(m->theme.sea.b, 0x80 / 255.0, 1e-9);
        CHECK(same(m->theme.text, dark.text));
        im_map_free(m);
    }
    FAILS("theme: neon\n", "unknown theme 'neon' (expected light, dark or print)");
    FAILS("theme: {name: dark, lnd: red}\n", "unknown key 'lnd' in theme");
    FAILS("theme: {land: bluish}\n", "invalid colour 'bluish' for land");
    FAILS("theme: [dark]\n", "for theme, got a list");
}

static void test_graticule_inset(void)
{
    im_map *m = OK("graticule: 0.5\ninset: {position: bottom-right, extent: [20, 10, 60, 45]}\n");
    if (m) {
        CHECK(m->graticule.on && m->graticule.step == 0.5);
        CHECK(m->inset.corner == IM_CORNER_BOTTOM_RIGHT && m->inset.has_extent);
        CHECK(m->inset.lon0 == 20 && m->inset.lat1 == 45);
        im_map_free(m);
    }
    m = OK("graticule: none\ninset: none\n");
    if (m) {
        CHECK(!m->graticule.on);
        CHECK(m->inset.corner == IM_CORNER_NONE);
        im_map_free(m);
    }
    m = OK("graticule: {step: auto, labels: false}\ninset: top-right\n");
    if (m) {
        CHECK(m->graticule.on && m->graticule.step == 0 && !m->graticule.labels);
        CHECK(m->inset.corner == IM_CORNER_TOP_RIGHT);
        im_map_free(m);
    }
    FAILS("graticule: -1\n", "graticule step (degrees) -1 is out of range (0, 90]");
    FAILS("graticule: {every: 1}\n", "unknown key 'every' in graticule");
    FAILS("inset: {extent: [60, 10, 20, 45]}\n", "needs lon0 < lon1");
    FAILS("inset: {extent: {center: [1, 2]}}\n", "for the inset's extent");
}

static void test_labels_legend(void)
{
    im_map *m = OK("labels: {language: both, places: false, incidents: title, size: 1.2}\n"
                   "legend: {position: outside-right, columns: 2}\nscalebar: {position: top-left, units: both}\n"
                   "bases:\n  - {name: b, at: [38, 33], priority: 5}\n"
                   "lines:\n  - {name: l, points: [[1, 2], [3, 4]], priority: -2}\n"
                   "zones:\n  - {name: z, center: [38, 33], radius_km: 5, priority: 3}\n");
    if (m) {
        CHECK(m->labels.language == IM_LANG_BOTH && !m->labels.places);
        CHECK(m->labels.incidents == IM_INCLABEL_TITLE);
        CHECK_NEAR(m->labels.font_scale, 1.2, 1e-12);
        CHECK(m->legend == IM_CORNER_OUTSIDE_RIGHT && m->legend_columns == 2);
        CHECK(m->scalebar == IM_CORNER_TOP_LEFT && m->scalebar_units == IM_UNITS_BOTH);
        CHECK(m->bases[0].priority == 5 && m->lines[0].priority == -2 && m->zones[0].priority == 3);
        im_map_free(m);
    }
    m = OK("legend: outside-bottom\nlabels: {language: ar, incidents: none}\nscalebar: none\n");
    if (m) {
        CHECK(m->legend == IM_CORNER_OUTSIDE_BOTTOM);
        CHECK(m->labels.language == IM_LANG_AR && m->labels.incidents == IM_INCLABEL_NONE);
        CHECK(m->scalebar == IM_CORNER_NONE);
        im_map_free(m);
    }
    FAILS("labels: {language: fr}\n", "expected en, ar or both for labels.language, got 'fr'");
    FAILS("labels: {incidents: dates}\n", "expected date, title, both or none for labels.incidents");
    FAILS("labels: {font: x}\n", "unknown key 'font' in labels");
    FAILS("legend: {columns: 9}\n", "legend columns 9 is out of range [1, 8]");
    FAILS("scalebar: {units: furlongs}\n", "expected km, mi or both for scalebar units, got 'furlongs'");
    FAILS("bases:\n  - {name: b, at: [38, 33], priority: 1.5}\n", "priority must be a whole number, got 1.5");
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/incimap-carto-spec-XXXXXX";
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(g_yaml, sizeof g_yaml, "%s/t.yaml", dir);
    test_defaults();
    test_theme();
    test_graticule_inset();
    test_labels_legend();
    unlink(g_yaml);
    rmdir(dir);
    CHECK_DONE();
}
