/*
 * webhook_receiver.c - the loopback receiver and the test's own service instance (see
 * webhook_receiver.h). No Check assertion runs on the receiver's thread: it records, and the
 * test asserts on the main thread.
 */
#include "webhook_receiver.h"

#include "env.h"
#include "http_client.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RX_HEAD_MAX 16384
#define RX_BODY_MAX (1024 * 1024)
#define POLL_PAUSE_NS 20000000L /* 20 ms between looks of a bounded wait */

extern char **environ;

static void pause_briefly(void)
{
    const struct timespec pause = {0, POLL_PAUSE_NS};

    nanosleep(&pause, NULL);
}

/* Copies the value of header `name` (case-insensitive) from the header block into out. */
static void header_value(const char *head, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    const char *line = strstr(head, "\r\n");

    out[0] = '\0';
    while (line != NULL && line[2] != '\r') {
        line += 2;
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            size_t len;

            while (*v == ' ' || *v == '\t')
                v++;
            len = strcspn(v, "\r");
            snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), v);
            return;
        }
        line = strstr(line, "\r\n");
    }
}

static void answer(int fd, int status, const receiver *rx)
{
    char reply[512];
    int n;

    if (status >= 300 && status < 400)
        n = snprintf(reply, sizeof reply,
                     "HTTP/1.1 %d Redirect\r\nLocation: %s/elsewhere\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n", status, rx->base);
    else
        n = snprintf(reply, sizeof reply,
                     "HTTP/1.1 %d Scripted\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n"
                     "Connection: close\r\n\r\nscripted", status);
    if (send(fd, reply, (size_t)n, MSG_NOSIGNAL) < 0)
        return;
}

/* Reads one request from `fd`, records it when it is for the receiver's path, and answers. */
static void serve_one(receiver *rx, int fd)
{
    struct timeval timeout = {5, 0};
    char *head = calloc(1, RX_HEAD_MAX);
    char *end = NULL;
    size_t used = 0;
    char path[256] = "";
    char length_text[32];
    size_t length;
    char *body = NULL;
    size_t have;
    rx_request *q;
    int status;
    int slow;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    while (head != NULL && end == NULL && used < RX_HEAD_MAX - 1) {
        ssize_t n = recv(fd, head + used, RX_HEAD_MAX - 1 - used, 0);

        if (n <= 0)
            break;
        used += (size_t)n;
        head[used] = '\0';
        end = strstr(head, "\r\n\r\n");
    }
    if (end == NULL) {
        free(head);
        return;
    }
    end[2] = '\0'; /* the header block ends with its last line's CRLF */
    sscanf(head, "%*15s %255s", path);
    header_value(head, "Content-Length", length_text, sizeof length_text);
    length = strtoul(length_text, NULL, 10);
    if (length > RX_BODY_MAX)
        length = RX_BODY_MAX;
    body = calloc(1, length + 1);
    have = used - (size_t)(end + 4 - head);
    if (body != NULL) {
        memcpy(body, end + 4, have < length ? have : length);
        while (have < length) {
            ssize_t n = recv(fd, body + have, length - have, 0);

            if (n <= 0)
                break;
            have += (size_t)n;
        }
    }
    pthread_mutex_lock(&rx->lock);
    if (strcmp(path, rx->path) != 0 || rx->count >= RX_MAX_REQUESTS || body == NULL) {
        rx->others++;
        pthread_mutex_unlock(&rx->lock);
        answer(fd, 410, rx);
        free(body);
        free(head);
        return;
    }
    q = &rx->requests[rx->count];
    memset(q, 0, sizeof *q);
    sscanf(head, "%15s", q->method);
    header_value(head, "Permanence-Delivery", q->delivery, sizeof q->delivery);
    header_value(head, "Permanence-Timestamp", q->timestamp, sizeof q->timestamp);
    header_value(head, "Permanence-Signature", q->signature, sizeof q->signature);
    header_value(head, "Content-Type", q->content_type, sizeof q->content_type);
    q->body = body;
    if (rx->hang_at == rx->count + 1) {
        rx->count++;
        rx->hanging = 1;
        pthread_cond_broadcast(&rx->changed);
        while (!rx->released && !rx->stop)
            pthread_cond_wait(&rx->changed, &rx->lock);
        pthread_mutex_unlock(&rx->lock);
        free(head);
        return; /* dropped without an answer */
    }
    status = rx->count < rx->script_length ? rx->script[rx->count] : rx->default_status;
    q->answered = status;
    rx->count++;
    slow = rx->slow_at == rx->count;
    pthread_cond_broadcast(&rx->changed);
    pthread_mutex_unlock(&rx->lock);
    if (slow) {
        const struct timespec delay = {rx->slow_ms / 1000, (rx->slow_ms % 1000) * 1000000L};

        nanosleep(&delay, NULL);
    }
    answer(fd, status, rx);
    free(head);
}

