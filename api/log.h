/* JSON logs on stderr through yder: one object per line with time and level. Messages are the
 * inner members of that object ("\"event\":\"start\",\"port\":8080"). Never a token, never a
 * child's name. */
#ifndef API_LOG_H
#define API_LOG_H

/* Starts logging at `level` (a yder level). Returns 0, or -1 when yder could not start. */
int log_start(int level);

void log_stop(void);

#endif
