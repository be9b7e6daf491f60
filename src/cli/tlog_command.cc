// The transparency log on the command line:
//
//   gongzhi tlog verifier-key [--data-dir DIR]     print the log's note verifier key
//   gongzhi verify (--url URL | --data-dir DIR) [--verifier-key KEY] [--state FILE]
//                  [--item-index N | --entry-file FILE]
//   gongzhi witness --url URL --state-dir DIR [--verifier-key KEY] [--interval S] [--once]
//
// verify is a full audit (a monitor, C2SP tlog-tiles 9.5 step 4): it checks the checkpoint's
// signature with the pinned key, downloads every entry bundle, rebuilds the tree, compares every
// hash tile and the signed root, checks that the tree extends the checkpoint saved in --state
// (then saves the new one), and finds a given entry. witness keeps every checkpoint it saw and
// checks each new one against the last with the log's consistency proof; a fork (two
// checkpoints no append-only log can both have signed) is reported loudly.
//
// Every check uses only the tlog library and the bytes fetched, never the server's word. With
// --data-dir the same audit runs on the store, through the same code that serves /tlog/.

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/json/parse.hpp>

#include "cli/command.h"
#include "cli/http_get.h"
#include "modules/transparency/transparency_log.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tiles.h"

namespace gz::cli {
namespace {

Status Mismatch(std::string what) { return Status(Code::kFailedPrecondition, "tlog/verify-failed").With("reason", std::move(what)); }

// Where the log's files come from: a server (paths under <url>/tlog/) or the store itself.
class LogSource {
 public:
  virtual ~LogSource() = default;
  // "checkpoint", "verifier-key", "tile/..." (relative to the log's prefix).
  virtual Result<std::string> Get(const std::string& path) = 0;
  // The JSON consistency proof from..to (witness); nullopt when the source has none.
  virtual Result<std::vector<tlog::Hash>> Consistency(int64_t from, int64_t to) = 0;
};

Result<std::vector<tlog::Hash>> ProofFromJson(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("proof") || !v.as_object().at("proof").is_array())
    return Mismatch("the consistency proof is not the expected JSON");
  std::vector<tlog::Hash> proof;
  for (const auto& h : v.as_object().at("proof").as_array()) {
    if (!h.is_string()) return Mismatch("a proof hash is not a string");
    std::optional<std::string> raw = tlog::Base64Decode(std::string_view(h.as_string()));
    if (!raw || raw->size() != 32) return Mismatch("a proof hash is not base64 of 32 bytes");
    proof.push_back(*tlog::HashFromBytes(*raw));
  }
  return proof;
}

class UrlSource final : public LogSource {
 public:
  explicit UrlSource(std::string base) : base_(std::move(base)) {}
  Result<std::string> Get(const std::string& path) override {
    GZ_ASSIGN_OR_RETURN(HttpAnswer a, HttpGet(base_, "/tlog/" + path));
    if (a.status != 200) return Mismatch("GET /tlog/" + path + " answered " + std::to_string(a.status));
    return a.body;
  }
  Result<std::vector<tlog::Hash>> Consistency(int64_t from, int64_t to) override {
    GZ_ASSIGN_OR_RETURN(HttpAnswer a, HttpGet(base_, "/api/v1/tlog/consistency?from=" + std::to_string(from) +
                                                         "&to=" + std::to_string(to)));
    if (a.status != 200) return Mismatch("the consistency proof request answered " + std::to_string(a.status));
    return ProofFromJson(a.body);
  }

 private:
  std::string base_;
};

class StoreSource final : public LogSource {
 public:
  explicit StoreSource(transparency::TransparencyLog& log) : log_(log) {}
  Result<std::string> Get(const std::string& path) override {
    if (path == "checkpoint") {
      GZ_ASSIGN_OR_RETURN(transparency::SignedCheckpoint c, log_.Latest());
      return c.note;
    }
    if (path == "verifier-key") return log_.verifier_key() + "\n";
    GZ_ASSIGN_OR_RETURN(tlog::Tile tile, tlog::ParseTilePath(path));
    Result<std::string> data = log_.TileData(tile);
    if (!data.ok()) return Mismatch(path + ": " + data.status().ToString());
    return data;
  }
  Result<std::vector<tlog::Hash>> Consistency(int64_t from, int64_t to) override { return log_.Consistency(from, to); }

