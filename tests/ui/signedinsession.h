#pragma once

#include "models/profiles.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "testbackend.h"

#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <memory>

namespace mf::testing {

// A dashboard Session on an in-process backend, as a remote profile (REST, and the WebSocket adapter's port for the
// live stream), signed up as `email`; sign-in tokens in a file under `configDir`. Call it from a test function: a
// failed check ends that function (test with QTest::currentTestFailed()).
inline void openSignedInSession(TestBackend &backend, const QString &configDir, const QString &profileId,
                                const QString &email, std::unique_ptr<ui::TokenStore> &tokens,
                                std::unique_ptr<ui::Session> &session)
{
    using namespace Qt::StringLiterals;
    tokens = std::make_unique<ui::TokenStore>(u"mainflux-test"_s, configDir);
    tokens->setMode(ui::TokenStore::Mode::File);
    session = std::make_unique<ui::Session>(nullptr, tokens.get());
    ui::Profile profile;
    profile.id = profileId;
    profile.kind = ui::Profile::Kind::Remote;
    profile.url = QUrl(backend.baseUrl());
    const int wsPort = backend.backend().readyInfo().value("ports"_L1).toObject().value("ws"_L1).toInt();
    QVERIFY(wsPort > 0);
    profile.liveUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(wsPort));
    session->open(profile);
    QTRY_COMPARE(session->state(), ui::Session::State::SignedOut);
    session->signUp(email, u"correct-horse"_s);
    QTRY_COMPARE(session->state(), ui::Session::State::SignedIn);
}

} // namespace mf::testing
