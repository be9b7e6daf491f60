#!/usr/bin/env bash
# Negative control for scripts/check-layering: on a throwaway tree it must pass the allowed
# includes and fail every forbidden one, naming file:line. Usage: check_layering_test.sh SCRIPT
set -euo pipefail
script=${1:?usage: check_layering_test.sh path/to/check-layering}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {  # check NAME EXPECTED_EXIT [GREP_PATTERN]
  local name=$1 want=$2 pattern=${3:-}
  local out rc=0
  out=$("$script" "$tmp/$name" 2>&1) || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, want $want"; echo "$out" | sed 's/^/    /'; fails=$((fails + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | sed 's/^/    /'; fails=$((fails + 1)); return
  fi
  echo "ok   $name"
}
put() {  # put TREE FILE LINE...
  local tree=$1 file=$2; shift 2
  mkdir -p "$(dirname "$tmp/$tree/$file")"
  printf '%s\n' "$@" >"$tmp/$tree/$file"
}

# A tree that follows every rule.
put clean src/core/status.h '#include <string>' '#include <unistd.h>' '#include <sys/stat.h>' '#include "core/clock.h"'
put clean src/core/status_test.cc '#include <gtest/gtest.h>' '#include "core/status.h"'
put clean src/modules/appeals/appeal_service.h '#include "core/status.h"' '#include "modules/appeals/appeal_store.h"'
put clean src/modules/appeals/appeal_service_test.cc '#include "storage/sqlite/testing.h"'
put clean src/modules/appeals/api/routes.cc '#include "http/router.h"' '#include <boost/json.hpp>'
put clean src/modules/appeals/sql/store.cc '#include "storage/db.h"'
put clean src/modules/appeals/sql/store_test.cc '#include "storage/sqlite/sqlite_db.h"'
put clean src/modules/appeals/api/routes_test.cc '#include "storage/sqlite/testing.h"'
put clean src/modules/appeals/sql/import_bench.cc '#include "storage/sqlite/sqlite_db.h"'
put clean src/modules/appeals/testing/fixtures.cc '#include "storage/db.h"'
put clean src/server/session.cc '#include <boost/beast/http.hpp>' '#include <boost/asio/ip/tcp.hpp>'
put clean src/storage/sqlite/connection.cc '#include <sqlite3.h>'
put clean src/crypto/sealed.cc '#include <sodium.h>'
put clean src/modules/attachments/image_sanitizer.cc '#include <vips/vips.h>'
put clean src/http/json.h '#include <boost/json/value.hpp>' '// #include <boost/asio.hpp> in a comment is fine'
check clean 0

# Each forbidden include alone, so each rule is shown to fire.
put beast_in_domain src/modules/appeals/appeal_service.cc '#include "core/status.h"' '#  include <boost/beast/http.hpp>'
check beast_in_domain 1 'src/modules/appeals/appeal_service\.cc:2: .*boost/beast'
put asio_in_http src/http/dispatcher.cc '#include <boost/asio/io_context.hpp>'
check asio_in_http 1 'src/http/dispatcher\.cc:1:'
put sqlite_in_domain src/modules/appeals/appeal.cc '#include <sqlite3.h>'
check sqlite_in_domain 1 'appeal\.cc:1: .*sqlite3\.h'
put libpq_in_sql src/modules/appeals/sql/store.cc '#include <libpq-fe.h>'
check libpq_in_sql 1 'store\.cc:1: .*libpq-fe\.h'
put sodium_in_domain src/modules/residents/resident.cc '#include <sodium.h>'
check sodium_in_domain 1 'resident\.cc:1: .*sodium\.h'
put vips_elsewhere src/modules/attachments/image_format.cc '#include <vips/vips.h>'
check vips_elsewhere 1 'image_format\.cc:1: .*vips/vips\.h'
put glib_in_api src/modules/appeals/api/photo_routes.cc '#include <glib.h>'
check glib_in_api 1 'photo_routes\.cc:1: .*glib\.h'
put http_in_domain src/modules/appeals/appeal_service.cc '#include "http/request.h"'
check http_in_domain 1 'appeal_service\.cc:1: .*http/request\.h'
put storage_in_domain src/modules/appeals/appeal_service.cc '#include "storage/db.h"'
check storage_in_domain 1 'appeal_service\.cc:1: .*storage/db\.h'
put storage_in_api src/modules/appeals/api/routes.cc '#include "storage/db.h"'
check storage_in_api 1 'routes\.cc:1:'
put backend_in_sql src/modules/appeals/sql/store.cc '#include "storage/sqlite/sqlite_db.h"'
check backend_in_sql 1 'store\.cc:1:'
put thirdparty_in_core src/core/money.h '#include <fmt/format.h>'
check thirdparty_in_core 1 'money\.h:1: .*fmt/format\.h'
put other_in_core src/core/money.h '#include "modules/appeals/appeal.h"'
check other_in_core 1 'money\.h:1:'
put beast_in_test src/modules/appeals/appeal_service_test.cc '#include <boost/asio/io_context.hpp>'
check beast_in_test 1 'appeal_service_test\.cc:1:'
put sqlite_in_bench src/modules/appeals/sql/import_bench.cc '#include <sqlite3.h>'
check sqlite_in_bench 1 'import_bench\.cc:1: .*sqlite3\.h'
put gtest_in_core_header src/core/money.h '#include <gtest/gtest.h>'
check gtest_in_core_header 1 'money\.h:1:'

if [ $fails -gt 0 ]; then
  echo "check_layering_test: $fails case(s) failed"
  exit 1
fi
echo "check_layering_test: all cases behave"