 private:
  transparency::TransparencyLog& log_;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, "tlog/file").With("path", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out.flush()) return Status(Code::kFailedPrecondition, "tlog/file").With("path", path);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(Code::kFailedPrecondition, "tlog/file").With("path", path);
  return Status::Ok();
}

// The pinned key: --verifier-key, else the one saved with the state, else the source's (trust
// on first use, said out loud).
Result<tlog::VerifierKey> PinnedKey(LogSource& source, const std::string& flag, const std::string& saved) {
  std::string text = !flag.empty() ? flag : saved;
  if (text.empty()) {
    GZ_ASSIGN_OR_RETURN(std::string served, source.Get("verifier-key"));
    text = Trim(served);
    std::fprintf(stderr,
                 "note: no --verifier-key given and no saved state: trusting the key the log serves now (%s).\n"
                 "      Compare it with the key the county publishes on paper and elsewhere.\n",
                 text.c_str());
  }
  Result<tlog::VerifierKey> key = tlog::ParseVerifierKey(text);
  if (!key.ok()) return Mismatch("the verifier key is malformed: " + text);
  return key;
}

Result<tlog::Checkpoint> OpenCheckpoint(const std::string& note, const tlog::VerifierKey& key) {
  Result<std::string> text = tlog::OpenNote(note, {key});
  if (!text.ok()) return Mismatch("the checkpoint's signature does not verify with " + key.name + " (" +
                                  std::string(text.status().slug()) + ")");
  Result<tlog::Checkpoint> c = tlog::ParseCheckpoint(*text);
  if (!c.ok()) return Mismatch("the checkpoint is malformed");
  if (c->origin != key.name) return Mismatch("the checkpoint's origin \"" + c->origin + "\" is not the key's name");
  return c;
}

struct VerifyOptions {
  std::string verifier_key, state_file, entry_file;
  int64_t item_index = -1;
};

