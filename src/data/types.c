/* Vocabulary of the incident records: free-text incident types to
 * im_incident_type (ACLED's event and sub-event types land in the right
 * class) and the date formats people write, to ISO YYYY-MM-DD. */
#include <ctype.h>
#include <string.h>

#include "data/data.h"

/* A keyword is matched case-insensitively against the text:
 *   "!word"   the whole text is the word
 *   "=word"   a whole word ("IED" but not "allied")
 *   "^word"   the start of a word ("shell" in "Shelling")
 *   "*text"   anywhere ("explos" in "Explosions") */
typedef struct {
    im_incident_type type;
    const char *const *keywords;
} im_type_rule;

/* Rules are tried in order and the first match wins; the order is what
 * makes "Shelling/artillery/missile attack" artillery rather than missile or
 * ground, and "Suicide bomb" explosive rather than an air bombing. */
static const char *const im_kw_explosive_strong[] = {
    "^suicide", "=ied", "=ieds", "=vbied", "=vbieds", "^landmine", "^land mine",
    "^grenade", "^car bomb", "^car-bomb", "^booby", "^remote explosive", NULL};
static const char *const im_kw_air[] = {
    "!air", "^air strike", "^air-strike", "^airstrike", "^air raid", "^air attack",
    "^air/", "^air bombard", "^air-launched", "^aerial", "^aircraft", "^drone",
    "=uav", "=uavs", "^warplane", "^helicopter", "^bomber", "=bombing", "=bombings",
    "=jet", "=jets", NULL};
static const char *const im_kw_artillery[] = {
    "^shell", "^artillery", "^mortar", "=tank", "=tanks", "^howitzer", "=mlrs",
    "^bombard", "^cannon", NULL};
static const char *const im_kw_missile[] = {
    "^missile", "^rocket", "^tomahawk", "^ballistic", "=scud", NULL};
static const char *const im_kw_explosive[] = {
    "*explos", "*bomb", "=mine", "=mines", "^detonat", "=ied", NULL};
static const char *const im_kw_ground[] = {
    "^ground", "^armed clash", "^clash", "^battle", "^attack", "^assault", "^raid",
    "^ambush", "^firefight", "^gunfire", "^gunmen", "^shooting", "^sniper",
    "^infantry", "^offensive", "^incursion", "^skirmish", "^fighting", NULL};

static const im_type_rule im_type_rules[] = {
    {IM_ITYPE_EXPLOSIVE, im_kw_explosive_strong},
    {IM_ITYPE_AIR, im_kw_air},
    {IM_ITYPE_ARTILLERY, im_kw_artillery},
    {IM_ITYPE_MISSILE, im_kw_missile},
    {IM_ITYPE_EXPLOSIVE, im_kw_explosive},
    {IM_ITYPE_GROUND, im_kw_ground},
};

static int im_is_word_char(char c)
{
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

static int im_prefix_ci(const char *s, const char *prefix, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (!s[i] || tolower((unsigned char)s[i]) != tolower((unsigned char)prefix[i]))
            return 0;
    }
    return 1;
}

static int im_keyword_matches(const char *text, size_t len, const char *kw)
{
    char mode = kw[0];
    const char *word = kw + 1;
    size_t n = strlen(word), i;
    if (mode == '!')
        return len == n && im_prefix_ci(text, word, n);
    if (n > len)
        return 0;
    for (i = 0; i + n <= len; i++) {
        if (mode != '*' && i > 0 && im_is_word_char(text[i - 1]))
            continue;
        if (!im_prefix_ci(text + i, word, n))
            continue;
        if (mode == '=' && i + n < len && im_is_word_char(text[i + n]))
            continue;
        return 1;
    }
    return 0;
}

