# run_both(NAME EXPECT ARGS...): runs `cxsim ARGS` in one process (2 threads) and under
# `mpirun -n 2` (1 thread per rank), requires both to succeed, the single run's output to match
# the regular expression EXPECT, and the two outputs to be byte-identical. Included by
# mpi_sweep.cmake and mpi_optimize.cmake, which CTest calls with -DCXSIM, -DMPIEXEC and
# -DSOURCE_DIR.
function(run_both name expect)
  execute_process(COMMAND ${CXSIM} ${ARGN} --threads 2 WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE single RESULT_VARIABLE single_rc ERROR_VARIABLE single_err)
  execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${CXSIM} ${ARGN} --threads 1
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE ranks RESULT_VARIABLE ranks_rc ERROR_VARIABLE ranks_err)
  if(NOT single_rc EQUAL 0 OR NOT ranks_rc EQUAL 0)
    message(FATAL_ERROR "${name}: exit codes ${single_rc} (one process), ${ranks_rc} (mpirun)\n"
                        "${single_err}\n${ranks_err}")
  endif()
  if(NOT single MATCHES "${expect}")
    message(FATAL_ERROR "${name}: the output does not match \"${expect}\":\n${single}")
  endif()
  if(NOT single STREQUAL ranks)
    message(FATAL_ERROR "${name}: outputs differ\n--- one process:\n${single}\n--- mpirun -n 2:\n${ranks}")
  endif()
  string(LENGTH "${single}" bytes)
  message(STATUS "${name}: ${bytes} bytes identical")
endfunction()
