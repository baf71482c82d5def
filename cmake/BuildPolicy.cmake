# One place for the build policy: every target links mf_build_policy.
add_library(mf_build_policy INTERFACE)
target_compile_features(mf_build_policy INTERFACE cxx_std_23)
target_compile_options(mf_build_policy INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
target_compile_definitions(mf_build_policy INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_URL_CAST_FROM_STRING
  QT_USE_QSTRINGBUILDER
  QT_NO_FOREACH
  MF_VERSION="${PROJECT_VERSION}")
