/* Shapefile reader: shapes of every kind written here with shapelib into a
 * temporary directory (polygon with a hole, multipart line, PolygonZ, null
 * shapes, multipoint), attribute encodings (.cpg, language driver byte,
 * guessing), bounding-box queries with and without a .qix, damaged files
 * (truncated .shp, corrupt record, missing .dbf, record counts that
 * disagree), point shapefiles as incident sources, and, when present, the
 * Natural Earth rivers of the shared base maps. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

#include "check.h"
#include "core/arena.h"
#include "data/data.h"
#include "data/shp.h"
#include "incimap/error.h"
#include "incimap/map.h"

static char tmp[512];

static const char *tpath(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmp, name);
    return buf;
}

static void write_text(const char *name, const char *text)
{
    char p[700];
    FILE *f = fopen(tpath(p, sizeof p, name), "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void copy_file(const char *from, const char *to, long limit)
{
    char a[700], b[700];
    FILE *in = fopen(tpath(a, sizeof a, from), "rb");
    FILE *out = fopen(tpath(b, sizeof b, to), "wb");
    int c;
    long n = 0;
    if (in && out) {
        while ((limit < 0 || n < limit) && (c = fgetc(in)) != EOF) {
            fputc(c, out);
            n++;
        }
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

static long file_size(const char *name)
{
    char p[700];
    long n;
    FILE *f = fopen(tpath(p, sizeof p, name), "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n;
}

static void add_shape(SHPHandle h, int type, int nparts, const int *starts, int n,
                      const double *x, const double *y, const double *z)
{
    SHPObject *o = SHPCreateObject(type, -1, nparts, starts, NULL, n, x, y, z, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
}

/* poly.shp: 0 = square with a square hole, 1 = far away square, 2 = null;
 * names in Latin-1 with a .cpg saying so. */
static void make_polygons(void)
{
    char p[700];
    static const double x[] = {0, 0, 10, 10, 0, 2, 4, 4, 2, 2};
    static const double y[] = {0, 10, 10, 0, 0, 2, 2, 4, 4, 2};
    static const double fx[] = {100, 100, 110, 110, 100};
    static const double fy[] = {50, 60, 60, 50, 50};
    static const int starts[] = {0, 5};
    SHPHandle h = SHPCreate(tpath(p, sizeof p, "poly"), SHPT_POLYGON);
    DBFHandle d;
    SHPObject *null_shape;
    add_shape(h, SHPT_POLYGON, 2, starts, 10, x, y, NULL);
    add_shape(h, SHPT_POLYGON, 1, starts, 5, fx, fy, NULL);
    null_shape = SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
    SHPWriteObject(h, -1, null_shape);
    SHPDestroyObject(null_shape);
    SHPClose(h);

    d = DBFCreateEx(tpath(p, sizeof p, "poly.dbf"), "ISO-8859-1");
    DBFAddField(d, "NAME", FTString, 20, 0);
    DBFAddField(d, "pop", FTInteger, 9, 0);
    DBFWriteStringAttribute(d, 0, 0, "Hom\xe9");
    DBFWriteIntegerAttribute(d, 0, 1, 1200);
    DBFWriteStringAttribute(d, 1, 0, "Far   ");
    DBFWriteNULLAttribute(d, 1, 1);
    DBFWriteStringAttribute(d, 2, 0, "Null");
    DBFWriteIntegerAttribute(d, 2, 1, 0);
    DBFClose(d);
}