im_incident_type im_incident_type_parse(const char *text)
{
    size_t len, r;
    if (!text)
        return IM_ITYPE_OTHER;
    while (isspace((unsigned char)*text))
        text++;
    len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    for (r = 0; r < sizeof im_type_rules / sizeof im_type_rules[0]; r++) {
        const char *const *kw;
        for (kw = im_type_rules[r].keywords; *kw; kw++) {
            if (im_keyword_matches(text, len, *kw))
                return im_type_rules[r].type;
        }
    }
    return IM_ITYPE_OTHER;
}

const char *im_incident_type_name(im_incident_type t)
{
    static const char *const names[IM_ITYPE_COUNT] = {
        "Air strike", "Missile strike", "Artillery", "Ground attack", "Explosive/IED",
        "Other"};
    if ((int)t < 0 || t >= IM_ITYPE_COUNT)
        return "Other";
    return names[t];
}

/* ---- dates ---- */

static int im_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int im_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && im_leap(y) ? 29 : days[m - 1];
}

/* Read MIN..MAX decimal digits at *P into *V. */
static int im_digits(const char **p, int min, int max, int *v)
{
    int n = 0, x = 0;
    const char *s = *p;
    while (n < max && isdigit((unsigned char)s[n])) {
        x = x * 10 + (s[n] - '0');
        n++;
    }
    if (n < min || isdigit((unsigned char)s[n]))
        return -1;
    *p = s + n;
    *v = x;
    return 0;
}

/* A month name, full or abbreviated to at least three letters ("Sep",
 * "Sept", "September"), with an optional trailing dot. */
static int im_month_name(const char **p, int *m)
{
    static const char *const months[12] = {
        "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"};
    const char *s = *p;
    size_t n = 0;
    int i;
    while (isalpha((unsigned char)s[n]))
        n++;
    if (n < 3)
        return -1;
    for (i = 0; i < 12; i++) {
        if (n <= strlen(months[i]) && im_prefix_ci(s, months[i], n)) {
            *m = i + 1;
            s += n;
            if (*s == '.')
                s++;
            *p = s;
            return 0;
        }
    }
    return -1;
}

/* Skip at least one of the characters in SET (at most a few). */
static int im_skip_seps(const char **p, const char *set)
{
    const char *s = *p;
    int n = 0;
    while (*s && strchr(set, *s) && n < 4) {
        s++;
        n++;
    }
    if (n == 0)
        return -1;
    *p = s;
    return 0;
}

/* What may follow a date: nothing, or a time ("T10:00:00Z", " 10:00"). */
static int im_date_tail_ok(const char *s)
{
    if (*s == '\0')
        return 1;
    return (*s == 'T' || *s == 't' || *s == ' ') && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && s[3] == ':' && isdigit((unsigned char)s[4]) &&
           isdigit((unsigned char)s[5]);
}

/* Three digit groups with one separator ('-', '/' or '.') between them:
 * year, month, day when YEAR_FIRST, else day, month, year. */
static int im_date_numeric(const char *s, int year_first, int *y, int *m, int *d)
{
    int *parts[3];
    int i;
    char sep = 0;
    parts[0] = year_first ? y : d;
    parts[1] = m;
    parts[2] = year_first ? d : y;
    for (i = 0; i < 3; i++) {
        int is_year = parts[i] == y;
        if (im_digits(&s, is_year ? 4 : 1, is_year ? 4 : 2, parts[i]) != 0)
            return -1;
        if (i == 2)
            break;
        if (i == 0) {
            sep = *s;
            if (sep != '-' && sep != '/' && sep != '.')
                return -1;
        } else if (*s != sep) {
            return -1;
        }
        s++;
    }
    return im_date_tail_ok(s) ? 0 : -1;
}

static int im_date_ymd(const char *s, int *y, int *m, int *d)
{
    return im_date_numeric(s, 1, y, m, d);
}

static int im_date_dmy(const char *s, int *y, int *m, int *d)
{
    return im_date_numeric(s, 0, y, m, d);
}

