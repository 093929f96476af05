/* The render pipeline's internal stages (src/api): everything between the
 * model and the canvas.  Not a public interface. */
#ifndef IM_API_SCENE_H
#define IM_API_SCENE_H

#include <math.h>

#include "carto/carto.h"
#include "geo/geo.h"
#include "incimap/incimap.h"
#include "render/render.h"

/* A label waiting for its place (labels.c): every layer offers its
 * labels, then all are placed by priority and drawn together. */
typedef enum {
    IM_LK_BASE = 0,
    IM_LK_INCIDENT,
    IM_LK_ZONE,
    IM_LK_LINE,
    IM_LK_PLACE,
    IM_LK_COUNTRY,
    IM_LK_RIVER,
    IM_LK_COUNT
} im_label_kind;

typedef struct im_label_req {
    im_label_kind kind;
    int priority;           /* user-set: higher first */
    double order;           /* within a kind: lower first (place rank, ...) */
    int seq;                /* offer order, the last tie-break */
    int owner;              /* labeler owner id of its boxes */
    char *text;             /* malloc'd */
    im_text_style ts;
    int align;              /* 0 left, 1 centred lines */
    double tw, th;          /* measured size, CSS px */
    /* a point label: around (x, y), symbol radius r */
    int is_point;
    double x, y, r, pref;   /* pref: preferred direction (NAN: none) */
    int leader, sym_owner;
    /* otherwise candidate poses: centre x, y and angle, best first */
    double *poses;          /* malloc'd, 3 per pose */
    int nposes;
    /* a place dot drawn only if its label is placed */
    int has_dot;
    double dot_size;
    im_rgba dot_fill, dot_line;
    int dot_owner;
    int resv_owner;         /* a city's reserved spot beside its dot (0: none) */
    /* where it went */
    int placed, leadered;
    double ox, oy, angle;   /* text origin and angle for im_text_draw */
    double box[4];          /* the label's box (x, y, w, h) */
    double lx0, ly0, lx1, ly1;
} im_label_req;

/* The legend's rows (legend.c). */
typedef enum {
    IM_LEG_HEAD,
    IM_LEG_SYMBOL,   /* an incident shape or colour */
    IM_LEG_HOLLOW,   /* approximate location */
    IM_LEG_RING,     /* location known to a region */
    IM_LEG_BADGE,    /* several incidents in one symbol */
    IM_LEG_SIZE,     /* symbol size by a number (fatalities) */
    IM_LEG_BASE,
    IM_LEG_LINE,
    IM_LEG_ZONE
} im_leg_kind;

typedef struct im_leg_item {
    im_leg_kind kind;
    char text[160];
    int shape;              /* im_shape_kind */
    im_rgba color;
    const im_style *style;  /* lines and zones */
    double size;            /* symbol diameter, CSS px */
    double h;               /* row height */
    int col;
} im_leg_item;

#define IM_LEGEND_MAX 64

/* Furniture slots of s->furn. */
enum { IM_FURN_INSET = 0, IM_FURN_NORTH, IM_FURN_SCALE, IM_FURN_LEGEND, IM_FURN_COUNT };

/* A degree label at the frame's edge (graticule.c). */
typedef struct im_grid_label {
    char text[32];
    int edge;               /* 0 bottom, 1 top, 2 left, 3 right */
    double ax, ay;          /* where the line meets the frame, CSS px */
    int drawn;
    double box[4];          /* the label's box when drawn */
} im_grid_label;