static void make_lines(void)
{
    char p[700];
    static const double x[] = {0, 1, 2, 10, 11};
    static const double y[] = {0, 1, 0, 10, 11};
    static const double z[] = {5, 5, 5, 5, 5};
    static const int starts[] = {0, 3};
    SHPHandle h = SHPCreate(tpath(p, sizeof p, "lines"), SHPT_ARC);
    DBFHandle d;
    add_shape(h, SHPT_ARC, 2, starts, 5, x, y, NULL);
    SHPClose(h);
    d = DBFCreate(tpath(p, sizeof p, "lines.dbf"));
    DBFAddField(d, "name", FTString, 10, 0);
    DBFWriteStringAttribute(d, 0, 0, "river");
    DBFClose(d);

    h = SHPCreate(tpath(p, sizeof p, "polyz"), SHPT_POLYGONZ);
    add_shape(h, SHPT_POLYGONZ, 1, starts, 4, x, y, z);
    SHPClose(h);
    d = DBFCreate(tpath(p, sizeof p, "polyz.dbf"));
    DBFAddField(d, "id", FTInteger, 4, 0);
    DBFWriteIntegerAttribute(d, 0, 0, 1);
    DBFClose(d);
}

static int count_visit(void *user, const im_shape *shape)
{
    int *seen = user;
    if (shape->record >= 0 && shape->record < 64)
        seen[shape->record]++;
    seen[63]++;
    return 0;
}

static int stop_visit(void *user, const im_shape *shape)
{
    (void)user;
    (void)shape;
    return 42;
}

static void test_polygons(void)
{
    im_shp *s = NULL;
    im_diag d;
    im_shape sh;
    char p[700];
    double b[4], box_home[4] = {1, 1, 3, 3}, box_none[4] = {20, 20, 30, 30};
    int seen[64];

    make_polygons();
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "poly"), &s, &d) == 0); /* without .shp */
    if (!s) {
        fprintf(stderr, "%s\n", d.message);
        return;
    }
    CHECK(im_shp_kind(s) == IM_GEOM_POLYGON);
    CHECK(im_shp_count(s) == 3);
    CHECK(strstr(im_shp_path(s), "poly.shp") != NULL);
    CHECK(im_shp_crs(s) == NULL);
    im_shp_bounds(s, b);
    CHECK_NEAR(b[0], 0, 0);
    CHECK_NEAR(b[3], 60, 0);

    CHECK(im_shp_nfields(s) == 2);
    CHECK_STR(im_shp_field_name(s, 0), "NAME");
    CHECK(im_shp_field_index(s, "name") == 0);
    CHECK(im_shp_field_index(s, "POP") == 1);
    CHECK(im_shp_field_index(s, "nope") == -1);
    CHECK_STR(im_shp_attr(s, 0, 0), "Hom\xc3\xa9"); /* Latin-1 per the .cpg -> UTF-8 */
    CHECK_STR(im_shp_attr(s, 1, 0), "Far");
    CHECK_STR(im_shp_attr(s, 0, 1), "1200");
    CHECK_STR(im_shp_attr(s, 1, 1), "");  /* NULL value */
    CHECK_STR(im_shp_attr(s, 7, 0), "");  /* no such record */

    CHECK(im_shp_read(s, 0, &sh, &d) == 0);
    CHECK(sh.kind == IM_GEOM_POLYGON);
    CHECK(sh.record == 0);
    CHECK(sh.nparts == 2);
    CHECK(sh.npoints == 10);
    CHECK(sh.part_start[0] == 0 && sh.part_start[1] == 5);
    CHECK_NEAR(sh.x[6], 4, 0);
    CHECK_NEAR(sh.y[7], 4, 0);
    CHECK_NEAR(sh.bbox[2], 10, 0);
    CHECK(im_shp_read(s, 2, &sh, &d) == 0);
    CHECK(sh.kind == IM_GEOM_NULL && sh.npoints == 0);

    memset(seen, 0, sizeof seen);
    CHECK(im_shp_query(s, NULL, count_visit, seen, &d) == 0);
    CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 0 && seen[63] == 2);
    memset(seen, 0, sizeof seen);
    CHECK(im_shp_query(s, box_home, count_visit, seen, &d) == 0);
    CHECK(seen[0] == 1 && seen[1] == 0 && seen[63] == 1);
    memset(seen, 0, sizeof seen);
    CHECK(im_shp_query(s, box_none, count_visit, seen, &d) == 0);
    CHECK(seen[63] == 0);
    CHECK(im_shp_query(s, NULL, stop_visit, NULL, &d) == 42);
    CHECK(d.status == IM_OK);
    im_shp_close(s);
    im_shp_close(NULL);

    /* a .prj is handed out as text */
    write_text("poly.prj", "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]\n");
    CHECK(im_shp_open(tpath(p, sizeof p, "poly.shp"), &s, &d) == 0);
    if (s) {
        CHECK_STR(im_shp_crs(s), "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\"]]");
        im_shp_close(s);
    }
}

