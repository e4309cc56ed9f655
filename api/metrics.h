/* Prometheus counters: requests by route and status, a latency histogram, the pool in use. */
#ifndef API_METRICS_H
#define API_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#define METRICS_MAX_ROUTES 128
#define METRICS_STATUSES 18
#define METRICS_BUCKETS 12

struct metrics {
  atomic_ulong requests[METRICS_MAX_ROUTES + 1][METRICS_STATUSES];
  atomic_ulong latency_buckets[METRICS_BUCKETS];
  atomic_ulong latency_count;
  atomic_ulong latency_sum_us;
};

/* Counts one request to route `route_index` (METRICS_MAX_ROUTES for no route) answered with
 * `status` after `micros` microseconds. */
void metrics_observe(struct metrics *m, size_t route_index, int status, unsigned long micros);

/* Writes the Prometheus text exposition. `route_labels[i]` names route i ("GET /v1/children");
 * the gauges: database connections handed out and possible, audit rows waiting for the writer.
 * Returns a string the caller frees, or NULL. */
char *metrics_render(struct metrics *m, const char *const *route_labels, size_t route_count,
                     int pool_in_use, int pool_size, size_t audit_rows_waiting);

#endif
