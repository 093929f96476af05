/* Labels of every layer, placed together: bases, incidents, zones and
 * lines of the map, places, country names and rivers of the base map.
 * Each layer offers its labels (im_scene_label_add); once everything is
 * drawn and every symbol and piece of furniture is an obstacle, they are
 * placed by priority (user-set, then by kind, then by rank within a kind)
 * and drawn on top.  INCIMAP_DEBUG_LABELS=FILE writes every box as TSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"

static const char *const im_kind_names[IM_LK_COUNT] = {"base",  "incident", "zone",  "line",
                                                       "place", "country",  "river"};

int im_scene_owner(im_scene *s)
{
    return ++s->next_owner;
}

im_text_style im_scene_text(const im_scene *s, double size_pt, int bold)
{
    im_text_style t;
    memset(&t, 0, sizeof t);
    t.size_pt = size_pt;
    t.bold = bold;
    t.color = s->map->theme.text;
    t.halo = s->map->theme.halo;
    t.halo_width = 1.8;
    return t;
}

void im_scene_warm_label_fonts(im_scene *s)
{
    const im_map *m = s->map;
    double done[4];
    int i, k, n = 0;
    for (i = 0; i < m->nlayers && n < 4; i++) {
        const im_layer *l = &m->layers[i];
        im_text_style ts;
        double w, h;
        if (!l->label_field)
            continue;
        for (k = 0; k < n && done[k] != l->font_size; k++)
            ;
        if (k < n)
            continue;
        done[n++] = l->font_size;
        /* places in roman, rivers in italic */
        ts = im_scene_text(s, l->font_size, 0);
        im_text_measure(s->canvas, "Ag", &ts, &w, &h);
        ts.italic = 1;
        im_text_measure(s->canvas, "Ag", &ts, &w, &h);
    }
}

im_label_req *im_scene_label_add(im_scene *s, im_label_kind kind, const char *text, const im_text_style *ts)
{
    im_label_req *r;
    if (!text || !*text)
        return NULL;
    if (s->nlreq == s->caplreq) {
        int cap = s->caplreq ? 2 * s->caplreq : 64;
        im_label_req *n = realloc(s->lreq, (size_t)cap * sizeof *n);
        if (!n)
            return NULL;
        s->lreq = n;
        s->caplreq = cap;
    }
    r = &s->lreq[s->nlreq];
    memset(r, 0, sizeof *r);
    r->text = malloc(strlen(text) + 1);
    if (!r->text)
        return NULL;
    strcpy(r->text, text);
    r->kind = kind;
    r->ts = *ts;
    r->ts.size_pt *= s->map->labels.font_scale > 0 ? s->map->labels.font_scale : 1;
    r->seq = s->nlreq;
    r->owner = im_scene_owner(s);
    r->pref = NAN;
    r->sym_owner = -1;
    r->dot_owner = -1;
    im_text_measure(s->canvas, r->text, &r->ts, &r->tw, &r->th);
    s->nlreq++;
    return r;
}

void im_scene_labels_free(im_scene *s)
{
    int i;
    for (i = 0; i < s->nlreq; i++) {
        free(s->lreq[i].text);
        free(s->lreq[i].poses);
    }
    free(s->lreq);
    s->lreq = NULL;
    s->nlreq = s->caplreq = 0;
}

static const im_label_req *im_sort_reqs;

static int im_req_cmp(const void *a, const void *b)
{
    const im_label_req *x = &im_sort_reqs[*(const int *)a], *y = &im_sort_reqs[*(const int *)b];
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->seq - y->seq;
}

/* 1 if a label with the same text is already placed within DIST px of
 * (x, y): a river is named once per stretch, not once per segment. */
static int im_named_nearby(const im_scene *s, const char *text, double x, double y, double dist)
{
    int i;
    for (i = 0; i < s->nlreq; i++) {
        const im_label_req *o = &s->lreq[i];
        if (o->placed && strcmp(o->text, text) == 0 &&
            hypot(o->box[0] + o->box[2] / 2 - x, o->box[1] + o->box[3] / 2 - y) < dist)
            return 1;
    }
    return 0;
}

