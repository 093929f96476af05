/* The data side of the map file: `columns:`, `where:`, `when:`, size and
 * label by a field, lines and zones from files (read into parts, a zone
 * per name, points with radius_km as circles), the symbology decided after
 * loading, and im_map_read_all reporting every problem once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/load.h"
#include "check.h"
#include "incimap/error.h"
#include "incimap/map.h"
#include "render/render.h"
#include "spec/spec.h"

static const char *g_data;  /* tests/data */
static char g_tmp[512];     /* scratch directory */
static char g_yaml[600];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Write YAML (with %s for tests/data/data) and read it; NULL on failure. */
static im_map *read_yaml(const char *yaml, im_diag *d)
{
    char text[4000];
    im_map *m = NULL;
    snprintf(text, sizeof text, yaml, g_data, g_data, g_data);
    write_file(g_yaml, text);
    im_map_read(g_yaml, NULL, 0, &m, d);
    return m;
}

static void test_keys(void)
{
    im_diag d;
    im_map *m;
    im_diag_init(&d, NULL, NULL);
    m = read_yaml("incidents:\n"
                  "  source: %s/data/columns.csv\n"
                  "  columns: {lat: LATITUDE_DD, lon: LONGITUDE_DD, date: EVENT_DAY,\n"
                  "            type: KIND, actor: WHO, geo_precision: GP}\n"
                  "  where: {KIND: [Air strike, IED], TOLL: {min: 1, max: 10}, WHO: ISIS}\n"
                  "  symbol: {by: KIND}\n"
                  "  color: WHO\n"
                  "  size: {by: TOLL, max: 40}\n"
                  "  label: {by: PLACE}\n"
                  "when: {from: 2017-05, to: 18 Jun 2017}\n",
                  &d);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "%s\n", d.message);
        return;
    }
    CHECK(m->nsources == 1);
    CHECK_STR(m->sources[0].columns[IM_ROLE_LAT], "LATITUDE_DD");
    CHECK_STR(m->sources[0].columns[IM_ROLE_GEO_PRECISION], "GP");
    CHECK(m->sources[0].columns[IM_ROLE_TITLE] == NULL);
    CHECK(m->sources[0].column_loc[IM_ROLE_LAT].line == 3);
    CHECK(m->sources[0].column_loc[IM_ROLE_LAT].col == 18);
    CHECK(m->nwhere == 3);
    if (m->nwhere == 3) {
        CHECK_STR(m->where[0].field, "KIND");
        CHECK(m->where[0].nvalues == 2);
        CHECK_STR(m->where[0].values[1], "IED");
        CHECK(m->where[1].has_min && m->where[1].has_max && m->where[1].min == 1 &&
              m->where[1].max == 10 && m->where[1].values == NULL);
        CHECK(m->where[2].nvalues == 1);
        CHECK(m->where[0].loc.line == 5 && m->where[0].loc.col == 11);
    }
    CHECK_STR(m->symbol_by, "KIND");
    CHECK_STR(m->color_by, "WHO");
    CHECK(m->color_by_loc.line == 7);
    CHECK_STR(m->size_by, "TOLL");
    CHECK(m->size_max == 40);
    CHECK_STR(m->label_by, "PLACE");
    CHECK_STR(m->when_from, "2017-05-01");
    CHECK_STR(m->when_to, "2017-06-18");
    im_map_free(m);
}

/* The first error of YAML is MESSAGE (or starts so) at WHERE (line:col). */
static void expect_fail(int at, const char *yaml, const char *where, const char *message)
{
    im_diag d;
    im_map *m;
    char want[1400];
    im_diag_init(&d, NULL, NULL);
    m = read_yaml(yaml, &d);
    snprintf(want, sizeof want, "%s:%s: %s", g_yaml, where, message);
    if (m || strncmp(d.message, want, strlen(want)) != 0) {
        fprintf(stderr, "%s:%d: expected\n  %s\ngot\n  %s\n", __FILE__, at, want,
                m ? "success" : d.message);
        im_test_failures++;
    }
    im_map_free(m);
}

