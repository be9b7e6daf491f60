# Helpers so that each folder's CMakeLists.txt stays a few lines long (like Abseil's absl_cc_library).
#
# gz_library(<name> SOURCES a.cc b.cc DEPS gz_core Boost::json)
#   makes the static library gz_<name>, with src/ on the include path ("core/status.h").
# gz_test(<name> SOURCES a_test.cc DEPS gz_<name>)
#   makes the test binary gz_<name>_test (GoogleTest + gmock main) and registers each test case
#   with ctest, so `ctest` counts test cases, not binaries.
#   USES_POSTGRES: the tests need the throwaway PostgreSQL cluster of the ctest fixture
#   "postgres" (src/storage/postgres/testing.h), started once for the run.
#   BOTH_BACKENDS: the tests open their store with storage::TestStoreForTest /
#   OpenTemporaryStoreForTest (storage/backends_for_test.h); they are registered twice, the
#   second time as <name>.pg.<Test> with GZ_TEST_BACKEND=postgres.

function(gz_library name)
  cmake_parse_arguments(GZ "" "" "SOURCES;DEPS" ${ARGN})
  add_library(gz_${name} STATIC ${GZ_SOURCES})
  target_include_directories(gz_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(gz_${name} PUBLIC ${GZ_DEPS})
endfunction()

function(gz_test name)
  if(NOT GZ_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(GZ "USES_POSTGRES;BOTH_BACKENDS" "" "SOURCES;DEPS" ${ARGN})
  add_executable(gz_${name}_test ${GZ_SOURCES})
  target_include_directories(gz_${name}_test PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(gz_${name}_test PRIVATE ${GZ_DEPS} GTest::gmock_main)
  if(GZ_BOTH_BACKENDS)
    target_link_libraries(gz_${name}_test PRIVATE gz_storage_postgres_testing gz_storage_sqlite)
    gtest_discover_tests(gz_${name}_test
      TEST_PREFIX "${name}."
      DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "GZ_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(gz_${name}_test
      TEST_PREFIX "${name}.pg."
      DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "GZ_SOURCE_DIR=${PROJECT_SOURCE_DIR};GZ_TEST_BACKEND=postgres;GZ_TEST_POSTGRES_DIR=${GZ_TEST_POSTGRES_DIR}"
                 FIXTURES_REQUIRED postgres LABELS postgres)
  elseif(GZ_USES_POSTGRES)
    gtest_discover_tests(gz_${name}_test
      TEST_PREFIX "${name}."
      DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "GZ_SOURCE_DIR=${PROJECT_SOURCE_DIR};GZ_TEST_POSTGRES_DIR=${GZ_TEST_POSTGRES_DIR}"
                 FIXTURES_REQUIRED postgres)
  else()
    gtest_discover_tests(gz_${name}_test
      TEST_PREFIX "${name}."
      DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "GZ_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