/* 18 May 2017, 18-May-2017 */
static int im_date_d_month_y(const char *s, int *y, int *m, int *d)
{
    if (im_digits(&s, 1, 2, d) != 0 || im_skip_seps(&s, " -") != 0 ||
        im_month_name(&s, m) != 0 || im_skip_seps(&s, " -,") != 0 ||
        im_digits(&s, 4, 4, y) != 0)
        return -1;
    return im_date_tail_ok(s) ? 0 : -1;
}

/* May 18, 2017 and May 18 2017 */
static int im_date_month_d_y(const char *s, int *y, int *m, int *d)
{
    if (im_month_name(&s, m) != 0 || im_skip_seps(&s, " ") != 0 ||
        im_digits(&s, 1, 2, d) != 0 || im_skip_seps(&s, " ,") != 0 ||
        im_digits(&s, 4, 4, y) != 0)
        return -1;
    return im_date_tail_ok(s) ? 0 : -1;
}

/* 20170518, as DBF date fields store it */
static int im_date_compact(const char *s, int *y, int *m, int *d)
{
    int v;
    if (im_digits(&s, 8, 8, &v) != 0 || *s)
        return -1;
    *y = v / 10000;
    *m = v / 100 % 100;
    *d = v % 100;
    return 0;
}

/* "YYYY-MM-DD" of a validated date (by hand: the ranges are known). */
static void im_date_format(char out[11], int y, int m, int d)
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* TEXT without surrounding spaces, copied into BUF (64 bytes); -1 when
 * it is empty or too long to be a date. */
static int im_date_copy_trimmed(const char *text, char buf[64])
{
    size_t n;
    while (isspace((unsigned char)*text))
        text++;
    n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    if (n == 0 || n >= 64)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return 0;
}

int im_date_parse(const char *text, char out[11])
{
    typedef int (*im_date_fmt)(const char *, int *, int *, int *);
    static const im_date_fmt formats[] = {im_date_ymd, im_date_dmy, im_date_d_month_y,
                                          im_date_month_d_y, im_date_compact};
    char buf[64];
    size_t i;
    const char *s;
    if (!text)
        return -1;
    if (im_date_copy_trimmed(text, buf) != 0)
        return -1;
    s = buf;
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        int y = 0, m = 0, d = 0;
        if (formats[i](s, &y, &m, &d) != 0)
            continue;
        if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 ||
            d > im_days_in_month(y, m))
            return -1;
        im_date_format(out, y, m, d);
        return 0;
    }
    return -1;
}

/* "YYYY" or "YYYY-MM" / "YYYY/MM": a year or a month. */
static int im_date_partial_numeric(const char *s, int *y, int *m)
{
    if (im_digits(&s, 4, 4, y) != 0)
        return -1;
    if (*s == '\0') {
        *m = 0;
        return 0;
    }
    if (*s != '-' && *s != '/')
        return -1;
    s++;
    if (im_digits(&s, 1, 2, m) != 0 || *s)
        return -1;
    return 0;
}

/* "May 2017", "May, 2017" */
static int im_date_month_year(const char *s, int *y, int *m)
{
    if (im_month_name(&s, m) != 0 || im_skip_seps(&s, " ,") != 0 ||
        im_digits(&s, 4, 4, y) != 0 || *s)
        return -1;
    return 0;
}

int im_date_parse_bound(const char *text, int end, char out[11])
{
    char buf[64];
    int y = 0, m = 0;
    if (im_date_parse(text, out) == 0)
        return 0;
    if (!text)
        return -1;
    if (im_date_copy_trimmed(text, buf) != 0)
        return -1;
    if (im_date_partial_numeric(buf, &y, &m) != 0 && im_date_month_year(buf, &y, &m) != 0)
        return -1;
    if (y < 1900 || y > 2100 || m < 0 || m > 12)
        return -1;
    if (m == 0)
        im_date_format(out, y, end ? 12 : 1, end ? 31 : 1);
    else
        im_date_format(out, y, m, end ? im_days_in_month(y, m) : 1);
    return 0;
}