static void *rx_loop(void *arg)
{
    receiver *rx = arg;

    for (;;) {
        struct pollfd p = {rx->fd, POLLIN, 0};
        int stop;
        int client;

        pthread_mutex_lock(&rx->lock);
        stop = rx->stop;
        pthread_mutex_unlock(&rx->lock);
        if (stop)
            break;
        if (poll(&p, 1, 100) <= 0)
            continue;
        client = accept(rx->fd, NULL, NULL);
        if (client < 0)
            continue;
        serve_one(rx, client);
        close(client);
    }
    return NULL;
}

void rx_start(receiver *rx, const char *address, const char *path)
{
    struct sockaddr_in sa;
    socklen_t sa_len = sizeof sa;

    memset(rx, 0, sizeof *rx);
    snprintf(rx->path, sizeof rx->path, "%s", path);
    rx->default_status = 200;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = 0;
    ck_assert_int_eq(inet_pton(AF_INET, address, &sa.sin_addr), 1);
    rx->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_msg(rx->fd >= 0, "socket: %s", strerror(errno));
    ck_assert_msg(bind(rx->fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(rx->fd, 16) == 0,
                  "cannot listen on %s: %s", address, strerror(errno));
    getsockname(rx->fd, (struct sockaddr *)&sa, &sa_len);
    snprintf(rx->base, sizeof rx->base, "http://%s:%u", address, (unsigned)ntohs(sa.sin_port));
    pthread_mutex_init(&rx->lock, NULL);
    pthread_cond_init(&rx->changed, NULL);
    ck_assert_int_eq(pthread_create(&rx->thread, NULL, rx_loop, rx), 0);
}

void rx_url(const receiver *rx, char *out, size_t size)
{
    snprintf(out, size, "%s%s", rx->base, rx->path);
}

void rx_script(receiver *rx, const int *statuses, int n, int default_status)
{
    pthread_mutex_lock(&rx->lock);
    rx->script_length = n < RX_SCRIPT_MAX ? n : RX_SCRIPT_MAX;
    if (statuses != NULL)
        memcpy(rx->script, statuses, (size_t)rx->script_length * sizeof *statuses);
    rx->default_status = default_status;
    pthread_mutex_unlock(&rx->lock);
}

void rx_slow_at(receiver *rx, int n, int ms)
{
    pthread_mutex_lock(&rx->lock);
    rx->slow_at = n;
    rx->slow_ms = ms;
    pthread_mutex_unlock(&rx->lock);
}

void rx_hang_at(receiver *rx, int n)
{
    pthread_mutex_lock(&rx->lock);
    rx->hang_at = n;
    pthread_mutex_unlock(&rx->lock);
}

/* Waits at most `seconds` for `done(rx)` under the lock. */
static int wait_for(receiver *rx, int (*done)(const receiver *, int), int arg, int seconds)
{
    struct timespec until;
    int ok;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&rx->lock);
    while (!(ok = done(rx, arg)) &&
           pthread_cond_timedwait(&rx->changed, &rx->lock, &until) != ETIMEDOUT)
        ;
    ok = done(rx, arg);
    pthread_mutex_unlock(&rx->lock);
    return ok;
}

static int count_reached(const receiver *rx, int n)
{
    return rx->count >= n;
}

static int is_hanging(const receiver *rx, int unused)
{
    (void)unused;
    return rx->hanging;
}

int rx_wait_count(receiver *rx, int n, int seconds)
{
    wait_for(rx, count_reached, n, seconds);
    return rx_count(rx);
}

int rx_wait_hanging(receiver *rx, int seconds)
{
    return wait_for(rx, is_hanging, 0, seconds);
}

void rx_release(receiver *rx)
{
    pthread_mutex_lock(&rx->lock);
    rx->released = 1;
    pthread_cond_broadcast(&rx->changed);
    pthread_mutex_unlock(&rx->lock);
}

int rx_count(receiver *rx)
{
    int n;

    pthread_mutex_lock(&rx->lock);
    n = rx->count;
    pthread_mutex_unlock(&rx->lock);
    return n;
}

void rx_stop(receiver *rx)
{
    int i;

    pthread_mutex_lock(&rx->lock);
    rx->stop = 1;
    pthread_cond_broadcast(&rx->changed);
    pthread_mutex_unlock(&rx->lock);
    pthread_join(rx->thread, NULL);
    close(rx->fd);
    for (i = 0; i < rx->count; i++)
        free(rx->requests[i].body);
    pthread_cond_destroy(&rx->changed);
    pthread_mutex_destroy(&rx->lock);
}

/* A port nothing listens on just now (the kernel's pick). */
static unsigned free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    getsockname(fd, (struct sockaddr *)&sa, &len);
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* The instance's environment: the test's own, without any service setting, and then these and
 * `settings` (NULL-terminated "NAME=value" strings, borrowed; NULL: none). */