// State file: line 1 the verifier key, then the last verified signed note.
int RunVerify(LogSource& source, const VerifyOptions& o, const std::string& url) {
  std::string saved_key, saved_note;
  if (!o.state_file.empty()) {
    Result<std::string> state = ReadFile(o.state_file);
    if (state.ok()) {
      size_t nl = state->find('\n');
      saved_key = state->substr(0, nl);
      if (nl != std::string::npos) saved_note = state->substr(nl + 1);
    }
  }
  Result<tlog::VerifierKey> key = PinnedKey(source, o.verifier_key, saved_key);
  if (!key.ok()) return ReportFailure("verification FAILED", key.status());
  auto fail = [](const Status& s) { return ReportFailure("verification FAILED", s); };

  Result<std::string> note = source.Get("checkpoint");
  if (!note.ok()) return fail(note.status());
  Result<tlog::Checkpoint> cp = OpenCheckpoint(*note, *key);
  if (!cp.ok()) return fail(cp.status());
  std::printf("checkpoint: %s, %lld entries, root %s (signature ok)\n", cp->origin.c_str(),
              static_cast<long long>(cp->size), tlog::Base64Encode(tlog::HashBytes(cp->root)).c_str());

  // Every entry: rebuild the tree from the bundles and compare every tile and the root.
  tlog::MemoryTree tree;
  tree.Reserve(cp->size);
  std::vector<tlog::Hash> leaves;
  for (const tlog::Tile& t : tlog::TilesForSize(cp->size)) {
    if (t.level != 0) continue;
    tlog::Tile bundle_tile = t;
    bundle_tile.entries = true;
    Result<std::string> bundle = source.Get(tlog::TilePath(bundle_tile));
    if (!bundle.ok()) return fail(bundle.status());
    Result<std::vector<std::string>> entries = tlog::DecodeBundle(*bundle);
    if (!entries.ok() || static_cast<int>(entries->size()) != t.width)
      return fail(Mismatch(tlog::TilePath(bundle_tile) + " does not hold " + std::to_string(t.width) + " entries"));
    for (const std::string& e : *entries) tree.Append(tlog::LeafHash(e));
  }
  Result<tlog::Hash> root = tree.Root();
  if (*root != cp->root)
    return fail(Mismatch("the entries do not reproduce the signed root: an entry was changed, removed or added"));
  for (const tlog::Tile& t : tlog::TilesForSize(cp->size)) {
    Result<std::string> served = source.Get(tlog::TilePath(t));
    if (!served.ok()) return fail(served.status());
    if (*served != *tlog::ReadTileData(t, tree.reader()))
      return fail(Mismatch(tlog::TilePath(t) + " differs from the tree the entries build"));
  }
  std::printf("all %lld entries are in the signed tree (every tile checked)\n", static_cast<long long>(cp->size));

  if (!saved_note.empty()) {
    Result<tlog::Checkpoint> old = OpenCheckpoint(saved_note, *key);
    if (!old.ok()) return fail(Mismatch("the saved checkpoint in " + o.state_file + " does not verify"));
    if (old->size > cp->size)
      return fail(Mismatch("the log shrank from " + std::to_string(old->size) + " to " + std::to_string(cp->size) +
                           " entries since the saved checkpoint"));
    if (*tlog::TreeHash(old->size, tree.reader()) != old->root)
      return fail(Mismatch("the log is not consistent with the checkpoint saved in " + o.state_file +
                           " (size " + std::to_string(old->size) + "): history was rewritten"));
    std::printf("consistent with the saved checkpoint of size %lld\n", static_cast<long long>(old->size));
  }

  if (o.item_index >= 0) {
    if (o.item_index >= cp->size)
      return fail(Mismatch("entry " + std::to_string(o.item_index) + " is not in the signed tree of size " +
                           std::to_string(cp->size)));
    tlog::Hash leaf = tree.stored()[static_cast<size_t>(tlog::StoredHashIndex(0, o.item_index))];
    std::vector<tlog::Hash> proof = *tlog::ProveInclusion(o.item_index, cp->size, tree.reader());
    if (!tlog::VerifyInclusion(o.item_index, cp->size, leaf, proof, cp->root)) return fail(Mismatch("inclusion"));
    if (!url.empty()) {
      // The server's own JSON proof must check too (a journalist's phone uses it).
      Result<HttpAnswer> a = HttpGet(url, "/api/v1/tlog/inclusion?index=" + std::to_string(o.item_index) +
                                              "&tree_size=" + std::to_string(cp->size));
      if (!a.ok() || a->status != 200) return fail(Mismatch("the server did not give an inclusion proof"));
      Result<std::vector<tlog::Hash>> served = ProofFromJson(a->body);
      if (!served.ok() || !tlog::VerifyInclusion(o.item_index, cp->size, leaf, *served, cp->root))
        return fail(Mismatch("the server's inclusion proof does not verify"));
    }
    std::printf("entry %lld is in the log (leaf hash %s)\n", static_cast<long long>(o.item_index),
                tlog::Base64Encode(tlog::HashBytes(leaf)).c_str());
  }
  if (!o.entry_file.empty()) {
    Result<std::string> bytes = ReadFile(o.entry_file);
    if (!bytes.ok()) return fail(bytes.status());
    tlog::Hash leaf = tlog::LeafHash(*bytes);
    int64_t found = -1;
    for (int64_t i = 0; i < cp->size && found < 0; ++i)
      if (tree.stored()[static_cast<size_t>(tlog::StoredHashIndex(0, i))] == leaf) found = i;
    if (found < 0) return fail(Mismatch("the file " + o.entry_file + " is not an entry of the log"));
    std::printf("the file is entry %lld of the log\n", static_cast<long long>(found));
  }
  if (!o.state_file.empty()) {
    Status s = WriteFileAtomically(o.state_file, tlog::FormatVerifierKey(*key) + "\n" + *note);
    if (!s.ok()) return fail(s);
  }
  std::printf("OK\n");
  return 0;
}

