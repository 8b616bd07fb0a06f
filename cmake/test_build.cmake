# How test-only executables are compiled (issue 20 part 2: the full build's compile time).
# Release builds the kernel at -O3, which the run outputs and the flagship's speed depend on. Test code only drives
# that kernel (linked from libcachelab_sim, compiled as usual), so -O1 is enough for it: x86-64 double arithmetic is
# IEEE with -ffp-contract=off at every level, so a test computes the same numbers, and its units compile ~30% faster.
# The golden check is left at the release level: it compares the kernel's numbers and is one small unit.
function(cachelab_test_target target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O1>)
endfunction()