static char **server_environment(unsigned port, const char *allowlist, const char *database_url,
                                 const char *const *settings, char *own[8])
{
    size_t n = 0;
    size_t extra = 0;
    size_t i;
    char **env;

    while (environ[n] != NULL)
        n++;
    while (settings != NULL && settings[extra] != NULL)
        extra++;
    env = calloc(n + 9 + extra, sizeof *env);
    ck_assert(env != NULL);
    n = 0;
    for (i = 0; environ[i] != NULL; i++) {
        int service_setting = (strncmp(environ[i], "PERMANENCE_", 11) == 0 &&
                               strncmp(environ[i], "PERMANENCE_TEST_", 16) != 0) ||
                              strncmp(environ[i], "DATABASE_URL=", 13) == 0;
        if (!service_setting)
            env[n++] = environ[i];
    }
    ck_assert(asprintf(&own[0], "DATABASE_URL=%s", database_url) > 0);
    ck_assert(asprintf(&own[1], "PERMANENCE_PORT=%u", port) > 0);
    ck_assert(asprintf(&own[2], "PERMANENCE_JWT_SECRET=%s",
                       env_require("PERMANENCE_TEST_JWT_SECRET")) > 0);
    ck_assert(asprintf(&own[3], "PERMANENCE_JWT_ISSUER=%s",
                       env_require("PERMANENCE_TEST_JWT_ISSUER")) > 0);
    ck_assert(asprintf(&own[4], "PERMANENCE_JWT_AUDIENCE=%s",
                       env_require("PERMANENCE_TEST_JWT_AUDIENCE")) > 0);
    ck_assert(asprintf(&own[5], "PERMANENCE_WEBHOOK_ALLOWLIST=%s", allowlist) > 0);
    ck_assert(asprintf(&own[6], "PERMANENCE_LOG_LEVEL=warning") > 0);
    own[7] = NULL;
    for (i = 0; own[i] != NULL; i++)
        env[n++] = own[i];
    for (i = 0; i < extra; i++)
        env[n++] = (char *)settings[i];
    env[n] = NULL;
    return env;
}

int own_server_wait_healthy(own_server *s)
{
    int tries;

    for (tries = 0; tries < 1500; tries++) {
        http_request req = {0};
        http_response res;
        long status;
        int wstatus;

        req.method = "GET";
        req.base = s->base;
        req.path = "/healthz";
        res = http_send(&req);
        status = res.status;
        http_response_free(&res);
        if (status == 200)
            return 1;
        if (waitpid(s->pid, &wstatus, WNOHANG) == s->pid) {
            s->pid = 0; /* exited (its port was taken, say): nothing left to stop */
            return 0;
        }
        pause_briefly();
    }
    return 0;
}

void own_server_spawn(own_server *s, const char *allowlist, const char *database_url,
                      const char *const *settings)
{
    const char *binary = env_require("PERMANENCE_TEST_SERVER_BINARY");
    const char *work = env_require("PERMANENCE_TEST_WORK_DIR");
    unsigned port = free_port();
    char *own[8];
    char **env = server_environment(port, allowlist, database_url, settings, own);
    char log_path[512];
    pid_t parent = getpid();
    int log_fd;
    int i;

    snprintf(log_path, sizeof log_path, "%s/webhooks-own-server-%u.log", work, port);
    log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ck_assert_msg(log_fd >= 0, "cannot write %s", log_path);
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u", port);
    s->pid = fork();
    ck_assert_msg(s->pid >= 0, "fork: %s", strerror(errno));
    if (s->pid == 0) {
        char *argv[] = {(char *)binary, "serve", NULL};

        /* only async-signal-safe calls here: the test has other threads */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        dup2(log_fd, STDERR_FILENO);
        execve(binary, argv, env);
        _exit(127);
    }
    close(log_fd);
    for (i = 0; own[i] != NULL; i++)
        free(own[i]);
    free(env);
}

void own_server_start(own_server *s, const char *allowlist)
{
    own_server_start_with(s, allowlist, NULL);
}

void own_server_start_with(own_server *s, const char *allowlist, const char *const *settings)
{
    int attempt;

    for (attempt = 0; attempt < 5; attempt++) {
        own_server_spawn(s, allowlist, env_require("PERMANENCE_TEST_APP_DB_URL"), settings);
        if (own_server_wait_healthy(s))
            return;
        own_server_stop(s, SIGKILL);
    }
    ck_abort_msg("the test's own instance of %s did not start (see %s)",
                 env_require("PERMANENCE_TEST_SERVER_BINARY"),
                 env_require("PERMANENCE_TEST_WORK_DIR"));
}

int own_server_stop(own_server *s, int sig)
{
    int wstatus = 0;
    int tries;

    if (s->pid <= 0)
        return 0;
    kill(s->pid, sig);
    for (tries = 0; tries < 1500; tries++) {
        pid_t done = waitpid(s->pid, &wstatus, WNOHANG);

        if (done == s->pid || (done < 0 && errno == ECHILD)) {
            s->pid = 0;
            return wstatus;
        }
        pause_briefly();
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &wstatus, 0);
    s->pid = 0;
    return wstatus;
}
