/* PNG writing: RGB, DPI in pHYs, sRGB tagged, no timestamps, so identical
 * maps give identical bytes.  libpng writes the chunks; the image data is
 * deflated by zlib in two bands at once, one on a second thread, and the
 * two raw deflate streams joined into one zlib stream (as pigz does): the
 * bytes depend only on the image, never on the scheduling. */
#include "render/canvas_priv.h"
#include "render/png_priv.h"
#include "core/threads.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

/* One band of rows, filtered ("none": a zero byte before each row) and
 * deflated into out[0..nout). */
typedef struct im_png_band {
    const unsigned char *data;
    int stride, w, y0, y1;
    int last;                /* ends the stream (else a sync flush) */
    unsigned char *out;
    size_t nout;
    uLong adler;
    size_t nraw;
    int failed;
} im_png_band;

static void *im_png_deflate_band(void *arg)
{
    im_png_band *b = arg;
    size_t rowlen = (size_t)b->w * 3 + 1, raw = rowlen * (size_t)(b->y1 - b->y0), cap;
    unsigned char *row = malloc(rowlen), *level_buf = malloc(ISAL_DEF_LVL1_DEFAULT);
    struct isal_zstream z;
    int y, x;
    b->failed = 1;
    /* room for the worst case: stored blocks (5 bytes per 64 KB) */
    cap = raw + raw / 8192 * 5 + 1024;
    b->out = malloc(cap);
    b->adler = 1;
    b->nraw = 0;
    if (!row || !level_buf || !b->out)
        goto done;
    isal_deflate_init(&z);
    z.level = 1;
    z.level_buf = level_buf;
    z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    z.gzip_flag = IGZIP_DEFLATE;
    z.next_out = b->out;
    z.avail_out = (uint32_t)cap;
    for (y = b->y0; y < b->y1; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(b->data + (size_t)y * (size_t)b->stride);
        row[0] = 0;
        for (x = 0; x < b->w; x++) {
            uint32_t p = src[x];
            row[1 + 3 * x] = (unsigned char)(p >> 16);
            row[2 + 3 * x] = (unsigned char)(p >> 8);
            row[3 + 3 * x] = (unsigned char)p;
        }
        b->adler = isal_adler32((uint32_t)b->adler, row, rowlen);
        b->nraw += rowlen;
        z.next_in = row;
        z.avail_in = (uint32_t)rowlen;
        z.end_of_stream = y + 1 == b->y1 && b->last;
        z.flush = y + 1 == b->y1 && !b->last ? SYNC_FLUSH : NO_FLUSH;
        if (isal_deflate(&z) != COMP_OK || z.avail_in != 0)
            goto done;
    }
    if (b->y0 == b->y1 && b->last) {
        z.end_of_stream = 1;
        if (isal_deflate(&z) != COMP_OK)
            goto done;
    }
    if (b->last && z.internal_state.state != ZSTATE_END)
        goto done;
    b->nout = z.total_out;
    b->failed = 0;
done:
    free(row);
    free(level_buf);
    return NULL;
}

void im_png_error_quiet(png_structp png, png_const_charp message)
{
    /* libpng's default prints to stderr; the library never prints, and
     * the reason (errno of the failed write: disk full, file too large)
     * goes into the error instead */
    (void)message;
    png_longjmp(png, 1);
}

void im_png_set_tags(png_structp png, png_infop info, double dpi)
{
    png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
}

/* The chunks around compressed image data IDAT[0..N): 0, or -1 when
 * libpng fails (a write error). */
static int im_png_chunks(FILE *fp, int w, int h, double dpi, const unsigned char *idat, size_t n)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, im_png_error_quiet, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    volatile int rc = -1;
    if (!png || !info)
        goto done;
    if (setjmp(png_jmpbuf(png)))
        goto done;
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    im_png_set_tags(png, info, dpi);
    png_write_info(png, info);
    /* the data deflated by the bands, then the end */
    png_write_chunk(png, (png_const_bytep) "IDAT", idat, n);
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    png_write_flush(png);
    rc = 0;
done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    return rc;
}

int im_png_write(cairo_surface_t *img, double dpi, FILE *fp, const char *path, im_diag *d)
{
    im_png_band band[2];
    int k;
    unsigned char *idat = NULL;
    size_t nidat = 0;
    const unsigned char *data;
    int w, h, rc = -1;

    memset(band, 0, sizeof band);
    w = cairo_image_surface_get_width(img);
    h = cairo_image_surface_get_height(img);
    data = cairo_image_surface_get_data(img);
    if (!data)
        return im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "image surface has no data");
    for (k = 0; k < 2; k++) {
        band[k].data = data;
        band[k].stride = cairo_image_surface_get_stride(img);
        band[k].w = w;
        band[k].y0 = k == 0 ? 0 : h / 2;
        band[k].y1 = k == 0 ? h / 2 : h;
        band[k].last = k == 1;
    }
    /* the lower band on a second thread */
    im_run_pair(im_png_deflate_band, &band[0], &band[1]);
    if (band[0].failed || band[1].failed) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    /* zlib stream: header (deflate, 32K window, fastest level), the two
     * bands, the Adler-32 of all the filtered rows */
    nidat = 2 + band[0].nout + band[1].nout + 4;
    idat = malloc(nidat);
    if (!idat) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    {
        uLong adler = adler32_combine(band[0].adler, band[1].adler, (z_off_t)band[1].nraw);
        unsigned char *o = idat;
        *o++ = 0x78;
        *o++ = 0x01;
        memcpy(o, band[0].out, band[0].nout);
        o += band[0].nout;
        memcpy(o, band[1].out, band[1].nout);
        o += band[1].nout;
        *o++ = (unsigned char)(adler >> 24);
        *o++ = (unsigned char)(adler >> 16);
        *o++ = (unsigned char)(adler >> 8);
        *o++ = (unsigned char)adler;
    }

    errno = 0;
    if (im_png_chunks(fp, w, h, dpi, idat, nidat) != 0) {
        im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write the PNG: %s", errno ? strerror(errno) : "libpng error");
        goto done;
    }
    rc = 0;
done:
    free(idat);
    free(band[0].out);
    free(band[1].out);
    return rc;
}