static void test_lines_and_z(void)
{
    im_shp *s = NULL;
    im_diag d;
    im_shape sh;
    char p[700];
    double box[4] = {9, 9, 12, 12};
    int seen[64];

    make_lines();
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "lines.shp"), &s, &d) == 0);
    if (s) {
        CHECK(im_shp_kind(s) == IM_GEOM_LINE);
        CHECK(im_shp_read(s, 0, &sh, &d) == 0);
        CHECK(sh.kind == IM_GEOM_LINE && sh.nparts == 2 && sh.npoints == 5);
        CHECK(sh.part_start[1] == 3);
        /* the record's bounds overlap: the shape is read whole */
        memset(seen, 0, sizeof seen);
        CHECK(im_shp_query(s, box, count_visit, seen, &d) == 0);
        CHECK(seen[0] == 1);
        CHECK_STR(im_shp_attr(s, 0, 0), "river"); /* no .cpg, no LDID: ASCII */
        im_shp_close(s);
    }
    CHECK(im_shp_open(tpath(p, sizeof p, "polyz"), &s, &d) == 0);
    if (s) {
        CHECK(im_shp_kind(s) == IM_GEOM_POLYGON);
        CHECK(im_shp_read(s, 0, &sh, &d) == 0);
        CHECK(sh.kind == IM_GEOM_POLYGON && sh.npoints == 4 && sh.nparts == 1);
        CHECK_NEAR(sh.x[2], 2, 0);
        CHECK_NEAR(sh.y[1], 1, 0);
        im_shp_close(s);
    }
    CHECK(d.status == IM_OK);
}

/* One point per record with a name in the given DBF code page. */
static void make_named_points(const char *name, const char *codepage, const char *text)
{
    char p[700];
    double x = 1, y = 2;
    SHPHandle h = SHPCreate(tpath(p, sizeof p, name), SHPT_POINT);
    DBFHandle d;
    add_shape(h, SHPT_POINT, 0, NULL, 1, &x, &y, NULL);
    SHPClose(h);
    snprintf(p, sizeof p, "%s/%s.dbf", tmp, name);
    d = codepage ? DBFCreateEx(p, codepage) : DBFCreate(p);
    DBFAddField(d, "name", FTString, 30, 0);
    DBFWriteStringAttribute(d, 0, 0, text);
    DBFClose(d);
}

static const char *first_name(const char *shp, char *out, size_t size)
{
    im_shp *s = NULL;
    im_diag d;
    char p[700];
    im_diag_init(&d, NULL, NULL);
    snprintf(out, size, "(open failed)");
    if (im_shp_open(tpath(p, sizeof p, shp), &s, &d) == 0) {
        snprintf(out, size, "%s", im_shp_attr(s, 0, 0));
        im_shp_close(s);
    }
    return out;
}

