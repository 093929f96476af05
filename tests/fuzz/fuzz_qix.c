/* Fuzz target: the .qix spatial index of a shapefile layer, which the
 * reader uses for every query by box.  The layer itself is made valid here
 * with shapelib (N points on a grid, one attribute each), so that every
 * input reaches the index; the input is
 *
 *   u8 N (points, 1..255; 0 is taken as 1) | .qix bytes (the rest)
 *
 * and the layer is queried by the whole extent, by a corner and by a box
 * outside it.  Built with -DFZ_WRITE_SEED, it writes the layer's true
 * index for N instead, as a seed: fuzz_qix N > seed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

#include "data/shp.h"
#include "fuzz_common.h"
#include "incimap/error.h"

static volatile double fz_sink;

static double grid_x(int i)
{
    return 38.0 + 0.1 * (i % 16);
}

static double grid_y(int i)
{
    return 33.0 + 0.1 * (i / 16);
}

/* BASE.shp/.shx/.dbf with N points; the .shp path goes to SHP. */
static void write_layer(int n, char *shp, size_t size)
{
    char base[600];
    SHPHandle h;
    DBFHandle d;
    int i, f;
    fz_temp_file(".shp", NULL, 0, shp, size);
    snprintf(base, sizeof base, "%.*s", (int)(strlen(shp) - 4), shp);
    h = SHPCreate(base, SHPT_POINT);
    d = DBFCreate(base);
    if (!h || !d)
        abort();
    f = DBFAddField(d, "id", FTInteger, 6, 0);
    for (i = 0; i < n; i++) {
        double x = grid_x(i), y = grid_y(i);
        SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL);
        if (!o || SHPWriteObject(h, -1, o) < 0 || !DBFWriteIntegerAttribute(d, i, f, i))
            abort();
        SHPDestroyObject(o);
    }
#ifdef FZ_WRITE_SEED
    {
        SHPTree *t = SHPCreateTree(h, 2, 0, NULL, NULL);
        char qix[620];
        FILE *out;
        int c;
        snprintf(qix, sizeof qix, "%s.qix", base);
        for (i = 0; i < n; i++) {
            SHPObject *o = SHPReadObject(h, i);
            SHPTreeAddShapeId(t, o);
            SHPDestroyObject(o);
        }
        SHPWriteTree(t, qix);
        SHPDestroyTree(t);
        out = fopen(qix, "rb");
        putchar(n);
        while (out && (c = fgetc(out)) != EOF)
            putchar(c);
        if (out)
            fclose(out);
        unlink(qix);
    }
#endif
    SHPClose(h);
    DBFClose(d);
}

#ifndef FZ_WRITE_SEED
static int visit(void *user, const im_shape *shape)
{
    *(double *)user += shape->x[0] + shape->y[0];
    return 0;
}
#endif

static void remove_layer(const char *shp)
{
    static const char *const ext[] = {".shp", ".shx", ".dbf", ".qix"};
    char p[600];
    size_t i;
    for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%.*s%s", (int)(strlen(shp) - 4), shp, ext[i]);
        unlink(p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double boxes[3][4] = {
        {37, 32, 40, 35}, {38.05, 33.05, 38.35, 33.35}, {10, 10, 11, 11}};
    char shp[600], qix[600];
    int n = size > 0 && data[0] > 0 ? data[0] : 1, k;
    double sum = 0;
    im_shp *s = NULL;
    im_diag d;
    write_layer(n, shp, sizeof shp);
    snprintf(qix, sizeof qix, "%.*s.qix", (int)(strlen(shp) - 4), shp);
#ifndef FZ_WRITE_SEED
    fz_write_file(qix, size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
    im_diag_init(&d, NULL, NULL);
    if (im_shp_open(shp, &s, &d) == 0 && s) {
        for (k = 0; k < 3; k++) {
            im_diag_init(&d, NULL, NULL);
            (void)im_shp_query(s, boxes[k], visit, &sum, &d);
        }
    }
    im_shp_close(s);
#else
    (void)k;
    (void)s;
    (void)d;
    (void)boxes;
#endif
    remove_layer(shp);
    fz_sink = sum; /* keep the reads */
    return 0;
}

#ifdef FZ_WRITE_SEED
int main(int argc, char **argv)
{
    uint8_t n = (uint8_t)(argc > 1 ? atoi(argv[1]) : 1);
    return LLVMFuzzerTestOneInput(&n, 1);
}
#endif
