/* What the readers do beyond reading rows: `columns:` mappings, ACLED's
 * precision columns, the time window and `where:` (counted, not kept), the
 * fields kept for the symbology (and the roles that stand in for them),
 * collecting every bad row for `check`, lean loading, GeoJSON geometry
 * parts for lines and zones, and the incident array growing in place. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/arena.h"
#include "data/data.h"
#include "data/geojson.h"
#include "incimap/error.h"
#include "incimap/map.h"

static char dir[512];

static const char *fixture(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/data/%s", dir, name);
    return buf;
}

static void new_map(im_map *m, im_source *src, const char *path)
{
    memset(m, 0, sizeof *m);
    memset(src, 0, sizeof *src);
    m->arena = im_arena_create();
    src->path = path;
    src->loc.file = "map.yaml";
    src->loc.line = 4;
    src->loc.col = 11;
}

static const char *attr(const im_incident *inc, const char *name)
{
    int i;
    for (i = 0; i < inc->nattrs; i++)
        if (strcmp(inc->attrs[i].name, name) == 0)
            return inc->attrs[i].value;
    return NULL;
}

static void test_columns(void)
{
    im_map m;
    im_source src;
    im_diag d;
    warnings w;
    char path[600];

    new_map(&m, &src, fixture(path, sizeof path, "columns.csv"));
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    src.columns[IM_ROLE_LAT] = "latitude_dd"; /* case does not matter */
    src.columns[IM_ROLE_LON] = "LONGITUDE_DD";
    src.columns[IM_ROLE_DATE] = "EVENT_DAY";
    src.columns[IM_ROLE_TYPE] = "KIND";
    src.columns[IM_ROLE_ACTOR] = "WHO";
    src.columns[IM_ROLE_TITLE] = "PLACE";
    src.columns[IM_ROLE_FATALITIES] = "TOLL";
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(w.n == 0);
    CHECK(m.nincidents == 3);
    if (m.nincidents == 3) {
        /* the mapped column wins over a column with a common name ("lat") */
        CHECK_NEAR(m.incidents[0].lat, 36.2, 1e-12);
        CHECK_NEAR(m.incidents[0].lon, 37.1, 1e-12);
        CHECK_STR(m.incidents[0].date, "2017-05-18");
        CHECK(m.incidents[0].type == IM_ITYPE_AIR);
        CHECK_STR(m.incidents[0].actor, "Coalition");
        CHECK_STR(m.incidents[0].title, "Raqqa");
        CHECK(m.incidents[0].fatalities == 3);
        CHECK_STR(m.incidents[1].date, "2017-05-19");
        CHECK(m.incidents[1].type == IM_ITYPE_ARTILLERY);
        CHECK(m.incidents[2].type == IM_ITYPE_EXPLOSIVE);
        CHECK(m.incidents[2].fatalities == -1);
    }
    CHECK(src.nrecords == 3 && src.nkept == 3 && src.nskipped == 0 && src.nfiltered == 0);
    im_arena_destroy(m.arena);

    /* a mapped column that is not there: at the map-file line of the mapping */
    new_map(&m, &src, fixture(path, sizeof path, "columns.csv"));
    im_diag_init(&d, NULL, NULL);
    src.columns[IM_ROLE_LAT] = "LAT_DD";
    src.column_loc[IM_ROLE_LAT].file = "map.yaml";
    src.column_loc[IM_ROLE_LAT].line = 6;
    src.column_loc[IM_ROLE_LAT].col = 20;
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == -1);
    CHECK(d.status == IM_ERR_DATA);
    {
        char want[900];
        snprintf(want, sizeof want,
                 "map.yaml:6:20: no column 'LAT_DD' in '%s' (it has: EVENT_ID, EVENT_DAY, KIND, "
                 "WHO, LATITUDE_DD, LONGITUDE_DD, PLACE, TOLL, lat)", path);
        CHECK_STR(d.message, want);
    }
    CHECK(m.nincidents == 0);
    im_arena_destroy(m.arena);
}

