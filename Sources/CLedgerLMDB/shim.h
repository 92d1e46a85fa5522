#ifndef CLEDGERLMDB_SHIM_H
#define CLEDGERLMDB_SHIM_H

// The system LMDB header (Debian: liblmdb-dev). Swift imports it as it is;
// the `static inline` helpers below exist only for what Swift cannot import.
#include <lmdb.h>

// MDB_VERSION_STRING is a macro built from string-literal concatenation,
// which Swift does not import; this returns it.
static inline const char *cledgerlmdb_header_version(void) {
    return MDB_VERSION_STRING;
}

#endif
