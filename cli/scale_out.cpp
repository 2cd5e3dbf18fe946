#include "cli/scale_out.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef CX_WITH_MPI
// The C API only: OpenMPI's and MPICH's deprecated C++ bindings need a library we don't link.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace cx::cli {

namespace {

// mpirun (OpenMPI, MPICH, any PMI launcher) tells its processes the job size this way; a
// process started without it stays single, without touching MPI.
bool launchedByMpirun() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(var)) return true;
  return false;
}

}  // namespace

ScaleOut::ScaleOut() {
#ifdef CX_WITH_MPI
  if (!launchedByMpirun()) return;
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    if (MPI_Init(nullptr, nullptr) != MPI_SUCCESS) throw std::runtime_error("MPI_Init failed");
    initialised_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
#else
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!size) size = std::getenv("PMI_SIZE");
  if (launchedByMpirun() && size && std::atoi(size) > 1)
    throw std::runtime_error(
        "this cxsim was built without MPI: configure with -DCX_WITH_MPI=ON (libopenmpi-dev) to "
        "run it under mpirun");
#endif
}

ScaleOut::~ScaleOut() {
#ifdef CX_WITH_MPI
  if (initialised_) MPI_Finalize();
#endif
}

std::vector<std::vector<double>> ScaleOut::gather(const std::vector<double>& local) const {
  if (ranks_ == 1) return {local};
#ifdef CX_WITH_MPI
  int count = static_cast<int>(local.size());
  std::vector<int> counts(rank_ == 0 ? ranks_ : 0), offsets(counts.size());
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<double> all;
  if (rank_ == 0) {
    int total = 0;
    for (int k = 0; k < ranks_; ++k) offsets[k] = total, total += counts[k];
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(local.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, MPI_COMM_WORLD);
  std::vector<std::vector<double>> out;
  for (int k = 0; rank_ == 0 && k < ranks_; ++k)
    out.emplace_back(all.begin() + offsets[k], all.begin() + offsets[k] + counts[k]);
  return out;
#else
  throw std::logic_error("ScaleOut: several ranks without MPI");
#endif
}

}  // namespace cx::cli
