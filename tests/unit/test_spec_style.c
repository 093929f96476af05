/* Unit tests of the map file's report keys: include: style files (values
 * applied, the map's own keys winning, paths relative to the style, errors
 * pointing into the style, missing files and cycles), colors:, keywords:,
 * png:, caption: and page sizes in points.  Files are written to a scratch
 * directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "incimap/error.h"
#include "incimap/map.h"
#include "spec/spec.h"

static char g_tmp[512];

static const char *path_of(const char *name)
{
    static char buf[8][700];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_tmp, name);
    return buf[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "wb");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path_of(name), strerror(errno));
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static im_map *read_map(const char *name, const char **ov, int nov, im_diag *d)
{
    im_map *m = NULL;
    im_diag_init(d, NULL, NULL);
    if (im_map_read(path_of(name), ov, nov, &m, d) != 0)
        return NULL;
    return m;
}

/* NAME fails with status IM_ERR_SPEC and the message "FILE:WHERE: MSG"
 * (FILE in the scratch directory). */
static void expect_fail(int line, const char *name, const char *file, const char *where,
                        const char *msg)
{
    im_diag d;
    char want[1600];
    im_map *m = read_map(name, NULL, 0, &d);
    snprintf(want, sizeof want, "%s:%s: %s", path_of(file), where, msg);
    if (m) {
        fprintf(stderr, "%s:%d: %s read, expected \"%s\"\n", __FILE__, line, name, want);
        im_test_failures++;
        im_map_free(m);
        return;
    }
    /* a MSG ending in '*' is a prefix */
    if (d.status != IM_ERR_SPEC || (want[strlen(want) - 1] == '*'
                                        ? strncmp(d.message, want, strlen(want) - 1) != 0
                                        : strcmp(d.message, want) != 0)) {
        fprintf(stderr, "%s:%d: expected (status %d)\n  %s\ngot (status %d)\n  %s\n", __FILE__, line,
                (int)IM_ERR_SPEC, want, (int)d.status, d.message);
        im_test_failures++;
    }
}

static void test_include(void)
{
    im_diag d;
    im_map *m;
    const char *ov[] = {"legend=top-left"};

    mkdir(path_of("style"), 0777);
    put("style/events.csv", "lat,lon,date,type,actor\n33.5,38.6,2017-05-18,Air strike,Russia\n");
    put("style/house.yaml", "# the house style of a report\n"
                            "theme: {name: dark, sea: \"#102030\"}\n"
                            "font: DejaVu Sans\n"
                            "page: 160mm x 110mm\n"
                            "dpi: 300\n"
                            "legend: top-right\n"
                            "scalebar: bottom-left\n"
                            "incidents: {source: events.csv, size: 10}\n"
                            "colors: {Russia: \"#ff0000\", US-led coalition: \"#0000ff\"}\n"
                            "keywords: [Syria, strikes]\n");
    put("map.yaml", "include: style/house.yaml\n"
                    "title: A map\n"
                    "legend: bottom-right\n"
                    "theme: {land: \"#123456\"}\n"
                    "incidents: {size: 20}\n");
    m = read_map("map.yaml", NULL, 0, &d);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "  %s\n", d.message);
        return;
    }
    /* the style's values apply */
    CHECK_STR(m->font, "DejaVu Sans");
    CHECK_NEAR(m->page_mm_w, 160, 1e-9);
    CHECK_NEAR(m->dpi, 300, 0);
    CHECK(m->scalebar == IM_CORNER_BOTTOM_LEFT);
    CHECK(m->theme.kind == IM_THEME_DARK);
    CHECK_NEAR(m->theme.sea.b, 0x30 / 255.0, 1e-9);
    CHECK_STR(m->keywords, "Syria, strikes");
    CHECK(m->theme.nfixed == 2);
    if (m->theme.nfixed == 2) {
        CHECK_STR(m->theme.fixed_names[1], "US-led coalition");
        CHECK_NEAR(m->theme.fixed_colors[0].r, 1, 1e-9);
        CHECK_NEAR(m->theme.fixed_colors[1].b, 1, 1e-9);
    }
    /* a path in the style is relative to the style */
    CHECK(m->nsources == 1);
    if (m->nsources == 1)
        CHECK_STR(m->sources[0].path, path_of("style/events.csv"));
    /* the map's own keys win; mappings merge key by key */
    CHECK(m->legend == IM_CORNER_BOTTOM_RIGHT);
    CHECK_NEAR(m->theme.land.r, 0x12 / 255.0, 1e-9);
    CHECK_NEAR(m->symbol_size, 20, 0);
    CHECK_STR(m->title, "A map");
    im_map_free(m);

    /* --set goes over both */
    m = read_map("map.yaml", ov, 1, &d);
    CHECK(m && m->legend == IM_CORNER_TOP_LEFT);
    im_map_free(m);

    /* a map's size: replaces a style's page: */
    put("sized.yaml", "include: style/house.yaml\nsize: 800x600\n");
    m = read_map("sized.yaml", NULL, 0, &d);
    CHECK(m && m->width_px == 800 && m->page_mm_w == 0);
    im_map_free(m);

    /* a list: later files win, nested includes are relative to their file */
    put("style/base.yaml", "include: colours.yaml\nlegend: top-right\nfont: Noto Serif\n");
    put("style/colours.yaml", "colors: {Russia: \"#00ff00\"}\nfont: Noto Sans Mono\n");
    put("listed.yaml", "include: [style/base.yaml, style/house.yaml]\n");
    m = read_map("listed.yaml", NULL, 0, &d);
    CHECK(m != NULL);
    if (m) {
        CHECK_STR(m->font, "DejaVu Sans");
        CHECK(m->theme.nfixed == 2);
        im_map_free(m);
    }
    put("nested.yaml", "include: [style/base.yaml]\n");
    m = read_map("nested.yaml", NULL, 0, &d);
    CHECK(m != NULL);
    if (m) {
        CHECK_STR(m->font, "Noto Serif");
        CHECK(m->theme.nfixed == 1 && m->theme.fixed_colors[0].g == 1);
        im_map_free(m);
    }

    /* errors point into the file they are in */
    put("style/bad.yaml", "font: Noto Sans\nlegend: middle\n");
    put("usesbad.yaml", "title: x\ninclude: style/bad.yaml\n");
    expect_fail(__LINE__, "usesbad.yaml", "style/bad.yaml", "2:9",
                "expected top-left, top-right, bottom-left, bottom-right, outside-right, "
                "outside-bottom or none for legend, got 'middle'");
    put("missing.yaml", "title: x\ninclude: [style/house.yaml, nope.yaml]\n");
    expect_fail(__LINE__, "missing.yaml", "missing.yaml", "2:29",
                "cannot open included file 'nope.yaml': No such file or directory");
    put("self.yaml", "include: self.yaml\n");
    expect_fail(__LINE__, "self.yaml", "self.yaml", "1:10",
                "include cycle: 'self.yaml' includes itself");
    put("style/a.yaml", "include: b.yaml\n");
    put("style/b.yaml", "font: x\ninclude: a.yaml\n");
    put("cycle.yaml", "include: style/a.yaml\n");
    expect_fail(__LINE__, "cycle.yaml", "style/b.yaml", "2:10",
                "include cycle: 'a.yaml' is one of the files including this one");
    put("notmap.yaml", "include: style/list.yaml\n");
    put("style/list.yaml", "- a\n- b\n");
    expect_fail(__LINE__, "notmap.yaml", "style/list.yaml", "1:1",
                "the map file must be a mapping of keys (title:, incidents:, ...), not a list");
    put("badinc.yaml", "include: {a: b}\n");
    expect_fail(__LINE__, "badinc.yaml", "badinc.yaml", "1:10",
                "expected a file name or a list of file names for include, got a mapping");
}

