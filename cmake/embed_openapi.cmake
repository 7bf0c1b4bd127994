# Writes a C source holding the OpenAPI document (docs/openapi.json) as it
# is, byte for byte, and its info.version, so that termijnd serves the
# document and names the API's version in every answer (API-Version) without
# reading a file at run time, and the two cannot disagree.
#
# cmake -DIN=docs/openapi.json -DOUT=openapi_doc.c -P embed_openapi.cmake
cmake_minimum_required(VERSION 3.19)
file(READ ${IN} text)
string(JSON version ERROR_VARIABLE err GET "${text}" info version)
if(err)
	message(FATAL_ERROR "${IN}: no info.version: ${err}")
endif()
if(NOT version MATCHES "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$")
	message(FATAL_ERROR "${IN}: info.version \"${version}\" is not MAJOR.MINOR.PATCH")
endif()
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR size "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n\t" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* Generated from ${IN} by cmake/embed_openapi.cmake: do not edit. */

#include <stddef.h>

#include \"openapi.h\"

const char	openapi_version[] = \"${version}\";
const size_t	openapi_size = ${size};
/* The bytes of the file, and a NUL after them. */
const char	openapi_document[] = {
	${bytes}0x00
};
")
file(RENAME ${OUT}.tmp ${OUT})
