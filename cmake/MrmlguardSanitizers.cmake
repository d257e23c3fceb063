# SPDX-License-Identifier: BSD-3-Clause
# MRMLGUARD_SANITIZE=ON builds everything with ASan + UBSan; findings abort.
if(MRMLGUARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
