/* The ceiling of this stack on this machine, for `make bench`: a ulfius server that answers
 * GET /children/{id} with one prepared primary-key lookup per request on a pool of libpq
 * connections, with no authentication, no access check and no audit. The service's figures are
 * reported as ratios to this one's. Usage: minimal PORT CONNINFO POOLSIZE */
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ulfius.h>

struct pool {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  int size;
  PGconn **conns;
  int *busy;
};

static PGconn *take(struct pool *p) {
  pthread_mutex_lock(&p->lock);
  for (;;) {
    for (int i = 0; i < p->size; i++) {
      if (!p->busy[i]) {
        p->busy[i] = 1;
        pthread_mutex_unlock(&p->lock);
        return p->conns[i];
      }
    }
    pthread_cond_wait(&p->freed, &p->lock);
  }
}

static void give(struct pool *p, PGconn *conn) {
  pthread_mutex_lock(&p->lock);
  for (int i = 0; i < p->size; i++) {
    if (p->conns[i] == conn) {
      p->busy[i] = 0;
    }
  }
  pthread_cond_signal(&p->freed);
  pthread_mutex_unlock(&p->lock);
}

static int get_child(const struct _u_request *request, struct _u_response *response, void *data) {
  struct pool *p = data;
  const char *id = request->url_path + strlen("/children/");
  PGconn *conn = take(p);
  const char *params[] = {id};
  PGresult *res = PQexecPrepared(conn, "child", 1, params, NULL, NULL, 0);
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    ulfius_set_string_body_response(response, 200, PQgetvalue(res, 0, 0));
    u_map_put(response->map_header, "Content-Type", "application/json");
  } else {
    ulfius_set_string_body_response(response, 404, "{}");
  }
  PQclear(res);
  give(p, conn);
  return U_CALLBACK_COMPLETE;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: minimal PORT CONNINFO POOLSIZE\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct pool p = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, atoi(argv[3]), NULL, NULL};
  p.conns = calloc((size_t)p.size, sizeof *p.conns);
  p.busy = calloc((size_t)p.size, sizeof *p.busy);
  for (int i = 0; i < p.size; i++) {
    p.conns[i] = PQconnectdb(argv[2]);
    PGresult *res = PQprepare(p.conns[i], "child",
                              "SELECT jsonb_build_object('id', id) || doc FROM children"
                              " WHERE id = $1::uuid", 1, NULL);
    if (PQstatus(p.conns[i]) != CONNECTION_OK || PQresultStatus(res) != PGRES_COMMAND_OK) {
      fprintf(stderr, "minimal: %s", PQerrorMessage(p.conns[i]));
      return 1;
    }
    PQclear(res);
  }
  struct _u_instance instance;
  ulfius_init_instance(&instance, (unsigned int)atoi(argv[1]), NULL, NULL);
  ulfius_add_endpoint_by_val(&instance, "GET", "/children/:id", NULL, 0, get_child, &p);
  if (ulfius_start_framework(&instance) != U_OK) {
    fprintf(stderr, "minimal: cannot listen\n");
    return 1;
  }
  int sig;
  sigwait(&stop, &sig);
  ulfius_stop_framework(&instance);
  ulfius_clean_instance(&instance);
  for (int i = 0; i < p.size; i++) {
    PQfinish(p.conns[i]);
  }
  free(p.conns);
  free(p.busy);
  return 0;
}
