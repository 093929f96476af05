/* Unit tests of text on the canvas: Arabic is shaped (letters take their
 * joined forms, so a joined word is narrower than the same letters kept
 * apart by zero-width non-joiners), falls back to a font that has it (no
 * empty boxes: every Arabic letter has width), letter spacing and capitals
 * widen text, and wrapping makes it taller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "render/render.h"


int main(int argc, char **argv)
{
    char dir[] = "/tmp/incimap-text-XXXXXX", path[600];
    im_canvas *c = NULL;
    im_canvas_opts o;
    im_diag d;
    im_text_style ts;
    double w_join, w_apart, h, w1, w2, h1, h2;
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(path, sizeof path, "%s/t.png", dir);
    memset(&o, 0, sizeof o);
    o.format = IM_FORMAT_PNG;
    o.width_px = 200;
    o.height_px = 100;
    o.dpi = 96;
    o.font = "Noto Sans";
    im_diag_init(&d, NULL, NULL);
    if (im_canvas_create(path, &o, &c, &d) != 0) {
        fprintf(stderr, "canvas: %s\n", d.message);
        return 1;
    }
    memset(&ts, 0, sizeof ts);
    ts.size_pt = 12;
    ts.color.a = 1;
    /* "al-Tanf" joined, and the same letters with ZWNJ between each pair */
    im_text_measure(c, "\u0627\u0644\u062a\u0646\u0641", &ts, &w_join, &h);
    im_text_measure(c,
                    "\u0627\u200c\u0644\u200c\u062a\u200c\u0646\u200c\u0641", &ts, &w_apart, &h);
    CHECK(w_join > 10);
    CHECK(w_apart > w_join * 1.15);
    /* one Arabic letter alone has a real glyph (not a zero-width miss) */
    im_text_measure(c, "\u0628", &ts, &w1, &h1);
    CHECK(w1 > 3);
    /* spacing and capitals widen, wrapping makes taller */
    im_text_measure(c, "Syria", &ts, &w1, &h1);
    ts.spacing = 2;
    im_text_measure(c, "Syria", &ts, &w2, &h2);
    CHECK(w2 > w1 + 5);
    ts.spacing = 0;
    ts.upper = 1;
    im_text_measure(c, "Syria", &ts, &w2, &h2);
    CHECK(w2 > w1);
    ts.upper = 0;
    ts.wrap = 60;
    im_text_measure(c, "Sources: Interfax, The Wall Street Journal, AP", &ts, &w2, &h2);
    CHECK(w2 <= 60 + 1e-9);
    CHECK(h2 > 2 * h1);
    im_canvas_free(c);
    rmdir(dir);
    CHECK_DONE();
}