static void test_report_keys(void)
{
    im_diag d;
    im_map *m;
    double w, h;
    put("keys.yaml", "keywords: one keyword\n"
                     "png: {palette: true, colors: 16}\n"
                     "caption: out/caption.txt\n"
                     "page: 454pt x 312pt\n");
    m = read_map("keys.yaml", NULL, 0, &d);
    CHECK(m != NULL);
    if (m) {
        CHECK_STR(m->keywords, "one keyword");
        CHECK(m->png_palette == 1 && m->png_colors == 16);
        CHECK_STR(m->caption, path_of("out/caption.txt"));
        CHECK_NEAR(m->page_mm_w, 454 * 25.4 / 72, 1e-9);
        CHECK_NEAR(m->page_mm_h, 312 * 25.4 / 72, 1e-9);
        im_map_free(m);
    }
    put("dflt.yaml", "title: x\n");
    m = read_map("dflt.yaml", NULL, 0, &d);
    CHECK(m && m->png_palette == 0 && m->png_colors == 256 && !m->keywords && !m->caption);
    im_map_free(m);
    CHECK(im_spec_parse_page("6.3in x 4.3in", &w, &h) == 0);
    CHECK(im_spec_parse_page("72pt x 36pt", &w, &h) == 0);
    CHECK_NEAR(w, 25.4, 1e-9);
    CHECK_NEAR(h, 12.7, 1e-9);
    CHECK(im_spec_parse_page("72 x 36pt", &w, &h) == 0);
    CHECK_NEAR(w, 25.4, 1e-9);
    CHECK(im_spec_parse_page("72px x 36px", &w, &h) == -1);

    put("badpng.yaml", "png: {colors: 300}\n");
    expect_fail(__LINE__, "badpng.yaml", "badpng.yaml", "1:15", "png.colors 300 is out of range [2, 256]");
    put("badpng2.yaml", "png: {pallete: true}\n");
    expect_fail(__LINE__, "badpng2.yaml", "badpng2.yaml", "1:7",
                "unknown key 'pallete' in png (expected one of: palette, colors)");
    put("badcol.yaml", "colors: {Russia: reddish}\n");
    expect_fail(__LINE__, "badcol.yaml", "badcol.yaml", "1:18", "*");
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/incimap-style-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmp)) {
        fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
        return 2;
    }
    test_include();
    test_report_keys();
    {
        /* the scratch files: removed when every check passed */
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
        if (!im_test_failures && system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", g_tmp);
    }
    CHECK_DONE();
}
