# CTest LessonCheckAll (issue 17): runs `cachelab lesson check --all` and compares its output, byte for byte, with
# docs/workshop/expected-numbers.txt, the numbers the instructor guide quotes. It fails when a claim does not hold
# (exit code 1) or when the numbers changed; regenerate the file with the command printed below, never by hand.
# Arguments: -DCACHELAB=<binary> -DSOURCE_DIR=<repository> -DOUT=<where to write the actual output>
execute_process(
  COMMAND ${CACHELAB} lesson --dir scenarios/lessons check --all --jobs 2 --no-timing
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE rc)
file(WRITE ${OUT} "${actual}")
if(NOT rc EQUAL 0)
  message("${actual}")
  message(FATAL_ERROR "cachelab lesson check --all exited with ${rc}: a lesson's claim does not hold\n${errors}")
endif()
file(READ ${SOURCE_DIR}/docs/workshop/expected-numbers.txt expected)
if(NOT actual STREQUAL expected)
  execute_process(COMMAND diff -u ${SOURCE_DIR}/docs/workshop/expected-numbers.txt ${OUT})
  message(FATAL_ERROR "every claim holds, but the numbers differ from docs/workshop/expected-numbers.txt "
                      "(the guide quotes them). If the change is intended, regenerate with\n"
                      "  build/sim/cachelab lesson check --all --jobs 2 --no-timing > docs/workshop/expected-numbers.txt\n"
                      "and update the guide's figures.")
endif()
message("lesson check --all: every claim holds and the numbers match docs/workshop/expected-numbers.txt")
