/* Private state of a canvas, shared by the files of the render module. */
#ifndef IM_CANVAS_PRIV_H
#define IM_CANVAS_PRIV_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "render/render.h"

struct im_canvas {
    im_canvas_opts opts;
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pango;
    PangoFontMap *fontmap;
    double width, height;    /* CSS px */
    double scale;            /* CSS px -> device units */
    char *out_path;
    char *tmp_path;
    int tmp_handle;          /* tracked for signal-time removal (core/tempfile.h) */
    FILE *fp;                /* temp file (all formats) */
    int stream_error;        /* a write to fp failed */
    int committed;
    int has_clip;            /* clip rectangle, CSS px: geometry outside */
    double clip[4];          /* it is cut away before it reaches Cairo */
    char *svg_head;          /* <title>/<desc> written after the <svg ...> tag */
    int svg_state;           /* where the stream is: 0..3 inside "<svg", 4 in its tag, 5 past it */
    double *sx, *sy;         /* scratch for clipped rings */
    size_t scap;
    GPtrArray *fonts;        /* PangoFonts text was drawn with (fonts.c) */
};

/* Write an RGB24/ARGB32 image surface as PNG with pHYs for DPI (png.c). */
int im_png_write(cairo_surface_t *img, double dpi, FILE *fp, const char *path, im_diag *d);

/* The same as an 8-bit indexed PNG of at most COLORS colours, quantized
 * with libimagequant (png_palette.c). */
int im_png_write_palette(cairo_surface_t *img, double dpi, int colors, FILE *fp, const char *path,
                         im_diag *d);

/* Remember the fonts LAYOUT draws with (fonts.c). */
void im_canvas_note_fonts(im_canvas *c, PangoLayout *layout);

void im_canvas_set_source(cairo_t *cr, im_rgba c);

#endif
