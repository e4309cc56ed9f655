/* The HTTP server: binds the route table to ulfius, runs every request through one dispatcher
 * (body limit, authentication, the handler, refusal and read audits, log line, metrics), and
 * serves until SIGINT or SIGTERM. */
#ifndef API_SERVER_H
#define API_SERVER_H

#include "app.h"

/* Serves until a stop signal arrives. The caller must have blocked SIGINT, SIGTERM and SIGPIPE
 * in every thread. Returns 0 after a clean stop, -1 when the server could not start. */
int server_run(struct app *app);

#endif
