# Runs the same sweeps in one process (2 threads) and under `mpirun -n 2` (1 thread per rank)
# and requires byte-identical output: the CSV (every metric and CI of every point) and the
# table. (The JSON differs only in its "run" block: threads and wall time.) Called by CTest with -DCXSIM,
# -DMPIEXEC and -DSOURCE_DIR.
set(sweep sweep scenarios/default.toml --set scenario.days=1 --reps 3 --quiet
          --vary channels.phone.agents=20:24:2 --vary channels.chat.agents=6:7:1
          --frontier agents_mean:min,service_level)
set(lhs sweep scenarios/validation/erlang_a.toml --set scenario.horizon_hours=2 --reps 3
        --vary channels.phone.agents=40:50 --vary channels.phone.arrivals.per_hour=500:700 --lhs 7)

function(run_both name)
  execute_process(COMMAND ${CXSIM} ${ARGN} --threads 2 WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE single RESULT_VARIABLE single_rc ERROR_VARIABLE single_err)
  execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${CXSIM} ${ARGN} --threads 1
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE ranks RESULT_VARIABLE ranks_rc ERROR_VARIABLE ranks_err)
  if(NOT single_rc EQUAL 0 OR NOT ranks_rc EQUAL 0)
    message(FATAL_ERROR "${name}: exit codes ${single_rc} (one process), ${ranks_rc} (mpirun)\n"
                        "${single_err}\n${ranks_err}")
  endif()
  if(single STREQUAL "")
    message(FATAL_ERROR "${name}: no output")
  endif()
  if(NOT single STREQUAL ranks)
    message(FATAL_ERROR "${name}: outputs differ\n--- one process:\n${single}\n--- mpirun -n 2:\n${ranks}")
  endif()
  string(LENGTH "${single}" bytes)
  message(STATUS "${name}: ${bytes} bytes identical")
endfunction()

run_both("grid CSV" ${sweep} --csv -)
run_both("LHS table" ${lhs})
