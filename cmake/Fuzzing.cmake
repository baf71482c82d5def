# Fuzzing (tests/fuzz). Every fuzz target is one LLVMFuzzerTestOneInput. In a normal build each is linked with a small
# main() that replays its seed corpus, one CTest test per target. With -DMF_FUZZ=ON (clang; scripts/fuzz.sh) the code
# is compiled with libFuzzer coverage, AddressSanitizer and UndefinedBehaviorSanitizer, and the targets are libFuzzer
# binaries. Build only the fuzz targets in such a tree: the rest of the product is not meant to run instrumented.
option(MF_FUZZ "Build tests/fuzz as libFuzzer binaries with ASan + UBSan (clang 16 or later)" OFF)

if(MF_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
    message(FATAL_ERROR "MF_FUZZ needs clang 16 or later (scripts/fuzz.sh uses clang++-16): clang 14 and 15 cannot "
                        "compile libstdc++ 12's <expected>, which mf::Result is")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # libstdc++ 12 shows <expected> only when __cpp_concepts >= 202002L; clang < 19 implements what it needs
  # (conditionally trivial special members, P0848, since clang 16) but still reports 201907L.
  if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
    add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L)
  endif()
endif()

# mf_add_fuzzer(<name> [SOURCES ...] [LIBS ...]): tests/fuzz/fuzz_<name>.cpp, seeds in tests/fuzz/corpus/<name>/,
# registered with CTest as fuzz_<name> (label "fuzz") replaying every seed.
function(mf_add_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;LIBS" ${ARGN})
  set(target fuzz_${name})
  set(corpus ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${name})
  qt_add_executable(${target} fuzz_${name}.cpp fuzzcheck.h ${F_SOURCES})
  target_link_libraries(${target} PRIVATE mf_build_policy ${F_LIBS})
  if(MF_FUZZ)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    add_test(NAME ${target} COMMAND ${target} -runs=0 ${corpus}) # libFuzzer runs each seed once and stops
  else()
    target_sources(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/replaymain.cpp)
    add_test(NAME ${target} COMMAND ${target} ${corpus})
  endif()
  set_tests_properties(${target} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
