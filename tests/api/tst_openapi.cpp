// (No raw string literals here: moc 6.4 loses the class after one.)
// docs/api/openapi.yaml against the routes the backend really serves: every (method, path) the router has must
// be documented, and every documented operation must be served (except the allow-listed routes below).
//
// The YAML is read by a small line-based reader, not a YAML parser. It relies on the layout of openapi.yaml:
// the top-level `paths:` key, each path as a key indented by exactly 2 spaces, each operation (get, put, post,
// delete, patch, head, options, trace) as a key indented by exactly 4 spaces, no flow style (`{...}`) for the
// paths map and no anchors or $ref on path items. Comments, blank lines and block scalars inside operations are
// skipped because only lines at indentation 2 and 4 are looked at. Keep the file in that layout.
#include "testbackend.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;

namespace {

using Operation = std::pair<QString, QString>; // (upper-case method, path with `{param}` placeholders)

// Routes documented in openapi.yaml that the server does not serve yet. They are being added in another branch
// (HTTP adapter and message reader); whoever adds them removes them from this list.
const QList<Operation> &notServedYet()
{
    static const QList<Operation> list{}; // routes documented ahead of being served; keep it empty when possible
    return list;
}

int indentation(const QString &line)
{
    int n = 0;
    while (n < line.size() && line[n] == u' ')
        ++n;
    return n;
}

// A mapping key on this line ("key:" or "key: value"), unquoted; empty if the line holds none.
QString mappingKey(const QString &line)
{
    const QString text = line.trimmed();
    if (text.isEmpty() || text.startsWith(u'#') || text.startsWith(u'-'))
        return {};
    qsizetype colon = -1;
    if (text.startsWith(u'\'') || text.startsWith(u'"')) {
        const qsizetype close = text.indexOf(text[0], 1);
        if (close < 0)
            return {};
        colon = text.indexOf(u':', close);
        if (colon != close + 1)
            return {};
        return text.mid(1, close - 1);
    }
    colon = text.indexOf(u':');
    if (colon <= 0)
        return {};
    return text.left(colon).trimmed();
}

struct Doc
{
    QSet<Operation> operations;
    QString error;
};

Doc documentedOperations(const QString &file)
{
    static const QSet<QString> methods{u"get"_s,   u"put"_s,  u"post"_s,    u"delete"_s,
                                       u"patch"_s, u"head"_s, u"options"_s, u"trace"_s};
    Doc doc;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        doc.error = u"cannot open %1: %2"_s.arg(file, f.errorString());
        return doc;
    }
    bool inPaths = false, sawPaths = false;
    QString path;
    int lineNumber = 0;
    while (!f.atEnd()) {
        ++lineNumber;
        QString line = QString::fromUtf8(f.readLine());
        while (line.endsWith(u'\n') || line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(u'#'))
            continue;
        const int indent = indentation(line);
        if (indent == 0) {
            inPaths = mappingKey(line) == "paths"_L1;
            sawPaths = sawPaths || inPaths;
            path.clear();
            continue;
        }
        if (!inPaths)
            continue;
        if (indent == 2) {
            path = mappingKey(line);
            if (!path.startsWith(u'/')) {
                doc.error = u"line %1: expected a path key at indentation 2, got \"%2\""_s.arg(lineNumber).arg(line);
                return doc;
            }
        } else if (indent == 4 && !path.isEmpty()) {
            const QString key = mappingKey(line);
            if (methods.contains(key))
                doc.operations.insert({key.toUpper(), path});
        }
    }
    if (!sawPaths)
        doc.error = u"%1 has no top-level paths: key"_s.arg(file);
    return doc;
}

// `{rest...}` (the router's rest-of-path parameter) is a plain `{rest}` in OpenAPI.
QString openApiPath(QString pattern)
{
    return pattern.replace(u"...}"_s, u"}"_s);
}

QString describe(const Operation &op)
{
    return op.first + u' ' + op.second;
}

} // namespace

class TestOpenApi : public QObject
{
    Q_OBJECT

private slots:
    void everyServedRouteIsDocumented();
    void readerSeesTheWholeDocument();

private:
    static QString yamlFile() { return QStringLiteral(MF_SOURCE_DIR "/docs/api/openapi.yaml"); }
};

void TestOpenApi::everyServedRouteIsDocumented()
{
    testing::TestBackend backend({{u"MF_SERVICES"_s, u"all"_s}});
    QVERIFY2(backend.isRunning(), qPrintable(backend.startError()));

    const Doc doc = documentedOperations(yamlFile());
    QVERIFY2(doc.error.isEmpty(), qPrintable(doc.error));

    QSet<Operation> served;
    for (const auto &route : backend.backend().routes())
        served.insert({route.method.toUpper(), openApiPath(route.pattern)});
    QVERIFY2(!served.isEmpty(), "the backend reports no routes");

    QStringList undocumented;
    for (const Operation &op : std::as_const(served))
        if (!doc.operations.contains(op))
            undocumented.append(describe(op));
    undocumented.sort();
    QVERIFY2(undocumented.isEmpty(),
             qPrintable(u"served but missing from docs/api/openapi.yaml: "_s + undocumented.join(u", "_s)));

    QStringList notServed;
    for (const Operation &op : doc.operations)
        if (!served.contains(op) && !notServedYet().contains(op))
            notServed.append(describe(op));
    notServed.sort();
    QVERIFY2(notServed.isEmpty(),
             qPrintable(u"documented in docs/api/openapi.yaml but not served: "_s + notServed.join(u", "_s)));

    // An allow-listed route that is now served should leave the list.
    QStringList stale;
    for (const Operation &op : notServedYet())
        if (served.contains(op))
            stale.append(describe(op));
    QVERIFY2(stale.isEmpty(),
             qPrintable(u"now served, remove from notServedYet() in tst_openapi.cpp: "_s + stale.join(u", "_s)));
}

// Guards the line-based reader: a layout change in the YAML must not silently hide operations.
void TestOpenApi::readerSeesTheWholeDocument()
{
    const Doc doc = documentedOperations(yamlFile());
    QVERIFY2(doc.error.isEmpty(), qPrintable(doc.error));
    QVERIFY(doc.operations.contains({u"GET"_s, u"/health"_s}));
    QVERIFY(doc.operations.contains({u"PUT"_s, u"/channels/{chanId}/things/{thingId}"_s}));
    for (const Operation &op : notServedYet())
        QVERIFY2(doc.operations.contains(op), qPrintable(describe(op) + u" is allow-listed but not documented"_s));

    // Count `operationId:` lines independently of the reader: every operation in the file has one.
    QFile f(yamlFile());
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    int operationIds = 0;
    while (!f.atEnd())
        if (QString::fromUtf8(f.readLine()).trimmed().startsWith(u"operationId:"_s))
            ++operationIds;
    QCOMPARE(doc.operations.size(), operationIds);
}

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
