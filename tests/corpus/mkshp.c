/* im_mkshp: writes the shapefiles of the bad-input corpus with shapelib, at
 * test time (the big ones would not belong in git, and the others are
 * clearer as code than as binary files).  The corpus test then breaks
 * them further with head, cp and rm.
 *
 *   im_mkshp points BASE NSHP NDBF   NSHP points, a .dbf of NDBF records
 *   im_mkshp polygons BASE           a square with a hole, null shapes, a
 *                                    ring that does not close
 *   im_mkshp coord BASE VALUE        a line with one vertex at x = VALUE
 *                                    (strtod: nan, 1e300, inf)
 *   im_mkshp big BASE N              one polygon ring of N vertices
 *   im_mkshp badtext BASE            one point named with bytes that are
 *                                    not UTF-8 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shapefil.h>

typedef struct {
    SHPHandle shp;
    DBFHandle dbf;
    int name;
} mk_layer;

static int mk_open(mk_layer *l, const char *base, int type)
{
    l->shp = SHPCreate(base, type);
    l->dbf = DBFCreate(base);
    if (!l->shp || !l->dbf) {
        fprintf(stderr, "im_mkshp: cannot create %s\n", base);
        return -1;
    }
    l->name = DBFAddField(l->dbf, "name", FTString, 40, 0);
    return l->name < 0 ? -1 : 0;
}

static void mk_close(mk_layer *l)
{
    if (l->shp)
        SHPClose(l->shp);
    if (l->dbf)
        DBFClose(l->dbf);
}

/* Write O (destroyed here) and, when NAME is not NULL, its record. */
static int mk_add(mk_layer *l, SHPObject *o, const char *name)
{
    int rec;
    if (!o)
        return -1;
    rec = SHPWriteObject(l->shp, -1, o);
    SHPDestroyObject(o);
    if (rec < 0)
        return -1;
    if (name && !DBFWriteStringAttribute(l->dbf, rec, l->name, name))
        return -1;
    return 0;
}

static int mk_points(const char *base, int nshp, int ndbf)
{
    mk_layer l = {0};
    int i, rc = mk_open(&l, base, SHPT_POINT);
    for (i = 0; rc == 0 && i < nshp; i++) {
        double x = 38.1 + 0.1 * i, y = 33.5;
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL), NULL);
    }
    for (i = 0; rc == 0 && i < ndbf; i++) {
        char name[16];
        snprintf(name, sizeof name, "P%d", i);
        rc = DBFWriteStringAttribute(l.dbf, i, l.name, name) ? 0 : -1;
    }
    mk_close(&l);
    return rc;
}

static int mk_polygons(const char *base)
{
    /* outer ring clockwise, hole counter-clockwise, as shapefiles want */
    static const double sx[] = {38.2, 38.2, 38.8, 38.8, 38.2, 38.4, 38.6, 38.6, 38.4, 38.4};
    static const double sy[] = {33.2, 33.8, 33.8, 33.2, 33.2, 33.4, 33.4, 33.6, 33.6, 33.4};
    static const int parts[] = {0, 5};
    static const double ox[] = {38.1, 38.1, 38.3, 38.3};
    static const double oy[] = {33.1, 33.3, 33.3, 33.1};
    mk_layer l = {0};
    int rc = mk_open(&l, base, SHPT_POLYGON);
    if (rc == 0)
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL), "null first");
    if (rc == 0)
        rc = mk_add(&l, SHPCreateObject(SHPT_POLYGON, -1, 2, parts, NULL, 10, sx, sy, NULL, NULL),
                    "square with a hole");
    if (rc == 0)
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL), "null between");
    if (rc == 0) /* four corners, the first never repeated */
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_POLYGON, 4, ox, oy, NULL), "open ring");
    mk_close(&l);
    return rc;
}

static int mk_coord(const char *base, double v)
{
    double x[] = {38.2, v, 38.8}, y[] = {33.2, 33.5, 33.8};
    double gx[] = {38.2, 38.8}, gy[] = {33.8, 33.2};
    mk_layer l = {0};
    int rc = mk_open(&l, base, SHPT_ARC);
    if (rc == 0)
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_ARC, 2, gx, gy, NULL), "good line");
    if (rc == 0)
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_ARC, 3, x, y, NULL), "bad vertex");
    mk_close(&l);
    return rc;
}

static int mk_big(const char *base, int n)
{
    double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    mk_layer l = {0};
    int i, rc = -1;
    if (x && y && n >= 4) {
        /* a closed ring going clockwise round the map's centre */
        for (i = 0; i < n - 1; i++) {
            double a = -2 * M_PI * i / (n - 1);
            x[i] = 38.5 + 0.3 * cos(a);
            y[i] = 33.5 + 0.3 * sin(a);
        }
        x[n - 1] = x[0];
        y[n - 1] = y[0];
        rc = mk_open(&l, base, SHPT_POLYGON);
        if (rc == 0)
            rc = mk_add(&l, SHPCreateSimpleObject(SHPT_POLYGON, n, x, y, NULL), "big");
        mk_close(&l);
    }
    free(x);
    free(y);
    return rc;
}

static int mk_badtext(const char *base)
{
    double x = 38.5, y = 33.5;
    mk_layer l = {0};
    int rc = mk_open(&l, base, SHPT_POINT);
    if (rc == 0)
        rc = mk_add(&l, SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL), "Caf\xe9 \xff\xfe");
    mk_close(&l);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = -1;
    if (argc == 5 && strcmp(argv[1], "points") == 0)
        rc = mk_points(argv[2], atoi(argv[3]), atoi(argv[4]));
    else if (argc == 3 && strcmp(argv[1], "polygons") == 0)
        rc = mk_polygons(argv[2]);
    else if (argc == 4 && strcmp(argv[1], "coord") == 0)
        rc = mk_coord(argv[2], strtod(argv[3], NULL));
    else if (argc == 4 && strcmp(argv[1], "big") == 0)
        rc = mk_big(argv[2], atoi(argv[3]));
    else if (argc == 3 && strcmp(argv[1], "badtext") == 0)
        rc = mk_badtext(argv[2]);
    else
        fprintf(stderr, "usage: im_mkshp points|polygons|coord|big|badtext BASE [ARGS]\n");
    if (rc != 0)
        fprintf(stderr, "im_mkshp: failed\n");
    return rc == 0 ? 0 : 1;
}
