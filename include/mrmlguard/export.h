/* SPDX-License-Identifier: BSD-3-Clause */
/* File: export.h
 *
 * MRMLGUARD_EXPORT marks the functions that make up mrmlguard's public API:
 * the C API (mrmlguard.h) and the C++ entry points (validate.h, extract.h,
 * format.h, ...). The library is compiled with hidden visibility, so anything
 * not marked stays private to libmrmlguard.so: internal helpers cannot be
 * linked against, and cannot clash with the host application's symbols
 * (Slicer loads VTK, ITK, Qt and its own zlib into the same process).
 *
 * Define MRMLGUARD_STATIC_DEFINE when linking the static library on Windows
 * (the CMake package and pkg-config file do this for you). Plain C89 so that
 * mrmlguard.h stays C89-compatible.
 */
#ifndef MRMLGUARD_EXPORT_H_
#define MRMLGUARD_EXPORT_H_

#if defined(MRMLGUARD_STATIC_DEFINE)
#define MRMLGUARD_EXPORT
#elif defined(_WIN32) || defined(__CYGWIN__)
#if defined(MRMLGUARD_BUILDING_LIBRARY)
#define MRMLGUARD_EXPORT __declspec(dllexport)
#else
#define MRMLGUARD_EXPORT __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define MRMLGUARD_EXPORT __attribute__((visibility("default")))
#else
#define MRMLGUARD_EXPORT
#endif

#endif /* MRMLGUARD_EXPORT_H_ */
