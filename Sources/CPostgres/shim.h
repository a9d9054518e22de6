// libpq, PostgreSQL's client library (Debian: libpq-dev). Debian puts its headers in
// /usr/include/postgresql, outside the default search path: included by that path here.
#include <postgresql/libpq-fe.h>
