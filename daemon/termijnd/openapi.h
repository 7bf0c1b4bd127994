/* termijn: the OpenAPI document, embedded at build time. */

#ifndef OPENAPI_H
#define OPENAPI_H

#include <stddef.h>

/*
 * Written by cmake/embed_openapi.cmake from docs/openapi.json into the
 * build directory's openapi_doc.c: the document's bytes as they are in the
 * file (openapi_size of them, then a NUL), and its info.version, the API's
 * full version that every answer names in its API-Version header.
 */
extern const char	openapi_version[];
extern const size_t	openapi_size;
extern const char	openapi_document[];

#endif /* OPENAPI_H */
