/* Unit tests of src/carto's placement decisions: the label placer (no two
 * labels overlap, none covers an obstacle or leaves the bounds, leaders
 * cross nothing, reservations), slanted label boxes, the furniture planner
 * (corners, stacking, never over an obstacle when a corner is free), legend
 * columns, graticule steps and degree labels, scale-bar lengths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carto/carto.h"
#include "check.h"

static int overlap(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
{
    double a[4] = {ax, ay, aw, ah}, b[4] = {bx, by, bw, bh};
    return im_box_overlap(a, b);
}

static void test_basics(void)
{
    im_labeler *l = im_labeler_create(0, 0, 100, 100);
    im_point_place pp;
    CHECK(l != NULL);
    CHECK(im_labeler_free_at(l, 10, 10, 20, 10));
    CHECK(!im_labeler_free_at(l, -1, 10, 20, 10)); /* outside the bounds */
    CHECK(!im_labeler_free_at(l, 90, 10, 20, 10));
    im_labeler_add_obstacle(l, 15, 15, 5, 5);
    CHECK(!im_labeler_free_at(l, 10, 10, 20, 10));
    CHECK(im_labeler_free_at(l, 20, 10, 20, 10)); /* touching is not overlapping */
    /* a point label goes right of its point first */
    CHECK(im_labeler_place_point(l, 7, -1, 50, 50, 4, 20, 10, NAN, 0, &pp) == 0);
    CHECK_NEAR(pp.x, 56, 1e-9);
    CHECK_NEAR(pp.y, 45, 1e-9);
    CHECK(pp.leader == 0);
    /* the same again: right is taken, another place beside it is used */
    CHECK(im_labeler_place_point(l, 8, -1, 50, 50, 4, 20, 10, NAN, 0, &pp) == 0);
    CHECK(!overlap(pp.x, pp.y, 20, 10, 56, 45, 20, 10));
    CHECK(hypot(pp.x + 10 - 50, pp.y + 5 - 50) < 25);
    /* with a preferred direction (left), left comes first */
    CHECK(im_labeler_place_point(l, 9, -1, 50, 80, 4, 20, 10, M_PI, 0, &pp) == 0);
    CHECK(pp.x + 20 <= 50);
    /* removing an owner frees its box */
    CHECK(!im_labeler_free_at(l, 57, 46, 5, 5));
    im_labeler_remove_owner(l, 7);
    CHECK(im_labeler_free_at(l, 57, 46, 5, 5));
    im_labeler_free(l);
    im_labeler_free(NULL);
}

/* Many labels among many obstacles: whatever is placed overlaps nothing. */
static void test_random(void)
{
    enum { NOBST = 150, NLAB = 600 };
    static double obst[NOBST][4], lab[NLAB][4], lead[NLAB][4];
    int nlab = 0, i, j, leaders = 0;
    im_labeler *l = im_labeler_create(0, 0, 800, 600);
    unsigned seed = 12345;
#define RND() ((seed = seed * 1103515245u + 12345u) >> 16 & 0x7fff)
    for (i = 0; i < NOBST; i++) {
        obst[i][0] = RND() % 780;
        obst[i][1] = RND() % 580;
        obst[i][2] = obst[i][3] = 8 + RND() % 10;
        im_labeler_add(l, IM_BOX_SYMBOL, 100000 + i, obst[i][0], obst[i][1], obst[i][2], obst[i][3]);
    }
    for (i = 0; i < NLAB; i++) {
        double px = RND() % 800, py = RND() % 600, w = 20 + RND() % 60, h = 12 + RND() % 6;
        im_point_place pp;
        if (im_labeler_place_point(l, i, -1, px, py, 5, w, h, NAN, i % 2, &pp) != 0)
            continue;
        lab[nlab][0] = pp.x;
        lab[nlab][1] = pp.y;
        lab[nlab][2] = w;
        lab[nlab][3] = h;
        if (pp.leader) {
            lead[nlab][0] = pp.lx0;
            lead[nlab][1] = pp.ly0;
            lead[nlab][2] = pp.lx1;
            lead[nlab][3] = pp.ly1;
            leaders++;
        } else {
            lead[nlab][0] = HUGE_VAL;
        }
        nlab++;
    }
    CHECK(nlab > 100);
    CHECK(leaders > 0);
    for (i = 0; i < nlab; i++) {
        CHECK(lab[i][0] >= 0 && lab[i][1] >= 0 && lab[i][0] + lab[i][2] <= 800 && lab[i][1] + lab[i][3] <= 600);
        for (j = 0; j < NOBST; j++)
            if (overlap(lab[i][0], lab[i][1], lab[i][2], lab[i][3], obst[j][0], obst[j][1], obst[j][2], obst[j][3])) {
                fprintf(stderr, "label %d overlaps obstacle %d\n", i, j);
                im_test_failures++;
            }
        for (j = i + 1; j < nlab; j++)
            if (overlap(lab[i][0], lab[i][1], lab[i][2], lab[i][3], lab[j][0], lab[j][1], lab[j][2], lab[j][3])) {
                fprintf(stderr, "labels %d and %d overlap\n", i, j);
                im_test_failures++;
            }
    }
    im_labeler_free(l);
#undef RND
}

