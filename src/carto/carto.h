/* Cartographic decisions: where the map frame goes and what scale it has,
 * which symbol and colour each incident gets, how long the scale bar is,
 * where the furniture (legend, scale bar, north arrow, inset) sits, what
 * the graticule's step and labels are, and where labels go without
 * colliding.  Pure computation: no drawing, no files, no PROJ. */
#ifndef IM_CARTO_H
#define IM_CARTO_H

#include <stddef.h>

#include "incimap/map.h"
#include "render/render.h"

/* The map frame on the canvas and the projected rectangle it shows. */
typedef struct im_view {
    double fx, fy, fw, fh;          /* frame, CSS px */
    double xmin, ymin, xmax, ymax;  /* map coordinates shown in the frame */
    double px_per_unit;             /* CSS px per map unit */
} im_view;

/* Fit the projected box into the frame, keeping the aspect by widening
 * the box about its centre. */
void im_view_fit(im_view *v, double fx, double fy, double fw, double fh, double xmin, double ymin,
                 double xmax, double ymax);
/* Map coordinates -> canvas CSS px, in place (HUGE_VAL stays HUGE_VAL). */
void im_view_to_px(const im_view *v, double *x, double *y, size_t n);
void im_view_from_px(const im_view *v, double *x, double *y, size_t n);

/* PER_EDGE points along each edge of the rectangle x0..x1, y0..y1,
 * going round it; x and y hold 4 * PER_EDGE.  Returns the count. */
int im_rect_edge_points(double x0, double y0, double x1, double y1, int per_edge, double *x, double *y);

/* 1 if the boxes (x, y, w, h) overlap (touching edges do not). */
int im_box_overlap(const double a[4], const double b[4]);

/* ---- symbology ------------------------------------------------------ */

/* Symbol shape for an incident type. */
im_shape_kind im_carto_type_shape(im_incident_type t);

#define IM_CARTO_MAX_ACTORS IM_THEME_PALETTE

/* Colours per actor (or whatever the incidents' color_key holds): a value
 * the theme's fixed colours (`colors:`) name gets that colour; the other
 * most frequent values (ties by name) get the theme's palette in order,
 * skipping colours fixed for another value; the rest share the theme's
 * "other" colour. */
typedef struct im_actor_colors {
    const char *names[IM_CARTO_MAX_ACTORS];
    im_rgba colors[IM_CARTO_MAX_ACTORS];
    int counts[IM_CARTO_MAX_ACTORS];
    int nactors;
    int other_count;                /* incidents whose value got no own colour */
    im_rgba other;
} im_actor_colors;

/* The colour key of an incident: its color_key when set, else its actor. */
const char *im_carto_color_key(const im_incident *inc);
/* Count the colour keys of the incidents flagged in VISIBLE (NULL: all). */
void im_carto_actor_colors(const im_incident *inc, const int *visible, int n, const im_theme *theme,
                           im_actor_colors *out);
im_rgba im_carto_actor_color(const im_actor_colors *ac, const char *key);
/* Index of KEY's colour in AC, or -1 for "other". */
int im_carto_actor_index(const im_actor_colors *ac, const char *key);

/* Date "2017-05-18" -> "18 May 2017" (buf of 16+); with PRECISION 3
 * (month) "May 2017", 2 (week) "c. 18 May 2017". */
void im_carto_format_date(const char *iso, int precision, char *buf, size_t size);

/* ---- scale bar -------------------------------------------------------- */

/* A round scale-bar length (1, 2 or 5 x 10^k units) at most MAX_PX long,
 * given the ground units per CSS px.  Returns the length in units; *len_px
 * gets px. */
double im_carto_scalebar_length(double units_per_px, double max_px, double *len_px);
#define IM_METRES_PER_MILE 1609.344
/* The next round length above LEN (1 -> 2 -> 5 -> 10, times 10^k). */
double im_carto_round_up(double len);
/* A scale bar's end number and unit, set apart so the number can be
 * centred on its tick with the unit after it: METRES (or, with MILES,
 * miles) -> "100" and "km"; *DIV gets what the length was divided by
 * (1000 for km), for the half mark's number in the same unit. */
void im_carto_scalebar_number(double metres, int miles, char *num, size_t nsize, char *unit, size_t usize,
                              double *div);

/* How a scale bar is divided and labelled. */
typedef struct im_scalebar_ticks {
    int nseg;   /* 4, 2 or 1 alternating segments */
    int zero;   /* the "0" at the left end is drawn */
    int half;   /* the half-way number is drawn */
} im_scalebar_ticks;

/* Ticks of a bar LEN_PX long whose labels are centred on their ticks:
 * "0" W0 wide, the end number WEND wide, the half-way number WHALF wide;
 * no two may come closer than GAP.  Returns 0, or -1 when the end number
 * would run into the "0" (the bar is too short for its labels: then only
 * the end is labelled). */
int im_carto_scalebar_ticks(double len_px, double w0, double wend, double whalf, double gap,
                            im_scalebar_ticks *t);

/* ---- graticule -------------------------------------------------------- */

/* A round graticule step in degrees (30, 15, 10, 5, 2, 1, 0.5, 0.25 or
 * 10', 5', 2', 1') giving about TARGET lines over SPAN degrees. */
double im_graticule_step(double span_deg, int target);
/* "36°E", "33°N", "0°", "180°", "33°30′N" (minutes when STEP is not a
 * whole degree). */
void im_graticule_format(double value, int is_lat, double step, char *buf, size_t size);

