// SPDX-License-Identifier: BSD-3-Clause
#include "vtk_stub.h"