/* A leader never crosses a label placed before it. */
static void test_leader(void)
{
    im_labeler *l = im_labeler_create(0, 0, 300, 300);
    im_point_place pp;
    int k;
    /* hem the point in: small symbols on every side, with gaps a leader
     * can pass through */
    for (k = 0; k < 8; k++) {
        double a = k * M_PI / 4;
        im_labeler_add(l, IM_BOX_SYMBOL, 50 + k, 150 + 14 * cos(a) - 3, 150 + 14 * sin(a) - 3, 6, 6);
    }
    CHECK(im_labeler_place_point(l, 1, -1, 150, 150, 4, 30, 12, NAN, 0, &pp) != 0);
    CHECK(im_labeler_place_point(l, 1, -1, 150, 150, 4, 30, 12, NAN, 1, &pp) == 0);
    CHECK(pp.leader == 1);
    /* the leader runs from the symbol's edge to the label box */
    CHECK_NEAR(hypot(pp.lx0 - 150, pp.ly0 - 150), 5, 1e-6);
    CHECK(pp.lx1 >= pp.x - 1e-9 && pp.lx1 <= pp.x + 30 + 1e-9);
    CHECK(pp.ly1 >= pp.y - 1e-9 && pp.ly1 <= pp.y + 12 + 1e-9);
    /* no box may now sit across that leader */
    CHECK(!im_labeler_free_at(l, (pp.lx0 + pp.lx1) / 2 - 1, (pp.ly0 + pp.ly1) / 2 - 1, 2, 2));
    im_labeler_free(l);
    /* leaders: no other leader or label crosses one */
    l = im_labeler_create(0, 0, 100, 100);
    im_labeler_add_segment(l, 5, 10, 50, 90, 50);
    CHECK(!im_labeler_segment_free(l, 50, 10, 50, 90, -1, -1));
    CHECK(im_labeler_segment_free(l, 50, 10, 50, 90, 5, -1)); /* its own owner's */
    CHECK(im_labeler_segment_free(l, 10, 60, 90, 60, -1, -1)); /* parallel */
    CHECK(!im_labeler_free_at(l, 40, 45, 20, 10));
    CHECK(im_labeler_free_at(l, 40, 52, 20, 10));
    im_labeler_free(l);
}