static void test_encodings(void)
{
    char buf[200];
    make_named_points("utf8", "UTF-8", "caf\xc3\xa9 \xff end"); /* one invalid byte */
    CHECK_STR(first_name("utf8", buf, sizeof buf), "caf\xc3\xa9 \xef\xbf\xbd end");

    make_named_points("cp1252", "1252", "caf\xe9 \x80");
    CHECK_STR(first_name("cp1252", buf, sizeof buf), "caf\xc3\xa9 \xe2\x82\xac");

    make_named_points("ldid", "LDID/87", "caf\xe9 \x80"); /* no .cpg, LDID 0x57 */
    CHECK_STR(first_name("ldid", buf, sizeof buf), "caf\xc3\xa9 \xe2\x82\xac");

    make_named_points("ldid_utf8", "LDID/87", "caf\xc3\xa9");
    CHECK_STR(first_name("ldid_utf8", buf, sizeof buf), "caf\xc3\xa9");

    make_named_points("guess", NULL, "Hom\xe9");
    CHECK_STR(first_name("guess", buf, sizeof buf), "Hom\xc3\xa9");
    make_named_points("guess8", NULL, "Hom\xc3\xa9");
    CHECK_STR(first_name("guess8", buf, sizeof buf), "Hom\xc3\xa9");

    make_named_points("koi8", NULL, "\xeb\xc9\xc5\xd7"); /* "Киев" in KOI8-R */
    write_text("koi8.cpg", "KOI8-R");
    CHECK_STR(first_name("koi8", buf, sizeof buf), "\xd0\x9a\xd0\xb8\xd0\xb5\xd0\xb2");

    make_named_points("sjis", NULL, "\x82\xa0\xff"); /* "あ" then an invalid byte */
    write_text("sjis.cpg", "932");
    CHECK_STR(first_name("sjis", buf, sizeof buf), "\xe3\x81\x82\xef\xbf\xbd");

    make_named_points("bogus", NULL, "Hom\xe9");
    write_text("bogus.cpg", "NOT-A-CODEPAGE");
    {
        im_shp *s = NULL;
        im_diag d;
        warnings w;
        char p[700];
        memset(&w, 0, sizeof w);
        im_diag_init(&d, collect, &w);
        CHECK(im_shp_open(tpath(p, sizeof p, "bogus"), &s, &d) == 0);
        CHECK(w.n == 1 && strstr(w.msg[0], "unknown code page 'NOT-A-CODEPAGE'"));
        if (s) {
            CHECK_STR(im_shp_attr(s, 0, 0), "Hom\xc3\xa9");
            im_shp_close(s);
        }
    }
}

static void test_qix(void)
{
    char p[700];
    SHPHandle h = SHPCreate(tpath(p, sizeof p, "grid"), SHPT_POINT);
    DBFHandle d;
    SHPTree *tree;
    im_shp *s = NULL;
    im_diag dg;
    int i, with[64], without[64];
    double box[4] = {3.5, 2.5, 6.5, 4.5};

    for (i = 0; i < 60; i++) {
        double x = i % 10, y = i / 10;
        add_shape(h, SHPT_POINT, 0, NULL, 1, &x, &y, NULL);
    }
    tree = SHPCreateTree(h, 2, 0, NULL, NULL);
    SHPWriteTree(tree, tpath(p, sizeof p, "grid.qix"));
    SHPDestroyTree(tree);
    SHPClose(h);
    d = DBFCreate(tpath(p, sizeof p, "grid.dbf"));
    DBFAddField(d, "id", FTInteger, 4, 0);
    for (i = 0; i < 60; i++)
        DBFWriteIntegerAttribute(d, i, 0, i);
    DBFClose(d);

    im_diag_init(&dg, NULL, NULL);
    memset(with, 0, sizeof with);
    memset(without, 0, sizeof without);
    CHECK(im_shp_open(tpath(p, sizeof p, "grid"), &s, &dg) == 0);
    if (s) {
        CHECK(im_shp_kind(s) == IM_GEOM_POINT);
        CHECK(im_shp_query(s, box, count_visit, with, &dg) == 0);
        im_shp_close(s);
    }
    unlink(tpath(p, sizeof p, "grid.qix"));
    CHECK(im_shp_open(tpath(p, sizeof p, "grid"), &s, &dg) == 0);
    if (s) {
        CHECK(im_shp_query(s, box, count_visit, without, &dg) == 0);
        im_shp_close(s);
    }
    CHECK(memcmp(with, without, sizeof with) == 0);
    /* x 4..6, y 3..4: ids 34, 35, 36, 44, 45, 46 */
    CHECK(without[63] == 6);
    CHECK(without[34] == 1 && without[46] == 1 && without[33] == 0);
}

