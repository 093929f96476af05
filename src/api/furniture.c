/* Map furniture drawn where the layout put it: the inset, the legend, the
 * scale bar (round lengths, true at the map's centre) and the north arrow
 * (turned by the meridian convergence at the map's centre).  Each becomes
 * an obstacle no label may cover. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/scene.h"

#define IM_SB_BAR 5.0   /* bar height */
#define IM_SB_GAP 4.0   /* least room between two of its numbers */

/* Ground metres per CSS px across the frame's centre. */
static double im_m_per_px(im_scene *s)
{
    const im_view *v = &s->view;
    double cx = v->fx + v->fw / 2, cy = v->fy + v->fh / 2, probe = 100;
    double x[2] = {cx - probe / 2, cx + probe / 2}, y[2] = {cy, cy};
    im_view_from_px(v, x, y, 2);
    im_geo_inv(s->geo, x, y, 2);
    if (x[0] == HUGE_VAL || x[1] == HUGE_VAL)
        return 0;
    return im_geod_distance(x[0], y[0], x[1], y[1]) / probe;
}

static im_text_style im_sb_text(const im_scene *s)
{
    im_text_style t = im_scene_text(s, 8, 0);
    t.halo.a = 0;
    return t;
}

/* Bar I's end number, unit and half-way number ("100", "km", "50"). */
static void im_sb_texts(const im_scene *s, int i, char *num, char *unit, char *half, size_t size)
{
    double div, len = i ? s->sb_len[1] : s->sb_len[0];
    im_carto_scalebar_number(len, i, num, size, unit, size, &div);
    snprintf(half, size, "%g", len / 2 / div);
}

/* Bar I's length and ticks: the longest round length within MAX_PX whose
 * labels stand apart; when the end number would run into the "0", a
 * longer round length, up to LIMIT_PX; failing that, the "0" is left out.
 * Returns the panel's width needed right of the bar's left end. */
static double im_sb_fit(im_scene *s, int i, double units_per_px, double max_px, double limit_px)
{
    im_text_style ts = im_sb_text(s);
    double w0, wnum, wend, whalf, h, len, len_px, best = 0, best_px = 0;
    char num[32], unit[16], half[32], label[64];
    im_text_measure(s->canvas, "0", &ts, &w0, &h);
    len = im_carto_scalebar_length(units_per_px, max_px, &len_px);
    if (len <= 0)
        return 0;
    for (;;) {
        s->sb_len[i] = len;
        im_sb_texts(s, i, num, unit, half, sizeof num);
        im_text_measure(s->canvas, num, &ts, &wnum, &h);
        im_text_measure(s->canvas, half, &ts, &whalf, &h);
        if (im_carto_scalebar_ticks(len_px, w0, wnum, whalf, IM_SB_GAP, &s->sb_ticks[i]) == 0)
            break;
        if (best == 0) {
            best = len;
            best_px = len_px;
        }
        len = im_carto_round_up(len);
        len_px = len / units_per_px;
        if (len_px > limit_px) {
            /* nothing round fits its labels: the first length, its end
             * labelled alone */
            len = best;
            len_px = best_px;
            s->sb_len[i] = len;
            im_sb_texts(s, i, num, unit, half, sizeof num);
            im_text_measure(s->canvas, num, &ts, &wnum, &h);
            im_text_measure(s->canvas, half, &ts, &whalf, &h);
            im_carto_scalebar_ticks(len_px, w0, wnum, whalf, IM_SB_GAP, &s->sb_ticks[i]);
            break;
        }
    }
    s->sb_px[i] = len_px;
    snprintf(label, sizeof label, "%s %s", num, unit);
    im_text_measure(s->canvas, label, &ts, &wend, &h);
    /* the number centred on the end tick, the unit after it */
    return len_px - wnum / 2 + wend;
}

void im_scene_scalebar_size(im_scene *s, double *w, double *h)
{
    double mpp = im_m_per_px(s), max_px = fmin(s->view.fw * 0.25, 380), tw, th, wmax = 0;
    double limit_px = s->view.fw * 0.5;
    im_units u = s->map->scalebar_units;
    im_text_style ts = im_sb_text(s);
    int i, n = 0;
    *w = *h = 0;
    s->sb_len[0] = s->sb_len[1] = s->sb_px[0] = s->sb_px[1] = 0;
    if (s->map->scalebar == IM_CORNER_NONE || !(mpp > 0))
        return;
    for (i = 0; i < 2; i++) {
        if (i == 0 && u != IM_UNITS_KM && u != IM_UNITS_BOTH)
            continue;
        if (i == 1 && u != IM_UNITS_MI && u != IM_UNITS_BOTH)
            continue;
        tw = im_sb_fit(s, i, i ? mpp / IM_METRES_PER_MILE : mpp, max_px, limit_px);
        if (s->sb_px[i] <= 0)
            continue;
        im_text_measure(s->canvas, "0", &ts, &th, &th);
        wmax = fmax(wmax, tw);
        *h += th + IM_SB_BAR + 5;
        n++;
    }
    if (n == 0)
        return;
    *w = wmax + 14;
    *h += 9;
}

