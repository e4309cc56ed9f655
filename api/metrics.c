#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int STATUSES[METRICS_STATUSES] = {200, 201, 204, 400, 401, 403, 404, 405, 409,
                                               412, 413, 415, 422, 428, 429, 500, 503, 0};
static const double BUCKETS_SECONDS[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

static size_t status_index(int status) {
  for (size_t i = 0; i + 1 < METRICS_STATUSES; i++) {
    if (STATUSES[i] == status) {
      return i;
    }
  }
  return METRICS_STATUSES - 1;
}

void metrics_observe(struct metrics *m, size_t route_index, int status, unsigned long micros) {
  if (route_index > METRICS_MAX_ROUTES) {
    route_index = METRICS_MAX_ROUTES;
  }
  atomic_fetch_add(&m->requests[route_index][status_index(status)], 1);
  for (size_t i = 0; i < METRICS_BUCKETS; i++) {
    if ((double)micros / 1e6 <= BUCKETS_SECONDS[i]) {
      atomic_fetch_add(&m->latency_buckets[i], 1);
      break;
    }
  }
  atomic_fetch_add(&m->latency_count, 1);
  atomic_fetch_add(&m->latency_sum_us, micros);
}

/* Appends formatted text to a growing buffer; leaves *buf NULL once allocation failed. */
static void append(char **buf, size_t *used, size_t *size, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char **buf, size_t *used, size_t *size, const char *format, ...) {
  if (*buf == NULL) {
    return;
  }
  for (;;) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(*buf + *used, *size - *used, format, args);
    va_end(args);
    if (n < 0) {
      return;
    }
    if ((size_t)n < *size - *used) {
      *used += (size_t)n;
      return;
    }
    char *grown = realloc(*buf, *size * 2);
    if (grown == NULL) {
      free(*buf);
      *buf = NULL;
      return;
    }
    *buf = grown;
    *size *= 2;
  }
}

char *metrics_render(struct metrics *m, const char *const *route_labels, size_t route_count,
                     int pool_in_use, int pool_size, size_t audit_rows_waiting) {
  size_t size = 16384;
  size_t used = 0;
  char *buf = malloc(size);
  if (buf != NULL) {
    buf[0] = '\0';
  }
  append(&buf, &used, &size,
         "# HELP permanence_http_requests_total Requests answered, by route and status.\n"
         "# TYPE permanence_http_requests_total counter\n");
  for (size_t r = 0; r <= route_count && r <= METRICS_MAX_ROUTES; r++) {
    const char *label = r < route_count ? route_labels[r] : "unmatched";
    for (size_t s = 0; s < METRICS_STATUSES; s++) {
      unsigned long n = atomic_load(&m->requests[r < route_count ? r : METRICS_MAX_ROUTES][s]);
      if (n > 0) {
        append(&buf, &used, &size, "permanence_http_requests_total{route=\"%s\",status=\"%d\"} %lu\n",
               label, STATUSES[s], n);
      }
    }
  }
  append(&buf, &used, &size,
         "# HELP permanence_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE permanence_http_request_duration_seconds histogram\n");
  unsigned long cumulative = 0;
  for (size_t i = 0; i < METRICS_BUCKETS; i++) {
    cumulative += atomic_load(&m->latency_buckets[i]);
    append(&buf, &used, &size, "permanence_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
           BUCKETS_SECONDS[i], cumulative);
  }
  unsigned long count = atomic_load(&m->latency_count);
  append(&buf, &used, &size,
         "permanence_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n"
         "permanence_http_request_duration_seconds_sum %.6f\n"
         "permanence_http_request_duration_seconds_count %lu\n",
         count, (double)atomic_load(&m->latency_sum_us) / 1e6, count);
  append(&buf, &used, &size,
         "# HELP permanence_db_pool_in_use Database connections handed out now.\n"
         "# TYPE permanence_db_pool_in_use gauge\n"
         "permanence_db_pool_in_use %d\n"
         "# HELP permanence_db_pool_size Database connections the pool may open.\n"
         "# TYPE permanence_db_pool_size gauge\n"
         "permanence_db_pool_size %d\n"
         "# HELP permanence_audit_rows_waiting Reads' audit rows queued for the writer.\n"
         "# TYPE permanence_audit_rows_waiting gauge\n"
         "permanence_audit_rows_waiting %zu\n",
         pool_in_use, pool_size, audit_rows_waiting);
  return buf;
}
