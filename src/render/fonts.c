/* The font files a canvas drew text with, found through Pango's
 * fontconfig backend: a render depends on them as much as on its data, so
 * incremental builds and dependency files list them. */
#include "render/canvas_priv.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangofc-font.h>

void im_canvas_note_fonts(im_canvas *c, PangoLayout *layout)
{
    PangoLayoutIter *it;
    if (!c->fonts) {
        c->fonts = g_ptr_array_new_with_free_func(g_object_unref);
        if (!c->fonts)
            return;
    }
    it = pango_layout_get_iter(layout);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        PangoFont *font = run && run->item ? run->item->analysis.font : NULL;
        guint i;
        int seen = 0;
        if (!font)
            continue;
        /* a map uses a handful of fonts: a linear scan is enough */
        for (i = 0; i < c->fonts->len && !seen; i++)
            seen = g_ptr_array_index(c->fonts, i) == (gpointer)font;
        if (!seen)
            g_ptr_array_add(c->fonts, g_object_ref(font));
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

void im_canvas_font_files(im_canvas *c, void (*fn)(void *user, const char *path), void *user)
{
    guint i;
    if (!c || !c->fonts)
        return;
    for (i = 0; i < c->fonts->len; i++) {
        PangoFont *font = g_ptr_array_index(c->fonts, i);
        FcPattern *pat;
        FcChar8 *file = NULL;
        if (!PANGO_IS_FC_FONT(font))
            continue;
        pat = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        if (pat && FcPatternGetString(pat, FC_FILE, 0, &file) == FcResultMatch && file)
            fn(user, (const char *)file);
    }
}
