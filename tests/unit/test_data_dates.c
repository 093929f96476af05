/* Dates and incident types: every accepted date format, calendar checks
 * (month lengths, leap years, the 1900..2100 range), and the classification
 * of ACLED's event and sub-event types and of our own vocabulary. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "data/data.h"

static void check_date(const char *text, const char *want)
{
    char out[11] = "unchanged";
    int rc = im_date_parse(text, out);
    if (want) {
        if (rc != 0 || strcmp(out, want) != 0) {
            fprintf(stderr, "date \"%s\": got %d \"%s\", wanted \"%s\"\n", text, rc,
                    rc == 0 ? out : "", want);
            CHECK(0);
        }
    } else if (rc != -1) {
        fprintf(stderr, "date \"%s\": accepted as \"%s\", should be rejected\n", text, out);
        CHECK(0);
    }
}

static void test_dates(void)
{
    /* formats */
    check_date("2017-05-18", "2017-05-18");
    check_date("  2017-05-18 ", "2017-05-18");
    check_date("2017-5-8", "2017-05-08");
    check_date("2017/05/18", "2017-05-18");
    check_date("18 May 2017", "2017-05-18");
    check_date("8 may 2017", "2017-05-08");
    check_date("18 September 2017", "2017-09-18");
    check_date("18 Sept 2017", "2017-09-18");
    check_date("18 Sep. 2017", "2017-09-18");
    check_date("18-May-2017", "2017-05-18");
    check_date("18-05-2017", "2017-05-18");
    check_date("18/05/2017", "2017-05-18");
    check_date("01/02/2017", "2017-02-01"); /* day first */
    check_date("18.05.2017", "2017-05-18");
    check_date("May 18, 2017", "2017-05-18");
    check_date("May 18 2017", "2017-05-18");
    check_date("December 1, 1999", "1999-12-01");
    check_date("2017-05-18T10:00:00Z", "2017-05-18");
    check_date("2017-05-18 10:00", "2017-05-18");
    check_date("20170518", "2017-05-18");

    /* calendar */
    check_date("2016-02-29", "2016-02-29");
    check_date("2000-02-29", "2000-02-29");
    check_date("2017-02-29", NULL);
    check_date("1900-02-29", NULL);
    check_date("2100-02-29", NULL);
    check_date("2017-02-30", NULL);
    check_date("2017-04-31", NULL);
    check_date("2017-13-01", NULL);
    check_date("2017-00-10", NULL);
    check_date("2017-05-00", NULL);
    check_date("31/04/2017", NULL);
    check_date("1899-12-31", NULL);
    check_date("2101-01-01", NULL);
    check_date("1900-01-01", "1900-01-01");
    check_date("2100-12-31", "2100-12-31");

    /* not dates */
    check_date("", NULL);
    check_date("   ", NULL);
    check_date(NULL, NULL);
    check_date("yesterday", NULL);
    check_date("2017", NULL);
    check_date("2017-05", NULL);
    check_date("2017-05-18x", NULL);
    check_date("2017-05/18", NULL);
    check_date("18 Mayo 2017", NULL);
    check_date("18 Ma 2017", NULL);
    check_date("May 2017", NULL);
    check_date("123-05-18", NULL);
    check_date("2017-005-18", NULL);
    check_date("17/05/18", NULL);
    check_date("2017-05-18T", NULL);
    check_date("2017-05-18T10", NULL);
    check_date("2017-05-18 2017-05-19", NULL);
    check_date("201705180", NULL);
    check_date("2017-05-18 2017-05-19 and a very long tail that goes on and on and on", NULL);
}

static void check_type(const char *text, im_incident_type want)
{
    im_incident_type got = im_incident_type_parse(text);
    if (got != want) {
        fprintf(stderr, "type \"%s\": got %s, wanted %s\n", text ? text : "(null)",
                im_incident_type_name(got), im_incident_type_name(want));
        CHECK(0);
    }
}

