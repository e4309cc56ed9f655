#include "family_finding_factors.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "postcodes.h"

void ff_text_add(struct ff_text *text, const char *format, ...) {
  if (text == NULL) {
    return;
  }
  size_t room = sizeof text->buf - text->used;
  if (room <= 1) {
    return;
  }
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text->buf + text->used, room, format, args);
  va_end(args);
  if (n <= 0) {
    return;
  }
  if ((size_t)n < room) {
    text->used += (size_t)n;
    return;
  }
  /* Cut: never inside a UTF-8 character, so that the evidence stays valid text for the JSON
   * answer. The last character kept starts at its lead byte (continuations are 10xxxxxx). */
  size_t kept = sizeof text->buf - 1;
  size_t start = kept;
  while (start > text->used && ((unsigned char)text->buf[start - 1] & 0xC0) == 0x80) {
    start--;
  }
  if (start > text->used) {
    unsigned char lead = (unsigned char)text->buf[start - 1];
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
    if (start - 1 + length > kept) {
      kept = start - 1;
    }
  }
  text->buf[kept] = '\0';
  text->used = kept;
}

/* Whether the string array `list` holds `value`, case aside. */
static bool list_holds(const json_t *list, const char *value) {
  size_t i;
  const json_t *item;
  json_array_foreach(list, i, item) {
    if (json_is_string(item) && strcasecmp(json_string_value(item), value) == 0) {
      return true;
    }
  }
  return false;
}

/* Appends the string `item` to `values` unless it is empty or there already (case aside). */
static void add_value(json_t *values, const json_t *item) {
  if (json_is_string(item) && json_string_length(item) > 0 &&
      !list_holds(values, json_string_value(item))) {
    json_array_append(values, (json_t *)item);
  }
}

/* The values of `field` (a string or an array of strings) over every child, each once (case
 * aside), in the children's order. Owned by the caller. */
static json_t *children_values(const json_t *children, const char *field) {
  json_t *values = json_array();
  size_t i;
  const json_t *child;
  json_array_foreach(children, i, child) {
    const json_t *value = json_object_get(child, field);
    size_t j;
    const json_t *item;
    json_array_foreach(value, j, item) {
      add_value(values, item);
    }
    add_value(values, value);
  }
  return values;
}

/* Writes the string array `list` into `text` as "a, b, c" ("none" when empty). */
static void add_list(struct ff_text *text, const json_t *list) {
  if (json_array_size(list) == 0) {
    ff_text_add(text, "none recorded");
  }
  size_t i;
  const json_t *item;
  json_array_foreach(list, i, item) {
    ff_text_add(text, "%s%s", i > 0 ? ", " : "", json_string_value(item));
  }
}

/* Whether a carer's skill names `need`, case, spaces and hyphens aside. */
static bool skill_names_need(const char *skill, const char *need) {
  for (; *skill != '\0' && *need != '\0'; skill++, need++) {
    char s = (*skill == ' ' || *skill == '-') ? '_' : (char)tolower((unsigned char)*skill);
    if (s != *need) {
      return false;
    }
  }
  return *skill == '\0' && *need == '\0';
}

static int needs_rank(const json_t *children, const json_t *carer, struct ff_text *evidence) {
  json_t *needs = children_values(children, "needs");
  const json_t *skills = json_object_get(carer, "skills");
  int unmet = 0;
  if (json_array_size(needs) == 0) {
    ff_text_add(evidence, "no needs or risks recorded for the child");
  }
  size_t i;
  const json_t *need;
  json_array_foreach(needs, i, need) {
    const char *meeting = NULL;
    size_t j;
    const json_t *skill;
    json_array_foreach(skills, j, skill) {
      if (meeting == NULL && json_is_string(skill) &&
          skill_names_need(json_string_value(skill), json_string_value(need))) {
        meeting = json_string_value(skill);
      }
    }
    if (meeting != NULL) {
      ff_text_add(evidence, "%s%s: met (carer's skill '%s')", i > 0 ? "; " : "",
                  json_string_value(need), meeting);
    } else {
      ff_text_add(evidence, "%s%s: not met (no such skill recorded)", i > 0 ? "; " : "",
                  json_string_value(need));
      unmet++;
    }
  }
  json_decref(needs);
  return unmet;
}

