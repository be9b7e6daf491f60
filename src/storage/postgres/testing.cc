// Throwaway PostgreSQL clusters for tests (storage/postgres/testing.h).
#include "storage/postgres/testing.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "storage/problems.h"

namespace gz::storage::postgres {
namespace {

constexpr std::string_view kRole = "gongzhi";

Status CannotStart(std::string reason, std::string note = {}) {
  return Unavailable(std::string(problems::kCannotOpen), std::move(note)).With("reason", std::move(reason));
}

std::string Env(const char* name, const char* fallback) {
  const char* v = getenv(name);
  return v && *v ? v : fallback;
}

std::string BinDir() { return Env("GZ_POSTGRES_BINDIR", "/usr/lib/postgresql/15/bin"); }

// The user that runs PostgreSQL when we are root (it refuses to run as root).
struct RunAs {
  bool needed = false;
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<RunAs> ServerUser() {
  RunAs r;
  if (geteuid() != 0) return r;
  r.needed = true;
  r.name = Env("GZ_TEST_POSTGRES_USER", "nobody");
  struct passwd* pw = getpwnam(r.name.c_str());
  if (!pw) return CannotStart("the user " + r.name + " (GZ_TEST_POSTGRES_USER) does not exist");
  r.uid = pw->pw_uid;
  r.gid = pw->pw_gid;
  return r;
}

// Runs argv (as the server user when root), output appended to `log`; returns the exit status.
int RunCommand(std::vector<std::string> argv, const std::string& log, const RunAs& as) {
  if (as.needed) argv.insert(argv.begin(), {"runuser", "-u", as.name, "--"});
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadTail(const std::string& path, size_t max = 2000) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max ? s.substr(s.size() - max) : s;
}

// A port nothing listens on now (the kernel's choice); a race with another process is possible,
// so Start() retries on failure.
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

Result<std::string> MakeTempDir(const RunAs& as) {
  std::string pattern = Env("TMPDIR", "/tmp") + "/gz-pg-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return CannotStart(std::string("cannot create a temporary folder: ") + std::strerror(errno));
  std::string dir(buf.data());
  if (as.needed && chown(dir.c_str(), as.uid, as.gid) != 0)
    return CannotStart(std::string("cannot give the folder to ") + as.name + ": " + std::strerror(errno));
  return dir;
}

}  // namespace

Result<std::unique_ptr<TestCluster>> TestCluster::Start() {
  GZ_ASSIGN_OR_RETURN(RunAs as, ServerUser());
  if (access((BinDir() + "/initdb").c_str(), X_OK) != 0)
    return CannotStart("PostgreSQL 15 is not installed (no " + BinDir() + "/initdb; scripts/setup installs it)");
  GZ_ASSIGN_OR_RETURN(std::string dir, MakeTempDir(as));
  std::string log = dir + "/initdb.log";
  int rc = RunCommand({BinDir() + "/initdb", "-D", dir + "/data", "-U", std::string(kRole), "-A", "trust", "-E", "UTF8",
                       "--no-locale", "--no-sync"},
                      log, as);
  if (rc != 0) {
    std::string tail = ReadTail(log);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return CannotStart("initdb failed (exit " + std::to_string(rc) + ")", tail);
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    int port = FreeLoopbackPort();
    if (port <= 0) continue;
    std::unique_ptr<TestCluster> cluster(new TestCluster(dir, port, /*owned=*/true));
    if (Status s = cluster->StartServer(); s.ok()) return cluster;
    cluster->owned_ = false;  // keep the folder for the next attempt
  }
  std::string tail = ReadTail(dir + "/server.log");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return CannotStart("the PostgreSQL server did not start", tail);
}

Result<std::unique_ptr<TestCluster>> TestCluster::Attach(const std::string& state_dir) {
  std::ifstream in(state_dir + "/cluster");
  std::string dir;
  int port = 0;
  if (!(in >> dir >> port) || port <= 0)
    return CannotStart("no cluster recorded in " + state_dir + " (run gz_pg_test_cluster start " + state_dir + ")");
  return std::unique_ptr<TestCluster>(new TestCluster(dir, port, /*owned=*/false));
}

TestCluster::~TestCluster() {
  if (!owned_) return;
  // Immediate: the folder is removed next, so the shutdown checkpoint would be wasted fsyncs.
  (void)RunPgCtl("stop-immediate");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status TestCluster::Detach(const std::string& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  std::ofstream out(state_dir + "/cluster", std::ios::trunc);
  out << dir_ << " " << port_ << "\n";
  if (!out.flush()) return CannotStart("cannot write " + state_dir + "/cluster");
  owned_ = false;
  return Status::Ok();
}

Status TestCluster::StopRecorded(const std::string& state_dir) {
  GZ_ASSIGN_OR_RETURN(std::unique_ptr<TestCluster> cluster, Attach(state_dir));
  cluster->owned_ = true;  // the destructor stops it and removes its folder
  cluster.reset();
  std::error_code ec;
  std::filesystem::remove(state_dir + "/cluster", ec);
  return Status::Ok();
}

Status TestCluster::RunPgCtl(const std::string& action) {
  GZ_ASSIGN_OR_RETURN(RunAs as, ServerUser());
  std::vector<std::string> argv = {BinDir() + "/pg_ctl", action, "-w", "-t", "30", "-D", dir_ + "/data"};
  if (action == "start") {
    argv.insert(argv.end(), {"-l", dir_ + "/server.log", "-o",
                             "-k " + dir_ + " -h 127.0.0.1 -p " + std::to_string(port_) +
                                 " -c fsync=on -c synchronous_commit=on -c max_connections=400"
                                 " -c shared_buffers=32MB -c log_min_messages=warning"});
  } else {
    argv[1] = "stop";
    argv.insert(argv.end(), {"-m", action == "stop-immediate" ? "immediate" : "fast"});
  }
  int rc = RunCommand(argv, dir_ + "/pg_ctl.log", as);
  if (rc != 0) return CannotStart("pg_ctl " + action + " failed (exit " + std::to_string(rc) + ")", ReadTail(dir_ + "/pg_ctl.log"));
  return Status::Ok();
}

Status TestCluster::StopServer() { return RunPgCtl("stop"); }
Status TestCluster::StartServer() { return RunPgCtl("start"); }

std::string TestCluster::ConnInfo(std::string_view dbname) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + std::string(kRole) + " dbname=" + std::string(dbname);
}

Status TestCluster::Admin(const std::string& sql) {
  PGconn* conn = PQconnectdb(ConnInfo("postgres").c_str());
  Status s;
  if (PQstatus(conn) != CONNECTION_OK) {
    s = CannotStart("cannot connect to the test cluster", PQerrorMessage(conn));
  } else {
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // "drop cascades to ..."
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) s = Internal(sql + ": " + PQresultErrorMessage(res));
    PQclear(res);
  }
  PQfinish(conn);
  return s;
}

Result<std::string> TestCluster::CreateDatabase() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  std::string name = "gz_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(salt % 100000);
  GZ_RETURN_IF_ERROR(Admin("CREATE DATABASE " + name));
  return name;
}

