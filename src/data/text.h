/* Text helpers for the data readers: UTF-8 validation and blank trimming.
 * Nothing here allocates; callers own every buffer they pass in. */
#ifndef IM_DATA_TEXT_H
#define IM_DATA_TEXT_H

#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at S (N bytes available),
 * or 0 when the bytes there are not one: stray continuation bytes, overlong
 * forms, surrogates and code points above U+10FFFF are all rejected. */
size_t im_utf8_seq(const unsigned char *s, size_t n);

/* 1 if the N bytes at S are well-formed UTF-8 (NUL bytes included). */
int im_utf8_valid(const char *s, size_t n);

/* Trim ASCII blanks (space, tab, CR, LF) from both ends of the NUL-terminated
 * S in place; returns the first non-blank character. */
char *im_trim(char *s);

#endif
