#include "connectdialog.h"

#include "models/thingsmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace mf::ui {

ConnectDialog::ConnectDialog(client::RestClient *client, const QStringList &channelNames, QWidget *parent)
    : QDialog(parent), m_model(new ThingsModel(this)), m_filter(new QLineEdit(this)), m_view(new QTableView(this))
{
    setWindowTitle(tr("Connect things"));
    auto *intro = new QLabel(
        tr("Choose the things that may publish to and read from %1.").arg(channelNames.join(QStringLiteral(", "))),
        this);
    intro->setWordWrap(true);
    m_filter->setPlaceholderText(tr("Filter by name…"));
    m_filter->setClearButtonEnabled(true);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::MultiSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->hideColumn(ThingsModel::KeyColumn);
    m_view->hideColumn(ThingsModel::UpdatedColumn);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // A disabled Connect says why, beside it.
    auto *hint = new QLabel(tr("Select the things to connect (click a row; each click adds or removes one)."), this);
    hint->setObjectName(QStringLiteral("submitHint"));
    hint->setWordWrap(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, buttons, hint] {
        const int count = int(selectedThingIds().size());
        buttons->button(QDialogButtonBox::Ok)->setEnabled(count > 0);
        hint->setText(count > 0 ? tr("%n thing(s) selected.", nullptr, count)
                                : tr("Select the things to connect (click a row; each click adds or removes one)."));
    });
    connect(m_filter, &QLineEdit::textChanged, m_model, &PagedTableModel::setFilter);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(hint);
    layout->addWidget(buttons);
    resize(640, 480);
    m_model->setClient(client);
}

QStringList ConnectDialog::selectedThingIds() const
{
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(m_model->thingAt(index.row()).id);
    return ids;
}

} // namespace mf::ui