static void test_precision(void)
{
    im_map m;
    im_source src;
    im_diag d;
    warnings w;
    char path[600];
    new_map(&m, &src, fixture(path, sizeof path, "precision.csv"));
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 4);
    if (m.nincidents == 4) {
        CHECK(m.incidents[0].geo_precision == 1 && m.incidents[0].time_precision == 1);
        CHECK(m.incidents[1].geo_precision == 2);
        CHECK(m.incidents[2].geo_precision == 3 && m.incidents[2].time_precision == 3);
        CHECK(m.incidents[3].geo_precision == 0 && m.incidents[3].time_precision == 2);
        CHECK(m.incidents[0].symbol_class == (int)m.incidents[0].type);
        CHECK(m.incidents[0].color_key == m.incidents[0].actor);
        CHECK(m.incidents[0].label == NULL && m.incidents[0].size == 0);
    }
    CHECK(w.n == 2);
    CHECK(has_warning(&w, ":6: warning: skipped: geo_precision '7' is not 1, 2 or 3 "
                          "(column 'geo_precision')", NULL));
    CHECK(has_warning(&w, ":7: warning: skipped: time_precision 'x' is not 1, 2 or 3 "
                          "(column 'time_precision')", NULL));
    CHECK(src.nrecords == 6 && src.nskipped == 2 && src.nkept == 4);
    im_arena_destroy(m.arena);
}

static void test_filters(void)
{
    im_map m;
    im_source src;
    im_diag d;
    warnings w;
    im_where where[2];
    const char *types[] = {"Air strike", " missile STRIKE "};
    char path[600];
    int i;

    /* a time window: the undated row is out too */
    new_map(&m, &src, fixture(path, sizeof path, "filters.csv"));
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    m.when_from = "2017-01-01";
    m.when_to = "2018-02-07";
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(w.n == 0);
    CHECK(m.nincidents == 4);
    CHECK(src.nrecords == 7 && src.nfiltered == 3 && src.nkept == 4 && src.nskipped == 0);
    im_arena_destroy(m.arena);

    /* where: one of a list, against the "type" column (ASCII case and
     * surrounding blanks ignored), and a numeric range (a field name in
     * any case) that a missing value fails */
    new_map(&m, &src, fixture(path, sizeof path, "filters.csv"));
    im_diag_init(&d, collect, &w);
    memset(where, 0, sizeof where);
    where[0].field = "type";
    where[0].values = types;
    where[0].nvalues = 2;
    where[1].field = "Fatalities";
    where[1].has_min = 1;
    where[1].min = 1;
    where[1].has_max = 1;
    where[1].max = 50;
    m.where = where;
    m.nwhere = 2;
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 3);
    for (i = 0; i < m.nincidents; i++) {
        CHECK(m.incidents[i].type == IM_ITYPE_AIR);
        CHECK(m.incidents[i].fatalities >= 1 && m.incidents[i].fatalities <= 50);
        /* the fields the filters use are kept */
        CHECK(m.incidents[i].nattrs == 2);
        CHECK(attr(&m.incidents[i], "type") != NULL);
    }
    CHECK(src.nfiltered == 4);
    im_arena_destroy(m.arena);

    /* a field that is not a column and no role: an error at the map file */
    new_map(&m, &src, fixture(path, sizeof path, "filters.csv"));
    im_diag_init(&d, NULL, NULL);
    memset(where, 0, sizeof where);
    where[0].field = "country";
    where[0].values = types;
    where[0].nvalues = 1;
    where[0].loc.file = "map.yaml";
    where[0].loc.line = 9;
    where[0].loc.col = 12;
    m.where = where;
    m.nwhere = 1;
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == -1);
    {
        char want[900];
        snprintf(want, sizeof want,
                 "map.yaml:9:12: incidents.where: no column 'country' in '%s' (it has: date, "
                 "type, actor, lat, lon, fatalities, region)", path);
        CHECK_STR(d.message, want);
    }
    im_arena_destroy(m.arena);
}

