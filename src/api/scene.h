/* The render pipeline's internal stages (src/api): everything between the
 * model and the canvas.  Not a public interface. */
#ifndef IM_API_SCENE_H
#define IM_API_SCENE_H

#include "carto/carto.h"
#include "geo/geo.h"
#include "incimap/incimap.h"
#include "render/render.h"

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
    double *inc_x, *inc_y;        /* drawn position, CSS px */
    double *inc_ox, *inc_oy;      /* true position */
    int ninc;
    int *inc_visible;             /* per map incident: 1 if in the frame */
    im_actor_colors actors;
    int types_present[IM_ITYPE_COUNT];
} im_scene;

/* Basemap: the shipped default layers or the map's own (basemap.c). */
int im_scene_default_layers(im_scene *s, im_diag *d);
int im_scene_draw_layers(im_scene *s, int labels_pass, im_diag *d);
/* Path of a shipped layer ("rivers") for the chosen set. */
char *im_scene_default_layer_path(im_scene *s, const char *set, const char *name);

/* Everything on top of the base map (overlay.c), in this order:
 * features (zones, lines, bases, incidents), furniture (legend, scale bar,
 * north arrow), labels of the features, then the title block. */
int im_scene_draw_features(im_scene *s, im_diag *d);
int im_scene_draw_furniture(im_scene *s, im_diag *d);
void im_scene_draw_labels(im_scene *s);
void im_scene_draw_titles(im_scene *s);

/* Grow the scratch buffers to hold N points. */
int im_scene_reserve(im_scene *s, size_t n);

#endif