static void im_place_one(im_scene *s, im_label_req *r)
{
    /* a hair of room around the text, so neighbours never touch */
    const double pad = 1;
    if (r->is_point) {
        im_point_place pp;
        int attempt, ok = -1;
        /* next to the point, sparing the spots kept for the labels still
         * to come, else further out on a leader; only then in a spot kept
         * for another */
        for (attempt = 0; attempt < 4 && ok != 0; attempt++) {
            int leader = attempt % 2 == 1;
            if (leader && !r->leader)
                continue;
            im_labeler_honour_reserved(s->labels, attempt < 2);
            ok = im_labeler_place_point(s->labels, r->owner, r->sym_owner, r->x, r->y, r->r, r->tw + 2 * pad,
                                        r->th + 2 * pad, r->pref, leader, &pp);
        }
        im_labeler_honour_reserved(s->labels, 0);
        if (ok != 0)
            return;
        r->placed = 1;
        r->leadered = pp.leader;
        r->box[0] = pp.x;
        r->box[1] = pp.y;
        r->box[2] = r->tw + 2 * pad;
        r->box[3] = r->th + 2 * pad;
        r->ox = pp.x + pad;
        r->oy = pp.y + pad;
        r->angle = 0;
        r->lx0 = pp.lx0;
        r->ly0 = pp.ly0;
        r->lx1 = pp.lx1;
        r->ly1 = pp.ly1;
        return;
    }
    {
        int k, attempt;
        for (attempt = 0; attempt < 2 * r->nposes; attempt++) {
            k = attempt % r->nposes;
            im_labeler_honour_reserved(s->labels, attempt < r->nposes);
            double boxes[IM_LABEL_MAX_BOXES][4], cx = r->poses[3 * k], cy = r->poses[3 * k + 1],
                                                  ang = r->poses[3 * k + 2];
            int nb, i;
            if (r->kind == IM_LK_RIVER && im_named_nearby(s, r->text, cx, cy, 300))
                break;
            nb = im_label_boxes(cx, cy, ang, r->tw, r->th, pad, boxes, IM_LABEL_MAX_BOXES);
            if (im_labeler_place_boxes(s->labels, r->owner, (const double(*)[4])boxes, nb) != 0)
                continue;
            r->placed = 1;
            r->angle = ang;
            im_label_origin(cx, cy, ang, r->tw, r->th, &r->ox, &r->oy);
            /* the label's overall box, for dumps and river spacing */
            r->box[0] = boxes[0][0];
            r->box[1] = boxes[0][1];
            r->box[2] = boxes[0][0] + boxes[0][2];
            r->box[3] = boxes[0][1] + boxes[0][3];
            for (i = 1; i < nb; i++) {
                r->box[0] = fmin(r->box[0], boxes[i][0]);
                r->box[1] = fmin(r->box[1], boxes[i][1]);
                r->box[2] = fmax(r->box[2], boxes[i][0] + boxes[i][2]);
                r->box[3] = fmax(r->box[3], boxes[i][1] + boxes[i][3]);
            }
            r->box[2] -= r->box[0];
            r->box[3] -= r->box[1];
            break;
        }
        im_labeler_honour_reserved(s->labels, 0);
    }
}

/* 1 if the box (x, y, w, h) crosses the closed ring X/Y. */
static int im_box_crosses_ring(const double b[4], const double *x, const double *y, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double x0 = x[i], y0 = y[i], x1 = x[j], y1 = y[j], t0 = 0, t1 = 1, dx, dy, p[4], q[4];
        int k, hit = 1;
        if (x0 == HUGE_VAL || x1 == HUGE_VAL)
            continue;
        dx = x1 - x0;
        dy = y1 - y0;
        p[0] = -dx, p[1] = dx, p[2] = -dy, p[3] = dy;
        q[0] = x0 - b[0], q[1] = b[0] + b[2] - x0, q[2] = y0 - b[1], q[3] = b[1] + b[3] - y0;
        for (k = 0; k < 4 && hit; k++) {
            if (p[k] == 0) {
                hit = q[k] >= 0;
            } else if (p[k] < 0) {
                t0 = fmax(t0, q[k] / p[k]);
            } else {
                t1 = fmin(t1, q[k] / p[k]);
            }
        }
        if (hit && t0 <= t1)
            return 1;
    }
    return 0;
}

