/* Small helpers every drawing stage of the pipeline shares: where a
 * lon/lat lands on the canvas and whether that is inside the frame. */
#include <math.h>

#include "api/scene.h"

void im_scene_point_px(im_scene *s, double lon, double lat, double *x, double *y)
{
    *x = lon;
    *y = lat;
    im_geo_fwd(s->geo, x, y, 1);
    im_view_to_px(&s->view, x, y, 1);
}

int im_scene_in_frame(const im_scene *s, double x, double y)
{
    return x != HUGE_VAL && x >= s->view.fx && y >= s->view.fy && x <= s->view.fx + s->view.fw &&
           y <= s->view.fy + s->view.fh;
}

int im_scene_view_llbox(im_scene *s, int per_edge, double box[4])
{
    double x[4 * 32], y[4 * 32];
    const im_view *v = &s->view;
    int i, k = im_rect_edge_points(v->xmin, v->ymin, v->xmax, v->ymax, per_edge > 32 ? 32 : per_edge, x, y);
    im_geo_inv(s->geo, x, y, (size_t)k);
    box[0] = box[1] = HUGE_VAL;
    box[2] = box[3] = -HUGE_VAL;
    for (i = 0; i < k; i++) {
        if (x[i] == HUGE_VAL)
            return -1;
        box[0] = fmin(box[0], x[i]);
        box[1] = fmin(box[1], y[i]);
        box[2] = fmax(box[2], x[i]);
        box[3] = fmax(box[3], y[i]);
    }
    return 0;
}