static void test_damaged(void)
{
    char p[700], want[800];
    im_shp *s = NULL;
    im_diag d;
    im_shape sh;
    long n;
    FILE *f;

    /* .shp cut in half */
    make_polygons();
    n = file_size("poly.shp");
    copy_file("poly.shp", "cut.shp", n / 2);
    copy_file("poly.shx", "cut.shx", -1);
    copy_file("poly.dbf", "cut.dbf", -1);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "cut"), &s, &d) == -1);
    CHECK(s == NULL);
    CHECK(d.status == IM_ERR_DATA);
    CHECK(strstr(d.message, "cut.shp") && strstr(d.message, "truncated"));

    /* only the header left */
    copy_file("poly.shp", "cut.shp", 60);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "cut"), &s, &d) == -1);
    CHECK(d.status == IM_ERR_DATA);

    /* a record whose part count is absurd: shapelib refuses it */
    copy_file("poly.shp", "bad.shp", -1);
    copy_file("poly.shx", "bad.shx", -1);
    copy_file("poly.dbf", "bad.dbf", -1);
    f = fopen(tpath(p, sizeof p, "bad.shp"), "r+b");
    if (f) {
        static const unsigned char huge[4] = {0xff, 0xff, 0xff, 0x7f};
        fseek(f, 100 + 8 + 36, SEEK_SET); /* record 0: nParts */
        fwrite(huge, 1, 4, f);
        fclose(f);
    }
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "bad"), &s, &d) == 0);
    if (s) {
        int seen[64];
        CHECK(im_shp_read(s, 0, &sh, &d) == -1);
        CHECK(strstr(d.message, "bad.shp") && strstr(d.message, "record 0"));
        CHECK(im_shp_read(s, 1, &sh, &d) == 0); /* the others are fine */
        im_diag_init(&d, NULL, NULL);
        memset(seen, 0, sizeof seen);
        CHECK(im_shp_query(s, NULL, count_visit, seen, &d) == -1);
        CHECK(strstr(d.message, "record 0") != NULL);
        im_shp_close(s);
    }

    /* missing .dbf */
    unlink(tpath(p, sizeof p, "bad.dbf"));
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "bad.shp"), &s, &d) == -1);
    snprintf(want, sizeof want, "cannot open '%s/bad.dbf': No such file or directory", tmp);
    CHECK_STR(d.message, want);
    unlink(tpath(p, sizeof p, "bad.shx"));
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "bad.shp"), &s, &d) == -1);
    CHECK(strstr(d.message, "bad.shx") != NULL);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "nothing"), &s, &d) == -1);
    CHECK(strstr(d.message, "nothing.shp': No such file") != NULL);

    /* a .dbf cut short */
    copy_file("poly.shp", "short.shp", -1);
    copy_file("poly.shx", "short.shx", -1);
    copy_file("poly.dbf", "short.dbf", file_size("poly.dbf") - 20);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "short"), &s, &d) == -1);
    CHECK(strstr(d.message, "short.dbf") && strstr(d.message, "truncated"));

    /* a .dbf from another shapefile */
    copy_file("poly.shp", "mix.shp", -1);
    copy_file("poly.shx", "mix.shx", -1);
    copy_file("lines.dbf", "mix.dbf", -1);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "mix"), &s, &d) == -1);
    CHECK(strstr(d.message, "3 shapes") && strstr(d.message, "1 records"));

    /* not a shapefile at all */
    write_text("junk.shp", "this is not a shapefile, not even close to one; 100 bytes "
                           "are needed for a header and here they are not\n");
    copy_file("poly.shx", "junk.shx", -1);
    copy_file("poly.dbf", "junk.dbf", -1);
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(tpath(p, sizeof p, "junk"), &s, &d) == -1);
    CHECK(d.status == IM_ERR_DATA);
}

