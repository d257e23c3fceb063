# SPDX-License-Identifier: BSD-3-Clause
# CTest driver (cmake -P): installs the build tree into a scratch prefix and
# builds and runs consumers against the installed files only:
#   1. a C program through pkg-config:  cc consumer.c $(pkg-config --cflags --libs mrmlguard)
#   2. a C, a C++20 and a C++17 program through find_package(mrmlguard CONFIG), shared
#   3. the same with MRMLGUARD_USE_STATIC_LIBS=ON (libmrmlguard.a + its
#      dependencies found by the package config)
#   4. (when PYTHON is given) the installed Python package and the installed
#      Slicer folder, which must find their libmrmlguard without any
#      environment variable
# Variables: BUILD_DIR, CONSUMER_DIR, WORK_DIR, C_COMPILER, GENERATOR, CONFIG, PYTHON.
foreach(var BUILD_DIR CONSUMER_DIR WORK_DIR C_COMPILER GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_consumer_test.cmake: ${var} not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "$ ${ARGN}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGN}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/scratch)

set(install_args --install ${BUILD_DIR} --prefix ${prefix})
if(CONFIG)
  list(APPEND install_args --config ${CONFIG})
endif()
run(${CMAKE_COMMAND} ${install_args})

foreach(required include/mrmlguard/mrmlguard.h include/mrmlguard/export.h include/mrmlguard/limits.def
                 lib/pkgconfig/mrmlguard.pc lib/cmake/mrmlguard/mrmlguardConfig.cmake
                 share/man/man1/mrmlguard.1)
  if(NOT EXISTS ${prefix}/${required})
    message(FATAL_ERROR "not installed: ${required}")
  endif()
endforeach()
file(GLOB libs ${prefix}/lib/libmrmlguard.so.0 ${prefix}/lib/libmrmlguard.a)
list(LENGTH libs nlibs)
if(NOT nlibs EQUAL 2)
  message(FATAL_ERROR "expected libmrmlguard.so.0 and libmrmlguard.a in ${prefix}/lib, found: ${libs}")
endif()

# 1. pkg-config, the way a Makefile user would do it.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs mrmlguard
                OUTPUT_VARIABLE flags RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs mrmlguard failed")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=c99 -Wall -Wextra -Werror ${CONSUMER_DIR}/consumer.c ${flags}
    -o ${WORK_DIR}/consumer_pkgconfig)
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
run(${WORK_DIR}/consumer_pkgconfig ${WORK_DIR}/scratch)
unset(ENV{LD_LIBRARY_PATH})

# 2. and 3. CMake package, shared then static.
foreach(static OFF ON)
  set(build ${WORK_DIR}/consumer-static-${static})
  run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${build} -G ${GENERATOR}
      -DCMAKE_PREFIX_PATH=${prefix} -DMRMLGUARD_USE_STATIC_LIBS=${static}
      -DCMAKE_BUILD_TYPE=Release)
  run(${CMAKE_COMMAND} --build ${build})
  run(${build}/consumer_c ${WORK_DIR}/scratch)
  run(${build}/consumer_cxx ${WORK_DIR}/scratch)
  run(${build}/consumer_cxx17 ${WORK_DIR}/scratch)
endforeach()
# 4. Python: the Slicer folder is self-contained (library beside the package);
# the site-packages copy finds the library through the system loader, here
# pointed at the prefix with LD_LIBRARY_PATH as an installed system would.
if(PYTHON)
  unset(ENV{MRMLGUARD_LIBRARY})
  # Newlines, not semicolons: a ';' would split the argument into a CMake list.
  set(check "import sys\nsys.path.insert(0, sys.argv[3])\nimport mrmlguard
r = mrmlguard.validate(sys.argv[1])\nprint(mrmlguard.library_path(), r.verdict)
assert r.accepted and sys.argv[2] in mrmlguard.library_path(), r\n")
  run(${PYTHON} -B -c "${check}"
      ${WORK_DIR}/scratch/good.mrml ${prefix}/lib/mrmlguard/slicer/mrmlguard
      ${prefix}/lib/mrmlguard/slicer)
  foreach(module MrmlGuard MrmlGuardSequences)
    if(NOT EXISTS ${prefix}/lib/mrmlguard/slicer/${module}.py)
      message(FATAL_ERROR "not installed: lib/mrmlguard/slicer/${module}.py")
    endif()
  endforeach()
  set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
  run(${PYTHON} -B -c "${check}"
      ${WORK_DIR}/scratch/good.mrml libmrmlguard ${prefix}/lib/python3/site-packages)
  unset(ENV{LD_LIBRARY_PATH})
endif()

# The static consumer must not need libmrmlguard.so at run time.
file(REMOVE ${prefix}/lib/libmrmlguard.so ${prefix}/lib/libmrmlguard.so.0 ${prefix}/lib/libmrmlguard.so.0.1.0)
run(${WORK_DIR}/consumer-static-ON/consumer_cxx ${WORK_DIR}/scratch)
run(${WORK_DIR}/consumer-static-ON/consumer_cxx17 ${WORK_DIR}/scratch)