typedef struct im_scene {
    im_map *map;
    im_geo *geo;
    im_canvas *canvas;
    im_view view;
    im_labeler *labels;
    const char *geodata_dir;
    const char *basemap_set;      /* "me" or "world" for basemap: default */
    double ll_box[4];             /* lon/lat bounds of the frame */
    double title_h;               /* title block height, CSS px */
    double *bx, *by;              /* scratch buffers for projected shapes */
    size_t bcap;
    /* incidents in the frame, after displacement of coincident ones */
    int *inc_idx;                 /* index into map->incidents */
    double *inc_x, *inc_y;        /* drawn position, CSS px (freed once drawn, above 50,000) */
    double *inc_ox, *inc_oy;      /* true position */
    int ninc;
    int *inc_visible;             /* per map incident: 1 if in the frame */
    /* every map incident in map units, kept while the layout tries one
     * frame after another (projecting a million costs more than the rest
     * of a try); NULL outside im_scene_layout */
    double *inc_mx, *inc_my;
    int inc_keep_projected;
    im_actor_colors actors;
    int types_present[IM_ITYPE_COUNT];

    /* cartography (layout.c, legend.c, labels.c, graticule.c, inset.c) */
    /* Above 5000 drawn incidents nothing is merged or displaced: inc_ox/oy
     * are then inc_x/y, inc_count and inc_pref NULL (all 1 and NAN), and
     * inc_size NULL without size_by (all map->symbol_size); read those
     * through the accessors below where more than 5000 may be drawn. */
    double *inc_size;             /* drawn symbol diameter, per drawn incident */
    int *inc_count;               /* incidents one symbol stands for (0: merged away) */
    double *inc_pref;             /* direction of a displaced symbol from its site (NAN) */
    int classes_present[IM_ITYPE_COUNT]; /* symbol classes drawn */
    int any_hollow, any_ring, any_badge; /* legend rows these need */
    double size_min, size_max;    /* size_by values of the symbols drawn (-1: none) */
    double size_k;                /* diameter = size_k * sqrt(value) */
    im_furn furn[IM_FURN_COUNT];  /* planned boxes, CSS px */
    im_leg_item legend[IM_LEGEND_MAX];
    int nlegend, legend_ncols;
    double legend_colw[8];
    double legend_wrap;           /* legend text wraps at this width, CSS px (0: never) */
    double north_angle;           /* radians, counter-clockwise from up */
    double north_x, north_y;      /* the arrow's centre */
    double sb_len[2], sb_px[2];   /* scale bars: km (metres) and miles; 0: none */
    double sb_x[2], sb_y[2];      /* left end of each bar, CSS px */
    im_scalebar_ticks sb_ticks[2]; /* their segments and labels */
    im_view inset_view;           /* the inset's frame and what it shows */
    char inset_proj[512];         /* its projection */
    int inset_drawn;
    int inc_owner0;               /* labeler owner of drawn incident i: inc_owner0 + i */
    int base_owner0;              /* ... and of base i: base_owner0 + i */
    double credit_h;              /* height of the credit line(s) below the frame */
    double grid_margin;           /* room for degree labels around the frame */
    im_grid_label *grid;
    int ngrid, capgrid;
    im_label_req *lreq;
    int nlreq, caplreq;
    int next_owner;
} im_scene;

/* Drawn incident I's symbol diameter and displacement direction, whether
 * or not the scene keeps arrays of them (see inc_size). */
static inline double im_scene_inc_size(const im_scene *s, int i)
{
    return s->inc_size ? s->inc_size[i] : s->map->symbol_size;
}

static inline double im_scene_inc_pref(const im_scene *s, int i)
{
    return s->inc_pref ? s->inc_pref[i] : NAN;
}

/* Basemap: the shipped default layers or the map's own (basemap.c). */
int im_scene_default_layers(im_scene *s, im_diag *d);
int im_scene_draw_layers(im_scene *s, int labels_pass, im_diag *d);
/* Path of a shipped layer ("rivers") for the chosen set. */
char *im_scene_default_layer_path(im_scene *s, const char *set, const char *name);
/* Draw LAYERS (fills and strokes only: no labels, no obstacles) through
 * GEO into VIEW, e.g. the inset's world map. */
int im_scene_draw_layers_into(im_scene *s, const im_layer *layers, int n, im_geo *geo,
                              const im_view *view, im_diag *d);

/* Frame layout (layout.c): the title block above the frame, the credit
 * below, room for degree labels and an outside legend; the view fitted to
 * PBOX (projected bounds); incidents projected; the furniture planned in
 * the frame's corners, clear of incidents and bases. */
int im_scene_layout(im_scene *s, const double pbox[4], im_diag *d);
/* The width the title and subtitle wrap at: the page less its margins and
 * the degree labels, and with BESIDE_DATE less the date line beside the
 * first line. */
double im_scene_title_wrap(im_scene *s, int beside_date);
/* The title's and subtitle's type sizes, pt: smaller on a narrow page. */
void im_scene_title_sizes(const im_scene *s, double *title_pt, double *sub_pt);

/* Incidents in the view: projected, sorted, coincident ones merged or
 * spread on a ring (overlay.c).  Called again when the view changes. */
int im_scene_prepare_incidents(im_scene *s);
/* Free the projected positions kept for the layout's tries (inc_mx/my). */
void im_scene_forget_projected(im_scene *s);
/* Zone Z's outline in canvas px, in new arrays *X, *Y (the caller frees
 * them); returns the point count, or -1 when out of memory. */
int im_scene_zone_outline(im_scene *s, int z, double **x, double **y);
/* The number an incident's size goes by (map->size_by), or -1. */
double im_scene_size_value(const im_map *m, const im_incident *inc);

/* Everything on top of the base map (overlay.c), in this order:
 * graticule lines, features (zones, lines, bases, incidents), furniture
 * (inset, legend, scale bar, north arrow), labels of everything, then the
 * title block and degree labels outside the frame. */
