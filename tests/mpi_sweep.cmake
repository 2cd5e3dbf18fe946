# Runs the same sweeps in one process (2 threads) and under `mpirun -n 2` (1 thread per rank)
# and requires byte-identical output: the CSV (every metric and CI of every point) and the
# table. (The JSON differs only in its "run" block: threads and wall time.) Called by CTest with -DCXSIM,
# -DMPIEXEC and -DSOURCE_DIR.
set(sweep sweep scenarios/default.toml --set scenario.days=1 --reps 3 --quiet
          --vary channels.phone.agents=20:24:2 --vary channels.chat.agents=6:7:1
          --frontier agents_mean:min,service_level)
set(lhs sweep scenarios/validation/erlang_a.toml --set scenario.horizon_hours=2 --reps 3
        --vary channels.phone.agents=40:50 --vary channels.phone.arrivals.per_hour=500:700 --lhs 7)

include(${CMAKE_CURRENT_LIST_DIR}/mpi_run_both.cmake)

run_both("grid CSV" "." ${sweep} --csv -)
run_both("LHS table" "." ${lhs})
