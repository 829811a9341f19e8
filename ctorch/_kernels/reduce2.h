/* Kept for `cdef extern from "reduce2.h"`: the reductions are one family now, declared in reduce.h. */
#include "reduce.h"
