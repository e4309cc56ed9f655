/* The audit sealer (R1): a background thread that links new audit rows into the hash chain in
 * batches, shortly after they commit, on a connection of its own. Several instances may run one
 * each: the database lets one seal at a time. */
#ifndef API_SEALER_H
#define API_SEALER_H

struct sealer;

/* Starts sealing the database at `conninfo`. Returns NULL when the thread cannot start. The
 * caller owns the sealer (sealer_stop). */
struct sealer *sealer_start(const char *conninfo);

/* Stops the thread after its current batch and frees the sealer. NULL is ignored. */
void sealer_stop(struct sealer *sealer);

#endif
