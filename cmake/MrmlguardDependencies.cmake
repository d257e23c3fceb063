# SPDX-License-Identifier: BSD-3-Clause
# Finds the system libraries mrmlguard needs. Every optional dependency fails
# with a message naming the Debian package when it is enabled and missing.
find_package(PkgConfig REQUIRED)

function(mrmlguard_require_pkg var module package)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "mrmlguard needs ${module}: install the Debian package ${package} "
                        "(tools/install-deps.sh installs everything)")
  endif()
endfunction()

mrmlguard_require_pkg(EXPAT expat libexpat1-dev)
mrmlguard_require_pkg(LIBXML2 libxml-2.0 libxml2-dev)
mrmlguard_require_pkg(LIBZIP libzip libzip-dev)
mrmlguard_require_pkg(ZLIB zlib zlib1g-dev)

if(MRMLGUARD_BUILD_TESTS)
  find_package(GTest CONFIG QUIET)
  if(NOT GTest_FOUND)
    find_package(GTest QUIET)
  endif()
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "MRMLGUARD_BUILD_TESTS needs GoogleTest: install libgtest-dev "
                        "(or configure with -DMRMLGUARD_BUILD_TESTS=OFF)")
  endif()
endif()

if(MRMLGUARD_WITH_LIBARCHIVE_ORACLE AND MRMLGUARD_BUILD_TESTS)
  pkg_check_modules(LIBARCHIVE IMPORTED_TARGET libarchive)
  if(NOT LIBARCHIVE_FOUND)
    message(FATAL_ERROR "MRMLGUARD_WITH_LIBARCHIVE_ORACLE needs libarchive: install libarchive-dev "
                        "(or configure with -DMRMLGUARD_WITH_LIBARCHIVE_ORACLE=OFF)")
  endif()
endif()

if(MRMLGUARD_WITH_ITK)
  find_package(ITK CONFIG QUIET)
  if(NOT ITK_FOUND)
    message(FATAL_ERROR "MRMLGUARD_WITH_ITK needs ITK: install libinsighttoolkit5-dev "
                        "(or configure with -DMRMLGUARD_WITH_ITK=OFF)")
  endif()
endif()

if(MRMLGUARD_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "MRMLGUARD_BUILD_FUZZERS needs clang (libFuzzer): configure with "
                      "CC=clang CXX=clang++ and install libclang-rt-14-dev")
endif()
