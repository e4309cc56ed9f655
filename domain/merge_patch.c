#include "merge_patch.h"

json_t *merge_patch_apply(const json_t *target, const json_t *patch) {
  if (!json_is_object(patch)) {
    return json_deep_copy(patch);
  }
  json_t *result = json_is_object(target) ? json_deep_copy(target) : json_object();
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)patch, key, value) {
    if (json_is_null(value)) {
      json_object_del(result, key);
    } else {
      json_t *merged = merge_patch_apply(json_object_get(result, key), value);
      json_object_set_new(result, key, merged);
    }
  }
  return result;
}

bool field_changed(const json_t *before, const json_t *after, const char *key) {
  const json_t *old_value = json_object_get(before, key);
  const json_t *new_value = json_object_get(after, key);
  if (old_value == NULL || new_value == NULL) {
    return old_value != new_value;
  }
  return !json_equal(old_value, new_value);
}

json_t *changed_fields(const json_t *before, const json_t *after) {
  json_t *old_values = json_object();
  json_t *new_values = json_object();
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)after, key, value) {
    json_t *previous = before != NULL ? json_object_get(before, key) : NULL;
    if (previous == NULL || !json_equal(previous, value)) {
      json_object_set(new_values, key, value);
      if (previous != NULL) {
        json_object_set(old_values, key, previous);
      }
    }
  }
  if (before != NULL) {
    json_object_foreach((json_t *)before, key, value) {
      if (json_object_get(after, key) == NULL) {
        json_object_set(old_values, key, value);
      }
    }
  }
  return json_pack("{s:o, s:o}", "before", old_values, "after", new_values);
}
