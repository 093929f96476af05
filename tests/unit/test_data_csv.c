/* CSV incident reader: quoting and physical line numbers, delimiters, BOM,
 * ACLED's columns, bad rows as warnings (or errors when strict), file-level
 * errors, and the extension dispatch of im_data_load_incidents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/arena.h"
#include "data/data.h"
#include "incimap/error.h"
#include "incimap/map.h"

static char dir[512];

static const char *fixture(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/data/%s", dir, name);
    return buf;
}

/* Read one CSV fixture into a fresh map; returns the reader's status. */
static int read_csv(const char *name, int strict, im_map *m, im_diag *d, warnings *w,
                    char *path, size_t size)
{
    im_source src;
    memset(&src, 0, sizeof src);
    memset(m, 0, sizeof *m);
    m->arena = im_arena_create();
    memset(w, 0, sizeof *w);
    im_diag_init(d, collect, w);
    src.path = fixture(path, size, name);
    src.loc.file = "map.yaml";
    src.loc.line = 7;
    src.loc.col = 3;
    return im_csv_read_incidents(m, &src, strict, d);
}

static void test_basic(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    const im_incident *in;
    CHECK(read_csv("incidents_basic.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(w.n == 0);
    CHECK(m.nincidents == 4);
    if (m.nincidents == 4) {
        in = &m.incidents[0];
        CHECK_NEAR(in->lat, 36.2, 1e-12);
        CHECK_NEAR(in->lon, 37.1, 1e-12);
        CHECK_STR(in->date, "2017-05-18");
        CHECK(in->type == IM_ITYPE_AIR);
        CHECK_STR(in->type_text, "Air strike");
        CHECK_STR(in->actor, "Coalition");
        CHECK_STR(in->title, "Raqqa strike");
        CHECK_STR(in->notes, "Strike on a bridge, 3 killed");
        CHECK(in->fatalities == 3);
        CHECK_STR(in->source, "Airwars");
        CHECK_STR(in->loc.file, path);
        CHECK(in->loc.line == 2);

        in = &m.incidents[1];
        CHECK_STR(in->date, "2017-05-18");
        CHECK(in->type == IM_ITYPE_MISSILE);
        CHECK_STR(in->title, "Title, with comma");
        CHECK_STR(in->notes, "Line one\nline two\nline three");
        CHECK(in->fatalities == -1);
        CHECK_STR(in->source, "SOHR");
        CHECK(in->loc.line == 3);

        in = &m.incidents[2];
        CHECK(in->type == IM_ITYPE_ARTILLERY);
        CHECK_STR(in->actor, "Regime \"SAA\"");
        CHECK_STR(in->title, "");
        CHECK(in->fatalities == 0);
        CHECK_STR(in->source, "");
        CHECK(in->loc.line == 6); /* after the three-line record */

        in = &m.incidents[3];
        CHECK_STR(in->date, "2017-06-01");
        CHECK(in->type == IM_ITYPE_GROUND);
        CHECK_STR(in->actor, "ISIS");
        CHECK(in->loc.line == 8); /* after a blank line */
    }
    im_arena_destroy(m.arena);
}

static void test_semicolon_bom(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    CHECK(read_csv("incidents_semicolon_bom.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(w.n == 0);
    CHECK(m.nincidents == 2);
    if (m.nincidents == 2) {
        CHECK_NEAR(m.incidents[0].lat, 36.2, 1e-12); /* decimal comma */
        CHECK_NEAR(m.incidents[0].lon, 37.1, 1e-12);
        CHECK_STR(m.incidents[0].notes, "a;b, c");
        CHECK_STR(m.incidents[0].actor, "Coalition");
        CHECK(m.incidents[0].type == IM_ITYPE_AIR);
        CHECK_STR(m.incidents[1].date, "2017-05-18");
        CHECK(m.incidents[1].type == IM_ITYPE_ARTILLERY);
        CHECK(m.incidents[1].loc.line == 3);
    }
    im_arena_destroy(m.arena);
}

static void test_crlf_and_tab(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    CHECK(read_csv("incidents_crlf.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(m.nincidents == 2);
    if (m.nincidents == 2) {
        CHECK_STR(m.incidents[0].notes, "a\r\nb");
        CHECK(m.incidents[0].loc.line == 2);
        CHECK(m.incidents[1].loc.line == 4);
    }
    im_arena_destroy(m.arena);

    CHECK(read_csv("incidents_tab.tsv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(m.nincidents == 2);
    if (m.nincidents == 2) {
        CHECK_STR(m.incidents[0].title, "Tab, title");
        CHECK_STR(m.incidents[0].notes, "");
        CHECK_STR(m.incidents[1].title, "quoted\ttab");
        CHECK_STR(m.incidents[1].notes, "y");
        CHECK(m.incidents[1].loc.line == 4);
    }
    CHECK(w.n == 1);
    CHECK(has_warning(&w, ":3: warning: skipped: latitude is empty (column 'lat')", NULL));
    im_arena_destroy(m.arena);
}

static void test_acled(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    CHECK(read_csv("acled_sample.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(w.n == 0);
    CHECK(m.nincidents == 3);
    if (m.nincidents == 3) {
        const im_incident *a = m.incidents;
        CHECK(a[0].type == IM_ITYPE_AIR);
        CHECK_STR(a[0].type_text, "Air/drone strike");
        CHECK_STR(a[0].actor, "Military Forces of Russia (2000-)");
        CHECK_NEAR(a[0].lat, 35.9528, 1e-12);
        CHECK_NEAR(a[0].lon, 39.0079, 1e-12);
        CHECK(a[0].fatalities == 4);
        CHECK_STR(a[0].source, "SOHR");
        CHECK_STR(a[0].title, "");
        CHECK(a[1].type == IM_ITYPE_ARTILLERY);
        CHECK_STR(a[1].type_text, "Shelling/artillery/missile attack");
        CHECK_STR(a[1].date, "2017-05-17");
        CHECK(a[1].loc.line == 3);
        CHECK(a[2].type == IM_ITYPE_GROUND);
        CHECK(a[2].fatalities == -1);
        CHECK(a[2].loc.line == 5);
    }
    im_arena_destroy(m.arena);
}

static void test_bad_rows(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600], want[700];
    int i;
    CHECK(read_csv("incidents_bad.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(d.status == IM_OK);
    CHECK(m.nincidents == 1);
    if (m.nincidents == 1) {
        CHECK_STR(m.incidents[0].title, "good");
        CHECK_STR(m.incidents[0].date, "2016-02-29");
        CHECK(m.incidents[0].loc.line == 10);
    }
    CHECK(w.n == 9);
    CHECK(d.nwarnings == 9);
    snprintf(want, sizeof want,
             "%s:2: warning: skipped: latitude 95 is out of range [-90, 90] (column 'lat')",
             path);
    CHECK(has_warning(&w, want, NULL));
    CHECK(has_warning(&w, ":3: warning: skipped: latitude 120 is out of range",
                      "latitude and longitude look swapped"));
    CHECK(has_warning(&w, ":4: warning: skipped: date '2017-02-30' is not a valid date "
                          "(column 'date')", NULL));
    CHECK(has_warning(&w, ":5: warning: skipped: 4 fields, expected 5", NULL));
    CHECK(has_warning(&w, ":6: warning: skipped: latitude is empty (column 'lat')", NULL));
    CHECK(has_warning(&w, ":7: warning: skipped: latitude 'abc' is not a number", NULL));
    CHECK(has_warning(&w, ":8: warning: skipped: invalid UTF-8 in column 'title'", NULL));
    CHECK(has_warning(&w, ":11: warning: skipped: longitude 200 is out of range "
                          "[-180, 180] (column 'lon')", NULL));
    CHECK(has_warning(&w, ":12: warning: skipped: 6 fields, expected 5", NULL));
    for (i = 0; i < w.n; i++)
        CHECK(strstr(w.msg[i], ":9:") == NULL); /* ",,,," is silently ignored */
    im_arena_destroy(m.arena);

    /* strict: the first bad row is an error */
    CHECK(read_csv("incidents_bad.csv", 1, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    snprintf(want, sizeof want,
             "%s:2: latitude 95 is out of range [-90, 90] (column 'lat')", path);
    CHECK_STR(d.message, want);
    im_arena_destroy(m.arena);
}

/* Coordinates: every form strtod reads gives strtod's value to the bit
 * (plain decimals take a faster path than the others), and what is no
 * number is reported as before. */
static void test_numbers(void)
{
    static const struct {
        const char *title, *lat, *lon;
    } ok[] = {{"plain", "38.252034", "40.557706"},
              {"signs", "-0.3", "+0.7"},
              {"exponent", "3.35e1", "3.6e1"},
              {"zeros", "0001.50", "036.0"},
              {"bare point", ".5", "36."},
              {"long", "33.1234567890123456789", "36.123456789012345"},
              {"many decimals", "33.000000000000000000000001", "36"},
              {"corners", "-90", "-180"}};
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    size_t k;
    int i;
    CHECK(read_csv("incidents_numbers.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(m.nincidents == (int)(sizeof ok / sizeof ok[0]));
    for (k = 0; k < sizeof ok / sizeof ok[0]; k++) {
        for (i = 0; i < m.nincidents && strcmp(m.incidents[i].title, ok[k].title) != 0; i++)
            ;
        CHECK(i < m.nincidents);
        if (i < m.nincidents) {
            CHECK(m.incidents[i].lat == strtod(ok[k].lat, NULL));
            CHECK(m.incidents[i].lon == strtod(ok[k].lon, NULL));
        }
    }
    CHECK(w.n == 2);
    CHECK(has_warning(&w, ":9: warning: skipped: latitude '1.5.2' is not a number", NULL));
    CHECK(has_warning(&w, ":10: warning: skipped: latitude '-' is not a number", NULL));
    im_arena_destroy(m.arena);
}

static void test_file_errors(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600], want[700];

    CHECK(read_csv("incidents_no_lat.csv", 0, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    snprintf(want, sizeof want,
             "%s:1: no latitude column (expected one of lat, latitude, y, or columns: {lat: "
             "NAME} in the map file)", path);
    CHECK_STR(d.message, want);
    im_arena_destroy(m.arena);

    CHECK(read_csv("incidents_empty.csv", 0, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    CHECK(strstr(d.message, "empty file") != NULL);
    im_arena_destroy(m.arena);

    CHECK(read_csv("incidents_unterminated.csv", 0, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    snprintf(want, sizeof want, "%s:2: ", path);
    CHECK(strncmp(d.message, want, strlen(want)) == 0);
    CHECK(strstr(d.message, "never closed") != NULL);
    im_arena_destroy(m.arena);

    CHECK(read_csv("incidents_utf16.csv", 0, &m, &d, &w, path, sizeof path) == -1);
    CHECK(strstr(d.message, "UTF-16") != NULL);
    im_arena_destroy(m.arena);

    CHECK(read_csv("incidents_header_only.csv", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(m.nincidents == 0);
    im_arena_destroy(m.arena);

    CHECK(read_csv("no_such_file.csv", 0, &m, &d, &w, path, sizeof path) == -1);
    snprintf(want, sizeof want, "map.yaml:7:3: cannot open '%s': No such file or directory",
             path);
    CHECK_STR(d.message, want);
    im_arena_destroy(m.arena);
}

static void test_load_dispatch(void)
{
    im_map m;
    im_diag d;
    warnings w;
    im_source src[3];
    char p0[600], p1[600], p2[600];

    memset(&m, 0, sizeof m);
    memset(&w, 0, sizeof w);
    memset(src, 0, sizeof src);
    m.arena = im_arena_create();
    im_diag_init(&d, collect, &w);
    src[0].path = fixture(p0, sizeof p0, "incidents_basic.csv");
    src[1].path = fixture(p1, sizeof p1, "incidents.geojson");
    src[2].path = fixture(p2, sizeof p2, "point.json");
    src[0].loc.file = src[1].loc.file = src[2].loc.file = "map.yaml";
    src[0].loc.line = 4;
    src[1].loc.line = 5;
    src[2].loc.line = 6;
    src[0].loc.col = src[1].loc.col = src[2].loc.col = 5;
    m.sources = src;
    m.nsources = 3;
    CHECK(im_data_load_incidents(&m, 0, &d) == 0);
    CHECK(m.nincidents == 4 + 3 + 1);
    if (m.nincidents == 8) {
        CHECK_STR(m.incidents[0].title, "Raqqa strike"); /* earlier ones survive growth */
        CHECK_NEAR(m.incidents[7].lat, 20.25, 1e-12);
    }

    /* many appends: the array grows by doubling and keeps its contents */
    {
        int before = m.nincidents, k, ok = 1;
        for (k = 0; k < 40; k++) {
            im_diag d2;
            im_diag_init(&d2, NULL, NULL);
            if (im_csv_read_incidents(&m, &src[0], 0, &d2) != 0)
                ok = 0;
        }
        CHECK(ok);
        CHECK(m.nincidents == before + 40 * 4);
        for (k = 0; k < 40 && m.nincidents == before + 160; k++)
            CHECK(m.incidents[before + 4 * k + 3].loc.line == 8);
    }
    im_arena_destroy(m.arena);

    /* unknown extension and missing file: at the map-file line */
    memset(&m, 0, sizeof m);
    m.arena = im_arena_create();
    im_diag_init(&d, NULL, NULL);
    src[0].path = "incidents.xyz";
    m.sources = src;
    m.nsources = 1;
    CHECK(im_data_load_incidents(&m, 0, &d) == -1);
    CHECK_STR(d.message, "map.yaml:4:5: unknown data format '.xyz' (expected .csv, "
                         ".geojson, .json or .shp)");
    im_diag_init(&d, NULL, NULL);
    src[0].path = "missing.csv";
    CHECK(im_data_load_incidents(&m, 0, &d) == -1);
    CHECK(d.status == IM_ERR_DATA);
    CHECK_STR(d.message, "map.yaml:4:5: cannot open 'missing.csv': No such file or directory");
    im_diag_init(&d, NULL, NULL);
    src[0].path = "missing.shp";
    CHECK(im_data_load_incidents(&m, 0, &d) == -1);
    CHECK_STR(d.message, "map.yaml:4:5: cannot open 'missing.shp': No such file or directory");
    im_arena_destroy(m.arena);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTS_DATA_DIR\n", argv[0]);
        return 2;
    }
    snprintf(dir, sizeof dir, "%s", argv[1]);
    test_basic();
    test_semicolon_bom();
    test_crlf_and_tab();
    test_acled();
    test_bad_rows();
    test_numbers();
    test_file_errors();
    test_load_dispatch();
    CHECK_DONE();
}
