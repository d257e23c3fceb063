// SPDX-License-Identifier: BSD-3-Clause
#include "slicer_stub.h"
