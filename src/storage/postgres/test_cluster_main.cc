// gz_pg_test_cluster start|stop <state_dir>: one throwaway PostgreSQL cluster for a whole ctest
// run (the "postgres" fixture of tests/CMakeLists.txt and cmake/gz.cmake); see testing.h.
#include <cstdio>
#include <string>

#include "storage/postgres/testing.h"

int main(int argc, char** argv) {
  using gz::storage::postgres::TestCluster;
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop")) {
    std::fprintf(stderr, "usage: gz_pg_test_cluster start|stop <state_dir>\n");
    return 2;
  }
  std::string state_dir = argv[2];
  // A cluster left by an interrupted run is stopped first, so that it does not linger.
  (void)TestCluster::StopRecorded(state_dir);
  if (std::string(argv[1]) == "stop") return 0;
  auto cluster = TestCluster::Start();
  if (!cluster.ok()) {
    std::fprintf(stderr, "cannot start PostgreSQL: %s\n", cluster.status().ToString().c_str());
    return 1;
  }
  gz::Status s = (*cluster)->Detach(state_dir);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("PostgreSQL test cluster on 127.0.0.1:%d, recorded in %s\n", (*cluster)->port(), state_dir.c_str());
  return 0;
}