static void test_types(void)
{
    /* ACLED sub-event types */
    check_type("Air/drone strike", IM_ITYPE_AIR);
    check_type("Shelling/artillery/missile attack", IM_ITYPE_ARTILLERY);
    check_type("Remote explosive/landmine/IED", IM_ITYPE_EXPLOSIVE);
    check_type("Suicide bomb", IM_ITYPE_EXPLOSIVE);
    check_type("Grenade", IM_ITYPE_EXPLOSIVE);
    check_type("Armed clash", IM_ITYPE_GROUND);
    check_type("Attack", IM_ITYPE_GROUND);
    check_type("Government regains territory", IM_ITYPE_OTHER);
    check_type("Abduction/forced disappearance", IM_ITYPE_OTHER);
    check_type("Peaceful protest", IM_ITYPE_OTHER);
    /* ACLED event types */
    check_type("Battles", IM_ITYPE_GROUND);
    check_type("Explosions/Remote violence", IM_ITYPE_EXPLOSIVE);
    check_type("Violence against civilians", IM_ITYPE_OTHER);
    /* our vocabulary and display names */
    check_type("air strike", IM_ITYPE_AIR);
    check_type("Air strike", IM_ITYPE_AIR);
    check_type("airstrike", IM_ITYPE_AIR);
    check_type("air", IM_ITYPE_AIR);
    check_type("missile strike", IM_ITYPE_MISSILE);
    check_type("Missile strike", IM_ITYPE_MISSILE);
    check_type("artillery", IM_ITYPE_ARTILLERY);
    check_type("ground attack", IM_ITYPE_GROUND);
    check_type("Ground attack", IM_ITYPE_GROUND);
    check_type("explosive", IM_ITYPE_EXPLOSIVE);
    check_type("Explosive/IED", IM_ITYPE_EXPLOSIVE);
    check_type("other", IM_ITYPE_OTHER);
    check_type("Other", IM_ITYPE_OTHER);
    /* free text */
    check_type("  DRONE strike  ", IM_ITYPE_AIR);
    check_type("Bombing by aircraft", IM_ITYPE_AIR);
    check_type("aerial bombing", IM_ITYPE_AIR);
    check_type("Tomahawk", IM_ITYPE_MISSILE);
    check_type("rocket attack", IM_ITYPE_MISSILE);
    check_type("Missile strike on an air base", IM_ITYPE_MISSILE);
    check_type("mortar fire", IM_ITYPE_ARTILLERY);
    check_type("tank shelling", IM_ITYPE_ARTILLERY);
    check_type("IED", IM_ITYPE_EXPLOSIVE);
    check_type("car bomb", IM_ITYPE_EXPLOSIVE);
    check_type("suicide bombing", IM_ITYPE_EXPLOSIVE);
    check_type("landmine", IM_ITYPE_EXPLOSIVE);
    check_type("Allied raid", IM_ITYPE_GROUND); /* "ied" inside a word is not IED */
    check_type("Attack on airport", IM_ITYPE_GROUND);
    check_type("assault", IM_ITYPE_GROUND);
    check_type("Repair works", IM_ITYPE_OTHER); /* "air" inside a word */
    check_type("", IM_ITYPE_OTHER);
    check_type(NULL, IM_ITYPE_OTHER);

    CHECK_STR(im_incident_type_name(IM_ITYPE_AIR), "Air strike");
    CHECK_STR(im_incident_type_name(IM_ITYPE_MISSILE), "Missile strike");
    CHECK_STR(im_incident_type_name(IM_ITYPE_ARTILLERY), "Artillery");
    CHECK_STR(im_incident_type_name(IM_ITYPE_GROUND), "Ground attack");
    CHECK_STR(im_incident_type_name(IM_ITYPE_EXPLOSIVE), "Explosive/IED");
    CHECK_STR(im_incident_type_name(IM_ITYPE_OTHER), "Other");
    CHECK_STR(im_incident_type_name(IM_ITYPE_COUNT), "Other");
    {
        /* each display name maps back to its own type */
        int t;
        for (t = 0; t < IM_ITYPE_COUNT; t++)
            CHECK(im_incident_type_parse(im_incident_type_name((im_incident_type)t)) ==
                  (im_incident_type)t);
    }
}

/* Bounds of a time window: whole dates, or a month or a year standing for
 * its first day (from) or its last (to). */
static void check_bound(const char *text, int end, const char *want)
{
    char out[11] = "";
    int rc = im_date_parse_bound(text, end, out);
    if (!want) {
        if (rc != -1) {
            fprintf(stderr, "%s:%d: '%s' should not be a bound, got %s\n", __FILE__, __LINE__,
                    text, out);
            im_test_failures++;
        }
        return;
    }
    CHECK(rc == 0);
    CHECK_STR(out, want);
}

static void test_bounds(void)
{
    check_bound("2017-05-18", 0, "2017-05-18");
    check_bound("18 May 2017", 1, "2017-05-18");
    check_bound("18/05/2017", 1, "2017-05-18");
    check_bound("2017-05", 0, "2017-05-01");
    check_bound("2017-05", 1, "2017-05-31");
    check_bound("2016/2", 1, "2016-02-29");
    check_bound("2017-02", 1, "2017-02-28");
    check_bound("May 2017", 0, "2017-05-01");
    check_bound("Sept, 2017", 1, "2017-09-30");
    check_bound(" 2017 ", 0, "2017-01-01");
    check_bound("2017", 1, "2017-12-31");
    check_bound("2017-13", 0, NULL);
    check_bound("17", 0, NULL);
    check_bound("1850", 0, NULL);
    check_bound("2017-05-32", 0, NULL);
    check_bound("yesterday", 0, NULL);
    check_bound("", 0, NULL);
    check_bound(NULL, 0, NULL);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_dates();
    test_types();
    test_bounds();
    CHECK_DONE();
}
