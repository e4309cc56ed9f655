/* The open HTTP connections, for two things libmicrohttpd does not do on its own:
 * - a deadline for receiving a whole request (headers and body): its connection timeout counts
 *   only silence, so a client trickling a byte a second (slow loris) would hold a connection and
 *   its thread for ever. A connection whose request has not fully arrived within the deadline
 *   of its opening, or of its previous answer, is shut down.
 * - the drain at stop: requests under way finish; a request begun after the stop is refused.
 * The server runs a thread per connection: a connection's request callbacks all run on its own
 * thread, which is how the handler finds its connection (connections_request_arrived). */
#ifndef API_CONNECTIONS_H
#define API_CONNECTIONS_H

#include <microhttpd.h>
#include <stdbool.h>

/* How many MHD options connections_mhd_options fills. */
#define CONNECTIONS_MHD_OPTIONS 3

struct connections;

/* Starts watching: a request must arrive within `receive_timeout_seconds`. NULL when out of
 * memory or when the watching thread cannot start. Free it with connections_free. */
struct connections *connections_create(unsigned int receive_timeout_seconds);

/* Stops the watch and frees it. The HTTP daemon must have stopped. NULL is ignored. */
void connections_free(struct connections *connections);

/* Fills `options` with the daemon options that report connections and requests here
 * (MHD_OPTION_NOTIFY_CONNECTION, and ulfius' own MHD_OPTION_URI_LOG_CALLBACK and
 * MHD_OPTION_NOTIFY_COMPLETED, which these pass on to ulfius). */
void connections_mhd_options(struct connections *connections,
                             struct MHD_OptionItem options[CONNECTIONS_MHD_OPTIONS]);

/* Called by the handler once the whole request arrived, on the connection's thread: ends the
 * request's receive deadline. Returns false when the request began after the stop began, and
 * must then be refused. */
bool connections_request_arrived(struct connections *connections);

/* Whether the stop has begun (answers then close their connection). */
bool connections_stopping(struct connections *connections);

/* Begins the stop and waits, at most `seconds`, until no request is under way (being received,
 * handled or answered). Returns how many still are. */
int connections_drain(struct connections *connections, double seconds);

#endif
