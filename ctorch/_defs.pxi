# Compile-time constants shared by the include files.

# work below these many elements stays on one thread
DEF GRAIN_CHEAP = 32768
DEF GRAIN_MATH = 2048
DEF NOGIL_ABOVE = 16384

# how a binary op derives its dtypes
DEF R_ARITH = 0     # result = promoted type
DEF R_FLOAT = 1     # promoted, integers -> default float (true division, atan2)
DEF R_CMP = 2       # computed in the promoted type, bool result
DEF R_BITS = 3      # integers and bool only

# how a unary op derives its dtypes
DEF U_SAME = 0      # keeps the dtype
DEF U_FLOAT = 1     # integers and bool -> default float
DEF U_PRED = 2      # bool result
DEF U_ABS = 3       # keeps the dtype; complex -> its real type
