/* The map file's value grammars that are useful outside the YAML reader:
 * colours, page sizes, pixel sizes.  im_map_read()/im_map_free() themselves
 * are declared in include/incimap/map.h.  None of these allocate. */
#ifndef IM_SPEC_SPEC_H
#define IM_SPEC_SPEC_H

#include "incimap/map.h"

/* What the colour grammar accepts, for error messages. */
#define IM_SPEC_COLOR_FORMS \
    "#rgb, #rrggbb, #rrggbbaa, rgb(r, g, b), rgba(r, g, b, a), a colour name such as steelblue, or none"

/* Parse TEXT (case-insensitive, surrounding blanks ignored) as "#rgb",
 * "#rgba", "#rrggbb", "#rrggbbaa", "rgb(r, g, b)", "rgba(r, g, b, a)"
 * (r, g, b 0..255 or percentages; a 0..1 or a percentage), one of the CSS
 * basic names (black white red green blue yellow orange purple gray grey
 * navy maroon olive teal silver brown pink darkred darkblue darkgreen
 * steelblue crimson gold), or "none"/"transparent".  On success returns 0,
 * sets *IS_NONE (1 for no paint; *OUT is then transparent black) and *OUT.
 * Returns -1 when TEXT is no colour. */
int im_spec_parse_color(const char *text, im_rgba *out, int *is_none);

/* Parse a page: "A3", "A4", "A5", "Letter", "Legal" with an optional
 * "-portrait" or "-landscape" (default portrait), case-insensitive; or a
 * physical size "160mm x 110mm", "160x110mm", "16cm x 11cm",
 * "6.3in x 4.3in", "454pt x 312pt" (a unit on the second number applies to a first one that
 * has none).  Sets the size in millimetres (both > 0).  Returns 0 or -1. */
int im_spec_parse_page(const char *text, double *w_mm, double *h_mm);

/* Parse "WxH" pixels ("1600x1200", "1600 x 1200", optional "px").  Sets
 * *W and *H (any positive integers; the caller checks ranges).  Returns 0
 * or -1. */
int im_spec_parse_size(const char *text, long *w, long *h);

/* im_map_read for `incimap check`: every problem of the map file goes
 * through d->error, each once (one that only follows from an earlier one,
 * such as a key now missing, is left out), and the map comes back without
 * the parts in error, so that the files it names can still be checked.
 * Returns 0 with *OUT set, errors or not (d->status tells), or -1 with
 * *OUT NULL when nothing could be read (no file, YAML syntax). */
int im_map_read_all(const char *map_path, const char **overrides, int noverrides,
                    im_map **out, struct im_diag *d);

/* formats: and atlas: (KEY), read into M (build_keys.c).  Returns 0 or -1. */
struct im_ynode;
int im_spec_build_key(im_map *m, im_arena *a, const char *key, const struct im_ynode *v,
                      struct im_diag *d);

#endif
