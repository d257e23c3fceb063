# SPDX-License-Identifier: BSD-3-Clause
# The libraries mrmlguard installs: libmrmlguard.so (SONAME libmrmlguard.so.<major>)
# and libmrmlguard.a, each holding every layer. Included from lib/CMakeLists.txt
# once all layers exist.
#
# Both are made from the object files of the per-layer static libraries (which
# the tests keep linking), so every source is compiled once for them. All layers
# are compiled with hidden visibility: only declarations marked MRMLGUARD_EXPORT
# (include/mrmlguard/export.h) leave the shared library, so a host process
# (Slicer, a Python interpreter) sees the public API and nothing else, and
# mrmlguard's internals cannot clash with the host's own symbols.

include(GNUInstallDirs)

# Bottom to top; capi last. A new layer must be added here as well.
set(MRMLGUARD_LAYERS bytes text findings zip xml mrml data pipeline report sanitize capi)

set(_mrmlguard_objects "")
set(MRMLGUARD_EXTERNAL_LIBS "")
foreach(_layer IN LISTS MRMLGUARD_LAYERS)
  set(_target mrmlguard_${_layer})
  if(NOT TARGET ${_target})
    message(FATAL_ERROR "MrmlguardLibraries: layer target ${_target} does not exist")
  endif()
  set_target_properties(${_target} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # export.h uses this on Windows to choose dllexport over dllimport.
  target_compile_definitions(${_target} PRIVATE MRMLGUARD_BUILDING_LIBRARY)
  list(APPEND _mrmlguard_objects $<TARGET_OBJECTS:${_target}>)
  # Collect the system libraries the layers link (PkgConfig::EXPAT, ...); the
  # other mrmlguard layers are already inside the combined libraries.
  get_target_property(_deps ${_target} LINK_LIBRARIES)
  if(_deps)
    foreach(_dep IN LISTS _deps)
      if(NOT _dep MATCHES "^mrmlguard_")
        list(APPEND MRMLGUARD_EXTERNAL_LIBS ${_dep})
      endif()
    endforeach()
  endif()
endforeach()
list(REMOVE_DUPLICATES MRMLGUARD_EXTERNAL_LIBS)

# Deep mode (MRMLGUARD_DEEP_MODE, set by lib/pipeline): the pipeline calls the
# ITK reference reader, which is not a layer (it exists only in ITK builds,
# lib/data/CMakeLists.txt). Its object joins the layers' objects, and ITK's
# libraries join the dependencies, apart from the pkg-config ones: they are
# targets of ITK's own CMake package (found at the top, visible here), which
# the package config finds again for the static library; mrmlguard.pc names
# their files.
set(MRMLGUARD_ITK_LIBS "")
set(_pc_itk_libs "")
if(MRMLGUARD_DEEP_MODE)
  set_target_properties(mrmlguard_data_itk PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_definitions(mrmlguard_data_itk PRIVATE MRMLGUARD_BUILDING_LIBRARY)
  list(APPEND _mrmlguard_objects $<TARGET_OBJECTS:mrmlguard_data_itk>)
  get_target_property(_deps mrmlguard_data_itk LINK_LIBRARIES)
  foreach(_dep IN LISTS _deps)
    if(NOT _dep MATCHES "^mrmlguard_")
      list(APPEND MRMLGUARD_ITK_LIBS ${_dep})
    endif()
  endforeach()
  # mrmlguard.pc: the library files of those targets and of what they link,
  # for `pkg-config --static` (ITK has no pkg-config modules).
  set(_pending ${MRMLGUARD_ITK_LIBS})
  set(_seen "")
  while(_pending)
    list(POP_FRONT _pending _dep)
    if(_dep IN_LIST _seen)
      continue()
    endif()
    list(APPEND _seen ${_dep})
    if(TARGET ${_dep})
      get_target_property(_type ${_dep} TYPE)
      if(NOT _type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(_file ${_dep} LOCATION)
        list(APPEND _pc_itk_libs ${_file})
      endif()
      get_target_property(_more ${_dep} INTERFACE_LINK_LIBRARIES)
      if(_more)
        list(APPEND _pending ${_more})
      endif()
    elseif(IS_ABSOLUTE "${_dep}" OR _dep MATCHES "^-l")
      list(APPEND _pc_itk_libs ${_dep})
    elseif(_dep MATCHES "^[A-Za-z0-9_.+-]+$")
      list(APPEND _pc_itk_libs -l${_dep})
    endif()
  endwhile()
  list(REMOVE_DUPLICATES _pc_itk_libs)
endif()
set(MRMLGUARD_ITK_LIBS "${MRMLGUARD_ITK_LIBS}" CACHE INTERNAL "")
string(REPLACE ";" " " _pc_itk_libs "${_pc_itk_libs}")
set(MRMLGUARD_PC_ITK_LIBS "${_pc_itk_libs}" CACHE INTERNAL "")

# pkg-config modules behind the PkgConfig:: targets, for the package config
# (find them again in a consumer linking the static library) and the .pc file.
set(MRMLGUARD_PKGCONFIG_PREFIXES "")
set(MRMLGUARD_PKGCONFIG_MODULES "")
foreach(_dep IN LISTS MRMLGUARD_EXTERNAL_LIBS)
  if(_dep MATCHES "^PkgConfig::(.+)$")
    set(_prefix ${CMAKE_MATCH_1})
    if(NOT ${_prefix}_MODULE_NAME)
      message(FATAL_ERROR "MrmlguardLibraries: no pkg-config module name known for ${_dep}")
    endif()
    list(APPEND MRMLGUARD_PKGCONFIG_PREFIXES ${_prefix})
    list(APPEND MRMLGUARD_PKGCONFIG_MODULES ${${_prefix}_MODULE_NAME})
  else()
    message(WARNING "MrmlguardLibraries: ${_dep} is not a pkg-config dependency; "
                    "the installed package config and mrmlguard.pc will not know about it")
  endif()
endforeach()

# The install rules (cmake/MrmlguardInstall.cmake) run in the top directory.
set(MRMLGUARD_PKGCONFIG_PREFIXES "${MRMLGUARD_PKGCONFIG_PREFIXES}" CACHE INTERNAL "")
set(MRMLGUARD_PKGCONFIG_MODULES "${MRMLGUARD_PKGCONFIG_MODULES}" CACHE INTERNAL "")

set(_mrmlguard_include
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

add_library(mrmlguard_shared SHARED ${_mrmlguard_objects})
set_target_properties(mrmlguard_shared PROPERTIES
  OUTPUT_NAME mrmlguard
  EXPORT_NAME mrmlguard_shared
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  LINKER_LANGUAGE CXX
  C_VISIBILITY_PRESET hidden
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(mrmlguard_shared INTERFACE ${_mrmlguard_include})
# The public headers need C++17 (std::optional, std::string_view); with C++20
# they also declare the std::span overloads (include/mrmlguard/span.h).
target_compile_features(mrmlguard_shared INTERFACE cxx_std_17)
# PRIVATE: the shared library carries its own DT_NEEDED entries, so users of
# the .so need neither the dependencies' headers nor pkg-config.
target_link_libraries(mrmlguard_shared PRIVATE ${MRMLGUARD_EXTERNAL_LIBS} ${MRMLGUARD_ITK_LIBS})
if(NOT APPLE AND NOT WIN32 AND NOT MRMLGUARD_SANITIZE)
  # Every symbol the library uses must resolve at link time, here, not at
  # dlopen() time inside Slicer or Python. (Not with sanitizers: clang leaves
  # the ASan runtime to the executable, so a shared library has undefined
  # __asan_* symbols by design.)
  target_link_options(mrmlguard_shared PRIVATE LINKER:--no-undefined)
endif()
# For hosts that bring their own, older libstdc++ (a Slicer binary package
# loads the one it was built with): link libstdc++ and libgcc into the .so so
# that it needs no GLIBCXX symbol version newer than the host's. Meant for the
# C API, Python and the Slicer hook; C++ API users should share the host's
# standard library instead (OFF).
option(MRMLGUARD_STATIC_LIBSTDCXX "Link libstdc++ statically into libmrmlguard.so" OFF)
if(MRMLGUARD_STATIC_LIBSTDCXX)
  # --exclude-libs: the archive members keep their default visibility, and
  # exporting them would interpose the host's own libstdc++.
  target_link_options(mrmlguard_shared PRIVATE -static-libstdc++ -static-libgcc LINKER:--exclude-libs,ALL)
endif()
add_library(mrmlguard::mrmlguard_shared ALIAS mrmlguard_shared)

add_library(mrmlguard_static STATIC ${_mrmlguard_objects})
set_target_properties(mrmlguard_static PROPERTIES
  OUTPUT_NAME mrmlguard
  EXPORT_NAME mrmlguard_static
  LINKER_LANGUAGE CXX)
target_include_directories(mrmlguard_static INTERFACE ${_mrmlguard_include})
target_compile_features(mrmlguard_static INTERFACE cxx_std_17)
target_compile_definitions(mrmlguard_static INTERFACE MRMLGUARD_STATIC_DEFINE)
target_link_libraries(mrmlguard_static INTERFACE ${MRMLGUARD_EXTERNAL_LIBS} ${MRMLGUARD_ITK_LIBS})
add_library(mrmlguard::mrmlguard_static ALIAS mrmlguard_static)
