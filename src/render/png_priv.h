/* What the two PNG writers (png.c: RGB, png_palette.c: indexed) share:
 * libpng's error handling and the tags every map carries. */
#ifndef IM_RENDER_PNG_PRIV_H
#define IM_RENDER_PNG_PRIV_H

#include <png.h>

/* libpng error callback that prints nothing and longjmps to the writer's
 * setjmp; the writer reports the failure with errno's reason. */
void im_png_error_quiet(png_structp png, png_const_charp message);

/* DPI in pHYs and the sRGB tags (with gAMA/cHRM for older readers). */
void im_png_set_tags(png_structp png, png_infop info, double dpi);

#endif
