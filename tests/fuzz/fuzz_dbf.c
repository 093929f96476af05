/* Fuzz target: the attribute side of a shapefile layer (the .dbf and its
 * .cpg).  In fuzz_shp most mutations break the .shp, and the .dbf is never
 * reached; here the .shp and .shx are made to fit whatever the .dbf
 * header promises (that many null shapes), so every input reaches the DBF
 * parser, the field table and the text conversion.  Input:
 *
 *   u8 len_cpg | cpg bytes (none: no .cpg file) | dbf bytes (the rest)
 *
 * Every field's name and type and every attribute of every record are
 * read through im_shp_field_* and im_shp_attr. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/shp.h"
#include "fuzz_common.h"
#include "incimap/error.h"

/* null shapes for at most this many records: a header that promises more
 * is refused by the reader as truncated anyway */
#define FZ_MAX_RECORDS 4096

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* The 100-byte header of a .shp or .shx of null shapes, LEN bytes long. */
static void header(uint8_t *h, size_t len)
{
    memset(h, 0, 100);
    put_be32(h, 9994);
    put_be32(h + 24, (uint32_t)(len / 2));
    put_le32(h + 28, 1000);
    put_le32(h + 32, 0); /* null shape type */
}

/* Write BASE.shp and BASE.shx holding N null shapes. */
static void write_null_layer(const char *shp, const char *shx, int n)
{
    size_t lshp = 100 + 12 * (size_t)n, lshx = 100 + 8 * (size_t)n;
    uint8_t *a = calloc(1, lshp), *b = calloc(1, lshx);
    int i;
    if (!a || !b)
        abort();
    header(a, lshp);
    header(b, lshx);
    for (i = 0; i < n; i++) {
        uint8_t *r = a + 100 + 12 * (size_t)i, *x = b + 100 + 8 * (size_t)i;
        put_be32(r, (uint32_t)i + 1);
        put_be32(r + 4, 2); /* content: 2 16-bit words, the type */
        put_le32(r + 8, 0);
        put_be32(x, (uint32_t)(100 + 12 * i) / 2);
        put_be32(x + 4, 2);
    }
    fz_write_file(shp, a, lshp);
    fz_write_file(shx, b, lshx);
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dbf[600], shp[600], shx[600], cpg[600];
    size_t lcpg = 0, lbase;
    long nrec = 0;
    im_shp *s = NULL;
    im_diag d;
    if (size > 0) {
        lcpg = data[0];
        data++;
        size--;
    }
    if (lcpg > size)
        lcpg = size;

    fz_temp_file(".dbf", data + lcpg, size - lcpg, dbf, sizeof dbf);
    lbase = strlen(dbf) - 4;
    memcpy(shp, dbf, lbase);
    strcpy(shp + lbase, ".shp");
    memcpy(shx, dbf, lbase);
    strcpy(shx + lbase, ".shx");
    memcpy(cpg, dbf, lbase);
    strcpy(cpg + lbase, ".cpg");
    if (size - lcpg >= 8) /* the record count of the DBF header */
        nrec = (long)((uint32_t)data[lcpg + 4] | (uint32_t)data[lcpg + 5] << 8 |
                      (uint32_t)data[lcpg + 6] << 16 | (uint32_t)data[lcpg + 7] << 24);
    if (nrec < 0 || nrec > FZ_MAX_RECORDS)
        nrec = 0;
    write_null_layer(shp, shx, (int)nrec);
    if (lcpg > 0)
        fz_write_file(cpg, data, lcpg);

    im_diag_init(&d, NULL, NULL);
    if (im_shp_open(shp, &s, &d) == 0 && s) {
        int n = im_shp_count(s), nf = im_shp_nfields(s), rec, f, w, dec;
        size_t sum = 0;
        (void)im_shp_encoding_name(s);
        for (f = -1; f <= nf; f++) {
            const char *name = im_shp_field_name(s, f);
            (void)im_shp_field_type(s, f, &w, &dec);
            if (name)
                (void)im_shp_field_index(s, name);
        }
        for (rec = -1; rec <= n; rec++) {
            for (f = 0; f < nf; f++) {
                const char *v = im_shp_attr(s, rec, f);
                if (v)
                    sum += strlen(v);
            }
        }
        (void)im_shp_bad_text(s);
        if (sum == 1) /* keep the reads */
            (void)im_shp_count(s);
    }
    im_shp_close(s);

    unlink(shp);
    unlink(shx);
    unlink(dbf);
    if (lcpg > 0)
        unlink(cpg);
    return 0;
}
