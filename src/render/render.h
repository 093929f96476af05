/* Drawing: the only module that includes Cairo and Pango.
 *
 * An im_canvas is one output surface (PNG, SVG or PDF) whose user units are
 * CSS pixels (1/96 inch), so a map looks the same in every format.  It is
 * written to a temporary file beside the destination and renamed into place
 * by im_canvas_commit(); im_canvas_free() without a commit removes the
 * temporary file, so a failed run never touches an earlier output.
 * Everything is drawn in canvas units; nothing here opens a user's file. */
#ifndef IM_RENDER_H
#define IM_RENDER_H

#include <stddef.h>

#include "incimap/error.h"
#include "incimap/incimap.h"
#include "incimap/map.h"

typedef struct im_canvas im_canvas;

typedef struct im_canvas_opts {
    im_format format;
    int width_px, height_px; /* device pixels of the PNG */
    double dpi;
    const char *font;        /* family, e.g. "Noto Sans" */
    const char *title;       /* document metadata (PDF), may be NULL */
    const char *subject;
    const char *author;
    const char *keywords;    /* PDF keywords, may be NULL */
    /* The physical size of a page given in mm/in/pt, in points (0: from
     * width_px/dpi).  SVG and PDF take it exactly; the PNG is its rounding
     * to whole pixels at dpi. */
    double page_w_pt, page_h_pt;
    int palette_colors;      /* PNG: 8-bit indexed with at most this many colours (0: RGB) */
} im_canvas_opts;

int im_canvas_create(const char *out_path, const im_canvas_opts *o, im_canvas **out, im_diag *d);
/* SVG: a <title> (TITLE) and <desc> (DESC) as the first children of the
 * root element, for screen readers; either may be NULL.  Copied; call
 * before im_canvas_commit().  Other formats ignore it. */
int im_canvas_set_svg_text(im_canvas *c, const char *title, const char *desc);
/* Finish the surface, flush, fsync and rename into place. */
int im_canvas_commit(im_canvas *c, im_diag *d);
/* The same in two steps, for outputs that go into place together:
 * finish writes the temporary file completely (the destination is not
 * touched), publish renames it into place. */
int im_canvas_finish(im_canvas *c, im_diag *d);
int im_canvas_publish(im_canvas *c, im_diag *d);
/* The destination's path. */
const char *im_canvas_path(const im_canvas *c);
void im_canvas_free(im_canvas *c); /* removes the temp file unless committed; NULL: no-op */
/* Call FN with the file of every font text was drawn with so far. */
void im_canvas_font_files(im_canvas *c, void (*fn)(void *user, const char *path), void *user);

/* Canvas size in CSS px. */
double im_canvas_width(const im_canvas *c);
double im_canvas_height(const im_canvas *c);
/* CSS px -> device px factor (dpi/96 for PNG, 0.75 pt for SVG/PDF). */
double im_canvas_device_scale(const im_canvas *c);

/* Clip everything after this to a rectangle (NULL rect: reset). */
void im_canvas_clip(im_canvas *c, const double *rect4);

void im_draw_rect(im_canvas *c, double x, double y, double w, double h, const im_style *s);

/* A path of NPARTS parts given by PART_START into x/y (CSS px).  Polygons
 * are closed and filled with the even-odd rule so holes stay holes. */
void im_draw_path(im_canvas *c, const double *x, const double *y, int npoints,
                  const int *part_start, int nparts, int closed, const im_style *s);

typedef enum {
    IM_SHAPE_CIRCLE = 0,
    IM_SHAPE_TRIANGLE,
    IM_SHAPE_SQUARE,
    IM_SHAPE_DIAMOND,
    IM_SHAPE_STAR,
    IM_SHAPE_CROSS,
    IM_SHAPE_BASE,      /* square with a flag: military base */
    IM_SHAPE_DOT
} im_shape_kind;

/* A symbol of diameter SIZE centred on x, y. */
void im_draw_symbol(im_canvas *c, im_shape_kind shape, double x, double y, double size,
                    im_rgba fill, im_rgba stroke, double stroke_width);
/* Many symbols of one look at once (the fast path for big point sets). */
void im_draw_symbols(im_canvas *c, im_shape_kind shape, const double *x, const double *y,
                     size_t n, double size, im_rgba fill, im_rgba stroke, double stroke_width);

/* One symbol after another as im_draw_symbol draws them, for a PNG, from
 * sprites made once per style (its position kept to a quarter pixel), in
 * the canvas's clip when the stamper was made: a stamp each instead of a
 * Cairo fill and stroke.  im_stamper_new gives
 * NULL for other formats (or out of memory); im_stamper_draw returns -1
 * for a symbol it cannot stamp (a base, too many styles), which the
 * caller then draws with im_draw_symbol. */
typedef struct im_stamper im_stamper;
im_stamper *im_stamper_new(im_canvas *c);
int im_stamper_draw(im_stamper *s, im_shape_kind shape, double x, double y, double size, im_rgba fill,
                    im_rgba stroke, double stroke_width);
void im_stamper_free(im_stamper *s); /* NULL: no-op */

typedef struct im_text_style {
    double size_pt;
    int bold, italic;
    im_rgba color;
    im_rgba halo;       /* a == 0: no halo */
    double halo_width;  /* CSS px */
    double spacing;     /* extra space between letters, pt (0: none) */
    int upper;          /* set in capitals */
    double wrap;        /* wrap lines longer than this, CSS px (0: never) */
} im_text_style;

/* Measure TEXT (UTF-8, may hold '\n'): width and height in CSS px.  Text
 * in scripts the map's font lacks (Arabic, ...) falls back to Noto Sans
 * Arabic, Noto Naskh Arabic, then DejaVu Sans; Arabic is shaped (joined
 * letter forms) and laid out right to left by Pango and HarfBuzz. */
void im_text_measure(im_canvas *c, const char *text, const im_text_style *ts, double *w, double *h);
/* Draw TEXT with its top-left corner at x, y, rotated by ANGLE radians
 * (counter-clockwise) around that corner; ALIGN: 0 left, 1 centre, 2 right. */
void im_text_draw(im_canvas *c, const char *text, const im_text_style *ts, double x, double y,
                  double angle, int align);

/* A north arrow centred on x, y, SIZE tall, pointing ANGLE radians
 * counter-clockwise from straight up: one half in TS's colour, the other
 * in its halo colour, and an upright "N" beyond the tip. */
void im_draw_north_arrow(im_canvas *c, double x, double y, double size, double angle,
                         const im_text_style *ts);

#endif
