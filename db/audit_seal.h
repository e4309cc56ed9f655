/* The sealer's work (R1): links audit rows written since the last seal into the SHA-256 hash
 * chain, in batches, in the order the rows are found committed. The hashing runs here rather
 * than row by row in the database, so that sealing keeps up with thousands of audited reads a
 * second. The chain is the same one audit_verify() walks in the database. */
#ifndef DB_AUDIT_SEAL_H
#define DB_AUDIT_SEAL_H

#include "pool.h"

/* Seals up to `batch` pending rows in one transaction, unless another sealer holds the lock.
 * Returns how many rows it sealed (0 when none was waiting or another sealer is at work), or
 * -1 when the database failed (nothing is sealed then). */
int audit_seal_batch(struct db_conn *conn, int batch);

#endif