static void test_by_fields(void)
{
    im_map m;
    im_source src;
    im_diag d;
    char path[600];

    /* symbol by a column, colour by a role standing in ("actor" is a
     * column here), size by a number, label by the date role */
    new_map(&m, &src, fixture(path, sizeof path, "acled_sample.csv"));
    im_diag_init(&d, NULL, NULL);
    m.symbol_by = "event_type";
    m.color_by = "country";
    m.size_by = "fatalities";
    m.label_by = "date";
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 3);
    if (m.nincidents == 3) {
        const im_incident *a = m.incidents;
        CHECK(a[0].nattrs == 4);
        CHECK_STR(attr(&a[0], "event_type"), "Explosions/Remote violence");
        CHECK_STR(attr(&a[0], "country"), "Syria");
        CHECK_STR(attr(&a[0], "fatalities"), "4");
        CHECK_STR(attr(&a[0], "date"), "2017-05-18"); /* the role, as ISO */
        CHECK_STR(attr(&a[1], "date"), "2017-05-17");
        CHECK_STR(attr(&a[2], "fatalities"), "");
        /* pooled: equal values are one string */
        CHECK(attr(&a[0], "country") == attr(&a[1], "country"));
        CHECK(a[0].actor != a[1].actor);
    }
    im_arena_destroy(m.arena);

    /* keep_all_fields: every column, under its own name */
    new_map(&m, &src, fixture(path, sizeof path, "acled_sample.csv"));
    im_diag_init(&d, NULL, NULL);
    m.keep_all_fields = 1;
    m.label_by = "type"; /* no such column: the incident type's name */
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 3);
    if (m.nincidents == 3) {
        CHECK(m.incidents[0].nattrs == 32);
        CHECK_STR(attr(&m.incidents[0], "admin1"), "Ar-Raqqa");
        CHECK_STR(attr(&m.incidents[0], "type"), "Air strike");
        CHECK_STR(attr(&m.incidents[2], "type"), "Ground attack");
    }
    im_arena_destroy(m.arena);

    /* lean: the texts nothing draws are left out */
    new_map(&m, &src, fixture(path, sizeof path, "incidents_basic.csv"));
    im_diag_init(&d, NULL, NULL);
    m.lean = 1;
    CHECK(im_csv_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 4);
    if (m.nincidents == 4) {
        CHECK_STR(m.incidents[0].notes, "");
        CHECK_STR(m.incidents[0].title, "Raqqa strike");
        CHECK_STR(m.incidents[0].source, "Airwars");
    }
    im_arena_destroy(m.arena);
}

static void test_collect(void)
{
    im_map m;
    im_source src;
    im_diag d;
    warnings errors, w;
    char path[600];
    int i, line9 = 0;

    /* check --strict: every bad row is an error, and reading goes on */
    new_map(&m, &src, fixture(path, sizeof path, "incidents_bad.csv"));
    memset(&errors, 0, sizeof errors);
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    d.error = collect;
    d.error_user = &errors;
    d.collect = 1;
    CHECK(im_csv_read_incidents(&m, &src, 1, &d) == 0);
    CHECK(d.status == IM_ERR_DATA);
    CHECK(errors.n == 9);
    CHECK(w.n == 0);
    CHECK(has_warning(&errors, ":2: latitude 95 is out of range [-90, 90] (column 'lat')", NULL));
    CHECK(has_warning(&errors, ":12: 6 fields, expected 5", NULL));
    for (i = 0; i < errors.n; i++)
        line9 |= strstr(errors.msg[i], ":9:") != NULL;
    CHECK(!line9);
    CHECK(src.nskipped == 9 && src.nkept == 1);
    snprintf(errors.msg[31], sizeof errors.msg[31], "%s:2: ", path);
    CHECK(strncmp(d.message, errors.msg[31], strlen(errors.msg[31])) == 0);
    im_arena_destroy(m.arena);

    /* the sources after a failing one are still read */
    {
        im_source two[2];
        char p2[600];
        memset(&m, 0, sizeof m);
        memset(two, 0, sizeof two);
        m.arena = im_arena_create();
        two[0].path = "missing.csv";
        two[0].loc.file = "map.yaml";
        two[0].loc.line = 3;
        two[1].path = fixture(p2, sizeof p2, "incidents_basic.csv");
        m.sources = two;
        m.nsources = 2;
        memset(&errors, 0, sizeof errors);
        im_diag_init(&d, NULL, NULL);
        d.error = collect;
        d.error_user = &errors;
        d.collect = 1;
        CHECK(im_data_load_incidents(&m, 0, &d) == -1);
        CHECK(errors.n == 1);
        CHECK(m.nincidents == 4);
        CHECK(two[1].nkept == 4);
        im_arena_destroy(m.arena);
    }
}

/* ---- GeoJSON geometries, for lines and zones */

typedef struct {
    int n;
    char types[16][24];
    int npos[16], nparts[16], npolys[16], bad[16];
    int part1[16];
    char names[16][24];
    long long offset[16];
} seen_features;