/* Country names are no help astride a zone's outline: drop those poses. */
static void im_keep_names_off_zones(im_scene *s)
{
    int z, i, k;
    for (z = 0; z < s->map->nzones; z++) {
        double *x = NULL, *y = NULL;
        int n = im_scene_zone_outline(s, z, &x, &y);
        for (i = 0; i < s->nlreq && n > 0; i++) {
            im_label_req *r = &s->lreq[i];
            int np = 0;
            if (r->kind != IM_LK_COUNTRY)
                continue;
            for (k = 0; k < r->nposes; k++) {
                double b[4];
                b[0] = r->poses[3 * k] - r->tw / 2;
                b[1] = r->poses[3 * k + 1] - r->th / 2;
                b[2] = r->tw;
                b[3] = r->th;
                if (im_box_crosses_ring(b, x, y, n))
                    continue;
                memmove(r->poses + 3 * np, r->poses + 3 * k, 3 * sizeof *r->poses);
                np++;
            }
            r->nposes = np;
        }
        free(x);
        free(y);
    }
}

void im_scene_labels_run(im_scene *s)
{
    int *order, i;
    if (s->nlreq == 0)
        return;
    order = malloc((size_t)s->nlreq * sizeof *order);
    if (!order)
        return;
    im_keep_names_off_zones(s);
    for (i = 0; i < s->nlreq; i++)
        order[i] = i;
    im_sort_reqs = s->lreq;
    qsort(order, (size_t)s->nlreq, sizeof *order, im_req_cmp);
    /* keep a spot beside every base, incident and city (its first free
     * one) for as long as the labels placed before it can go elsewhere */
    im_labeler_honour_reserved(s->labels, 1);
    for (i = 0; i < s->nlreq; i++) {
        im_label_req *r = &s->lreq[order[i]];
        if (r->is_point && (r->kind == IM_LK_BASE || r->kind == IM_LK_INCIDENT ||
                            (r->kind == IM_LK_PLACE && r->has_dot && r->order <= 2))) {
            r->resv_owner = im_scene_owner(s);
            im_labeler_reserve_point(s->labels, r->resv_owner, r->x, r->y, r->r, r->tw + 2, r->th + 2);
        }
    }
    im_labeler_honour_reserved(s->labels, 0);
    for (i = 0; i < s->nlreq; i++) {
        im_label_req *r = &s->lreq[order[i]];
        if (r->resv_owner)
            im_labeler_remove_owner(s->labels, r->resv_owner);
        im_place_one(s, r);
        /* a place whose name found no room loses its dot too */
        if (!r->placed && r->has_dot)
            im_labeler_remove_owner(s->labels, r->dot_owner);
    }
    /* dots, then leaders, then text, so no dot or line covers a name */
    for (i = 0; i < s->nlreq; i++) {
        const im_label_req *r = &s->lreq[i];
        if (r->placed && r->has_dot)
            im_draw_symbol(s->canvas, IM_SHAPE_DOT, r->x, r->y, r->dot_size, r->dot_fill, r->dot_line, 0.8);
    }
    for (i = 0; i < s->nlreq; i++) {
        const im_label_req *r = &s->lreq[i];
        if (r->placed && r->leadered) {
            im_style leader;
            double lx[2] = {r->lx0, r->lx1}, ly[2] = {r->ly0, r->ly1};
            memset(&leader, 0, sizeof leader);
            leader.has_stroke = 1;
            leader.stroke = r->ts.halo;
            leader.width = 2.4;
            leader.opacity = 1;
            im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, &leader);
            leader.stroke = r->ts.color;
            leader.width = 0.8;
            im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, &leader);
        }
    }
    for (i = 0; i < s->nlreq; i++) {
        const im_label_req *r = &s->lreq[order[i]];
        if (r->placed)
            im_text_draw(s->canvas, r->text, &r->ts, r->ox, r->oy, r->angle, r->align);
    }
    free(order);
}

/* ---- the debug dump --------------------------------------------------- */

/* TEXT on one line: newlines and tabs become " / " and spaces. */
static void im_put_text(FILE *f, const char *text)
{
    const char *p;
    for (p = text; *p; p++) {
        if (*p == '\n')
            fputs(" / ", f);
        else if (*p == '\t')
            fputc(' ', f);
        else
            fputc(*p, f);
    }
}