static void im_draw_scalebar(im_scene *s)
{
    const im_furn *f = &s->furn[IM_FURN_SCALE];
    const im_theme *th = &s->map->theme;
    im_text_style ts = im_sb_text(s);
    im_style panel, dark, light;
    double y = f->y + 4, tw, tht;
    int i;
    if (f->corner == IM_CORNER_NONE || f->w <= 0)
        return;
    memset(&panel, 0, sizeof panel);
    panel.has_fill = 1;
    panel.fill = th->panel;
    panel.opacity = 1;
    im_draw_rect(s->canvas, f->x, f->y, f->w, f->h, &panel);
    memset(&dark, 0, sizeof dark);
    dark.has_fill = 1;
    dark.fill = th->text;
    dark.has_stroke = 1;
    dark.stroke = th->text;
    dark.width = 0.8;
    dark.opacity = 1;
    light = dark;
    light.fill = th->paper;
    for (i = 0; i < 2; i++) {
        const im_scalebar_ticks *t = &s->sb_ticks[i];
        char num[32], unit[16], half[32], label[64];
        double x0 = f->x + 7, q, ybar, wnum;
        int k;
        if (s->sb_px[i] <= 0)
            continue;
        q = s->sb_px[i] / t->nseg;
        im_sb_texts(s, i, num, unit, half, sizeof num);
        snprintf(label, sizeof label, "%s %s", num, unit);
        im_text_measure(s->canvas, num, &ts, &wnum, &tht);
        ybar = y + tht + 1;
        for (k = 0; k < t->nseg; k++)
            im_draw_rect(s->canvas, x0 + k * q, ybar, q, IM_SB_BAR, k % 2 ? &light : &dark);
        /* every number centred on its tick */
        if (t->zero) {
            im_text_measure(s->canvas, "0", &ts, &tw, &tht);
            im_text_draw(s->canvas, "0", &ts, x0 - tw / 2, y, 0, 0);
        }
        if (t->half) {
            im_text_measure(s->canvas, half, &ts, &tw, &tht);
            im_text_draw(s->canvas, half, &ts, x0 + s->sb_px[i] / 2 - tw / 2, y, 0, 0);
        }
        im_text_draw(s->canvas, label, &ts, x0 + s->sb_px[i] - wnum / 2, y, 0, 0);
        s->sb_x[i] = x0;
        s->sb_y[i] = ybar + IM_SB_BAR / 2;
        y = ybar + IM_SB_BAR + 5;
    }
}

void im_scene_north_angle(im_scene *s)
{
    const im_view *v = &s->view;
    double x = v->fx + v->fw / 2, y = v->fy + v->fh / 2;
    im_view_from_px(v, &x, &y, 1);
    im_geo_inv(s->geo, &x, &y, 1);
    s->north_angle = x == HUGE_VAL ? 0 : im_geo_north_angle(s->geo, x, y);
}

static void im_draw_north(im_scene *s)
{
    const im_furn *f = &s->furn[IM_FURN_NORTH];
    im_text_style ts = im_scene_text(s, 9, 1);
    double size = 31;
    if (f->corner == IM_CORNER_NONE || f->w <= 0)
        return;
    ts.halo = s->map->theme.paper;
    s->north_x = f->x + f->w / 2;
    s->north_y = f->y + f->h - 4 - size / 2;
    im_draw_north_arrow(s->canvas, s->north_x, s->north_y, size, s->north_angle, &ts);
}

int im_scene_draw_furniture(im_scene *s, im_diag *d)
{
    int i;
    if (im_scene_draw_inset(s, d) != 0)
        return -1;
    im_scene_legend_draw(s);
    im_draw_scalebar(s);
    im_draw_north(s);
    for (i = 0; i < IM_FURN_COUNT; i++) {
        const im_furn *f = &s->furn[i];
        if (f->corner != IM_CORNER_NONE && f->w > 0)
            im_labeler_add(s->labels, IM_BOX_FURNITURE, -1, f->x, f->y, f->w, f->h);
    }
    return 0;
}
