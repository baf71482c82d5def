# AddressSanitizer + UndefinedBehaviorSanitizer build of everything in the tree (scripts/sanitize.sh makes one with
# the dashboard and the Mosquitto plugin's suites left out: the plugin runs inside an uninstrumented mosquitto, and an
# ASan library cannot be loaded into a process whose main program lacks the runtime).
option(MF_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer (scripts/sanitize.sh)" OFF)
if(MF_SANITIZE)
  if(MF_FUZZ)
    message(FATAL_ERROR "MF_SANITIZE and MF_FUZZ are separate builds (MF_FUZZ already sanitizes)")
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
