# Writes version.cc with the current commit. Run at every build (see src/app/CMakeLists.txt), so the
# stamp never goes stale; configure_file leaves the file untouched when nothing changed, so an
# unchanged commit costs no recompilation.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE GZ_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT GZ_GIT_REVISION)
  set(GZ_GIT_REVISION unknown)
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE GZ_GIT_DIRTY OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(GZ_GIT_DIRTY)
  string(APPEND GZ_GIT_REVISION "-dirty")
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