Status TestCluster::DropDatabase(const std::string& name) { return Admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); }

std::string TestCluster::ConnInfoForSchema(std::string_view schema) const {
  return ConnInfo("postgres") + " options='-c search_path=" + std::string(schema) + "'";
}

Result<std::string> TestCluster::CreateSchema() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  std::string name = "gz_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(salt % 100000);
  GZ_RETURN_IF_ERROR(Admin("CREATE SCHEMA " + name));
  return name;
}

Status TestCluster::DropSchema(const std::string& name) { return Admin("DROP SCHEMA IF EXISTS " + name + " CASCADE"); }

Result<TestCluster*> SharedTestCluster() {
  static std::mutex mu;
  static std::unique_ptr<TestCluster> shared;  // stopped by its destructor at exit, if ours
  std::lock_guard lk(mu);
  if (shared) return shared.get();
  std::string state_dir = Env("GZ_TEST_POSTGRES_DIR", "");
  Result<std::unique_ptr<TestCluster>> c = state_dir.empty() ? TestCluster::Start() : TestCluster::Attach(state_dir);
  if (!c.ok()) return c.status();
  shared = std::move(*c);
  return shared.get();
}

namespace {

// Forwards to the real store; drops its database after closing it.
class TemporaryDb final : public Db {
 public:
  TemporaryDb(TestCluster* cluster, std::string name, std::unique_ptr<Db> db)
      : cluster_(cluster), name_(std::move(name)), db_(std::move(db)) {}
  ~TemporaryDb() override {
    db_.reset();
    (void)cluster_->DropSchema(name_);  // best effort: the cluster goes away after the run anyway
  }
  Dialect dialect() const override { return db_->dialect(); }
  Status Read(const std::function<Status(Tx&)>& fn) override { return db_->Read(fn); }
  Result<ResultSet> ReadStatement(std::string_view sql, const Params& params) override { return db_->ReadStatement(sql, params); }
  Status Write(const std::function<Status(Tx&)>& fn) override { return db_->Write(fn); }
  Status Ping() override { return db_->Ping(); }
  std::string Describe() const override { return db_->Describe(); }
  WriteCounters write_counters() const override { return db_->write_counters(); }
  Status WithStoreLock(std::string_view name, std::chrono::milliseconds wait, const std::function<Status()>& fn) override {
    return db_->WithStoreLock(name, wait, fn);
  }

 private:
  TestCluster* cluster_;
  std::string name_;
  std::unique_ptr<Db> db_;
};

}  // namespace

Result<std::unique_ptr<Db>> OpenTemporaryPostgresForTest(PostgresOptions options) {
  GZ_ASSIGN_OR_RETURN(TestCluster * cluster, SharedTestCluster());
  GZ_ASSIGN_OR_RETURN(std::string name, cluster->CreateSchema());
  options.conninfo = cluster->ConnInfoForSchema(name);
  Result<std::unique_ptr<Db>> db = OpenPostgres(options);
  if (!db.ok()) {
    (void)cluster->DropSchema(name);
    return db.status();
  }
  return std::unique_ptr<Db>(new TemporaryDb(cluster, std::move(name), std::move(*db)));
}

Result<std::unique_ptr<Db>> OpenTemporaryPostgresForTest() {
  PostgresOptions options;
  options.pool_size = 4;
  return OpenTemporaryPostgresForTest(options);
}

}  // namespace gz::storage::postgres
