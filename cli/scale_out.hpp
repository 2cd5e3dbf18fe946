// Scale-out over machines: when cxsim is built with MPI (CMake CX_WITH_MPI) and started by
// mpirun, `cxsim sweep` and `cxsim optimize` split their sweep's tasks over the ranks and rank 0
// gathers and prints; `cxsim compare` refuses to run on several ranks. Started
// any other way (or built without MPI) it is one process, and MPI is never initialised, so the
// ordinary command line pays nothing for it.
#pragma once

#include <vector>

namespace cx::cli {

class ScaleOut {
 public:
  // Joins the MPI job when launched by mpirun. Built without MPI, a launch by mpirun with
  // several processes throws std::runtime_error: each would run the whole sweep and print it.
  ScaleOut();
  ~ScaleOut();
  ScaleOut(const ScaleOut&) = delete;
  ScaleOut& operator=(const ScaleOut&) = delete;

  int rank() const { return rank_; }
  int ranks() const { return ranks_; }
  // Collective: every rank's vector, in rank order, on rank 0 (empty on the others).
  std::vector<std::vector<double>> gather(const std::vector<double>& local) const;

 private:
  int rank_ = 0, ranks_ = 1;
  bool initialised_ = false;
};

}  // namespace cx::cli
