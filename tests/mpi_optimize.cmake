# `optimize` spreads its sweep over MPI ranks as `sweep` does: the same command in one process
# (2 threads) and under `mpirun -n 2` (1 thread per rank) must print byte-identical output,
# the table of every point's objective and constraint confidences and the best point. (The
# JSON differs only in the sweep's "run" block: threads and wall time.) `compare` does not
# spread: under several ranks it refuses with code 2 rather than print its result twice.
# Called by CTest with -DCXSIM, -DMPIEXEC and -DSOURCE_DIR.
set(optimize optimize scenarios/default.toml --set scenario.days=1 --reps 5
             --minimize cost_total --subject-to service_level>=0.8 --subject-to csat>=0.7
             --vary channels.phone.agents=28:34:3 --vary channels.chat.agents=8:12:2)
set(lhs optimize scenarios/validation/erlang_a.toml --set scenario.horizon_hours=2 --reps 3
        --minimize agents_mean --subject-to service_level>=0.7
        --vary channels.phone.agents=38:46 --lhs 5)

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
  if(NOT single MATCHES "Best: ")
    message(FATAL_ERROR "${name}: no best point in\n${single}")
  endif()
  if(NOT single STREQUAL ranks)
    message(FATAL_ERROR "${name}: outputs differ\n--- one process:\n${single}\n--- mpirun -n 2:\n${ranks}")
  endif()
  string(LENGTH "${single}" bytes)
  message(STATUS "${name}: ${bytes} bytes identical")
endfunction()

run_both("grid table" ${optimize})
run_both("LHS table" ${lhs})

execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${CXSIM} compare
                        scenarios/validation/erlang_a.toml scenarios/validation/erlang_a.toml
                        --set scenario.horizon_hours=1 --reps 2
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "compare runs in one process" OR NOT out STREQUAL "")
  message(FATAL_ERROR "compare under mpirun -n 2: exit code ${rc}, expected a refusal\n"
                      "stdout:\n${out}\nstderr:\n${err}")
endif()
message(STATUS "compare under mpirun -n 2: refused (exit code ${rc})")