/* Every box the labeler knows, every label offered (placed or not), the
 * furniture, the scale bars, the north arrow, the inset, the degree
 * labels and the legend's rows, one per line:
 *   RECORD KIND OWNER X Y W H [EXTRA...]  (CSS px, tab-separated). */
void im_scene_dump(im_scene *s)
{
    static const char *const box_kinds[] = {"symbol", "furniture", "label"};
    static const char *const furn_names[IM_FURN_COUNT] = {"inset", "north", "scalebar", "legend"};
    static const char *const edges[] = {"bottom", "top", "left", "right"};
    static const char *const leg_kinds[] = {"head", "symbol", "hollow", "ring", "badge",
                                            "size", "base", "line", "zone"};
    const char *path = getenv("INCIMAP_DEBUG_LABELS");
    FILE *f;
    int i, n;
    if (!path || !*path)
        return;
    f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "#record\tkind\towner\tx\ty\tw\th\textra\n");
    fprintf(f, "frame\t-\t-\t%.3f\t%.3f\t%.3f\t%.3f\n", s->view.fx, s->view.fy, s->view.fw, s->view.fh);
    n = s->labels ? im_labeler_count(s->labels) : 0;
    for (i = 0; i < n; i++) {
        im_box_kind k;
        int owner;
        double b[4];
        if (im_labeler_get(s->labels, i, &k, &owner, b) != 0)
            continue;
        fprintf(f, "box\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", box_kinds[k], owner, b[0], b[1], b[2], b[3]);
    }
    for (i = 0; i < s->nlreq; i++) {
        const im_label_req *r = &s->lreq[i];
        fprintf(f, "label\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t", im_kind_names[r->kind], r->owner,
                r->placed ? r->box[0] : r->x, r->placed ? r->box[1] : r->y, r->placed ? r->box[2] : r->tw,
                r->placed ? r->box[3] : r->th,
                !r->placed ? "dropped" : r->leadered ? "leader" : "placed");
        im_put_text(f, r->text);
        fputc('\n', f);
    }
    for (i = 0; i < IM_FURN_COUNT; i++) {
        const im_furn *fu = &s->furn[i];
        if (fu->corner == IM_CORNER_NONE || fu->w <= 0)
            continue;
        fprintf(f, "furniture\t%s\t-\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", furn_names[i], fu->x, fu->y, fu->w, fu->h,
                fu->covers);
    }
    for (i = 0; i < 2; i++) {
        if (s->sb_px[i] > 0)
            fprintf(f, "scalebar\t%s\t-\t%.3f\t%.3f\t%.4f\t0\t%.6g\n", i ? "mi" : "km", s->sb_x[i], s->sb_y[i],
                    s->sb_px[i], s->sb_len[i]);
    }
    if (s->furn[IM_FURN_NORTH].corner != IM_CORNER_NONE)
        fprintf(f, "north\t-\t-\t%.3f\t%.3f\t0\t0\t%.6f\n", s->north_x, s->north_y,
                s->north_angle * 180 / M_PI);
    if (s->inset_drawn)
        fprintf(f, "inset\t-\t-\t%.3f\t%.3f\t%.3f\t%.3f\t%.10g\t%.10g\t%.10g\t%.10g\t%s\n", s->inset_view.fx,
                s->inset_view.fy, s->inset_view.fw, s->inset_view.fh, s->inset_view.xmin, s->inset_view.ymin,
                s->inset_view.xmax, s->inset_view.ymax, s->inset_proj);
    for (i = 0; i < s->ngrid; i++) {
        const im_grid_label *g = &s->grid[i];
        if (!g->drawn)
            continue;
        fprintf(f, "grid\t%s\t-\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%.4f\t%.4f\n", edges[g->edge], g->box[0], g->box[1],
                g->box[2], g->box[3], g->text, g->ax, g->ay);
    }
    for (i = 0; i < s->nlegend; i++)
        fprintf(f, "legend\t%s\t-\t0\t0\t0\t0\t%s\n", leg_kinds[s->legend[i].kind], s->legend[i].text);
    fclose(f);
}