static void test_reserved(void)
{
    im_labeler *l = im_labeler_create(0, 0, 200, 200);
    im_point_place pp;
    CHECK(im_labeler_reserve_point(l, 99, 100, 100, 3, 40, 12) == 0);
    /* honoured: the reserved spot (right of 100,100) is avoided */
    im_labeler_honour_reserved(l, 1);
    CHECK(!im_labeler_free_at(l, 106, 95, 10, 10));
    im_labeler_honour_reserved(l, 0);
    CHECK(im_labeler_free_at(l, 106, 95, 10, 10));
    /* reservations never show in dumps */
    {
        im_box_kind k;
        int owner;
        double b[4];
        CHECK(im_labeler_count(l) == 1);
        CHECK(im_labeler_get(l, 0, &k, &owner, b) != 0);
    }
    im_labeler_remove_owner(l, 99);
    im_labeler_honour_reserved(l, 1);
    CHECK(im_labeler_place_point(l, 1, -1, 100, 100, 3, 40, 12, NAN, 0, &pp) == 0);
    CHECK_NEAR(pp.x, 105, 1e-9);
    im_labeler_free(l);
}

/* The boxes of a slanted label cover its corners, and are far smaller than
 * the label's whole bounding box. */
static void test_slanted_boxes(void)
{
    double b[IM_LABEL_MAX_BOXES][4], ox, oy, area = 0;
    double tw = 120, th = 12, a = M_PI / 4, cx = 200, cy = 100;
    int n = im_label_boxes(cx, cy, a, tw, th, 0, b, IM_LABEL_MAX_BOXES), i, c;
    CHECK(n > 1);
    for (c = 0; c < 4; c++) {
        /* corners of the turned rectangle, shrunk a hair inwards */
        double u = (c & 1 ? 1 : -1) * (tw / 2 - 0.01), v = (c & 2 ? 1 : -1) * (th / 2 - 0.01);
        double x = cx + u * cos(a) + v * sin(a), y = cy - u * sin(a) + v * cos(a);
        int inside = 0;
        for (i = 0; i < n; i++)
            inside |= x >= b[i][0] && x <= b[i][0] + b[i][2] && y >= b[i][1] && y <= b[i][1] + b[i][3];
        CHECK(inside);
    }
    for (i = 0; i < n; i++)
        area += b[i][2] * b[i][3];
    CHECK(area < 0.5 * (tw * cos(a) + th * sin(a)) * (tw * sin(a) + th * cos(a)));
    /* upright: one box, exactly the text */
    n = im_label_boxes(cx, cy, 0, tw, th, 1, b, IM_LABEL_MAX_BOXES);
    CHECK(n == 1);
    CHECK_NEAR(b[0][0], cx - tw / 2 - 1, 1e-9);
    CHECK_NEAR(b[0][2], tw + 2, 1e-9);
    /* the origin of an upright label is its top-left corner */
    im_label_origin(cx, cy, 0, tw, th, &ox, &oy);
    CHECK_NEAR(ox, cx - tw / 2, 1e-9);
    CHECK_NEAR(oy, cy - th / 2, 1e-9);
    /* turned a quarter (reading upwards): the origin is bottom-left */
    im_label_origin(cx, cy, M_PI / 2, tw, th, &ox, &oy);
    CHECK_NEAR(ox, cx - th / 2, 1e-9);
    CHECK_NEAR(oy, cy + tw / 2, 1e-9);
}