void im_scene_draw_graticule(im_scene *s);
/* The degree labels where the graticule meets the frame, outside it. */
void im_scene_draw_grid_labels(im_scene *s);
int im_scene_draw_features(im_scene *s, im_diag *d);
int im_scene_draw_furniture(im_scene *s, im_diag *d);
void im_scene_draw_labels(im_scene *s);
void im_scene_draw_titles(im_scene *s);
/* The title block's date line in BUF: "As of 30 Jun 2022" (as_of, or the
 * end of the time window), "Incidents 1 Jan 2016 – 30 Jun 2022".  0 when
 * the map has none. */
int im_scene_date_line(const im_map *m, char *buf, size_t size);

/* Legend (legend.c): rows from what is drawn, measured; then drawn in
 * s->furn[IM_FURN_LEGEND].  Its size: columns no taller than MAX_H (or as
 * many as `columns:` asks); with BY_WIDTH (below the frame) as many
 * columns as fit MAX_W; text wrapped when it is still wider than MAX_W
 * (0: no limit). */
void im_scene_legend_build(im_scene *s, double max_h, double max_w, int by_width, double *w, double *h);
void im_scene_legend_draw(im_scene *s);

/* Scale bar size for the layout (lengths in s->sb_len/sb_px), and the
 * north arrow's angle at the map's centre (furniture.c). */
void im_scene_scalebar_size(im_scene *s, double *w, double *h);
void im_scene_north_angle(im_scene *s);

/* Inset locator map (inset.c): its size for the layout, and drawing. */
int im_scene_inset_size(im_scene *s, double *w, double *h);
int im_scene_draw_inset(im_scene *s, im_diag *d);

/* Labels (labels.c): offer one (TEXT is copied); returns it or NULL. */
im_label_req *im_scene_label_add(im_scene *s, im_label_kind kind, const char *text,
                                 const im_text_style *ts);
/* Place every offered label by priority and draw them; write the boxes
 * to $INCIMAP_DEBUG_LABELS when set. */
void im_scene_labels_run(im_scene *s);
void im_scene_labels_free(im_scene *s);
/* Offer a label along the line X/Y (N points, canvas px): every stretch
 * whose chord is as long as the text and that runs at least MIN_STRAIGHT
 * straight (chord / length) is a candidate, the straightest first, on
 * either side of the line at OFFSET px (basemap.c). */
void im_scene_offer_line_label(im_scene *s, im_label_kind kind, const char *text, const im_text_style *ts,
                               const double *x, const double *y, int n, double offset, double min_straight,
                               int priority);
/* Write every label box, the furniture and the measurements to the file
 * named by $INCIMAP_DEBUG_LABELS, when set (labels.c). */
void im_scene_dump(im_scene *s);
/* A fresh owner id for labeler boxes. */
int im_scene_owner(im_scene *s);

/* The theme's text style for KIND of text. */
im_text_style im_scene_text(const im_scene *s, double size_pt, int bold);
/* Load the fonts the base map's labels will be set in (measuring a text in
 * each of their styles): Pango matches a font against every installed one
 * on its first use, which im_render_map has done on a second thread while
 * the base map is drawn (that uses no text). */
void im_scene_warm_label_fonts(im_scene *s);

/* Free what the drawing stages allocated: the incident arrays, the
 * graticule and the labels. */
void im_scene_free_carto(im_scene *s);

/* The map's plain-language summary (caption.c): title, extent, time
 * window, incidents by type and by actor, bases, zones, lines, sources, one
 * statement a line.  A new string (the caller frees it), or NULL when out
 * of memory.  Call after the map is drawn. */
char *im_scene_caption(im_scene *s);

/* The files of one render that go into place together with its map
 * (outputs.c): stage writes each whole to a temporary file beside its
 * destination; commit, once all are written, renames the finished canvas
 * C (may be NULL) and then each of them into place; discard removes what
 * was not committed and frees O (safe on a zeroed O). */
#define IM_OUTPUTS_MAX 4
typedef struct im_outputs {
    char *path[IM_OUTPUTS_MAX];
    char *tmp[IM_OUTPUTS_MAX];
    int tracked[IM_OUTPUTS_MAX]; /* handles for removal at a signal (core/tempfile.h) */
    int n;
} im_outputs;
int im_outputs_stage(im_outputs *o, const char *path, const char *text, im_diag *d);
int im_outputs_commit(im_outputs *o, im_canvas *c, im_diag *d);
void im_outputs_discard(im_outputs *o);

/* Canvas position of lon/lat (HUGE_VAL when PROJ cannot place it). */
void im_scene_point_px(im_scene *s, double lon, double lat, double *x, double *y);
/* 1 if canvas point x, y is inside the map frame. */
int im_scene_in_frame(const im_scene *s, double x, double y);

/* Lon/lat bounds of the view (PER_EDGE points, at most 32, sampled along
 * each edge of the frame): 0, or -1 when part of it is off the globe. */
int im_scene_view_llbox(im_scene *s, int per_edge, double box[4]);

/* Grow the scratch buffers to hold N points. */
int im_scene_reserve(im_scene *s, size_t n);

#endif