static int keep_feature(void *user, const im_gj_feature *f)
{
    seen_features *s = user;
    int i;
    if (s->n >= 16)
        return 0;
    snprintf(s->types[s->n], sizeof s->types[0], "%s", f->type);
    s->npos[s->n] = f->npos;
    s->nparts[s->n] = f->nparts;
    s->npolys[s->n] = f->npolys;
    s->bad[s->n] = f->bad != NULL;
    s->part1[s->n] = f->nparts > 1 ? f->part_start[1] : -1;
    s->offset[s->n] = f->offset;
    s->names[s->n][0] = '\0';
    for (i = 0; i < f->nprops; i++)
        if (strcmp(f->prop_name[i], "name") == 0)
            snprintf(s->names[s->n], sizeof s->names[0], "%s", f->prop_value[i]);
    s->n++;
    return 0;
}

static void test_geojson_parts(void)
{
    seen_features s;
    im_diag d;
    char path[600];
    memset(&s, 0, sizeof s);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_geojson_scan(fixture(path, sizeof path, "shapes.geojson"), NULL, keep_feature, &s,
                          &d) == 0);
    CHECK(s.n == 8);
    if (s.n != 8)
        return;
    CHECK_STR(s.types[0], "LineString");
    CHECK(s.npos[0] == 3 && s.nparts[0] == 1 && !s.bad[0]);
    CHECK(s.offset[0] == 44); /* the byte of its '{' */
    CHECK_STR(s.types[1], "MultiLineString");
    CHECK(s.npos[1] == 4 && s.nparts[1] == 2 && s.part1[1] == 2);
    CHECK_STR(s.types[3], "Polygon");
    CHECK(s.npos[3] == 9 && s.nparts[3] == 2 && s.part1[3] == 5 && s.npolys[3] == 1);
    CHECK_STR(s.types[4], "MultiPolygon");
    CHECK(s.npos[4] == 8 && s.nparts[4] == 2 && s.npolys[4] == 2);
    CHECK_STR(s.names[5], "Garrison zone");
    CHECK(s.npos[5] == 1 && !s.bad[5]);
    CHECK(s.bad[7]); /* a ring of two positions */
}

/* A feature whose text is not UTF-8 is one bad record, not a bad file. */
static void test_geojson_utf8(void)
{
    im_map m;
    im_source src;
    im_diag d;
    warnings w;
    char path[600], want[800];
    new_map(&m, &src, fixture(path, sizeof path, "latin1.geojson"));
    memset(&w, 0, sizeof w);
    im_diag_init(&d, collect, &w);
    CHECK(im_geojson_read_incidents(&m, &src, 0, &d) == 0);
    CHECK(m.nincidents == 1);
    CHECK(w.n == 1);
    snprintf(want, sizeof want,
             "%s:2: warning: feature 0 (byte 41): skipped: invalid UTF-8 in property 'title' "
             "(save the file as UTF-8)", path);
    CHECK(has_warning(&w, want, NULL));
    im_arena_destroy(m.arena);
}

static void test_arena_resize(void)
{
    im_arena *a = im_arena_create();
    int *p = NULL, n = 0, cap = 0, i, ok = 1;
    for (i = 0; i < 200000; i++) {
        if (n == cap) {
            int ncap = cap ? cap * 2 : 16;
            p = im_arena_resize(a, p, (size_t)cap * sizeof *p, (size_t)ncap * sizeof *p);
            if (!p) {
                ok = 0;
                break;
            }
            cap = ncap;
        }
        p[n++] = i;
    }
    for (i = 0; ok && i < n; i++)
        ok = p[i] == i;
    CHECK(ok);
    /* grown in place: the arena holds the array about once, not twice */
    CHECK(im_arena_used(a) < (size_t)cap * sizeof *p + 64 * 1024);
    p = im_arena_resize(a, p, (size_t)cap * sizeof *p, (size_t)n * sizeof *p);
    CHECK(p && p[n - 1] == n - 1);
    im_arena_destroy(a);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s TESTS_DATA_DIR\n", argv[0]);
        return 2;
    }
    snprintf(dir, sizeof dir, "%s", argv[1]);
    test_columns();
    test_precision();
    test_filters();
    test_by_fields();
    test_collect();
    test_geojson_parts();
    test_geojson_utf8();
    test_arena_resize();
    CHECK_DONE();
}