// One witness round. Returns 0; 1 when the log contradicts itself (FORK), serves a bad or stale
// checkpoint; 3 when it could not be reached (the polling loop keeps going then).
constexpr int kUnreachable = 3;
int WitnessOnce(LogSource& source, const std::filesystem::path& dir, const std::string& key_flag) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "checkpoints", ec);
  Result<std::string> saved_key = ReadFile((dir / "verifier-key").string());
  Result<tlog::VerifierKey> key = PinnedKey(source, key_flag, saved_key.ok() ? Trim(*saved_key) : "");
  if (!key.ok()) return ReportFailure("witness", key.status());
  if (!saved_key.ok()) (void)WriteFileAtomically((dir / "verifier-key").string(), tlog::FormatVerifierKey(*key) + "\n");
  Result<std::string> note = source.Get("checkpoint");
  if (!note.ok()) {
    ReportFailure("witness: cannot fetch the checkpoint", note.status());
    return kUnreachable;
  }
  Result<tlog::Checkpoint> cp = OpenCheckpoint(*note, *key);
  if (!cp.ok()) return ReportFailure("witness: the checkpoint does not verify", cp.status());
  // The newest checkpoint kept so far.
  int64_t newest = -1;
  for (const auto& f : std::filesystem::directory_iterator(dir / "checkpoints", ec)) {
    std::string name = f.path().filename().string();
    if (name.find_first_not_of("0123456789") == std::string::npos && !name.empty())
      newest = std::max<int64_t>(newest, std::stoll(name));
  }
  auto fork = [&](const std::string& why) {
    std::fprintf(stderr, "\n!!! FORK: %s\n!!! the log %s has shown two histories; keep %s as evidence.\n\n",
                 why.c_str(), key->name.c_str(), (dir / "checkpoints").c_str());
    (void)WriteFileAtomically((dir / ("fork-" + std::to_string(cp->size))).string(), *note);
    return 1;
  };
  std::filesystem::path same = dir / "checkpoints" / std::to_string(cp->size);
  if (std::filesystem::exists(same)) {
    Result<tlog::Checkpoint> kept = OpenCheckpoint(*ReadFile(same.string()), *key);
    if (kept.ok() && kept->root != cp->root) return fork("two different roots signed for size " + std::to_string(cp->size));
  }
  if (newest >= 0 && newest != cp->size) {
    Result<tlog::Checkpoint> last = OpenCheckpoint(*ReadFile((dir / "checkpoints" / std::to_string(newest)).string()), *key);
    if (!last.ok()) return ReportFailure("witness: a kept checkpoint no longer verifies", last.status());
    int64_t from = std::min(last->size, cp->size), to = std::max(last->size, cp->size);
    const tlog::Hash& from_root = last->size < cp->size ? last->root : cp->root;
    const tlog::Hash& to_root = last->size < cp->size ? cp->root : last->root;
    Result<std::vector<tlog::Hash>> proof = source.Consistency(from, to);
    if (!proof.ok() || !tlog::VerifyConsistency(from, from_root, to, to_root, *proof))
      return fork("the checkpoint of size " + std::to_string(cp->size) + " is not consistent with the kept one of size " +
                  std::to_string(newest));
    if (cp->size < newest) {
      std::fprintf(stderr, "witness: the log serves an older checkpoint (%lld < %lld): consistent, but stale\n",
                   static_cast<long long>(cp->size), static_cast<long long>(newest));
      return 1;
    }
  }
  if (!std::filesystem::exists(same)) (void)WriteFileAtomically(same.string(), *note);
  std::printf("witness: %s size %lld root %s ok\n", cp->origin.c_str(), static_cast<long long>(cp->size),
              tlog::Base64Encode(tlog::HashBytes(cp->root)).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

Command AddTlogCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("tlog", "The transparency log (村务公开 log): print its verifier key");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<SettingFlags>();
  CLI::App* key = cmd->add_subcommand("verifier-key", "Print the log's note verifier key (publish it widely)");
  flags->AddTo(key, {"config", "data_dir", "database", "tlog_origin", "demo_county", "log_level"});
  return {cmd, [=] {
            int exit_code = 0;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "tlog", false, &exit_code);
            if (!opened) return exit_code;
            std::printf("%s\n", opened->app->transparency_log().verifier_key().c_str());
            return 0;
          }};
}

