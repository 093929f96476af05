/* Fuzz target: the date parser (im_date_parse, im_date_parse_bound) on a
 * NUL-terminated copy of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char iso[11];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (im_date_parse(text, iso) == 0 && strlen(iso) != 10)
        abort();
    if (im_date_parse_bound(text, 0, iso) == 0 && strlen(iso) != 10)
        abort();
    if (im_date_parse_bound(text, 1, iso) == 0 && strlen(iso) != 10)
        abort();
    free(text);
    return 0;
}