static void test_furniture(void)
{
    double frame[4] = {0, 0, 1000, 800};
    im_furn it[3];
    /* an obstacle in the bottom-left corner pushes the legend to the
     * bottom right */
    double obst[4] = {30, 700, 10, 10};
    memset(it, 0, sizeof it);
    it[0].w = 200;
    it[0].h = 150;
    it[0].corner = IM_CORNER_BOTTOM_LEFT;
    it[1].w = 100;
    it[1].h = 40;
    it[1].corner = IM_CORNER_BOTTOM_RIGHT;
    it[2].w = 30;
    it[2].h = 50;
    it[2].corner = IM_CORNER_BOTTOM_RIGHT;
    im_furniture_plan(frame, 12, it, 3, obst, 1);
    CHECK(it[0].placed == IM_CORNER_BOTTOM_RIGHT);
    CHECK(it[0].covers == 0);
    CHECK_NEAR(it[0].x, 1000 - 12 - 200, 1e-9);
    CHECK_NEAR(it[0].y, 800 - 12 - 150, 1e-9);
    /* the next one in that corner stacks above the first */
    CHECK(it[1].placed == IM_CORNER_BOTTOM_RIGHT);
    CHECK(it[1].y + it[1].h <= it[0].y);
    CHECK(it[2].y + it[2].h <= it[1].y);
    {
        double a[4] = {it[0].x, it[0].y, it[0].w, it[0].h}, b[4] = {it[1].x, it[1].y, it[1].w, it[1].h};
        CHECK(!im_box_overlap(a, b));
    }
    /* obstacles everywhere: the least covered corner, flagged */
    {
        double many[16] = {20, 20, 10, 10, 980, 20, 10, 10, 20, 780, 10, 10, 980, 780, 10, 10};
        memset(it, 0, sizeof it);
        it[0].w = 200;
        it[0].h = 150;
        it[0].corner = IM_CORNER_TOP_LEFT;
        im_furniture_plan(frame, 12, it, 1, many, 4);
        CHECK(it[0].covers == 1);
        CHECK(it[0].placed == IM_CORNER_TOP_LEFT);
    }
}

static void test_legend_columns(void)
{
    double h[10] = {20, 18, 18, 18, 20, 18, 18, 20, 18, 18};
    int head[10] = {1, 0, 0, 0, 1, 0, 0, 1, 0, 0}, col[10], n, i;
    n = im_legend_columns(h, head, 10, 1000, 0, col);
    CHECK(n == 1);
    n = im_legend_columns(h, head, 10, 80, 0, col);
    CHECK(n > 1);
    for (i = 0; i + 1 < 10; i++)
        if (head[i])
            CHECK(col[i] == col[i + 1]); /* a heading is never alone at a column's foot */
    n = im_legend_columns(h, head, 10, 1000, 2, col);
    CHECK(n == 2);
    for (i = 1; i < 10; i++)
        CHECK(col[i] >= col[i - 1]);
}

static void test_graticule(void)
{
    char buf[32];
    CHECK_NEAR(im_graticule_step(7, 3), 2, 1e-12);
    CHECK_NEAR(im_graticule_step(6, 4), 1, 1e-12);
    CHECK_NEAR(im_graticule_step(1.5, 3), 0.5, 1e-12);
    CHECK_NEAR(im_graticule_step(300, 3), 30, 1e-12);
    im_graticule_format(36, 0, 1, buf, sizeof buf);
    CHECK_STR(buf, "36\u00b0E");
    im_graticule_format(33, 1, 1, buf, sizeof buf);
    CHECK_STR(buf, "33\u00b0N");
    im_graticule_format(-5, 0, 1, buf, sizeof buf);
    CHECK_STR(buf, "5\u00b0W");
    im_graticule_format(-12, 1, 2, buf, sizeof buf);
    CHECK_STR(buf, "12\u00b0S");
    im_graticule_format(0, 1, 1, buf, sizeof buf);
    CHECK_STR(buf, "0\u00b0");
    im_graticule_format(180, 0, 30, buf, sizeof buf);
    CHECK_STR(buf, "180\u00b0");
    im_graticule_format(33.5, 1, 0.5, buf, sizeof buf);
    CHECK_STR(buf, "33\u00b030\u2032N");
    im_graticule_format(38, 0, 0.5, buf, sizeof buf);
    CHECK_STR(buf, "38\u00b0E");
    im_graticule_format(38.25, 0, 0.25, buf, sizeof buf);
    CHECK_STR(buf, "38\u00b015\u2032E");
}

