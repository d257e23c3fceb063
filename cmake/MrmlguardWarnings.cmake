# SPDX-License-Identifier: BSD-3-Clause
# Warning flags for mrmlguard's own code (never applied to dependencies).
set(MRMLGUARD_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wnon-virtual-dtor
    -Wcast-qual -Wformat=2 -Wundef -Wimplicit-fallthrough -Wnull-dereference
    # Designated initializers that leave fields at their defaults are intended.
    -Wno-missing-field-initializers)
if(MRMLGUARD_WERROR)
  list(APPEND MRMLGUARD_WARNING_FLAGS -Werror)
endif()

# Applies the warning flags to a target of this project.
function(mrmlguard_warnings target)
  target_compile_options(${target} PRIVATE ${MRMLGUARD_WARNING_FLAGS})
endfunction()
