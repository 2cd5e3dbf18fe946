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

include(${CMAKE_CURRENT_LIST_DIR}/mpi_run_both.cmake)

run_both("grid table" "Best: " ${optimize})
run_both("LHS table" "Best: " ${lhs})

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
