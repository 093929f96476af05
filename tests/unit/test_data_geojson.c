/* GeoJSON incident reader: FeatureCollection with mixed geometries and
 * members in any order, a single Feature, a bare geometry, and the errors:
 * truncated or invalid JSON with its line, numbers out of range, nesting
 * too deep, a top level that is not an object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/arena.h"
#include "data/data.h"
#include "incimap/error.h"
#include "incimap/map.h"

static char dir[512];

static int read_gj(const char *path, int strict, im_map *m, im_diag *d, warnings *w)
{
    im_source src;
    memset(&src, 0, sizeof src);
    memset(m, 0, sizeof *m);
    m->arena = im_arena_create();
    memset(w, 0, sizeof *w);
    im_diag_init(d, collect, w);
    src.path = path;
    src.loc.file = "map.yaml";
    src.loc.line = 9;
    src.loc.col = 5;
    return im_geojson_read_incidents(m, &src, strict, d);
}

static int read_fixture(const char *name, int strict, im_map *m, im_diag *d, warnings *w,
                        char *path, size_t size)
{
    snprintf(path, size, "%s/data/%s", dir, name);
    return read_gj(path, strict, m, d, w);
}

static void test_collection(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600], want[800];
    CHECK(read_fixture("incidents.geojson", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(d.status == IM_OK);
    CHECK(m.nincidents == 3);
    if (m.nincidents == 3) {
        const im_incident *a = m.incidents;
        CHECK_NEAR(a[0].lon, 38.0, 1e-12);
        CHECK_NEAR(a[0].lat, 35.9, 1e-12);
        CHECK_STR(a[0].date, "2017-05-18");
        CHECK(a[0].type == IM_ITYPE_AIR);
        CHECK_STR(a[0].actor, "Coalition");
        CHECK_STR(a[0].title, "Bridge");
        CHECK(a[0].fatalities == 3);
        CHECK_STR(a[0].source, "");
        CHECK_STR(a[0].loc.file, path);
        CHECK(a[0].loc.line == 3);

        CHECK_NEAR(a[1].lon, 36.1, 1e-12);
        CHECK_NEAR(a[1].lat, 34.0, 1e-12);
        CHECK_NEAR(a[2].lon, 36.2, 1e-12);
        CHECK_NEAR(a[2].lat, 34.1, 1e-12);
        CHECK(a[1].type == IM_ITYPE_ARTILLERY);
        CHECK_STR(a[1].type_text, "Shelling/artillery/missile attack");
        CHECK_STR(a[2].date, "2017-05-17");
        CHECK_STR(a[2].actor, "SAA");
        CHECK(a[2].fatalities == 2);
        CHECK_STR(a[2].notes, "caf\xc3\xa9 \"quoted\"");
        CHECK(a[1].loc.line == 8 && a[2].loc.line == 8);
    }
    CHECK(w.n == 5);
    snprintf(want, sizeof want,
             "%s:13: warning: feature 2 (byte 658): LineString is not a point; skipped (use "
             "it under lines:)", path);
    CHECK(has_warning(&w, want, NULL));
    CHECK(has_warning(&w, ":18: warning: feature 3 (byte 813): Polygon is not a point; skipped",
                      NULL));
    CHECK(has_warning(&w, ":19: warning: feature 4 (byte 948): skipped: no geometry", NULL));
    CHECK(has_warning(&w, ":20: warning: feature 5 (byte 1027): skipped: latitude 95 is out "
                          "of range [-90, 90]", NULL));
    CHECK(has_warning(&w, ":21: warning: feature 6 (byte 1130): skipped: date '2017-02-30' is "
                          "not a valid date (property 'date')", NULL));
    im_arena_destroy(m.arena);

    /* strict: other geometries still only warn; the null geometry fails */
    CHECK(read_fixture("incidents.geojson", 1, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    snprintf(want, sizeof want, "%s:19: feature 4 (byte 948): no geometry (null)", path);
    CHECK_STR(d.message, want);
    CHECK(w.n == 2);
    im_arena_destroy(m.arena);
}

static void test_single(void)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600];
    CHECK(read_fixture("feature.geojson", 0, &m, &d, &w, path, sizeof path) == 0);
    CHECK(m.nincidents == 1);
    if (m.nincidents == 1) {
        CHECK_STR(m.incidents[0].title, "Alone");
        CHECK_STR(m.incidents[0].date, "2017-05-18"); /* "Date": names are case-insensitive */
        CHECK_NEAR(m.incidents[0].lat, 33.5, 1e-12);
        CHECK(m.incidents[0].type == IM_ITYPE_OTHER);
        CHECK_STR(m.incidents[0].type_text, "");
        CHECK(m.incidents[0].loc.line == 1);
    }
    im_arena_destroy(m.arena);

    CHECK(read_fixture("point.json", 0, &m, &d, &w, path, sizeof path) == 0); /* with a BOM */
    CHECK(m.nincidents == 1);
    if (m.nincidents == 1) {
        CHECK_NEAR(m.incidents[0].lon, 10.5, 1e-12);
        CHECK_NEAR(m.incidents[0].lat, 20.25, 1e-12);
        CHECK(m.incidents[0].date == NULL);
        CHECK(m.incidents[0].fatalities == -1);
        CHECK_STR(m.incidents[0].actor, "");
    }
    im_arena_destroy(m.arena);
}