static void test_key_errors(void)
{
    expect_fail(__LINE__, "incidents:\n  source: %s/data/columns.csv\n  columns: {latt: X}\n",
                "3:13",
                "unknown key 'latt' in incidents.columns (expected one of: lat, lon, date, type, "
                "actor, title, notes, target, fatalities, source, geo_precision, time_precision)");
    expect_fail(__LINE__,
                "incidents:\n  source: %s/data/columns.csv\n  where: {TOLL: {min: 5, max: 1}}\n",
                "3:17", "min 5 is greater than max 1 for 'TOLL'");
    expect_fail(__LINE__,
                "incidents:\n  source: %s/data/columns.csv\n  where: {TOLL: {least: 5}}\n",
                "3:18", "unknown key 'least' in where (expected one of: min, max)");
    expect_fail(__LINE__, "when: {from: last year}\n", "1:14",
                "expected a date for when.from (2017-05-18, 18 May 2017, 18/05/2017, 2017-05 or "
                "2017), got 'last year'");
    expect_fail(__LINE__, "when: {from: 2018, to: 2017}\n", "1:7",
                "when: from 2018-01-01 is after to 2017-12-31");
    expect_fail(__LINE__, "when: {since: 2018}\n", "1:8",
                "unknown key 'since' in when (expected one of: from, to)");
    expect_fail(__LINE__,
                "incidents:\n  source: %s/data/columns.csv\n  size: {by: TOLL, biggest: 3}\n",
                "3:20", "unknown key 'biggest' in incidents.size (expected one of: by, max)");
    expect_fail(__LINE__,
                "lines:\n  - {points: [[1, 2], [3, 4]], source: %s/data/shapes.geojson}\n",
                "2:14", "'source' and 'points' cannot both be given in lines[0]");
    expect_fail(__LINE__, "zones:\n  - {source: %s/data/no-such.geojson}\n", "2:14",
                "cannot open '");
}

static void test_shapes(void)
{
    im_diag d;
    warnings w;
    im_map *m;
    im_load_opts lo;
    int i;
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    m = read_yaml("lines:\n"
                  "  - {source: %s/data/shapes.geojson, where: {kind: line}, dash: [4, 2]}\n"
                  "  - {name: Given, points: [[1, 2], [3, 4]]}\n"
                  "zones:\n"
                  "  - {source: %s/data/shapes.geojson, where: {kind: area}, fill: \"#ff000033\"}\n"
                  "  - {name: Circle, center: [38, 33], radius_km: 10}\n",
                  &d);
    CHECK(m != NULL);
    if (!m)
        return;
    memset(&lo, 0, sizeof lo);
    CHECK(im_map_load(m, &lo, &d) == 0);
    /* lines: "Front" (two features, three parts), then the given line,
     * then "River" added after them with the first entry's style */
    CHECK(m->nlines == 3);
    if (m->nlines == 3) {
        CHECK_STR(m->lines[0].name, "Front");
        CHECK(m->lines[0].npts == 7 && m->lines[0].nparts == 3);
        CHECK(m->lines[0].part_start[0] == 0 && m->lines[0].part_start[1] == 3 &&
              m->lines[0].part_start[2] == 5);
        CHECK_NEAR(m->lines[0].pts[5].lon, 38.0, 0);
        CHECK(m->lines[0].style.ndash == 2);
        CHECK_STR(m->lines[1].name, "Given");
        CHECK_STR(m->lines[2].name, "River");
        CHECK(m->lines[2].npts == 2 && m->lines[2].style.ndash == 2);
    }
    /* zones: the polygon with its hole, the multipolygon, the circle from
     * a point's radius_km; the point without one and the bad ring are
     * skipped with warnings */
    CHECK(m->nzones == 4);
    if (m->nzones == 4) {
        CHECK_STR(m->zones[0].name, "Pocket");
        CHECK(!m->zones[0].is_circle && m->zones[0].nring == 9 && m->zones[0].nparts == 2);
        CHECK(m->zones[0].style.has_fill && m->zones[0].style.fill.r == 1);
        CHECK_STR(m->zones[1].name, "Circle");
        CHECK_STR(m->zones[2].name, "Islands");
        CHECK(m->zones[2].nparts == 2);
        CHECK_STR(m->zones[3].name, "Garrison zone");
        CHECK(m->zones[3].is_circle && m->zones[3].radius_km == 55);
        CHECK_NEAR(m->zones[3].center.lon, 38.6178, 0);
    }
    CHECK(has_warning(&w, "feature 6 (byte", "a point is a zone only with a radius_km"));
    CHECK(has_warning(&w, "feature 7 (byte", "a ring has fewer than 3 positions"));
    for (i = 0; i < w.n; i++)
        CHECK(strstr(w.msg[i], "River") == NULL);
    im_map_free(m);

    /* nothing matches: an error at the entry */
    im_diag_init(&d, NULL, NULL);
    m = read_yaml("lines:\n  - {source: %s/data/shapes.geojson, where: {kind: road}}\n", &d);
    CHECK(m != NULL);
    if (m) {
        memset(&lo, 0, sizeof lo);
        CHECK(im_map_load(m, &lo, &d) == -1);
        CHECK(strstr(d.message, ":2:14: lines[0]: no line in '") != NULL);
        CHECK(strstr(d.message, "shapes.geojson' where the filter holds") != NULL);
        im_map_free(m);
    }
}

