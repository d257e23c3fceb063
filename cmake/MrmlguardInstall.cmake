# SPDX-License-Identifier: BSD-3-Clause
# Install rules for everything a user of mrmlguard links or reads: headers,
# libmrmlguard.so/.a, the CMake package (find_package(mrmlguard CONFIG) ->
# mrmlguard::mrmlguard), the pkg-config file, the man page and the docs, the
# Python module and the Slicer pre-load hook. Included from the top-level
# CMakeLists.txt after lib/. The mrmlguard CLI installs itself from tools/.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MRMLGUARD_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/mrmlguard
    CACHE STRING "Where the CMake package files go, relative to the prefix")
set(MRMLGUARD_INSTALL_PYTHONDIR ${CMAKE_INSTALL_LIBDIR}/python3/site-packages
    CACHE STRING "Where the mrmlguard Python package goes, relative to the prefix")
set(MRMLGUARD_INSTALL_SLICERDIR ${CMAKE_INSTALL_LIBDIR}/mrmlguard/slicer
    CACHE STRING "Where the self-contained Slicer module folder goes, relative to the prefix")

install(TARGETS mrmlguard_shared mrmlguard_static
  EXPORT mrmlguardTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Only the public face: include/mrmlguard/*.h and limits.def (limits.h expands it).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mrmlguard
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.def")

install(EXPORT mrmlguardTargets
  NAMESPACE mrmlguard::
  DESTINATION ${MRMLGUARD_INSTALL_CMAKEDIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/mrmlguardConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/mrmlguardConfig.cmake
  INSTALL_DESTINATION ${MRMLGUARD_INSTALL_CMAKEDIR})
# 0.x releases promise nothing across minor versions.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/package/mrmlguardConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/package/mrmlguardConfig.cmake
  ${PROJECT_BINARY_DIR}/package/mrmlguardConfigVersion.cmake
  DESTINATION ${MRMLGUARD_INSTALL_CMAKEDIR})

# pkg-config: the paths are written relative to ${prefix} so that the
# installed tree can be moved (and used from a temporary prefix in the tests).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(MRMLGUARD_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _mrmlguard_up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _mrmlguard_up "${_mrmlguard_up}")
  set(MRMLGUARD_PC_PREFIX "\${pcfiledir}/${_mrmlguard_up}")
endif()
string(REPLACE ";" " " MRMLGUARD_PC_REQUIRES_PRIVATE "${MRMLGUARD_PKGCONFIG_MODULES}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/mrmlguard.pc.in
               ${PROJECT_BINARY_DIR}/package/mrmlguard.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/mrmlguard.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/docs/mrmlguard.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# rules.md and the other docs are written by other parts of the project; a
# missing one is skipped rather than failing the install.
install(FILES
  ${PROJECT_SOURCE_DIR}/docs/rules.md
  ${PROJECT_SOURCE_DIR}/docs/limits.md
  ${PROJECT_SOURCE_DIR}/docs/embedding.md
  ${PROJECT_SOURCE_DIR}/docs/slicer.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# The Python package, for any Python 3 (PYTHONPATH=<prefix>/${MRMLGUARD_INSTALL_PYTHONDIR}).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/mrmlguard
  DESTINATION ${MRMLGUARD_INSTALL_PYTHONDIR}
  FILES_MATCHING PATTERN "*.py")

# The Slicer hook as one folder that can be added to Slicer's additional
# module paths as is: the module, the Python package and a copy of the shared
# library beside it (the package looks next to itself before asking the
# system loader), so Slicer needs no LD_LIBRARY_PATH or PYTHONPATH change.
install(FILES ${PROJECT_SOURCE_DIR}/slicer/MrmlGuard/MrmlGuard.py ${PROJECT_SOURCE_DIR}/slicer/MrmlGuard/MrmlGuardSequences.py
        DESTINATION ${MRMLGUARD_INSTALL_SLICERDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/mrmlguard
  DESTINATION ${MRMLGUARD_INSTALL_SLICERDIR}
  FILES_MATCHING PATTERN "*.py")
install(FILES $<TARGET_FILE:mrmlguard_shared>
        DESTINATION ${MRMLGUARD_INSTALL_SLICERDIR}/mrmlguard
        RENAME $<TARGET_SONAME_FILE_NAME:mrmlguard_shared>)
