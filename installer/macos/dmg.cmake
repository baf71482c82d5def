# macOS disk image recipe (CPack DragNDrop). NOT BUILT OR TESTED HERE: it needs macOS (hdiutil, macdeployqt).
# See README.md beside this file.
if(APPLE)
  set_target_properties(mainflux-backend PROPERTIES MACOSX_BUNDLE OFF)
  if(TARGET mainflux)
    set_target_properties(mainflux PROPERTIES MACOSX_BUNDLE ON MACOSX_BUNDLE_BUNDLE_NAME "Mainflux"
                          MACOSX_BUNDLE_GUI_IDENTIFIER "io.mainflux.Mainflux"
                          MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
                          MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION})
    qt_generate_deploy_app_script(TARGET mainflux OUTPUT_SCRIPT mf_deploy_gui NO_UNSUPPORTED_PLATFORM_ERROR)
    install(SCRIPT ${mf_deploy_gui})
  endif()
  set(MF_MACOS_CHILDREN "" CACHE STRING "Paths of nats-server and mosquitto to bundle into Mainflux.app")
  set(CPACK_GENERATOR "DragNDrop")
  set(CPACK_DMG_VOLUME_NAME "Mainflux ${PROJECT_VERSION}")
endif()