static const char *const RELATIONS[] = {"same postcode district", "same postcode area",
                                        "another postcode area"};

/* 0 same postcode district, 1 same area, 2 another area. */
static int area_relation(const char *district, const char *other) {
  char area[POSTCODE_AREA_SIZE];
  char other_area[POSTCODE_AREA_SIZE];
  if (strcmp(district, other) == 0) {
    return 0;
  }
  postcode_area(district, area);
  postcode_area(other, other_area);
  return strcmp(area, other_area) == 0 ? 1 : 2;
}

/* The carer's postcode district into `district`; false when none is recorded. */
static bool carer_district(const json_t *carer, char district[POSTCODE_DISTRICT_SIZE]) {
  return postcode_district(json_string_value(json_object_get(carer, "postcode")), district);
}

static int wishes_rank(const json_t *children, const json_t *carer, struct ff_text *evidence) {
  char home[POSTCODE_DISTRICT_SIZE];
  bool home_known = carer_district(carer, home);
  int unmet = 0;
  int reported = 0;
  size_t i;
  const json_t *child;
  json_array_foreach(children, i, child) {
    size_t j;
    const json_t *wish;
    json_array_foreach(json_object_get(child, "wishes"), j, wish) {
      const char *kind = json_string_value(json_object_get(wish, "kind"));
      const char *words = json_string_value(json_object_get(wish, "in_their_words"));
      ff_text_add(evidence, "%s'%s'", reported++ > 0 ? "; " : "", words != NULL ? words : "");
      char wanted[POSTCODE_DISTRICT_SIZE];
      if (kind != NULL && strcmp(kind, "near") == 0 &&
          postcode_district(json_string_value(json_object_get(wish, "postcode")), wanted)) {
        int relation = home_known ? area_relation(home, wanted) : -1;
        if (relation < 0) {
          ff_text_add(evidence, " (near %s): not met, the carer's postcode is not recorded",
                      wanted);
        } else {
          ff_text_add(evidence, " (near %s): %s, carer %s, %s", wanted,
                      relation == 0 ? "met" : "not met", home, RELATIONS[relation]);
        }
        unmet += relation != 0;
      } else if (kind != NULL && strcmp(kind, "pet") == 0) {
        const char *pet = json_string_value(json_object_get(wish, "pet"));
        bool has = pet != NULL && list_holds(json_object_get(carer, "pets"), pet);
        ff_text_add(evidence, has ? ": met, the household has a %s"
                                  : ": not met, no %s in the household",
                    pet != NULL ? pet : "pet");
        unmet += !has;
      } else {
        ff_text_add(evidence, ": for the worker to weigh (the search cannot check it)");
      }
    }
  }
  if (reported == 0) {
    ff_text_add(evidence, "no wishes recorded for the search to weigh");
  }
  return unmet;
}

/* The areas of each child's school and home, against the carer's district: the nearest. */
static int distance_rank(const json_t *children, const json_t *carer, struct ff_text *evidence) {
  static const char *const FIELDS[] = {"school_area", "home_area"};
  static const char *const WHAT[] = {"school", "home"};
  char home[POSTCODE_DISTRICT_SIZE];
  if (!carer_district(carer, home)) {
    ff_text_add(evidence, "the carer's postcode is not recorded");
    return 3;
  }
  int best = 3;
  char best_district[POSTCODE_DISTRICT_SIZE] = "";
  const char *best_what = NULL;
  size_t i;
  const json_t *child;
  json_array_foreach(children, i, child) {
    for (size_t f = 0; f < 2; f++) {
      char district[POSTCODE_DISTRICT_SIZE];
      if (postcode_district(json_string_value(json_object_get(child, FIELDS[f])), district)) {
        int relation = area_relation(home, district);
        if (relation < best) {
          best = relation;
          best_what = WHAT[f];
          memcpy(best_district, district, sizeof best_district);
        }
      }
    }
  }
  if (best_what == NULL) {
    ff_text_add(evidence, "carer %s; no school or home area recorded for the child", home);
  } else {
    ff_text_add(evidence, "carer %s, child's %s %s: %s", home, best_what, best_district,
                RELATIONS[best]);
  }
  return best;
}