Command AddVerifyCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "verify", "Audit the transparency log: signature, every entry, consistency with the saved checkpoint, one item");
  auto flags = std::make_shared<SettingFlags>();
  auto url = std::make_shared<std::string>();
  auto o = std::make_shared<VerifyOptions>();
  cmd->add_option("--url", *url, "the server, e.g. http://127.0.0.1:8080 (the log is under /tlog/)");
  cmd->add_option("--verifier-key", o->verifier_key, "the log's verifier key (name+id+key); default: the saved one");
  cmd->add_option("--state", o->state_file, "file keeping the last verified checkpoint (read, then updated)");
  cmd->add_option("--item-index", o->item_index, "check that entry N is in the log");
  cmd->add_option("--entry-file", o->entry_file, "check that this file's bytes are an entry of the log");
  flags->AddTo(cmd, {"config", "data_dir", "database", "tlog_origin", "demo_county", "log_level"});
  return {cmd, [=] {
            bool data_dir_given = flags->Given().contains("data_dir");
            if (url->empty() == !data_dir_given) {
              std::fprintf(stderr, "verify: give exactly one of --url and --data-dir\n");
              return 2;
            }
            if (!url->empty()) {
              UrlSource source(*url);
              return RunVerify(source, *o, *url);
            }
            int exit_code = 0;
            std::optional<OpenedStore> opened = OpenMigratedStore(*flags, "verify", false, &exit_code);
            if (!opened) return exit_code;
            // The stored log first: entries, stored hashes and every checkpoint ever signed.
            Result<transparency::StoredLogReport> stored = opened->app->transparency_log().SelfCheck();
            if (!stored.ok()) return ReportFailure("verification FAILED", stored.status());
            std::printf("store: %lld entries, %lld checkpoints reproduce\n", static_cast<long long>(stored->entries),
                        static_cast<long long>(stored->checkpoints));
            StoreSource source(opened->app->transparency_log());
            return RunVerify(source, *o, "");
          }};
}

Command AddWitnessCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand("witness", "Watch a transparency log: keep every checkpoint, catch forks");
  auto url = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto interval = std::make_shared<int>(60);
  auto once = std::make_shared<bool>(false);
  cmd->add_option("--url", *url, "the server, e.g. http://127.0.0.1:8080")->required();
  cmd->add_option("--state-dir", *dir, "folder for the witness's copies of every checkpoint")->required();
  cmd->add_option("--verifier-key", *key, "the log's verifier key (default: the one saved in --state-dir)");
  cmd->add_option("--interval", *interval, "seconds between polls")->check(CLI::Range(1, 86400));
  cmd->add_flag("--once", *once, "poll once; exit 1 on a fork or a stale or bad checkpoint");
  return {cmd, [=] {
            UrlSource source(*url);
            while (true) {
              int rc = WitnessOnce(source, *dir, *key);
              if (*once) return rc == kUnreachable ? 1 : rc;
              if (rc != 0 && rc != kUnreachable) return rc;
              std::this_thread::sleep_for(std::chrono::seconds(*interval));
            }
          }};
}

}  // namespace gz::cli
