/* Cartographic decisions: where the map frame goes and what scale it has,
 * which symbol and colour each incident gets, how long the scale bar is,
 * and where labels go without colliding.  Pure computation: no drawing,
 * no files, no PROJ. */
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

/* Symbol shape for an incident type. */
im_shape_kind im_carto_type_shape(im_incident_type t);

#define IM_CARTO_MAX_ACTORS 8

/* Colours per actor: the most frequent actors (ties by name) get the
 * colour-blind-safe Okabe-Ito colours in order; the rest share grey as
 * "Other". */
typedef struct im_actor_colors {
    const char *names[IM_CARTO_MAX_ACTORS];
    im_rgba colors[IM_CARTO_MAX_ACTORS];
    int counts[IM_CARTO_MAX_ACTORS];
    int nactors;
    int other_count;                /* incidents whose actor got no own colour */
    im_rgba other;
} im_actor_colors;

void im_carto_actor_colors(const im_incident *inc, const int *visible, int n, im_actor_colors *out);
im_rgba im_carto_actor_color(const im_actor_colors *ac, const char *actor);

/* A round scale-bar length (1, 2 or 5 x 10^k metres) at most MAX_PX long,
 * given the ground metres per CSS px.  Returns metres; *len_px gets px. */
double im_carto_scalebar_length(double m_per_px, double max_px, double *len_px);
/* "50 km", "500 m", "2.5 km". */
void im_carto_format_distance(double metres, char *buf, size_t size);

/* Greedy collision-free label placement: obstacles (symbols, furniture)
 * and placed labels are boxes; a label takes the first candidate box
 * that is inside the bounds and overlaps nothing. */
typedef struct im_labeler im_labeler;

im_labeler *im_labeler_create(double bx, double by, double bw, double bh);
void im_labeler_free(im_labeler *l);  /* NULL: no-op */
void im_labeler_add_obstacle(im_labeler *l, double x, double y, double w, double h);
/* 1 if the box is free (inside the bounds, overlapping nothing). */
int im_labeler_free_at(const im_labeler *l, double x, double y, double w, double h);
/* Try the 8 positions around a point symbol of radius R at (px, py) for a
 * W x H label, in cartographic preference order (right, upper right,
 * lower right, left, ...).  On success the box is taken and 0 returned
 * with its top-left in *x, *y. */
int im_labeler_place_point(im_labeler *l, double px, double py, double r, double w, double h,
                           double *x, double *y);

/* Where a label W x H set along a line at angle ANGLE (radians,
 * counter-clockwise, kept upright by the caller) through (mx, my) goes:
 * its text origin for im_text_draw, and its axis-aligned box. */
void im_carto_line_label(double mx, double my, double angle, double tw, double th, double offset,
                         double *ox, double *oy, double box[4]);

/* Date "2017-05-18" -> "18 May 2017" (buf of 16+). */
void im_carto_format_date(const char *iso, char *buf, size_t size);

#endif
