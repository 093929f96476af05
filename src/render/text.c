/* Text through Pango (HarfBuzz shaping, bidi: Arabic runs right to left,
 * letters joined).  Glyphs are drawn as text (selectable in PDF/SVG);
 * halos as stroked outlines underneath. */
#include "render/canvas_priv.h"

#include <math.h>
#include <string.h>

/* Fonts tried, in order, for characters the map's font does not have. */
#define IM_FALLBACK_FONTS "Noto Sans Arabic, Noto Naskh Arabic, DejaVu Sans"

static PangoLayout *im_text_layout(im_canvas *c, const char *text, const im_text_style *ts, int align)
{
    PangoLayout *layout = pango_layout_new(c->pango);
    PangoFontDescription *fd = pango_font_description_new();
    char family[256];
    snprintf(family, sizeof family, "%s, %s", c->opts.font ? c->opts.font : "Noto Sans",
             IM_FALLBACK_FONTS);
    pango_font_description_set_family(fd, family);
    pango_font_description_set_size(fd, (gint)(ts->size_pt * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(fd, ts->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, ts->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(layout, align == 1 ? PANGO_ALIGN_CENTER
                                       : align == 2 ? PANGO_ALIGN_RIGHT
                                                    : PANGO_ALIGN_LEFT);
    if (ts->wrap > 0) {
        pango_layout_set_width(layout, (int)(ts->wrap * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    if (ts->spacing > 0 || ts->upper) {
        PangoAttrList *attrs = pango_attr_list_new();
        if (ts->spacing > 0)
            pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(ts->spacing * PANGO_SCALE)));
        if (ts->upper)
            pango_attr_list_insert(attrs, pango_attr_text_transform_new(PANGO_TEXT_TRANSFORM_UPPERCASE));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(layout, text, -1);
    return layout;
}

void im_text_measure(im_canvas *c, const char *text, const im_text_style *ts, double *w, double *h)
{
    PangoLayout *layout = im_text_layout(c, text, ts, 0);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
    g_object_unref(layout);
}

void im_text_draw(im_canvas *c, const char *text, const im_text_style *ts, double x, double y,
                  double angle, int align)
{
    cairo_t *cr = c->cr;
    PangoLayout *layout = im_text_layout(c, text, ts, align);
    PangoRectangle logical;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (angle != 0)
        cairo_rotate(cr, -angle);
    /* laid out once, after the context has the drawing's matrix (asked
     * before, the extents would cost a layout thrown away here) */
    pango_cairo_update_context(cr, c->pango);
    pango_layout_context_changed(layout);
    pango_layout_get_extents(layout, NULL, &logical);
    /* with alignment, the layout's own box starts at its widest line */
    cairo_move_to(cr, -(double)logical.x / PANGO_SCALE, 0);
    if (ts->halo.a > 0 && ts->halo_width > 0) {
        pango_cairo_layout_path(cr, layout);
        im_canvas_set_source(cr, ts->halo);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_width(cr, ts->halo_width * 2);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        if (c->opts.format == IM_FORMAT_PNG) {
            /* Stroking the outline of every glyph is most of the cost of a
             * label.  A halo is a soft ground for the text, not a line to
             * look at: its edges take Cairo's fast antialiasing and its
             * curves are flattened to a quarter pixel, which halves the
             * cost; side by side at 5x, no difference shows (the glyphs
             * themselves keep full quality). */
            cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
            cairo_set_tolerance(cr, 0.25);
        }
        cairo_stroke(cr);
        cairo_move_to(cr, -(double)logical.x / PANGO_SCALE, 0);
    }
    im_canvas_set_source(cr, ts->color);
    pango_cairo_show_layout(cr, layout);
    im_canvas_note_fonts(c, layout);
    cairo_restore(cr);
    g_object_unref(layout);
}
