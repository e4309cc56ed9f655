#include "log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <yder.h>

static const char *level_name(unsigned long level) {
  switch (level) {
  case Y_LOG_LEVEL_ERROR: return "error";
  case Y_LOG_LEVEL_WARNING: return "warning";
  case Y_LOG_LEVEL_INFO: return "info";
  default: return "debug";
  }
}

/* Writes one line; stdio locks the stream, so lines from threads do not interleave. Our own
 * messages are JSON members ("\"event\":..."); the libraries' plain text becomes "message". */
static void write_line(void *cls, const char *app_name, const time_t date, const unsigned long level,
                       const char *message) {
  (void)cls;
  (void)app_name;
  struct tm tm;
  char when[32];
  gmtime_r(&date, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (message[0] == '"') {
    fprintf(stderr, "{\"time\":\"%s\",\"level\":\"%s\",%s}\n", when, level_name(level), message);
    return;
  }
  json_t *text = json_string(message);
  char *quoted = json_dumps(text, JSON_ENCODE_ANY);
  fprintf(stderr, "{\"time\":\"%s\",\"level\":\"%s\",\"message\":%s}\n", when,
          level_name(level), quoted != NULL ? quoted : "\"\"");
  free(quoted);
  json_decref(text);
}

int log_start(int level) {
  if (!y_init_logs("permanence", Y_LOG_MODE_CALLBACK, (unsigned long)level, NULL, NULL) ||
      !y_set_logs_callback(write_line, NULL, NULL)) {
    return -1;
  }
  return 0;
}

void log_stop(void) {
  y_close_logs();
}
