// libpq, PostgreSQL's client library (Debian: libpq-dev), loaded on first use.
//
// Linked the usual way, libpq brings 22 shared libraries into every start (Kerberos, LDAP,
// GnuTLS, ...): ~10M instructions of relocation and initialisation, ~6 ms of CPU, before
// `main`, even for a server on SQLite (issue 9's cold start). So the binary does not link it:
// the functions the service calls are defined here under their own names, as wrappers that
// `dlopen` libpq.so.5 the first time one is called and look each function up once.
// A libpq function the Swift code starts calling needs its line in both lists below.
//
// Debian puts the headers in /usr/include/postgresql, outside the default search path:
// included by that path. Its declarations of the wrapped functions are renamed away first.
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#define PQconnectdb cpostgres_declared_PQconnectdb
#define PQstatus cpostgres_declared_PQstatus
#define PQfinish cpostgres_declared_PQfinish
#define PQclear cpostgres_declared_PQclear
#define PQresultStatus cpostgres_declared_PQresultStatus
#define PQsocket cpostgres_declared_PQsocket
#define PQresultErrorMessage cpostgres_declared_PQresultErrorMessage
#define PQresultErrorField cpostgres_declared_PQresultErrorField
#define PQntuples cpostgres_declared_PQntuples
#define PQnotifies cpostgres_declared_PQnotifies
#define PQgetvalue cpostgres_declared_PQgetvalue
#define PQgetisnull cpostgres_declared_PQgetisnull
#define PQfreemem cpostgres_declared_PQfreemem
#define PQexecParams cpostgres_declared_PQexecParams
#define PQexec cpostgres_declared_PQexec
#define PQerrorMessage cpostgres_declared_PQerrorMessage
#define PQconsumeInput cpostgres_declared_PQconsumeInput
#define PQcmdTuples cpostgres_declared_PQcmdTuples
#define PQcmdStatus cpostgres_declared_PQcmdStatus
#define PQgetResult cpostgres_declared_PQgetResult
#define PQisBusy cpostgres_declared_PQisBusy
#define PQflush cpostgres_declared_PQflush
#define PQsendQueryParams cpostgres_declared_PQsendQueryParams
#define PQsendPrepare cpostgres_declared_PQsendPrepare
#define PQsendQueryPrepared cpostgres_declared_PQsendQueryPrepared
#define PQenterPipelineMode cpostgres_declared_PQenterPipelineMode
#define PQexitPipelineMode cpostgres_declared_PQexitPipelineMode
#define PQpipelineSync cpostgres_declared_PQpipelineSync
#define PQsendFlushRequest cpostgres_declared_PQsendFlushRequest
#define PQsetnonblocking cpostgres_declared_PQsetnonblocking
#include <postgresql/libpq-fe.h>
#undef PQconnectdb
#undef PQstatus
#undef PQfinish
#undef PQclear
#undef PQresultStatus
#undef PQsocket
#undef PQresultErrorMessage
#undef PQresultErrorField
#undef PQntuples
#undef PQnotifies
#undef PQgetvalue
#undef PQgetisnull
#undef PQfreemem
#undef PQexecParams
#undef PQexec
#undef PQerrorMessage
#undef PQconsumeInput
#undef PQcmdTuples
#undef PQcmdStatus
#undef PQgetResult
#undef PQisBusy
#undef PQflush
#undef PQsendQueryParams
#undef PQsendPrepare
#undef PQsendQueryPrepared
#undef PQenterPipelineMode
#undef PQexitPipelineMode
#undef PQpipelineSync
#undef PQsendFlushRequest
#undef PQsetnonblocking

// libpq's function `name`, loading the library first if needed. Without libpq the process
// cannot use the backend it was asked for: it says so and exits 1, as a failed start does.
static inline void *cpostgres_function(const char *name) {
    static void *library;
    void *handle = __atomic_load_n(&library, __ATOMIC_ACQUIRE);
    if (!handle) {
        handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            fprintf(stderr, "error: the PostgreSQL backend needs libpq (libpq.so.5): %s\n", dlerror());
            exit(1);
        }
        __atomic_store_n(&library, handle, __ATOMIC_RELEASE);
    }
    void *function = dlsym(handle, name);
    if (!function) {
        fprintf(stderr, "error: libpq.so.5 has no %s (PostgreSQL 14 or later is needed)\n", name);
        exit(1);
    }
    return function;
}

#define CPOSTGRES_FUNCTION(type, name, parameters, arguments)                                       \
    static inline type name parameters {                                                           \
        static type(*cached) parameters;                                                            \
        type(*function) parameters = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);                   \
        if (!function) {                                                                            \
            function = (type(*) parameters)cpostgres_function(#name);                               \
            __atomic_store_n(&cached, function, __ATOMIC_RELEASE);                                  \
        }                                                                                           \
        return function arguments;                                                                  \
    }
#define CPOSTGRES_PROCEDURE(name, parameters, arguments)                                            \
    static inline void name parameters {                                                           \
        static void(*cached) parameters;                                                            \
        void(*function) parameters = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);                   \
        if (!function) {                                                                            \
            function = (void(*) parameters)cpostgres_function(#name);                               \
            __atomic_store_n(&cached, function, __ATOMIC_RELEASE);                                  \
        }                                                                                           \
        function arguments;                                                                         \
    }

CPOSTGRES_FUNCTION(PGconn *, PQconnectdb, (const char *conninfo), (conninfo))
CPOSTGRES_FUNCTION(ConnStatusType, PQstatus, (const PGconn *conn), (conn))
CPOSTGRES_PROCEDURE(PQfinish, (PGconn *conn), (conn))
CPOSTGRES_PROCEDURE(PQclear, (PGresult *res), (res))
CPOSTGRES_FUNCTION(ExecStatusType, PQresultStatus, (const PGresult *res), (res))
CPOSTGRES_FUNCTION(int, PQsocket, (const PGconn *conn), (conn))
CPOSTGRES_FUNCTION(char *, PQresultErrorMessage, (const PGresult *res), (res))
CPOSTGRES_FUNCTION(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
CPOSTGRES_FUNCTION(int, PQntuples, (const PGresult *res), (res))
CPOSTGRES_FUNCTION(PGnotify *, PQnotifies, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
CPOSTGRES_FUNCTION(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
CPOSTGRES_PROCEDURE(PQfreemem, (void *ptr), (ptr))
CPOSTGRES_FUNCTION(PGresult *, PQexecParams,
                   (PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                    const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat),
                   (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
CPOSTGRES_FUNCTION(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
CPOSTGRES_FUNCTION(char *, PQerrorMessage, (const PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQconsumeInput, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(char *, PQcmdTuples, (PGresult *res), (res))
CPOSTGRES_FUNCTION(char *, PQcmdStatus, (PGresult *res), (res))
CPOSTGRES_FUNCTION(PGresult *, PQgetResult, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQisBusy, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQflush, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQsendQueryParams,
                   (PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                    const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat),
                   (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
CPOSTGRES_FUNCTION(int, PQsendPrepare,
                   (PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes),
                   (conn, stmtName, query, nParams, paramTypes))
CPOSTGRES_FUNCTION(int, PQsendQueryPrepared,
                   (PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues,
                    const int *paramLengths, const int *paramFormats, int resultFormat),
                   (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat))
CPOSTGRES_FUNCTION(int, PQenterPipelineMode, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQexitPipelineMode, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQpipelineSync, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQsendFlushRequest, (PGconn *conn), (conn))
CPOSTGRES_FUNCTION(int, PQsetnonblocking, (PGconn *conn, int arg), (conn, arg))