static void test_scalebar(void)
{
    double px, len;
    /* 250 m per px, at most 400 px: 100 km fits, 200 km does not */
    len = im_carto_scalebar_length(250, 400, &px);
    CHECK_NEAR(len, 100000, 1e-6);
    CHECK_NEAR(px, 400, 1e-9);
    len = im_carto_scalebar_length(250, 399, &px);
    CHECK_NEAR(len, 50000, 1e-6);
    CHECK_NEAR(px, 200, 1e-9);
    len = im_carto_scalebar_length(3.3, 100, &px);
    CHECK_NEAR(len, 200, 1e-9);
    len = im_carto_scalebar_length(250 / IM_METRES_PER_MILE, 400, &px);
    CHECK_NEAR(len, 50, 1e-9);
}

/* The scale bar's labels: the end number centred on its tick never runs
 * into the "0"; a bar too short for that is lengthened to the next round
 * length, or labelled at its end alone. */
static void test_scalebar_ticks(void)
{
    im_scalebar_ticks t;
    char num[16], unit[8];
    double div;
    CHECK_NEAR(im_carto_round_up(1), 2, 1e-9);
    CHECK_NEAR(im_carto_round_up(2), 5, 1e-9);
    CHECK_NEAR(im_carto_round_up(5000), 10000, 1e-9);
    CHECK_NEAR(im_carto_round_up(0.5), 1, 1e-9);
    im_carto_scalebar_number(100000, 0, num, sizeof num, unit, sizeof unit, &div);
    CHECK_STR(num, "100");
    CHECK_STR(unit, "km");
    CHECK_NEAR(div, 1000, 1e-9);
    im_carto_scalebar_number(2500, 0, num, sizeof num, unit, sizeof unit, &div);
    CHECK_STR(num, "2.5");
    CHECK_STR(unit, "km");
    im_carto_scalebar_number(500, 0, num, sizeof num, unit, sizeof unit, &div);
    CHECK_STR(num, "500");
    CHECK_STR(unit, "m");
    im_carto_scalebar_number(20, 1, num, sizeof num, unit, sizeof unit, &div);
    CHECK_STR(num, "20");
    CHECK_STR(unit, "mi");
    /* a long bar: four segments, every number */
    CHECK(im_carto_scalebar_ticks(200, 6, 18, 12, 4, &t) == 0);
    CHECK(t.nseg == 4 && t.zero && t.half);
    /* "0" (6 wide) and "100" (18 wide) need 3 + 4 + 9 = 16 px */
    CHECK(im_carto_scalebar_ticks(16, 6, 18, 12, 4, &t) == 0);
    CHECK(t.zero && !t.half && t.nseg == 2);
    CHECK(im_carto_scalebar_ticks(15.9, 6, 18, 12, 4, &t) == -1);
    CHECK(!t.zero && !t.half);
    /* the half mark's number only where it stands free of both ends */
    CHECK(im_carto_scalebar_ticks(36, 6, 18, 12, 4, &t) == 0);
    CHECK(t.zero && !t.half);
    CHECK(im_carto_scalebar_ticks(60, 6, 18, 12, 4, &t) == 0);
    CHECK(t.zero && t.half && t.nseg == 4);
}

static void test_dates(void)
{
    char buf[32];
    im_carto_format_date("2017-05-18", 1, buf, sizeof buf);
    CHECK_STR(buf, "18 May 2017");
    im_carto_format_date("2017-05-18", 3, buf, sizeof buf);
    CHECK_STR(buf, "May 2017");
    im_carto_format_date("2017-05-18", 2, buf, sizeof buf);
    CHECK_STR(buf, "c. 18 May 2017");
    im_carto_format_date(NULL, 1, buf, sizeof buf);
    CHECK_STR(buf, "");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_basics();
    test_random();
    test_leader();
    test_reserved();
    test_slanted_boxes();
    test_furniture();
    test_legend_columns();
    test_scalebar_ticks();
    test_graticule();
    test_scalebar();
    test_dates();
    CHECK_DONE();
}
