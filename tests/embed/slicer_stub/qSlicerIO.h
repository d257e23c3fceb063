#include "slicer_stub.h"
