# mf_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...] [FIXTURES ...] [ENV ...])
# One test executable per class (tst_<class>.cpp), run offscreen, registered with CTest.
function(mf_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS;FIXTURES;ENV" ${ARGN})
  qt_add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE mf_build_policy Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${T_ENV}"
    LABELS "${T_LABELS}"
    TIMEOUT 600)
  if(T_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${T_FIXTURES}")
  endif()
endfunction()
