/* Themes: the colours of every map element for light, dark and print
 * maps, and the names the map file's `theme:` key uses for them.  Pure
 * data; nothing here allocates. */
#ifndef IM_SPEC_THEME_H
#define IM_SPEC_THEME_H

#include <stddef.h>

#include "incimap/map.h"

/* Fill *OUT with the named theme.  Returns 0, or -1 when KIND is none of
 * the themes (OUT is then the light theme). */
int im_theme_named(im_theme_kind kind, im_theme *out);

/* The theme called NAME ("light", "dark", "print"; case-insensitive) in
 * *OUT.  Returns 0 or -1. */
int im_theme_kind_parse(const char *name, im_theme_kind *out);

/* The colour of THEME that the map file calls NAME ("land", "sea", ...),
 * or NULL when no element has that name.  NAMES lists them all (NULL
 * ended) for error messages. */
im_rgba *im_theme_color(im_theme *theme, const char *name);
extern const char *const im_theme_color_names[];

#endif
