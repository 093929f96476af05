/* Themes: light (the default), dark and print (greyscale, so a map reads
 * the same on a black-and-white printer).  Every element of a map takes
 * its colour from here unless the map file overrides it. */
#include "spec/theme.h"

#include <string.h>

#include "core/util.h"

static im_rgba hex(unsigned v, double a)
{
    im_rgba c;
    c.r = ((v >> 16) & 0xffu) / 255.0;
    c.g = ((v >> 8) & 0xffu) / 255.0;
    c.b = (v & 0xffu) / 255.0;
    c.a = a;
    return c;
}

/* Okabe & Ito (2008), ordered for contrast on a light base map. */
static const unsigned im_okabe_ito[IM_THEME_PALETTE] = {
    0xd55e00, /* vermillion */
    0x0072b2, /* blue */
    0x009e73, /* bluish green */
    0xcc79a7, /* reddish purple */
    0xe69f00, /* orange */
    0x56b4e9, /* sky blue */
    0xf0e442, /* yellow */
    0x333333, /* near black */
};

/* Greys far apart in lightness; symbols get black outlines in print, so
 * white and light grey read as well as black. */
static const unsigned im_print_greys[IM_THEME_PALETTE] = {
    0x000000, 0xffffff, 0x8c8c8c, 0x404040, 0xcccccc, 0x666666, 0xb3b3b3, 0x262626,
};

static void light(im_theme *t)
{
    int i;
    t->kind = IM_THEME_LIGHT;
    t->paper = hex(0xffffff, 1);
    t->sea = hex(0xc6dfe9, 1);
    t->land = hex(0xf4f1ea, 1);
    t->coast = hex(0x7d9bb0, 1);
    t->border = hex(0x8a7f86, 1);
    t->river = hex(0x6f9fc8, 1);
    t->river_text = hex(0x295e9e, 1);
    t->place = hex(0x333333, 1);
    t->text = hex(0x212121, 1);
    t->muted = hex(0x595959, 1);
    t->halo = hex(0xffffff, 0.85);
    t->frame = hex(0x404040, 1);
    t->grid = hex(0x4a6475, 0.35);
    t->grid_text = hex(0x404040, 1);
    t->panel = hex(0xffffff, 0.9);
    t->panel_line = hex(0x999999, 1);
    t->base = hex(0x1a294d, 1);
    t->symbol_line = hex(0xffffff, 1);
    t->zone = hex(0x4f5b69, 1); /* slate: apart from every actor colour */
    t->line = hex(0xb2182b, 1);
    t->highlight = hex(0xd7301f, 1);
    for (i = 0; i < IM_THEME_PALETTE; i++)
        t->palette[i] = hex(im_okabe_ito[i], 1);
    t->other = hex(0x8c8c8c, 1);
}

static void dark(im_theme *t)
{
    light(t);
    t->kind = IM_THEME_DARK;
    t->paper = hex(0x1c1d21, 1);
    t->sea = hex(0x1a2a3a, 1);
    t->land = hex(0x2f3237, 1);
    t->coast = hex(0x58708a, 1);
    t->border = hex(0x9a8f99, 1);
    t->river = hex(0x3d6f9e, 1);
    t->river_text = hex(0x9cc3e8, 1);
    t->place = hex(0xd8d8d8, 1);
    t->text = hex(0xeeeeee, 1);
    t->muted = hex(0xa9a9a9, 1);
    t->halo = hex(0x1c1d21, 0.85);
    t->frame = hex(0x8c8c8c, 1);
    t->grid = hex(0xb8c4cc, 0.3);
    t->grid_text = hex(0xc8c8c8, 1);
    t->panel = hex(0x24262b, 0.92);
    t->panel_line = hex(0x5c5c5c, 1);
    t->base = hex(0x5b82c0, 1);
    t->symbol_line = hex(0x111111, 1);
    t->zone = hex(0xb9c2cc, 1);
    t->line = hex(0xff5a66, 1);
    t->highlight = hex(0xff6b4a, 1);
    t->other = hex(0x9a9a9a, 1);
}

static void print(im_theme *t)
{
    int i;
    light(t);
    t->kind = IM_THEME_PRINT;
    t->paper = hex(0xffffff, 1);
    t->sea = hex(0xe3e3e3, 1);
    t->land = hex(0xfafafa, 1);
    t->coast = hex(0x595959, 1);
    t->border = hex(0x737373, 1);
    t->river = hex(0x9e9e9e, 1);
    t->river_text = hex(0x4d4d4d, 1);
    t->place = hex(0x1a1a1a, 1);
    t->text = hex(0x000000, 1);
    t->muted = hex(0x4d4d4d, 1);
    t->halo = hex(0xffffff, 0.9);
    t->frame = hex(0x000000, 1);
    t->grid = hex(0x808080, 0.45);
    t->grid_text = hex(0x333333, 1);
    t->panel = hex(0xffffff, 0.92);
    t->panel_line = hex(0x4d4d4d, 1);
    t->base = hex(0x000000, 1);
    t->symbol_line = hex(0x000000, 1);
    t->zone = hex(0x404040, 1);
    t->line = hex(0x000000, 1);
    t->highlight = hex(0x000000, 1);
    for (i = 0; i < IM_THEME_PALETTE; i++)
        t->palette[i] = hex(im_print_greys[i], 1);
    t->other = hex(0xe6e6e6, 1);
}

int im_theme_named(im_theme_kind kind, im_theme *out)
{
    memset(out, 0, sizeof *out);
    switch (kind) {
    case IM_THEME_LIGHT:
        light(out);
        return 0;
    case IM_THEME_DARK:
        dark(out);
        return 0;
    case IM_THEME_PRINT:
        print(out);
        return 0;
    }
    light(out);
    return -1;
}

int im_theme_kind_parse(const char *name, im_theme_kind *out)
{
    if (im_streq_ci(name, "light"))
        *out = IM_THEME_LIGHT;
    else if (im_streq_ci(name, "dark"))
        *out = IM_THEME_DARK;
    else if (im_streq_ci(name, "print"))
        *out = IM_THEME_PRINT;
    else
        return -1;
    return 0;
}

const char *const im_theme_color_names[] = {
    "paper", "sea", "land", "coast", "border", "river", "river_text", "place", "text", "muted",
    "halo", "frame", "grid", "grid_text", "panel", "panel_line", "base", "symbol_line", "zone",
    "line", "highlight", "other", NULL};

im_rgba *im_theme_color(im_theme *t, const char *name)
{
    im_rgba *slots[] = {&t->paper, &t->sea,  &t->land,      &t->coast,       &t->border,
                        &t->river, &t->river_text, &t->place, &t->text,      &t->muted,
                        &t->halo,  &t->frame, &t->grid,     &t->grid_text,   &t->panel,
                        &t->panel_line, &t->base, &t->symbol_line, &t->zone, &t->line,
                        &t->highlight, &t->other};
    size_t i;
    for (i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (strcmp(im_theme_color_names[i], name) == 0)
            return slots[i];
    return NULL;
}
