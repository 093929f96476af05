/* The symbology of the kept incidents, decided once after loading: which
 * symbol class each is in (by type, or by the values of any field, the
 * most frequent first), the key its colour goes by, its size when sized by
 * a number, and its label text when labelled by a field.  The drawing and
 * the legend read these from the model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/load.h"
#include "carto/carto.h"
#include "core/util.h"
#include "data/data.h"
#include "render/render.h"

/* The value of FIELD kept with INC ("" when it has none). */
static const char *im_attr_of(const im_incident *inc, const char *field)
{
    int i;
    for (i = 0; i < inc->nattrs; i++)
        if (im_streq_ci(inc->attrs[i].name, field))
            return inc->attrs[i].value;
    return "";
}

typedef struct {
    const char *value;
    int count;
} im_value_count;

static int im_by_name(const void *a, const void *b)
{
    return strcmp(((const im_value_count *)a)->value, ((const im_value_count *)b)->value);
}

static int im_by_count(const void *a, const void *b)
{
    const im_value_count *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->value, y->value);
}

/* Symbol classes by the values of m->symbol_by: the five most frequent get
 * a shape each, and the rest share the cross as "Other" (a sixth value
 * keeps its own name). */
static int im_classify_by_field(im_map *m)
{
    static const int shapes[IM_ITYPE_COUNT] = {IM_SHAPE_CIRCLE, IM_SHAPE_TRIANGLE,
                                               IM_SHAPE_SQUARE, IM_SHAPE_DIAMOND,
                                               IM_SHAPE_STAR,   IM_SHAPE_CROSS};
    im_value_count *vc = NULL;
    im_str_count *distinct = NULL;
    const char **values;
    size_t nd = 0;
    int n = m->nincidents, nv = 0, i, j, nclass;
    values = malloc((size_t)(n > 0 ? n : 1) * sizeof *values);
    if (!values)
        return -1;
    for (i = 0; i < n; i++)
        values[i] = im_attr_of(&m->incidents[i], m->symbol_by);
    /* the values are pooled: count the distinct pointers, then sort those */
    distinct = im_count_ptrs(values, (size_t)n, &nd);
    free(values);
    if (distinct)
        vc = malloc((nd > 0 ? nd : 1) * sizeof *vc);
    if (!vc) {
        free(distinct);
        return -1;
    }
    for (i = 0; i < (int)nd; i++) {
        vc[i].value = distinct[i].str;
        vc[i].count = distinct[i].count;
    }
    free(distinct);
    qsort(vc, nd, sizeof *vc, im_by_name);
    for (i = 0; i < (int)nd; i++) {
        if (nv > 0 && strcmp(vc[nv - 1].value, vc[i].value) == 0)
            vc[nv - 1].count += vc[i].count;
        else
            vc[nv++] = vc[i];
    }
    qsort(vc, (size_t)nv, sizeof *vc, im_by_count);
    nclass = nv <= IM_ITYPE_COUNT ? nv : IM_ITYPE_COUNT;
    for (j = 0; j < nclass; j++) {
        int other = nv > IM_ITYPE_COUNT && j == IM_ITYPE_COUNT - 1;
        m->symbol_classes[j].name = other ? "Other" : *vc[j].value ? vc[j].value : "(none)";
        m->symbol_classes[j].shape = shapes[j];
        m->symbol_classes[j].count = 0;
    }
    m->nsymbol_classes = nclass;
    for (i = 0; i < n; i++) {
        im_incident *inc = &m->incidents[i];
        const char *v = im_attr_of(inc, m->symbol_by);
        int c = nclass - 1;
        for (j = 0; j < nclass; j++) {
            if (!(nv > IM_ITYPE_COUNT && j == IM_ITYPE_COUNT - 1) &&
                (vc[j].value == v || strcmp(vc[j].value, v) == 0)) {
                c = j;
                break;
            }
        }
        inc->symbol_class = c;
        m->symbol_classes[c].count++;
    }
    free(vc);
    return 0;
}

/* Sizes by m->size_by: symbol area in proportion to the value, the largest
 * value at m->size_max px across; values that are no positive number get
 * the smallest size, half the map's symbol size. */
static void im_classify_size(im_map *m)
{
    double vmax = 0, dmax = m->size_max > 0 ? m->size_max : 3 * m->symbol_size;
    double dmin = 0.5 * m->symbol_size;
    int i;
    if (dmin > dmax)
        dmin = dmax;
    for (i = 0; i < m->nincidents; i++) {
        double v;
        if (im_parse_double(im_attr_of(&m->incidents[i], m->size_by), &v) == 0 && v > vmax)
            vmax = v;
    }
    for (i = 0; i < m->nincidents; i++) {
        double v = 0, dd = dmin;
        if (vmax > 0 && im_parse_double(im_attr_of(&m->incidents[i], m->size_by), &v) == 0 &&
            v > 0)
            dd = fmax(dmin, dmax * sqrt(v / vmax));
        m->incidents[i].size = dd;
    }
}

int im_map_classify(im_map *m, im_diag *d)
{
    int i, t, by_actor;
    if (m->symbol_shape) {
        /* one shape for all: the names are im_shape_kind's first six */
        static const char *const shapes[] = {"circle", "triangle", "square", "diamond", "star", "cross"};
        m->symbol_classes[0].name = "Incident";
        m->symbol_classes[0].shape = IM_SHAPE_CIRCLE;
        for (t = 0; t < (int)(sizeof shapes / sizeof shapes[0]); t++)
            if (strcmp(m->symbol_shape, shapes[t]) == 0)
                m->symbol_classes[0].shape = IM_SHAPE_CIRCLE + t;
        m->symbol_classes[0].count = m->nincidents;
        m->nsymbol_classes = 1;
        for (i = 0; i < m->nincidents; i++)
            m->incidents[i].symbol_class = 0;
    } else if (!m->symbol_by || im_streq_ci(m->symbol_by, "type")) {
        for (t = 0; t < IM_ITYPE_COUNT; t++) {
            m->symbol_classes[t].name = im_incident_type_name((im_incident_type)t);
            m->symbol_classes[t].shape = (int)im_carto_type_shape((im_incident_type)t);
            m->symbol_classes[t].count = 0;
        }
        m->nsymbol_classes = IM_ITYPE_COUNT;
        for (i = 0; i < m->nincidents; i++) {
            m->incidents[i].symbol_class = (int)m->incidents[i].type;
            m->symbol_classes[m->incidents[i].type].count++;
        }
    } else if (im_classify_by_field(m) != 0) {
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    by_actor = !m->color_by || im_streq_ci(m->color_by, "actor");
    for (i = 0; i < m->nincidents; i++) {
        im_incident *inc = &m->incidents[i];
        inc->color_key = by_actor ? inc->actor : im_attr_of(inc, m->color_by);
        if (m->label_by)
            inc->label = im_attr_of(inc, m->label_by);
    }
    if (m->size_by)
        im_classify_size(m);
    return 0;
}
