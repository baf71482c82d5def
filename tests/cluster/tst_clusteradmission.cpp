// Who may join a cluster (services/cluster/clusteradmission.h): the rules, without processes. The real refusal of a
// real process is tested by cluster_admission_test.py.
#include "services/cluster/clusteradmission.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::cluster::compatibleVersions;
using mf::cluster::incompatibility;
using mf::cluster::secretFingerprint;

class TestClusterAdmission final : public QObject
{
    Q_OBJECT

private slots:
    void versions_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("compatible");
        QTest::addRow("same") << u"0.1.0"_s << u"0.1.0"_s << true;
        QTest::addRow("0.x patch") << u"0.1.0"_s << u"0.1.7"_s << true;
        QTest::addRow("0.x minor") << u"0.1.0"_s << u"0.2.0"_s << false;
        QTest::addRow("major") << u"1.4.0"_s << u"2.0.0"_s << false;
        QTest::addRow("1.x minor") << u"1.4.0"_s << u"1.5.2"_s << true;
        QTest::addRow("unparsable, equal") << u"dev"_s << u"dev"_s << true;
        QTest::addRow("unparsable, different") << u"dev"_s << u"0.1.0"_s << false;
    }
    void versions()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, compatible);
        QCOMPARE(compatibleVersions(a, b), compatible);
        QCOMPARE(compatibleVersions(b, a), compatible);
    }

    void fingerprintHidesTheSecret()
    {
        const QByteArray secret = "a-long-random-jwt-secret-shared-by-the-cluster";
        const QString fingerprint = secretFingerprint(secret);
        QCOMPARE(fingerprint.size(), 16);
        QCOMPARE(secretFingerprint(secret), fingerprint);
        QVERIFY(secretFingerprint(secret + 'x') != fingerprint);
        QVERIFY(!fingerprint.contains("a-long"_L1));
    }

    void incompatibilities_data()
    {
        QTest::addColumn<QJsonObject>("joining");
        QTest::addColumn<QJsonObject>("member");
        QTest::addColumn<QString>("reason"); // empty = may join
        const QJsonObject core{{u"id"_s, u"3f2a9c1e-0000"_s},
                               {u"host"_s, u"a"_s},
                               {u"version"_s, u"0.1.0"_s},
                               {u"jwt_fingerprint"_s, secretFingerprint("one")}};
        QJsonObject sameSecret = core;
        sameSecret[u"id"_s] = u"77777777-0000"_s;
        QJsonObject otherSecret = sameSecret;
        otherSecret[u"jwt_fingerprint"_s] = secretFingerprint("two");
        QJsonObject edge{{u"id"_s, u"88888888-0000"_s}, {u"host"_s, u"b"_s}, {u"version"_s, u"0.1.2"_s}};
        QJsonObject newer = edge;
        newer[u"version"_s] = u"0.2.0"_s;
        QTest::addRow("same secret") << sameSecret << core << QString();
        QTest::addRow("another secret") << otherSecret << core << u"another JWT secret than process 3f2a9c1e on a"_s;
        QTest::addRow("an edge holds no secret") << edge << core << QString();
        QTest::addRow("a secret beside an edge") << otherSecret << edge << QString();
        QTest::addRow("incompatible version")
            << newer << core << u"version 0.2.0 cannot run beside version 0.1.0 of process 3f2a9c1e on a"_s;
    }
    void incompatibilities()
    {
        QFETCH(QJsonObject, joining);
        QFETCH(QJsonObject, member);
        QFETCH(QString, reason);
        const QString why = incompatibility(joining, member);
        if (reason.isEmpty())
            QVERIFY2(why.isEmpty(), qPrintable(why));
        else
            QVERIFY2(why.startsWith(reason), qPrintable(why));
    }
};

QTEST_APPLESS_MAIN(TestClusterAdmission)
#include "tst_clusteradmission.moc"
