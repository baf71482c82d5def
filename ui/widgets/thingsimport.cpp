#include "client/restclient.h"
#include "common.h"
#include "models/session.h"
#include "models/thingscsv.h"
#include "models/thingsimporter.h"
#include "models/thingsmodel.h"
#include "thingspage.h"

#include <QFile>
#include <QProgressDialog>

using namespace Qt::StringLiterals;

// ThingsPage's CSV import (declared in thingspage.h): read and check every line first, then let a ThingsImporter
// create the things in batches while a cancellable progress dialog shows it.

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
    auto *importer = new ThingsImporter(*session()->client(), csv.things, this);
    auto *progress = new QProgressDialog(tr("Importing %n thing(s)…", nullptr, importer->total()), tr("Cancel"), 0,
                                         importer->total(), this);
    progress->setObjectName(u"importProgress"_s);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(200);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, importer, &ThingsImporter::cancel);
    connect(importer, &ThingsImporter::progressed, progress, &QProgressDialog::setValue);
    connect(importer, &ThingsImporter::finished, this, [this, importer, progress](int created, bool cancelled) {
        progress->close();
        m_model->reload();
        Q_EMIT statusMessage(cancelled ? tr("Import cancelled after %n thing(s)", nullptr, created)
                                       : tr("%n thing(s) imported", nullptr, created));
        importer->deleteLater();
    });
    connect(importer, &ThingsImporter::failed, this,
            [this, importer, progress](int line, int created, const QString &message) {
                progress->close();
                banner()->showError(
                    tr("Import stopped at line %1 after %n thing(s): %2", nullptr, created).arg(line).arg(message));
                m_model->reload();
                importer->deleteLater();
            });
    importer->start();
}

} // namespace mf::ui