static void test_incidents(void)
{
    char p[700];
    static const double x[] = {36.2, 38.0, 37.0, 36.0}, y[] = {33.5, 95.0, 35.0, 34.0};
    SHPHandle h = SHPCreate(tpath(p, sizeof p, "inc"), SHPT_POINT);
    DBFHandle d;
    im_map m;
    im_diag dg;
    im_source src;
    warnings w;
    SHPObject *null_shape;
    int i;

    for (i = 0; i < 3; i++)
        add_shape(h, SHPT_POINT, 0, NULL, 1, &x[i], &y[i], NULL);
    null_shape = SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
    SHPWriteObject(h, -1, null_shape);
    SHPDestroyObject(null_shape);
    SHPClose(h);
    d = DBFCreateEx(tpath(p, sizeof p, "inc.dbf"), "UTF-8");
    DBFAddNativeFieldType(d, "event_date", 'D', 8, 0);
    DBFAddField(d, "sub_event_", FTString, 40, 0);
    DBFAddField(d, "actor1", FTString, 40, 0);
    DBFAddField(d, "fatalities", FTInteger, 6, 0);
    DBFAddField(d, "TITLE", FTString, 40, 0);
    for (i = 0; i < 4; i++) {
        /* raw: shapelib's string writer formats 'D' fields as numbers */
        DBFWriteAttributeDirectly(d, i, 0, i == 2 ? "20170230" : "20170518");
        DBFWriteStringAttribute(d, i, 1, "Air/drone strike");
        DBFWriteStringAttribute(d, i, 2, "Coalition");
        DBFWriteIntegerAttribute(d, i, 3, i);
        DBFWriteStringAttribute(d, i, 4, "Caf\xc3\xa9");
    }
    DBFClose(d);

    memset(&m, 0, sizeof m);
    memset(&w, 0, sizeof w);
    m.arena = im_arena_create();
    im_diag_init(&dg, collect, &w);
    memset(&src, 0, sizeof src);
    src.path = tpath(p, sizeof p, "inc.shp");
    src.loc.file = "map.yaml";
    src.loc.line = 3;
    src.loc.col = 1;
    m.sources = &src;
    m.nsources = 1;
    CHECK(im_data_load_incidents(&m, 0, &dg) == 0);
    CHECK(m.nincidents == 1);
    if (m.nincidents == 1) {
        CHECK_NEAR(m.incidents[0].lon, 36.2, 0);
        CHECK_NEAR(m.incidents[0].lat, 33.5, 0);
        CHECK_STR(m.incidents[0].date, "2017-05-18");
        CHECK(m.incidents[0].type == IM_ITYPE_AIR);
        CHECK_STR(m.incidents[0].actor, "Coalition");
        CHECK_STR(m.incidents[0].title, "Caf\xc3\xa9");
        CHECK(m.incidents[0].fatalities == 0);
    }
    CHECK(w.n == 2);
    CHECK(w.n == 2 && strstr(w.msg[0], "record 1: skipped: latitude 95 is out of range"));
    CHECK(w.n == 2 && strstr(w.msg[1], "record 2: skipped: date '20170230' is not a valid "
                                       "date (field 'event_date')"));
    im_arena_destroy(m.arena);

    /* strict */
    memset(&m, 0, sizeof m);
    m.arena = im_arena_create();
    im_diag_init(&dg, NULL, NULL);
    CHECK(im_shp_read_incidents(&m, &src, 1, &dg) == -1);
    CHECK(strstr(dg.message, "record 1: latitude 95") != NULL);
    im_arena_destroy(m.arena);

    /* not points */
    memset(&m, 0, sizeof m);
    m.arena = im_arena_create();
    im_diag_init(&dg, NULL, NULL);
    src.path = tpath(p, sizeof p, "lines.shp");
    CHECK(im_shp_read_incidents(&m, &src, 0, &dg) == -1);
    CHECK(strncmp(dg.message, "map.yaml:3:1: ", 14) == 0);
    CHECK(strstr(dg.message, "holds lines; incidents need a point shapefile") != NULL);
    im_arena_destroy(m.arena);

    /* projected coordinates */
    memset(&m, 0, sizeof m);
    m.arena = im_arena_create();
    im_diag_init(&dg, NULL, NULL);
    write_text("inc.prj", "PROJCS[\"WGS_1984_UTM_Zone_37N\",GEOGCS[\"GCS_WGS_1984\"]]");
    src.path = tpath(p, sizeof p, "inc.shp");
    CHECK(im_shp_read_incidents(&m, &src, 0, &dg) == -1);
    CHECK(strstr(dg.message, "projected") != NULL);
    im_arena_destroy(m.arena);

    /* multipoint: one incident per point */
    {
        static const double mx[] = {30, 31, 32}, my[] = {10, 11, 12};
        h = SHPCreate(tpath(p, sizeof p, "multi"), SHPT_MULTIPOINT);
        add_shape(h, SHPT_MULTIPOINT, 0, NULL, 3, mx, my, NULL);
        SHPClose(h);
        d = DBFCreate(tpath(p, sizeof p, "multi.dbf"));
        DBFAddField(d, "type", FTString, 20, 0);
        DBFWriteStringAttribute(d, 0, 0, "IED");
        DBFClose(d);
        memset(&m, 0, sizeof m);
        m.arena = im_arena_create();
        im_diag_init(&dg, NULL, NULL);
        src.path = tpath(p, sizeof p, "multi.shp");
        CHECK(im_shp_read_incidents(&m, &src, 0, &dg) == 0);
        CHECK(m.nincidents == 3);
        if (m.nincidents == 3) {
            CHECK_NEAR(m.incidents[2].lon, 32, 0);
            CHECK(m.incidents[1].type == IM_ITYPE_EXPLOSIVE);
        }
        im_arena_destroy(m.arena);
    }
}

