// Test helpers: throwaway PostgreSQL 15 clusters and a fresh database per test store.
//
// Layer: storage/postgres, test support (linked into gz_storage_postgres_testing; never used by
// the server). Like storage/sqlite/testing.h, tests run their SQL on the real engine.
//
// A cluster is initdb'd into a new temporary folder and started with pg_ctl on a free loopback
// port (127.0.0.1 only, its Unix socket in that folder, fsync on, trust authentication for the
// role "gongzhi" since nothing but this machine can reach it). PostgreSQL refuses to run as
// root, so a root process runs initdb and pg_ctl as the unprivileged user GZ_TEST_POSTGRES_USER
// (default "nobody") through runuser(1); the folder is handed to that user. The binaries come
// from GZ_POSTGRES_BINDIR (default /usr/lib/postgresql/15/bin, Debian's postgresql-15).
//
// Sharing: starting a cluster takes about a second and ctest runs each test case as its own
// process, so the ctest fixture "postgres" (tests/CMakeLists.txt; the tool gz_pg_test_cluster)
// starts one cluster for the whole run and records it in the folder named by
// GZ_TEST_POSTGRES_DIR; SharedTestCluster() attaches to it. Without that variable (a test binary
// run by hand) the first call starts a cluster for the process, stopped when the process exits.
// Every OpenTemporaryPostgresForTest() gets a schema of its own (in the database "postgres",
// reached with search_path set to it) and drops it afterwards: CREATE / DROP DATABASE cost one to
// three seconds each here (DROP DATABASE forces a checkpoint), a schema a few milliseconds, and
// module SQL never names a schema, so it cannot tell the difference.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "storage/db.h"
#include "storage/postgres/postgres_db.h"

namespace gz::storage::postgres {

class TestCluster {
 public:
  // initdb into a new temporary folder and start the server. kUnavailable "storage/cannot-open"
  // (argument "reason") if PostgreSQL is not installed or does not start; the log is in the note.
  static Result<std::unique_ptr<TestCluster>> Start();
  // A cluster started by `gz_pg_test_cluster start <state_dir>`; not stopped by this object.
  static Result<std::unique_ptr<TestCluster>> Attach(const std::string& state_dir);
  ~TestCluster();
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

  // Writes what Attach() reads into `state_dir` (created if missing) and hands ownership over:
  // this object no longer stops the cluster (gz_pg_test_cluster stop does).
  Status Detach(const std::string& state_dir);
  // Stops a cluster recorded in `state_dir` and removes its folder (for the ctest cleanup).
  static Status StopRecorded(const std::string& state_dir);

  // pg_ctl stop -m fast / start again on the same port (the reconnection tests).
  Status StopServer();
  Status StartServer();

  // A libpq connection string for `dbname` on this cluster.
  std::string ConnInfo(std::string_view dbname) const;
  // A libpq connection string for the database "postgres" with search_path = `schema`.
  std::string ConnInfoForSchema(std::string_view schema) const;
  int port() const { return port_; }

  // Creates a database with a new unique name and returns the name.
  Result<std::string> CreateDatabase();
  Status DropDatabase(const std::string& name);
  // The same for a schema of the database "postgres".
  Result<std::string> CreateSchema();
  Status DropSchema(const std::string& name);

 private:
  TestCluster(std::string dir, int port, bool owned) : dir_(std::move(dir)), port_(port), owned_(owned) {}
  Status RunPgCtl(const std::string& action);
  Status Admin(const std::string& sql);

  std::string dir_;  // the cluster's folder: data/, log, the socket
  int port_;
  bool owned_;       // stop the server and remove dir_ on destruction
};

// The cluster shared by the tests of this process (see above). Never null when OK.
Result<TestCluster*> SharedTestCluster();

// A new empty schema on the shared cluster, opened with `options` (its conninfo is ignored)
// and dropped when the Db is destroyed.
Result<std::unique_ptr<Db>> OpenTemporaryPostgresForTest(PostgresOptions options);
Result<std::unique_ptr<Db>> OpenTemporaryPostgresForTest();

}  // namespace gz::storage::postgres