/* ---- furniture ---------------------------------------------------------- */

/* A piece of map furniture (legend, scale bar, north arrow, inset) of
 * size W x H that wants CORNER of the frame. */
typedef struct im_furn {
    double w, h;
    im_corner corner;   /* wanted; IM_CORNER_NONE: not shown */
    im_corner placed;   /* where it went */
    double x, y;        /* top-left, CSS px */
    int covers;         /* obstacles it covers (0 unless nowhere was free) */
} im_furn;

/* Put each item (in order) in its corner of FRAME (x, y, w, h), inset by
 * PAD, stacked after items already there; if it would cover one of the
 * NOBST obstacle boxes (x, y, w, h each) or another item, try the other
 * corners; if none is free, take the one covering the fewest obstacles. */
void im_furniture_plan(const double frame[4], double pad, im_furn *items, int n, const double *obst,
                       int nobst);

/* ---- legend ------------------------------------------------------------- */

/* Split N legend rows of heights H (IS_HEAD marks group headings) into
 * columns no taller than MAX_H (or exactly WANT columns when > 0): a
 * heading is never the last row of a column.  COL_OF[i] gets each row's
 * column; returns the number of columns (<= 8). */
int im_legend_columns(const double *h, const int *is_head, int n, double max_h, int want, int *col_of);

/* ---- labels ------------------------------------------------------------- */

/* Greedy collision-free label placement.  Every occupied rectangle is a
 * box with a kind and an owner (the label or symbol it belongs to);
 * labels are placed by the caller in priority order, each taking the first
 * free candidate.  A uniform grid keeps lookups cheap. */
typedef struct im_labeler im_labeler;

/* RESERVED: a spot kept free for a label placed later (a city's name
 * beside its dot); it counts only while honoured. */
typedef enum { IM_BOX_SYMBOL = 0, IM_BOX_FURNITURE, IM_BOX_LABEL, IM_BOX_RESERVED } im_box_kind;

/* BX..BY, BW x BH: where labels may go (the frame). */
im_labeler *im_labeler_create(double bx, double by, double bw, double bh);
void im_labeler_free(im_labeler *l);  /* NULL: no-op */
/* Occupy a box.  Returns its index, or -1 when out of memory. */
int im_labeler_add(im_labeler *l, im_box_kind kind, int owner, double x, double y, double w, double h);
/* A symbol box without an owner. */
void im_labeler_add_obstacle(im_labeler *l, double x, double y, double w, double h);
/* Free every box of OWNER again (a place dot whose label found no room). */
void im_labeler_remove_owner(im_labeler *l, int owner);
/* 1 if the box is inside the bounds and overlaps no box. */
int im_labeler_free_at(const im_labeler *l, double x, double y, double w, double h);
/* A line no label box and no other leader may cross (a leader line, the
 * spoke from an incident's site to its displaced symbol). */
void im_labeler_add_segment(im_labeler *l, int owner, double x0, double y0, double x1, double y1);
/* 1 if the segment crosses no box and no segment except those of OWNER_A
 * and OWNER_B. */
int im_labeler_segment_free(const im_labeler *l, double x0, double y0, double x1, double y1, int owner_a,
                            int owner_b);

/* Where a point label went. */
typedef struct im_point_place {
    double x, y;                /* top-left of the label box */
    int leader;                 /* placed away from the point: draw lx0,ly0 - lx1,ly1 */
    double lx0, ly0, lx1, ly1;
} im_point_place;

/* Place a W x H label for a point symbol of radius R at (px, py): the 8
 * positions around it (right, upper right, lower right, left, above, below,
 * upper left, lower left; those nearest direction PREF first when PREF is
 * not NAN, radians with y down), then, when LEADER, positions further out
 * joined by a leader line that crosses nothing.  SYM_OWNER is the point's
 * own symbol (the leader may start inside it).  On success the box is
 * taken for OWNER and 0 returned. */
int im_labeler_place_point(im_labeler *l, int owner, int sym_owner, double px, double py, double r,
                           double w, double h, double pref, int leader, im_point_place *out);

#define IM_LABEL_MAX_BOXES 32

/* The boxes (x, y, w, h) covering a TW x TH label centred on (cx, cy) and
 * turned ANGLE radians counter-clockwise, grown by PAD: one box when
 * upright, a chain of small ones along a slanted label so it does not
 * claim the whole diagonal rectangle.  Returns the count (<= MAX). */
int im_label_boxes(double cx, double cy, double angle, double tw, double th, double pad,
                   double (*boxes)[4], int max);
/* The text origin (top-left corner before turning) of that label. */
void im_label_origin(double cx, double cy, double angle, double tw, double th, double *ox, double *oy);
/* Take all N boxes for OWNER if every one is free; returns 0 or -1. */
int im_labeler_place_boxes(im_labeler *l, int owner, const double (*boxes)[4], int n);

/* Reserve for OWNER the first free spot around a point, as
 * im_labeler_place_point would take it (no leader).  Returns 0 or -1. */
int im_labeler_reserve_point(im_labeler *l, int owner, double px, double py, double r, double w, double h);
/* Whether reserved boxes count as taken (off at creation). */
void im_labeler_honour_reserved(im_labeler *l, int on);

/* The boxes, for debugging dumps: count, and box I (0 when it is live and
 * not a reservation). */
int im_labeler_count(const im_labeler *l);
int im_labeler_get(const im_labeler *l, int i, im_box_kind *kind, int *owner, double box[4]);

#endif