typedef struct {
    im_shp *s;
    int field;
    int found;
    int lines;
} river_search;

static int find_river(void *user, const im_shape *shape)
{
    river_search *r = user;
    r->lines++;
    if (shape->kind == IM_GEOM_LINE && strcmp(im_shp_attr(r->s, shape->record, r->field),
                                              "Euphrates") == 0)
        r->found++;
    return 0;
}

static void test_natural_earth(void)
{
    const char *path =
        "/work/shared/basemaps/naturalearth-me/ne_10m_rivers_lake_centerlines.shp";
    im_shp *s = NULL;
    im_diag d;
    river_search r;
    double box[4] = {36, 30, 48, 40}; /* Syria and Iraq */

    if (access(path, R_OK) != 0) {
        printf("natural earth rivers: skipped (%s not found)\n", path);
        return;
    }
    im_diag_init(&d, NULL, NULL);
    CHECK(im_shp_open(path, &s, &d) == 0);
    if (!s) {
        fprintf(stderr, "%s\n", d.message);
        return;
    }
    CHECK(im_shp_count(s) > 0);
    CHECK(im_shp_kind(s) == IM_GEOM_LINE);
    CHECK(im_shp_crs(s) != NULL);
    memset(&r, 0, sizeof r);
    r.s = s;
    r.field = im_shp_field_index(s, "name");
    CHECK(r.field >= 0);
    CHECK(im_shp_query(s, NULL, find_river, &r, &d) == 0);
    CHECK(r.found > 0);
    {
        int all = r.lines;
        memset(&r, 0, sizeof r);
        r.s = s;
        r.field = im_shp_field_index(s, "name");
        CHECK(im_shp_query(s, box, find_river, &r, &d) == 0);
        CHECK(r.found > 0);
        CHECK(r.lines < all);
    }
    im_shp_close(s);
}

static void remove_tmp(void)
{
    DIR *dir = opendir(tmp);
    struct dirent *e;
    char p[800];
    if (!dir)
        return;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", tmp, e->d_name);
        unlink(p);
    }
    closedir(dir);
    rmdir(tmp);
}

int main(int argc, char **argv)
{
    const char *t = getenv("TMPDIR");
    (void)argc;
    (void)argv;
    snprintf(tmp, sizeof tmp, "%s/im_shp_XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_polygons();
    test_lines_and_z();
    test_encodings();
    test_qix();
    test_damaged();
    test_incidents();
    test_natural_earth();
    if (!getenv("KEEP")) remove_tmp(); else printf("%s\n", tmp);
    CHECK_DONE();
}
