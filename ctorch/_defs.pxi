# Compile-time constants shared by the include files (see ctorch._core.iterator for
# the elementwise rules and grains).