static void check_error(const char *name, const char *where, const char *text)
{
    im_map m;
    im_diag d;
    warnings w;
    char path[600], want[800];
    CHECK(read_fixture(name, 0, &m, &d, &w, path, sizeof path) == -1);
    CHECK(d.status == IM_ERR_DATA);
    CHECK(m.nincidents == 0); /* nothing kept from a file that fails */
    snprintf(want, sizeof want, "%s%s", path, where);
    if (strncmp(d.message, want, strlen(want)) != 0 || !strstr(d.message, text)) {
        fprintf(stderr, "%s: got \"%s\", wanted \"%s...%s\"\n", name, d.message, want, text);
        CHECK(0);
    }
    im_arena_destroy(m.arena);
}

static void test_errors(void)
{
    char path[600];
    FILE *f;
    int i;

    check_error("incidents_truncated.geojson", ":3: ", "invalid JSON: parse error: premature EOF");
    check_error("syntax_error.geojson", ":2: ", "invalid JSON");
    check_error("huge_number.geojson", ":2: ", "number 1e999 is out of range");
    check_error("top_array.json", ":1: ", "not GeoJSON");
    check_error("deep.geojson", ":1: ", "nesting too deep (more than 64 levels)");

    /* nesting at the limit is fine, and comments are not JSON */
    snprintf(path, sizeof path, "%s/im_gj_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    {
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        if (fd < 0)
            return;
        f = fdopen(fd, "w");
    }
    fputs("{\"type\": \"Point\", \"coordinates\": [1, 2], \"x\": ", f);
    for (i = 0; i < 62; i++)
        fputc('[', f);
    for (i = 0; i < 62; i++)
        fputc(']', f);
    fputs("}\n", f);
    fclose(f);
    {
        im_map m;
        im_diag d;
        warnings w;
        CHECK(read_gj(path, 0, &m, &d, &w) == 0);
        CHECK(m.nincidents == 1);
        im_arena_destroy(m.arena);

        f = fopen(path, "w");
        fputs("{\"type\": \"Point\", /* c */ \"coordinates\": [1, 2]}\n", f);
        fclose(f);
        CHECK(read_gj(path, 0, &m, &d, &w) == -1);
        CHECK(strstr(d.message, "invalid JSON") != NULL);
        im_arena_destroy(m.arena);

        f = fopen(path, "w");
        fclose(f);
        CHECK(read_gj(path, 0, &m, &d, &w) == -1);
        CHECK(strstr(d.message, "empty file") != NULL);
        im_arena_destroy(m.arena);

        /* a feature bigger than a 64 KB chunk, with its line counted across chunks */
        f = fopen(path, "w");
        fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
        fputs("{\"type\": \"Feature\", \"properties\": {\"notes\": \"", f);
        for (i = 0; i < 100000; i++)
            fputc('a' + i % 26, f);
        fputs("\"},\n \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}},\n", f);
        for (i = 0; i < 3000; i++)
            fprintf(f, "{\"type\": \"Feature\", \"properties\": {\"fatalities\": %d},\n"
                       " \"geometry\": {\"type\": \"Point\", \"coordinates\": [%d.5, 2]}},\n",
                    i, i % 170);
        fputs("{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": "
              "[3, 4]}, \"properties\": {}}\n]}\n", f);
        fclose(f);
        CHECK(read_gj(path, 0, &m, &d, &w) == 0);
        CHECK(m.nincidents == 3002);
        if (m.nincidents == 3002) {
            CHECK(strlen(m.incidents[0].notes) == 100000);
            CHECK(m.incidents[0].loc.line == 2);
            CHECK(m.incidents[1].loc.line == 4);
            CHECK(m.incidents[2000].fatalities == 1999);
            CHECK(m.incidents[2000].loc.line == 4 + 2 * 1999);
            CHECK(m.incidents[3001].loc.line == 4 + 2 * 3000);
        }
        im_arena_destroy(m.arena);
    }
    unlink(path);

    {
        im_map m;
        im_diag d;
        warnings w;
        CHECK(read_gj("/nonexistent/x.geojson", 0, &m, &d, &w) == -1);
        CHECK_STR(d.message, "map.yaml:9:5: cannot open '/nonexistent/x.geojson': No such "
                             "file or directory");
        im_arena_destroy(m.arena);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTS_DATA_DIR\n", argv[0]);
        return 2;
    }
    snprintf(dir, sizeof dir, "%s", argv[1]);
    test_collection();
    test_single();
    test_errors();
    CHECK_DONE();
}