static int language_rank(const json_t *children, const json_t *carer, struct ff_text *evidence) {
  json_t *languages = children_values(children, "languages");
  const json_t *spoken = json_object_get(carer, "languages");
  json_t *shared = json_array();
  size_t i;
  const json_t *language;
  json_array_foreach(languages, i, language) {
    if (list_holds(spoken, json_string_value(language))) {
      json_array_append(shared, (json_t *)language);
    }
  }
  int rank = 0;
  if (json_array_size(languages) == 0) {
    ff_text_add(evidence, "no language recorded for the child");
  } else if (json_array_size(shared) > 0) {
    ff_text_add(evidence, "shares ");
    add_list(evidence, shared);
  } else {
    ff_text_add(evidence, "shares none of the child's (");
    add_list(evidence, languages);
    ff_text_add(evidence, "); the household's: ");
    add_list(evidence, json_is_array(spoken) ? spoken : NULL);
    rank = 1;
  }
  json_decref(shared);
  json_decref(languages);
  return rank;
}

static int religion_and_culture_rank(const json_t *children, const json_t *carer,
                                     struct ff_text *evidence) {
  json_t *religions = children_values(children, "religion");
  json_t *ethnicities = children_values(children, "ethnicity");
  const char *faith = json_string_value(json_object_get(carer, "religion"));
  const json_t *household = json_object_get(carer, "ethnicities");
  int unshared = 0;
  int reported = 0;
  size_t i;
  const json_t *value;
  json_array_foreach(religions, i, value) {
    bool shared = faith != NULL && strcasecmp(faith, json_string_value(value)) == 0;
    ff_text_add(evidence, "%sreligion %s: %s%s", reported++ > 0 ? "; " : "",
                json_string_value(value), shared ? "shared" : "the household's is ",
                shared ? "" : (faith != NULL ? faith : "not recorded"));
    unshared += !shared;
  }
  json_array_foreach(ethnicities, i, value) {
    bool shared = list_holds(household, json_string_value(value));
    ff_text_add(evidence, "%sethnicity %s: %s", reported++ > 0 ? "; " : "",
                json_string_value(value),
                shared ? "shared by the household" : "not shared (the household's: ");
    if (!shared) {
      add_list(evidence, json_is_array(household) ? household : NULL);
      ff_text_add(evidence, ")");
    }
    unshared += !shared;
  }
  if (reported == 0) {
    ff_text_add(evidence, "no religion or ethnicity recorded for the child");
  }
  json_decref(religions);
  json_decref(ethnicities);
  return unshared;
}

/* M11: an agency's carer means the fee discussion with the agency before panel. */
static int in_house_rank(const json_t *carer, struct ff_text *evidence) {
  const char *agency = json_string_value(json_object_get(carer, "agency_id"));
  if (agency == NULL) {
    ff_text_add(evidence, "in-house carer");
    return 0;
  }
  ff_text_add(evidence,
              "carer of agency %s: the fee discussion with the agency is recorded before panel "
              "(M11)",
              agency);
  return 1;
}

int ff_factor_rank(enum ff_factor factor, const json_t *children, const json_t *carer,
                   struct ff_text *evidence) {
  switch (factor) {
  case FF_NEEDS: return needs_rank(children, carer, evidence);
  case FF_WISHES: return wishes_rank(children, carer, evidence);
  case FF_DISTANCE: return distance_rank(children, carer, evidence);
  case FF_LANGUAGE: return language_rank(children, carer, evidence);
  case FF_RELIGION_AND_CULTURE: return religion_and_culture_rank(children, carer, evidence);
  case FF_IN_HOUSE: return in_house_rank(carer, evidence);
  case FF_FACTOR_COUNT: break;
  }
  return 0;
}
