/* Fuzz target: the shapefile layer reader.  The input is split into the
 * .shp, .shx and .dbf of one layer:
 *
 *   u32le len_shp | u32le len_shx | shp bytes | shx bytes | dbf bytes (rest)
 *
 * (lengths are clamped to what is there; a short input gives empty files).
 * The three files are written beside each other in the temporary
 * directory, opened with im_shp_open, every shape is walked with
 * im_shp_query (all, and within a box) and im_shp_read, and every
 * attribute of every record is read. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "data/shp.h"
#include "fuzz_common.h"
#include "incimap/error.h"

static uint32_t get_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Touch every vertex so that ASan sees the reads. */
static int visit(void *user, const im_shape *shape)
{
    double *sum = user;
    int i;
    for (i = 0; i < shape->nparts; i++)
        *sum += shape->part_start[i];
    for (i = 0; i < shape->npoints; i++)
        *sum += shape->x[i] + shape->y[i];
    return 0;
}

static void walk(im_shp *s)
{
    double sum = 0, bounds[4], box[4];
    int n = im_shp_count(s), nf = im_shp_nfields(s), rec, f, w, dec;
    im_diag d;
    im_shape shape;
    (void)im_shp_kind(s);
    (void)im_shp_path(s);
    (void)im_shp_crs(s);
    (void)im_shp_encoding_name(s);
    (void)im_shp_type_name(s);
    im_shp_bounds(s, bounds);

    im_diag_init(&d, NULL, NULL);
    (void)im_shp_query(s, NULL, visit, &sum, &d);
    box[0] = bounds[0];
    box[1] = bounds[1];
    box[2] = (bounds[0] + bounds[2]) / 2;
    box[3] = (bounds[1] + bounds[3]) / 2;
    im_diag_init(&d, NULL, NULL);
    (void)im_shp_query(s, box, visit, &sum, &d);
    for (rec = -1; rec <= n; rec++) {
        im_diag_init(&d, NULL, NULL);
        if (im_shp_read(s, rec, &shape, &d) == 0)
            (void)visit(&sum, &shape);
    }

    for (f = -1; f <= nf; f++) {
        const char *name = im_shp_field_name(s, f);
        (void)im_shp_field_type(s, f, &w, &dec);
        if (name)
            (void)im_shp_field_index(s, name);
    }
    for (rec = 0; rec < n; rec++) {
        for (f = 0; f < nf; f++) {
            const char *v = im_shp_attr(s, rec, f);
            if (v)
                sum += (double)strlen(v);
        }
    }
    if (sum == 0.5) /* keep the reads */
        (void)im_shp_count(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char shp[600], shx[600], dbf[600];
    size_t lshp = 0, lshx = 0, lbase;
    im_shp *s = NULL;
    im_diag d;
    if (size >= 8) {
        lshp = get_u32le(data);
        lshx = get_u32le(data + 4);
        data += 8;
        size -= 8;
    } else {
        size = 0;
    }
    if (lshp > size)
        lshp = size;
    if (lshx > size - lshp)
        lshx = size - lshp;

    fz_temp_file(".shp", data, lshp, shp, sizeof shp);
    lbase = strlen(shp) - 4;
    memcpy(shx, shp, lbase);
    strcpy(shx + lbase, ".shx");
    memcpy(dbf, shp, lbase);
    strcpy(dbf + lbase, ".dbf");
    fz_write_file(shx, data + lshp, lshx);
    fz_write_file(dbf, data + lshp + lshx, size - lshp - lshx);

    im_diag_init(&d, NULL, NULL);
    if (im_shp_open(shp, &s, &d) == 0 && s)
        walk(s);
    im_shp_close(s);

    unlink(shp);
    unlink(shx);
    unlink(dbf);
    return 0;
}
