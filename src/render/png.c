/* PNG writing with libpng: RGB, DPI in pHYs, sRGB tagged, no timestamps,
 * so identical maps give identical bytes. */
#include "render/canvas_priv.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* libpng's default prints to stderr; the library never prints, and the
 * reason (errno of the failed write: disk full, file too large) goes into
 * the error instead */
static void im_png_error(png_structp png, png_const_charp message)
{
    (void)message;
    png_longjmp(png, 1);
}

int im_png_write(cairo_surface_t *img, double dpi, FILE *fp, const char *path, im_diag *d)
{
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *row = NULL;
    const unsigned char *data;
    int w, h, stride, y, x;
    volatile int rc = -1;

    w = cairo_image_surface_get_width(img);
    h = cairo_image_surface_get_height(img);
    stride = cairo_image_surface_get_stride(img);
    data = cairo_image_surface_get_data(img);
    if (!data)
        return im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "image surface has no data");
    row = malloc((size_t)w * 3);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, im_png_error, NULL);
    if (png)
        info = png_create_info_struct(png);
    if (!row || !png || !info) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    errno = 0;
    if (setjmp(png_jmpbuf(png))) {
        im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write the PNG: %s",
                errno ? strerror(errno) : "libpng error");
        goto done;
    }
    png_init_io(png, fp);
    /* fast filters and a moderate level: most of a map is flat colour */
    png_set_compression_level(png, 6);
    png_set_filter(png, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_pHYs(png, info, (png_uint_32)(dpi / 0.0254 + 0.5), (png_uint_32)(dpi / 0.0254 + 0.5),
                 PNG_RESOLUTION_METER);
    png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_write_info(png, info);
    for (y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (x = 0; x < w; x++) {
            uint32_t p = src[x];
            row[3 * x] = (unsigned char)(p >> 16);
            row[3 * x + 1] = (unsigned char)(p >> 8);
            row[3 * x + 2] = (unsigned char)p;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    rc = 0;
done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    return rc;
}
