/* Palette PNG output: the finished image surface quantized to at most N
 * colours by libimagequant (the library behind pngquant) and written by
 * libpng as an 8-bit indexed PNG, with the same pHYs and sRGB tags as the
 * RGB writer (png.c) and no timestamps.  Quantizing the same pixels with
 * the same settings gives the same palette and indices, so reruns are
 * byte-identical. */
#include "render/canvas_priv.h"
#include "render/png_priv.h"

#include <errno.h>

#include <libimagequant.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* The surface as straight (non-premultiplied) RGBA bytes, as libimagequant
 * wants them; NULL when out of memory. */
static unsigned char *im_surface_rgba(cairo_surface_t *img, int w, int h)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img), x, y;
    int opaque = cairo_image_surface_get_format(img) == CAIRO_FORMAT_RGB24;
    unsigned char *out = malloc((size_t)w * (size_t)h * 4);
    if (!out || !data) {
        free(out);
        return NULL;
    }
    for (y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        unsigned char *dst = out + (size_t)y * (size_t)w * 4;
        for (x = 0; x < w; x++) {
            uint32_t p = src[x];
            unsigned a = opaque ? 255 : p >> 24, c;
            for (c = 0; c < 3; c++) {
                unsigned v = (p >> (16 - 8 * c)) & 0xff;
                dst[4 * x + c] = (unsigned char)(a == 0 ? 0 : a == 255 ? v : (v * 255 + a / 2) / a);
            }
            dst[4 * x + 3] = (unsigned char)a;
        }
    }
    return out;
}

/* Write the indexed image ROWS with its palette (setjmp lives here alone,
 * away from the caller's buffers). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int im_png_write_indexed(FILE *fp, const char *path, int w, int h, unsigned char **rows,
                                const liq_palette *pal, double dpi, im_diag *d)
{
    png_structp png = NULL;
    png_infop info = NULL;
    png_color plte[256];
    png_byte trns[256];
    volatile int ntrns = 0;
    unsigned i;
    volatile int rc = -1;
    for (i = 0; i < pal->count; i++) {
        plte[i].red = pal->entries[i].r;
        plte[i].green = pal->entries[i].g;
        plte[i].blue = pal->entries[i].b;
        trns[i] = pal->entries[i].a;
        if (trns[i] != 255)
            ntrns = (int)i + 1;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, im_png_error_quiet, NULL);
    if (png)
        info = png_create_info_struct(png);
    if (!png || !info) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    errno = 0;
    if (setjmp(png_jmpbuf(png))) {
        im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write the PNG: %s", errno ? strerror(errno) : "libpng error");
        goto done;
    }
    png_init_io(png, fp);
    /* indices compress best unfiltered */
    png_set_compression_level(png, 9);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_PALETTE,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, plte, (int)pal->count);
    if (ntrns)
        png_set_tRNS(png, info, trns, ntrns, NULL);
    im_png_set_tags(png, info, dpi);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    rc = 0;
done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    return rc;
}

int im_png_write_palette(cairo_surface_t *img, double dpi, int colors, FILE *fp, const char *path,
                         im_diag *d)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img), y;
    unsigned char *rgba = NULL, *indices = NULL;
    unsigned char **rows = NULL;
    liq_attr *attr = NULL;
    liq_image *image = NULL;
    liq_result *res = NULL;
    int rc = -1;

    rgba = im_surface_rgba(img, w, h);
    indices = malloc((size_t)w * (size_t)h);
    rows = malloc((size_t)h * sizeof *rows);
    attr = liq_attr_create();
    if (!rgba || !indices || !rows || !attr) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    for (y = 0; y < h; y++)
        rows[y] = indices + (size_t)y * (size_t)w;
    if (liq_set_max_colors(attr, colors) != LIQ_OK) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "cannot quantize to %d colours", colors);
        goto done;
    }
    image = liq_image_create_rgba(attr, rgba, w, h, 0);
    if (!image || liq_image_quantize(image, attr, &res) != LIQ_OK ||
        liq_write_remapped_image_rows(res, image, rows) != LIQ_OK) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "cannot quantize the image to %d colours", colors);
        goto done;
    }
    rc = im_png_write_indexed(fp, path, w, h, rows, liq_get_palette(res), dpi, d);
done:
    if (res)
        liq_result_destroy(res);
    if (image)
        liq_image_destroy(image);
    if (attr)
        liq_attr_destroy(attr);
    free(rows);
    free(indices);
    free(rgba);
    return rc;
}
