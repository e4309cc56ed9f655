/* SQL of documents on file about children and carers. */
#ifndef DB_DOCUMENTS_H
#define DB_DOCUMENTS_H

#include "pool.h"

/* $1 subject type, $2 subject id, $3 doc, $4 created_by: (json, id) */
extern const struct db_statement DOCUMENT_INSERT;
/* $1 subject type, $2 subject id, $3 type or null: (json array, newest first) */
extern const struct db_statement DOCUMENT_LIST;

#endif