static void test_classify(void)
{
    im_diag d;
    im_map *m;
    im_load_opts lo;
    im_diag_init(&d, NULL, NULL);
    m = read_yaml("incidents:\n"
                  "  source: %s/data/filters.csv\n"
                  "  symbol: {by: region}\n"
                  "  color: {by: region}\n"
                  "  size: {by: fatalities, max: 30}\n"
                  "  label: {by: actor}\n",
                  &d);
    CHECK(m != NULL);
    if (!m)
        return;
    memset(&lo, 0, sizeof lo);
    CHECK(im_map_load(m, &lo, &d) == 0);
    CHECK(m->nincidents == 7);
    /* regions by frequency: South 3, East 2, then Homs and south 1 each */
    CHECK(m->nsymbol_classes == 4);
    if (m->nsymbol_classes == 4 && m->nincidents == 7) {
        CHECK_STR(m->symbol_classes[0].name, "South");
        CHECK(m->symbol_classes[0].count == 3 && m->symbol_classes[0].shape == IM_SHAPE_CIRCLE);
        CHECK_STR(m->symbol_classes[1].name, "East");
        CHECK(m->symbol_classes[1].shape == IM_SHAPE_TRIANGLE);
        CHECK_STR(m->symbol_classes[2].name, "Homs");
        CHECK_STR(m->symbol_classes[3].name, "south");
        CHECK(m->incidents[0].symbol_class == 0);
        CHECK(m->incidents[3].symbol_class == 1);
        CHECK_STR(m->incidents[3].color_key, "East");
        CHECK_STR(m->incidents[1].label, "United States");
        /* area by value: 100 fatalities 30 px across, 12 fatalities
         * 30 * sqrt(12 / 100); never under half the symbol size (4
         * fatalities, none, 0) */
        CHECK_NEAR(m->incidents[3].size, 30, 1e-9);
        CHECK_NEAR(m->incidents[4].size, 30 * sqrt(0.12), 1e-9);
        CHECK_NEAR(m->incidents[0].size, 7, 1e-9);
        CHECK_NEAR(m->incidents[1].size, 7, 1e-9);
        CHECK_NEAR(m->incidents[2].size, 7, 1e-9);
        CHECK(m->incidents[0].notes[0] == '\0'); /* loaded lean */
    }
    im_map_free(m);

    /* by type (the default): the six types, by their own shapes */
    im_diag_init(&d, NULL, NULL);
    m = read_yaml("incidents: {source: %s/data/filters.csv}\n", &d);
    CHECK(m != NULL);
    if (m) {
        memset(&lo, 0, sizeof lo);
        lo.from = "2017";
        lo.to = "2018-02";
        CHECK(im_map_load(m, &lo, &d) == 0);
        CHECK(m->nincidents == 4);
        CHECK(m->sources[0].nfiltered == 3);
        CHECK(m->nsymbol_classes == IM_ITYPE_COUNT);
        CHECK_STR(m->symbol_classes[IM_ITYPE_MISSILE].name, "Missile strike");
        CHECK(m->symbol_classes[IM_ITYPE_MISSILE].count == 1);
        CHECK(m->symbol_classes[IM_ITYPE_MISSILE].shape == IM_SHAPE_TRIANGLE);
        im_map_free(m);
    }

    /* --from that is no date: a usage error */
    im_diag_init(&d, NULL, NULL);
    m = read_yaml("incidents: {source: %s/data/filters.csv}\n", &d);
    if (m) {
        memset(&lo, 0, sizeof lo);
        lo.from = "spring";
        CHECK(im_map_load(m, &lo, &d) == -1);
        CHECK(d.status == IM_ERR_USAGE);
        CHECK_STR(d.message, "--from 'spring' is not a date (2017-05-18, 18 May 2017, "
                             "18/05/2017, 2017-05 or 2017)");
        im_map_free(m);
    }
}

