# cython: language_level=3
# The core extension. One translation unit built from one include file per
# room, so that Tensor methods reach the op machinery through direct C calls
# (no cross-module imports, no circular cimports).

include "_defs.pxi"
include "_dtype.pxi"
include "_storage.pxi"
include "_tensor.pxi"
include "_autograd.pxi"
include "_autograd_hooks.pxi"
include "_ops.pxi"
include "_optable.pxi"
include "_creation.pxi"
include "_random.pxi"
include "_index.pxi"
include "_reduce.pxi"
include "_linalg.pxi"
include "_reductions2.pxi"
include "_shape.pxi"
include "_sort.pxi"
include "_nn.pxi"
include "_sampling.pxi"
include "_histogram.pxi"
include "_complex.pxi"
