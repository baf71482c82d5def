#include "client/restclient.h"
#include "common.h"
#include "models/session.h"
#include "models/thingscsv.h"
#include "models/thingsmodel.h"
#include "thingspage.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProgressDialog>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

// ThingsPage's CSV import (declared in thingspage.h): read and check every line first, then create the things in
// batches of 100 with a cancellable progress dialog.

namespace mf::ui {

void ThingsPage::importCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        banner()->showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const ThingsCsv csv = parseThingsCsv(QString::fromUtf8(file.readAll()));
    switch (csv.problem) {
    case ThingsCsv::Problem::None:
        break;
    case ThingsCsv::Problem::Empty:
        banner()->showError(tr("%1 is empty").arg(path));
        return;
    case ThingsCsv::Problem::NoNameColumn:
        banner()->showError(tr("%1: the first line must name the columns, with at least \"name\" "
                               "(optional: type, metadata, key)")
                                .arg(path));
        return;
    case ThingsCsv::Problem::BadMetadata:
        banner()->showError(tr("%1 line %2: metadata: %3").arg(path).arg(csv.line).arg(csv.detail));
        return;
    }
    const QJsonArray things = csv.things;

    auto *progress = new QProgressDialog(tr("Importing %n thing(s)…", nullptr, int(things.size())), tr("Cancel"), 0,
                                         int(things.size()), this);
    progress->setObjectName(u"importProgress"_s);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(200);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    auto created = std::make_shared<int>(0);
    auto next = std::make_shared<std::function<void(int)>>();
    *next = [this, things, progress, created, next](int offset) {
        if (progress->wasCanceled() || offset >= things.size()) {
            const bool cancelled = progress->wasCanceled();
            progress->close();
            m_model->reload();
            Q_EMIT statusMessage(cancelled ? tr("Import cancelled after %n thing(s)", nullptr, *created)
                                           : tr("%n thing(s) imported", nullptr, *created));
            *next = nullptr; // breaks the self-reference
            return;
        }
        QJsonArray batch;
        for (int i = offset; i < std::min<int>(offset + 100, int(things.size())); ++i)
            batch.append(things.at(i));
        session()->client()->createThings(batch).then(
            this, [this, progress, created, next, offset, batch](const Result<QList<Thing>> &r) {
                if (!r) {
                    progress->close();
                    banner()->showError(tr("Import stopped at line %1 after %n thing(s): %2", nullptr, *created)
                                            .arg(offset + 2)
                                            .arg(r.error().message));
                    m_model->reload();
                    *next = nullptr;
                    return;
                }
                *created += int(r->size());
                progress->setValue(*created);
                (*next)(offset + int(batch.size()));
            });
    };
    (*next)(0);
}

} // namespace mf::ui
