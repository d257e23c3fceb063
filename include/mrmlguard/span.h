/* SPDX-License-Identifier: BSD-3-Clause */
// File: span.h
//
// The public C++ headers compile as C++17 (3D Slicer and most of its
// extensions build with -std=c++17) as well as C++20. std::span is C++20:
// the overloads that take or return one are declared only when the standard
// library has it (MRMLGUARD_HAS_STD_SPAN is 1). Each has an overload with a
// pointer and a count that every mode has.
#ifndef MRMLGUARD_SPAN_H_
#define MRMLGUARD_SPAN_H_

#if __cplusplus >= 202002L || (defined(_MSVC_LANG) && _MSVC_LANG >= 202002L)
#include <span>
#define MRMLGUARD_HAS_STD_SPAN 1
#else
#define MRMLGUARD_HAS_STD_SPAN 0
#endif

#endif  // MRMLGUARD_SPAN_H_