static void test_read_all(void)
{
    im_diag d;
    warnings errors;
    im_map *m = NULL;
    char text[2000];
    memset(&errors, 0, sizeof errors);
    im_diag_init(&d, NULL, NULL);
    d.error = collect;
    d.error_user = &errors;
    snprintf(text, sizeof text,
             "title: x\n"
             "colour: red\n"                                    /* 2: unknown key */
             "incidents:\n"
             "  source: [%s/data/filters.csv, nope.csv]\n"     /* 4: missing file */
             "  symbol: {bi: type}\n"                           /* 5: unknown key, no more */
             "zones:\n"
             "  - {name: a, center: [38, 33]}\n"               /* 7: no radius */
             "  - {name: b, center: [38, 33], radius_km: 10, colour: blue}\n" /* 8 */
             "bases:\n"
             "  - {name: b1, at: [38.6, 95]}\n"                /* 10: once, not three times */
             "  - {name: b2, at: [38.6, 33]}\n",
             g_data);
    write_file(g_yaml, text);
    CHECK(im_map_read_all(g_yaml, NULL, 0, &m, &d) == 0);
    CHECK(m != NULL);
    CHECK(d.status == IM_ERR_SPEC);
    CHECK(errors.n == 6);
    CHECK(has_warning(&errors, ":2:1: unknown key 'colour'", NULL));
    CHECK(has_warning(&errors, ":4:", "cannot open 'nope.csv'"));
    CHECK(has_warning(&errors, ":5:12: unknown key 'bi' in incidents.symbol", NULL));
    CHECK(has_warning(&errors, ":7:5: missing key 'radius_km' in zones[0]", NULL));
    CHECK(has_warning(&errors, ":8:", "unknown key 'colour' in zones[1]"));
    CHECK(has_warning(&errors, ":10:", "latitude 95 is out of range"));
    if (m) {
        /* what was right is there */
        CHECK(m->nsources == 1);
        CHECK_STR(m->title, "x");
        CHECK(m->nbases == 2 && m->bases[1].name && strcmp(m->bases[1].name, "b2") == 0);
        CHECK(m->bases[0].name == NULL); /* left out */
    }
    im_map_free(m);

    /* a YAML syntax error: nothing to go on with */
    memset(&errors, 0, sizeof errors);
    im_diag_init(&d, NULL, NULL);
    d.error = collect;
    d.error_user = &errors;
    write_file(g_yaml, "title: [x\n");
    CHECK(im_map_read_all(g_yaml, NULL, 0, &m, &d) == -1);
    CHECK(m == NULL && errors.n == 1);
}

int main(int argc, char **argv)
{
    char *t;
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTS_DATA_DIR\n", argv[0]);
        return 2;
    }
    g_data = argv[1];
    snprintf(g_tmp, sizeof g_tmp, "/tmp/incimap-mapfile-XXXXXX");
    t = mkdtemp(g_tmp);
    if (!t)
        return 2;
    snprintf(g_yaml, sizeof g_yaml, "%s/t.yaml", g_tmp);
    test_keys();
    test_key_errors();
    test_shapes();
    test_classify();
    test_read_all();
    unlink(g_yaml);
    rmdir(g_tmp);
    CHECK_DONE();
}
