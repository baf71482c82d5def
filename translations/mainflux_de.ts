<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccountForm</name>
    <message>
        <source>Enter an e-mail address.</source>
        <translation>Geben Sie eine E-Mail-Adresse ein.</translation>
    </message>
    <message>
        <source>The e-mail address needs an @.</source>
        <translation>Die E-Mail-Adresse braucht ein @.</translation>
    </message>
    <message>
        <source>Enter a password.</source>
        <translation>Geben Sie ein Passwort ein.</translation>
    </message>
    <message>
        <source>The password is too short: at least %1 characters (%2 so far).</source>
        <translation>Das Passwort ist zu kurz: mindestens %1 Zeichen (bisher %2).</translation>
    </message>
    <message>
        <source>Repeat the password.</source>
        <translation>Wiederholen Sie das Passwort.</translation>
    </message>
    <message>
        <source>The passwords differ.</source>
        <translation>Die Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
</context>
<context>
    <name>mf::client::BackendProcess</name>
    <message>
        <source>mainflux-backend was not found next to the dashboard, in the build tree or on PATH</source>
        <translation>mainflux-backend wurde weder neben dem Dashboard noch im Build-Verzeichnis noch im PATH gefunden</translation>
    </message>
    <message>
        <source>cannot create the data directory %1</source>
        <translation>das Datenverzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>the backend stopped unexpectedly</source>
        <translation>das Backend wurde unerwartet beendet</translation>
    </message>
    <message>
        <source>the backend did not become ready within %1 s</source>
        <translation>das Backend war nach %1 s noch nicht bereit</translation>
    </message>
    <message>
        <source>the backend crashed</source>
        <translation>das Backend ist abgestürzt</translation>
    </message>
    <message>
        <source>the backend exited with code %1 before it was ready</source>
        <translation>das Backend wurde mit Code %1 beendet, bevor es bereit war</translation>
    </message>
    <message>
        <source>the backend stopped unexpectedly (exit code %1)</source>
        <translation>das Backend wurde unerwartet beendet (Exit-Code %1)</translation>
    </message>
    <message>
        <source>REST</source>
        <translation>REST</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>MQTT over WebSocket</source>
        <translation>MQTT über WebSocket</translation>
    </message>
    <message>
        <source>CoAP (UDP)</source>
        <translation>CoAP (UDP)</translation>
    </message>
    <message>
        <source>the %1 port %2 is taken by another program</source>
        <translation>der %1-Port %2 ist von einem anderen Programm belegt</translation>
    </message>
</context>
<context>
    <name>mf::ui::ActiveAlertsBox</name>
    <message>
        <source>Active alerts</source>
        <translation>Aktive Alarme</translation>
    </message>
    <message>
        <source>Firing alerts nobody acknowledged yet; click one to open the Alerts page</source>
        <translation>Ausgelöste Alarme, die noch niemand bestätigt hat; ein Klick öffnet die Seite Alarme</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>%1: %2 = %3 — %4</source>
        <translation>%1: %2 = %3 — %4</translation>
    </message>
    <message>
        <source>Fired %1</source>
        <translation>Ausgelöst %1</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more on the Alerts page</source>
        <translation>
            <numerusform>… und %n weiterer auf der Seite Alarme</numerusform>
            <numerusform>… und %n weitere auf der Seite Alarme</numerusform>
        </translation>
    </message>
    <message>
        <source>No active alerts</source>
        <translation>Keine aktiven Alarme</translation>
    </message>
</context>
<context>
    <name>mf::ui::AlertsPage</name>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Watches</source>
        <translation>Überwacht</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>New rule…</source>
        <translation>Neue Regel…</translation>
    </message>
    <message>
        <source>Watch a value (Ctrl+N)</source>
        <translation>Einen Wert überwachen (Strg+N)</translation>
    </message>
    <message>
        <source>Delete rule</source>
        <translation>Regel löschen</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Mark the selected alerts as seen</source>
        <translation>Die ausgewählten Alarme als gesehen markieren</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation>Neu laden (F5)</translation>
    </message>
    <message>
        <source>All alerts</source>
        <translation>Alle Alarme</translation>
    </message>
    <message>
        <source>Firing</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rules&lt;/b&gt;</source>
        <translation>&lt;b&gt;Regeln&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alerts&lt;/b&gt;, newest first</source>
        <translation>&lt;b&gt;Alarme&lt;/b&gt;, neueste zuerst</translation>
    </message>
    <message>
        <source>above %1</source>
        <translation>über %1</translation>
    </message>
    <message>
        <source>below %1</source>
        <translation>unter %1</translation>
    </message>
    <message>
        <source>outside %1 … %2</source>
        <translation>außerhalb %1 … %2</translation>
    </message>
    <message>
        <source>no data for %1 s</source>
        <translation>keine Daten seit %1 s</translation>
    </message>
    <message>
        <source>, for %1 s</source>
        <translation>, für %1 s</translation>
    </message>
    <message>
        <source>Rules could not be read: %1</source>
        <translation>Regeln konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Alerts could not be read: %1</source>
        <translation>Alarme konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>Cleared %1 at %2</source>
        <translation>Beendet %1 bei %2</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 ist %2</translation>
    </message>
    <message>
        <source>Delete rules</source>
        <translation>Regeln löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n rule(s) and their alerts?</source>
        <translation>
            <numerusform>%n Regel und ihre Alarme löschen?</numerusform>
            <numerusform>%n Regeln und ihre Alarme löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>A rule could not be deleted: %1</source>
        <translation>Eine Regel konnte nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>An alert could not be acknowledged: %1</source>
        <translation>Ein Alarm konnte nicht bestätigt werden: %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::BackendPage</name>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>startet…</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>wird beendet…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Keep running after the dashboard closes</source>
        <translation>Nach dem Schließen des Dashboards weiterlaufen lassen</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info und höher</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>Details:</source>
        <translation>Details:</translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation>Datenverzeichnis:</translation>
    </message>
    <message>
        <source>Log:</source>
        <translation>Protokoll:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Anzeigen:</translation>
    </message>
    <message>
        <source>Path copied to the clipboard</source>
        <translation>Pfad in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>remote server, healthy</source>
        <translation>entfernter Server, in Ordnung</translation>
    </message>
    <message>
        <source>remote server, not answering</source>
        <translation>entfernter Server, antwortet nicht</translation>
    </message>
    <message>
        <source>URL: %1
Version: %2
Health: %3</source>
        <translation>URL: %1
Version: %2
Zustand: %3</translation>
    </message>
    <message>
        <source> (started earlier, kept running)</source>
        <translation> (früher gestartet, weiterlaufen gelassen)</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
    <message>
        <source>Process %1, version %2</source>
        <translation>Prozess %1, Version %2</translation>
    </message>
    <message>
        <source>Ports: %1</source>
        <translation>Ports: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Rechner</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Ports</translation>
    </message>
    <message>
        <source>Messages/s (accepted / stored)</source>
        <translation>Nachrichten/s (angenommen / gespeichert)</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>Prozesse</translation>
    </message>
    <message>
        <source>%1 (differs)</source>
        <translation>%1 (abweichend)</translation>
    </message>
    <message>
        <source>stopped answering</source>
        <translation>antwortet nicht mehr</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>eingeschränkt</translation>
    </message>
</context>
<context>
    <name>mf::ui::Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>mf::ui::CertificateDialog</name>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>(expired)</source>
        <translation>(abgelaufen)</translation>
    </message>
    <message>
        <source>(not yet valid)</source>
        <translation>(noch nicht gültig)</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>Serverzertifikat geändert</translation>
    </message>
    <message>
        <source>⚠ The certificate of %1 has changed</source>
        <translation>⚠ Das Zertifikat von %1 hat sich geändert</translation>
    </message>
    <message>
        <source>You trusted the certificate with SHA-256 fingerprint
%1
The server now presents
%2

If its administrator did not replace the certificate, someone may be intercepting the connection: cancel, and ask them.</source>
        <translation>Sie haben dem Zertifikat mit dem SHA-256-Fingerabdruck
%1
vertraut. Der Server zeigt jetzt
%2

Wenn seine Administratorin oder sein Administrator das Zertifikat nicht ersetzt hat, liest womöglich jemand die Verbindung mit: Brechen Sie ab und fragen Sie nach.</translation>
    </message>
    <message>
        <source>Trust the new certificate…</source>
        <translation>Dem neuen Zertifikat vertrauen…</translation>
    </message>
    <message>
        <source>Unverified server certificate</source>
        <translation>Nicht bestätigtes Serverzertifikat</translation>
    </message>
    <message>
        <source>Do you trust the certificate of %1?</source>
        <translation>Vertrauen Sie dem Zertifikat von %1?</translation>
    </message>
    <message>
        <source>No certificate authority this computer trusts has signed it (a self-signed or lab certificate). Compare its fingerprint with the one the server&apos;s administrator gives you (mainflux-backend prints it when it starts). Once trusted, this profile accepts exactly this certificate and refuses any other.</source>
        <translation>Keine Zertifizierungsstelle, der dieser Computer vertraut, hat es signiert (ein selbstsigniertes oder Labor-Zertifikat). Vergleichen Sie seinen Fingerabdruck mit dem, den Ihnen die Administration des Servers nennt (mainflux-backend gibt ihn beim Start aus). Einmal vertraut, akzeptiert dieses Profil genau dieses Zertifikat und lehnt jedes andere ab.</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation>SHA-256-Fingerabdruck:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Inhaber:</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>Aussteller:</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>Gültig:</translation>
    </message>
    <message>
        <source>Really trust the new certificate?</source>
        <translation>Dem neuen Zertifikat wirklich vertrauen?</translation>
    </message>
    <message>
        <source>From now on this profile accepts only the certificate
%1
and refuses the one you trusted before. Do this only when the server&apos;s administrator confirmed this fingerprint.</source>
        <translation>Ab jetzt akzeptiert dieses Profil nur noch das Zertifikat
%1
und lehnt das bisher vertraute ab. Tun Sie das nur, wenn die Administration des Servers diesen Fingerabdruck bestätigt hat.</translation>
    </message>
    <message>
        <source>Yes, trust the new certificate</source>
        <translation>Ja, dem neuen Zertifikat vertrauen</translation>
    </message>
</context>
<context>
    <name>mf::ui::ChannelsModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
</context>
<context>
    <name>mf::ui::ChannelsPage</name>
    <message>
        <source>Channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>New channel</source>
        <translation>Neuer Kanal</translation>
    </message>
    <message>
        <source>Create a channel (Ctrl+N)</source>
        <translation>Einen Kanal anlegen (Strg+N)</translation>
    </message>
    <message>
        <source>Delete the selected channels (Delete)</source>
        <translation>Die ausgewählten Kanäle löschen (Entf)</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>Connect things to the selected channels</source>
        <translation>Dinge mit den ausgewählten Kanälen verbinden</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Watch the messages of the selected channel (Ctrl+L)</source>
        <translation>Nachrichten des ausgewählten Kanals beobachten (Strg+L)</translation>
    </message>
    <message>
        <source>No channels yet</source>
        <translation>Noch keine Kanäle</translation>
    </message>
    <message>
        <source>Channels carry messages between things. Create one, then connect the things that may publish to it.</source>
        <translation>Kanäle transportieren Nachrichten zwischen Dingen. Legen Sie einen an und verbinden Sie dann die Dinge, die darauf senden dürfen.</translation>
    </message>
    <message>
        <source>Connect things…</source>
        <translation>Dinge verbinden…</translation>
    </message>
    <message>
        <source>Disconnect selected</source>
        <translation>Ausgewählte trennen</translation>
    </message>
    <message>
        <source>Connected things:</source>
        <translation>Verbundene Dinge:</translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation>Kanäle konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No channel matches “%1”</source>
        <translation>Kein Kanal passt zu „%1“</translation>
    </message>
    <message>
        <source>The filter matches parts of names, ignoring case.</source>
        <translation>Der Filter findet Namensteile, ohne Groß- und Kleinschreibung zu unterscheiden.</translation>
    </message>
    <message numerus="yes">
        <source>%n channels selected</source>
        <translation>
            <numerusform>%n Kanal ausgewählt</numerusform>
            <numerusform>%n Kanäle ausgewählt</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a channel to see its connected things</source>
        <translation>Wählen Sie einen Kanal, um seine verbundenen Dinge zu sehen</translation>
    </message>
    <message>
        <source>(unnamed channel)</source>
        <translation>(Kanal ohne Namen)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Could not load things: %1</source>
        <translation>Dinge konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No things connected — use “Connect things…”</source>
        <translation>Keine Dinge verbunden – nutzen Sie „Dinge verbinden…“</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… und %1 weitere</translation>
    </message>
    <message>
        <source>Channel %1 created</source>
        <translation>Kanal %1 angelegt</translation>
    </message>
    <message>
        <source>Delete channels</source>
        <translation>Kanäle löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n channel(s)? %1 will be removed with their connections; stored messages stay readable only until the data is cleaned up. This cannot be undone.</source>
        <translation>
            <numerusform>%n Kanal löschen? %1 wird mit seinen Verbindungen entfernt; gespeicherte Nachrichten bleiben nur bis zur Bereinigung lesbar. Das kann nicht rückgängig gemacht werden.</numerusform>
            <numerusform>%n Kanäle löschen? %1 werden mit ihren Verbindungen entfernt; gespeicherte Nachrichten bleiben nur bis zur Bereinigung lesbar. Das kann nicht rückgängig gemacht werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s) deleted</source>
        <translation>
            <numerusform>%n Kanal gelöscht</numerusform>
            <numerusform>%n Kanäle gelöscht</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>Verbinden fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) connected</source>
        <translation>
            <numerusform>%n Ding verbunden</numerusform>
            <numerusform>%n Dinge verbunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not disconnect: %1</source>
        <translation>Trennen fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) disconnected</source>
        <translation>
            <numerusform>%n Ding getrennt</numerusform>
            <numerusform>%n Dinge getrennt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::ConnectDialog</name>
    <message>
        <source>Connect things</source>
        <translation>Dinge verbinden</translation>
    </message>
    <message>
        <source>Choose the things that may publish to and read from %1.</source>
        <translation>Wählen Sie die Dinge, die auf %1 senden und davon lesen dürfen.</translation>
    </message>
    <message>
        <source>Filter by name…</source>
        <translation>Nach Namen filtern…</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Select the things to connect (click a row; each click adds or removes one).</source>
        <translation>Wählen Sie die Dinge, die verbunden werden sollen (ein Klick auf eine Zeile fügt sie hinzu oder entfernt sie).</translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) selected.</source>
        <translation>
            <numerusform>%n Ding ausgewählt.</numerusform>
            <numerusform>%n Dinge ausgewählt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::CopyField</name>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation>In die Zwischenablage kopieren</translation>
    </message>
</context>
<context>
    <name>mf::ui::EntityDialog</name>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>Metadata must be a JSON object: { &quot;key&quot;: &quot;value&quot; }</source>
        <translation>Metadaten müssen ein JSON-Objekt sein: { &quot;schlüssel&quot;: &quot;wert&quot; }</translation>
    </message>
    <message>
        <source>New thing</source>
        <translation>Neues Ding</translation>
    </message>
    <message>
        <source>New channel</source>
        <translation>Neuer Kanal</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>e.g. boiler-7</source>
        <translation>z. B. kessel-7</translation>
    </message>
    <message>
        <source>e.g. boiler-room</source>
        <translation>z. B. heizungsraum</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Metadata (JSON):</source>
        <translation>&amp;Metadaten (JSON):</translation>
    </message>
    <message>
        <source>Edit thing %1</source>
        <translation>Ding %1 bearbeiten</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Edit channel %1</source>
        <translation>Kanal %1 bearbeiten</translation>
    </message>
    <message>
        <source>Valid JSON</source>
        <translation>Gültiges JSON</translation>
    </message>
    <message>
        <source>Send as a string (how Mainflux 0.7 clients read it)</source>
        <translation>Als Zeichenkette senden (so lesen es Mainflux-0.7-Clients)</translation>
    </message>
    <message>
        <source>SenML (messages that are not SenML are refused)</source>
        <translation>SenML (Nachrichten, die kein SenML sind, werden abgelehnt)</translation>
    </message>
    <message>
        <source>How messages that do not name a content type are read: MQTT 3.1.1 publishes, CoAP without Content-Format, WebSocket without content-type. Devices that send their own JSON need application/json.</source>
        <translation>Wie Nachrichten ohne Inhaltstyp gelesen werden: MQTT-3.1.1-Veröffentlichungen, CoAP ohne Content-Format, WebSocket ohne content-type. Geräte, die eigenes JSON senden, brauchen application/json.</translation>
    </message>
    <message>
        <source>&amp;Content type:</source>
        <translation>&amp;Inhaltstyp:</translation>
    </message>
    <message>
        <source>Not a media type: expected type/subtype, e.g. application/json</source>
        <translation>Kein Medientyp: erwartet wird Typ/Untertyp, z. B. application/json</translation>
    </message>
    <message>
        <source>Enter a name for the thing.</source>
        <translation>Geben Sie einen Namen für das Ding ein.</translation>
    </message>
    <message>
        <source>Enter a name for the channel.</source>
        <translation>Geben Sie einen Namen für den Kanal ein.</translation>
    </message>
    <message>
        <source>Correct the metadata first: the error is under it.</source>
        <translation>Korrigieren Sie zuerst die Metadaten: der Fehler steht darunter.</translation>
    </message>
    <message>
        <source>Correct the content type first: the error is under it.</source>
        <translation>Korrigieren Sie zuerst den Inhaltstyp: der Fehler steht darunter.</translation>
    </message>
</context>
<context>
    <name>mf::ui::EntityPage</name>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>ID copied to the clipboard</source>
        <translation>ID in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>ID:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Reload from the server (F5)</source>
        <translation>Vom Server neu laden (F5)</translation>
    </message>
    <message>
        <source>Filter by name… (Ctrl+F)</source>
        <translation>Nach Namen filtern… (Strg+F)</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weiteres</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::LiveChannelView</name>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Stop updating the view; messages keep arriving and appear on resume</source>
        <translation>Die Ansicht anhalten; Nachrichten kommen weiter an und erscheinen beim Fortsetzen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source> History: </source>
        <translation> Verlauf: </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>last 15 min</source>
        <translation>letzte 15 min</translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last 24 h</source>
        <translation>letzte 24 h</translation>
    </message>
    <message>
        <source>Export messages</source>
        <translation>Nachrichten exportieren</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Mitlaufen</translation>
    </message>
    <message>
        <source>● Live: WebSocket stream connected (%1).</source>
        <translation>● Live: WebSocket-Stream verbunden (%1).</translation>
    </message>
    <message>
        <source>Polling stored messages every second: the WebSocket stream is unavailable (%1); retrying it.</source>
        <translation>Gespeicherte Nachrichten werden jede Sekunde abgefragt: der WebSocket-Stream ist nicht verfügbar (%1); neuer Versuch folgt.</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>Reading messages failed: %1</source>
        <translation>Lesen der Nachrichten fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Connecting to the WebSocket stream %1…</source>
        <translation>Verbindung zum WebSocket-Stream %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>Polling stored messages every second: this backend announces no WebSocket stream.</source>
        <translation>Gespeicherte Nachrichten werden jede Sekunde abgefragt: dieses Backend bietet keinen WebSocket-Stream an.</translation>
    </message>
    <message>
        <source>Could not load history: %1</source>
        <translation>Verlauf konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) exported to %1</source>
        <translation>
            <numerusform>%n Nachricht nach %1 exportiert</numerusform>
            <numerusform>%n Nachrichten nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source> name: </source>
        <translation> Name: </translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source> publisher: </source>
        <translation> Absender: </translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;JSON files (*.json)</source>
        <translation>CSV-Dateien (*.csv);;JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Save the messages the table shows (after its filters) as CSV or JSON</source>
        <translation>Die Nachrichten, die die Tabelle zeigt (nach ihren Filtern), als CSV oder JSON speichern</translation>
    </message>
    <message>
        <source>Keep the chart&apos;s time axis running to now; scrolling or zooming the chart stops following</source>
        <translation>Die Zeitachse des Diagramms bis jetzt laufen lassen; Scrollen oder Zoomen im Diagramm beendet das Folgen</translation>
    </message>
    <message>
        <source>Part of a thing&apos;s name or id</source>
        <translation>Teil des Namens oder der ID eines Dings</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>Senden…</translation>
    </message>
    <message>
        <source>Send a test message to this channel as one of its things</source>
        <translation>Eine Testnachricht als eines seiner Dinge an diesen Kanal senden</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>letzte 7 Tage</translation>
    </message>
    <message>
        <source>Range…</source>
        <translation>Zeitraum…</translation>
    </message>
    <message>
        <source>Any from–to date and time</source>
        <translation>Beliebiger Zeitraum von–bis (Datum und Uhrzeit)</translation>
    </message>
    <message>
        <source>History from</source>
        <translation>Verlauf von</translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation>Von (einschließlich)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>To (inclusive)</source>
        <translation>Bis (einschließlich)</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <source>Load the stored messages between these two times</source>
        <translation>Die gespeicherten Nachrichten zwischen diesen beiden Zeitpunkten laden</translation>
    </message>
    <message>
        <source>Records received per second; the table keeps the newest %L1 rows, older ones stay stored and can be loaded as history</source>
        <translation>Empfangene Datensätze pro Sekunde; die Tabelle behält die neuesten %L1 Zeilen, ältere bleiben gespeichert und lassen sich als Verlauf laden</translation>
    </message>
    <message>
        <source>Subtopics seen on this channel, with records counted and the last one; select one to show only it and what is below it</source>
        <translation>Auf diesem Kanal gesehene Unterthemen mit Anzahl der Datensätze und dem letzten; eines auswählen, um nur es und alles darunter zu zeigen</translation>
    </message>
    <message>
        <source>The history range starts after it ends: %1 is later than %2.</source>
        <translation>Der Zeitraum beginnt nach seinem Ende: %1 liegt nach %2.</translation>
    </message>
    <message>
        <source>%1 records/s · %2 rows</source>
        <translation>%1 Datensätze/s · %2 Zeilen</translation>
    </message>
    <message>
        <source> · %1 older trimmed</source>
        <translation> · %1 ältere entfernt</translation>
    </message>
    <message>
        <source> · %1 not shown (faster than the view)</source>
        <translation> · %1 nicht angezeigt (schneller als die Ansicht)</translation>
    </message>
    <message>
        <source>Loading history…</source>
        <translation>Verlauf wird geladen…</translation>
    </message>
    <message>
        <source>History: no stored records in the range</source>
        <translation>Verlauf: keine gespeicherten Datensätze im Zeitraum</translation>
    </message>
    <message>
        <source>History: all %1 stored records of the range loaded</source>
        <translation>Verlauf: alle %1 gespeicherten Datensätze des Zeitraums geladen</translation>
    </message>
    <message>
        <source>History: %1 of %2 stored records loaded; the view holds %3 rows, narrow the range for older ones</source>
        <translation>Verlauf: %1 von %2 gespeicherten Datensätzen geladen; die Ansicht fasst %3 Zeilen, für ältere den Zeitraum eingrenzen</translation>
    </message>
    <message>
        <source>History: %1 of %2 stored records loaded; scroll down for older ones</source>
        <translation>Verlauf: %1 von %2 gespeicherten Datensätzen geladen; für ältere nach unten blättern</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Stop loading history; the records already loaded stay</source>
        <translation>Laden des Verlaufs abbrechen; bereits geladene Einträge bleiben</translation>
    </message>
    <message>
        <source>History: loading stopped; choose the range again to load it</source>
        <translation>Verlauf: Laden abgebrochen; den Zeitraum erneut wählen, um ihn zu laden</translation>
    </message>
    <message>
        <source>History: stopped after %1 of %2 stored records; choose the range again for the rest</source>
        <translation>Verlauf: abgebrochen nach %1 von %2 gespeicherten Einträgen; den Zeitraum erneut wählen für den Rest</translation>
    </message>
    <message>
        <source>Could not load refused messages: %1</source>
        <translation>Abgelehnte Nachrichten konnten nicht geladen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>(binary, %n bytes)</source>
        <translation>
            <numerusform>(binär, %n Byte)</numerusform>
            <numerusform>(binär, %n Bytes)</numerusform>
        </translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
</context>
<context>
    <name>mf::ui::LiveChart</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Drag to zoom into a time range, scroll to move back in time, right-click to zoom out; hover a line to read it</source>
        <translation>Ziehen zoomt in einen Zeitraum, Scrollen geht in der Zeit zurück, Rechtsklick zoomt heraus; über einer Linie lesen Sie ihren Wert</translation>
    </message>
    <message>
        <source>(no unit)</source>
        <translation>(ohne Einheit)</translation>
    </message>
    <message>
        <source>(value)</source>
        <translation>(Wert)</translation>
    </message>
</context>
<context>
    <name>mf::ui::LiveMessagesModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Subtopic</source>
        <translation>Unterthema</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Thing %1</source>
        <translation>Ding %1</translation>
    </message>
    <message>
        <source>Refused by the backend: %1
Payload: %2</source>
        <translation>Vom Backend abgelehnt: %1
Nutzdaten: %2</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::LivePage</name>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Choose a channel</source>
        <translation>Kanal wählen</translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation>Kanäle konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No channels yet: create one on the Channels page and connect a thing to it.</source>
        <translation>Noch keine Kanäle: Legen Sie auf der Seite Kanäle einen an und verbinden Sie ein Ding damit.</translation>
    </message>
    <message>
        <source>Open channel: </source>
        <translation>Kanal öffnen: </translation>
    </message>
    <message>
        <source>Choose a channel above to watch its messages live, or select one on the Channels page and press Ctrl+L. Each channel opens in its own tab.</source>
        <translation>Wählen Sie oben einen Kanal, um seine Nachrichten live zu sehen, oder wählen Sie einen auf der Seite Kanäle und drücken Sie Strg+L. Jeder Kanal öffnet sich in einem eigenen Tab.</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>Kanal %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::MainWindow</name>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Mainflux</source>
        <translation>Mainflux</translation>
    </message>
    <message>
        <source>Your session ended (%1). Sign in again to continue where you were.</source>
        <translation>Ihre Sitzung ist abgelaufen (%1). Melden Sie sich erneut an, um dort weiterzumachen, wo Sie waren.</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Kopfleiste</translation>
    </message>
    <message>
        <source>The backend this dashboard works with</source>
        <translation>Das Backend, mit dem dieses Dashboard arbeitet</translation>
    </message>
    <message>
        <source>Account and password…</source>
        <translation>Konto und Passwort…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Add remote server…</source>
        <translation>Entfernten Server hinzufügen…</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtern</translation>
    </message>
    <message>
        <source>Live view</source>
        <translation>Live-Ansicht</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Starting the backend on this computer…</source>
        <translation>Das Backend auf diesem Computer wird gestartet…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>The backend on this computer could not start</source>
        <translation>Das Backend auf diesem Computer konnte nicht starten</translation>
    </message>
    <message>
        <source>%1 cannot be reached</source>
        <translation>%1 ist nicht erreichbar</translation>
    </message>
    <message>
        <source>

Last lines of the backend&apos;s log (%1):</source>
        <translation>

Letzte Zeilen des Backend-Protokolls (%1):</translation>
    </message>
    <message>
        <source>(the backend wrote nothing)</source>
        <translation>(das Backend hat nichts geschrieben)</translation>
    </message>
    <message>
        <source>Backend: failed — %1</source>
        <translation>Backend: fehlgeschlagen – %1</translation>
    </message>
    <message>
        <source>Backend: starting…</source>
        <translation>Backend: startet…</translation>
    </message>
    <message>
        <source>Backend: connecting…</source>
        <translation>Backend: verbindet…</translation>
    </message>
    <message>
        <source>Backend: stopped</source>
        <translation>Backend: angehalten</translation>
    </message>
    <message>
        <source>Backend: running · services ok · v%1 · %2</source>
        <translation>Backend: läuft · Dienste in Ordnung · v%1 · %2</translation>
    </message>
    <message>
        <source>Backend: degraded — /health does not pass · %1</source>
        <translation>Backend: beeinträchtigt – /health schlägt fehl · %1</translation>
    </message>
    <message>
        <source>Backend: not connected</source>
        <translation>Backend: nicht verbunden</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>About Mainflux…</source>
        <translation>Über Mainflux…</translation>
    </message>
    <message>
        <source>About Mainflux</source>
        <translation>Über Mainflux</translation>
    </message>
    <message>
        <source>&lt;b&gt;Mainflux&lt;/b&gt; %1&lt;br&gt;An open IoT platform for the desktop, with a bundled backend.</source>
        <translation>&lt;b&gt;Mainflux&lt;/b&gt; %1&lt;br&gt;Eine offene IoT-Plattform für den Desktop, mit eingebautem Backend.</translation>
    </message>
    <message>
        <source>Use port %1 for %2 instead</source>
        <translation>Stattdessen Port %1 für %2 verwenden</translation>
    </message>
    <message>
        <source>Start the backend with the next free %1 port and remember it (Settings)</source>
        <translation>Das Backend mit dem nächsten freien %1-Port starten und ihn merken (Einstellungen)</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>Alarme (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Mainflux: %n alert(s) firing</source>
        <translation>
            <numerusform>Mainflux: %n Alarm ausgelöst</numerusform>
            <numerusform>Mainflux: %n Alarme ausgelöst</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: its certificate is not trusted</source>
        <translation>%1: seinem Zertifikat wird nicht vertraut</translation>
    </message>
    <message>
        <source>Simulate devices…</source>
        <translation>Geräte simulieren…</translation>
    </message>
</context>
<context>
    <name>mf::ui::NewUserDialog</name>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Neuer Benutzer</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>Initial &amp;password:</source>
        <translation>Anfangs&amp;passwort:</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>Passwort &amp;wiederholen:</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>Das Konto wird angelegt…</translation>
    </message>
    <message>
        <source>Could not create the account: %1</source>
        <translation>Das Konto konnte nicht angelegt werden: %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation>Neu laden (F5)</translation>
    </message>
    <message>
        <source>Your platform</source>
        <translation>Ihre Plattform</translation>
    </message>
    <message>
        <source>things</source>
        <translation>Dinge</translation>
    </message>
    <message>
        <source>channels</source>
        <translation>Kanäle</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Health:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>Running:</source>
        <translation>Laufend:</translation>
    </message>
    <message>
        <source>%1 copied to the clipboard</source>
        <translation>%1 in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>✔ all services answer (version %1)</source>
        <translation>✔ alle Dienste antworten (Version %1)</translation>
    </message>
    <message>
        <source>✘ not answering: %1</source>
        <translation>✘ antwortet nicht: %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>as reported by the server</source>
        <translation>laut Server</translation>
    </message>
    <message>
        <source>REST API</source>
        <translation>REST-API</translation>
    </message>
    <message>
        <source>HTTP publishing</source>
        <translation>Senden über HTTP</translation>
    </message>
    <message>
        <source>NATS</source>
        <translation>NATS</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>MQTT over WebSocket</source>
        <translation>MQTT über WebSocket</translation>
    </message>
    <message>
        <source>CoAP</source>
        <translation>CoAP</translation>
    </message>
    <message>
        <source>%1 (default port)</source>
        <translation>%1 (Standard-Port)</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation>Nachrichten/s</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>Things with an MQTT connection or a message within their offline-after time</source>
        <translation>Things mit einer MQTT-Verbindung oder einer Nachricht innerhalb ihrer Offline-Frist</translation>
    </message>
</context>
<context>
    <name>mf::ui::ProfileDialog</name>
    <message>
        <source>Remote server</source>
        <translation>Entfernter Server</translation>
    </message>
    <message>
        <source>optional, e.g. ws://mainflux.example.com:8186</source>
        <translation>optional, z. B. ws://mainflux.example.com:8186</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Live stream URL:</source>
        <translation>&amp;Live-Datenstrom-URL:</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>✘ %1</source>
        <translation>✘ %1</translation>
    </message>
    <message>
        <source>✔ %1 %2 answers</source>
        <translation>✔ %1 %2 antwortet</translation>
    </message>
    <message>
        <source>✘ /version: %1</source>
        <translation>✘ /version: %1</translation>
    </message>
    <message>
        <source>optional: PEM file of your own CA (the system&apos;s CAs are always trusted)</source>
        <translation>optional: PEM-Datei Ihrer eigenen CA (den CAs des Systems wird immer vertraut)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA-Zertifikat</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>No authority this computer trusts has signed its certificate (SHA-256 %1): you will be asked whether to trust it when you connect.</source>
        <translation>Keine Stelle, der dieser Computer vertraut, hat sein Zertifikat signiert (SHA-256 %1): Beim Verbinden werden Sie gefragt, ob Sie ihm vertrauen.</translation>
    </message>
</context>
<context>
    <name>mf::ui::ProfileStore</name>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>cannot read the CA file %1</source>
        <translation>die CA-Datei %1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>the CA file %1 holds no PEM certificate</source>
        <translation>die CA-Datei %1 enthält kein PEM-Zertifikat</translation>
    </message>
</context>
<context>
    <name>mf::ui::PublishPanel</name>
    <message>
        <source>Choose a connected thing</source>
        <translation>Ein verbundenes Ding wählen</translation>
    </message>
    <message>
        <source>optional, e.g. room1/temp</source>
        <translation>optional, z. B. raum1/temp</translation>
    </message>
    <message>
        <source>SenML template</source>
        <translation>SenML-Vorlage</translation>
    </message>
    <message>
        <source>A SenML record named after the chosen thing; the server adds the time</source>
        <translation>Ein SenML-Eintrag, benannt nach dem gewählten Ding; die Zeit setzt der Server</translation>
    </message>
    <message>
        <source>As thing:</source>
        <translation>Als Ding:</translation>
    </message>
    <message>
        <source>Subtopic:</source>
        <translation>Unterthema:</translation>
    </message>
    <message>
        <source>Content type:</source>
        <translation>Inhaltstyp:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Send a test message&lt;/b&gt;</source>
        <translation>&lt;b&gt;Testnachricht senden&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Thing %1</source>
        <translation>Ding %1</translation>
    </message>
    <message>
        <source>No thing is connected to this channel: connect one on the Channels page.</source>
        <translation>Mit diesem Kanal ist kein Ding verbunden: Verbinden Sie eines auf der Seite Kanäle.</translation>
    </message>
    <message>
        <source>Choose the thing to send as.</source>
        <translation>Wählen Sie das Ding, als das gesendet wird.</translation>
    </message>
    <message>
        <source>Enter a content type.</source>
        <translation>Geben Sie einen Inhaltstyp ein.</translation>
    </message>
    <message>
        <source>Enter a payload, or start from the SenML template.</source>
        <translation>Geben Sie einen Inhalt ein oder beginnen Sie mit der SenML-Vorlage.</translation>
    </message>
    <message>
        <source>The payload is not valid JSON (%1 at character %2).</source>
        <translation>Der Inhalt ist kein gültiges JSON (%1 bei Zeichen %2).</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>The adapter the message goes through, as a device of that protocol would send it</source>
        <translation>Der Adapter, über den die Nachricht geht, so wie ein Gerät mit diesem Protokoll sie senden würde</translation>
    </message>
    <message>
        <source>Over:</source>
        <translation>Über:</translation>
    </message>
    <message>
        <source>This backend runs without the %1 adapter.</source>
        <translation>Dieses Backend läuft ohne den %1-Adapter.</translation>
    </message>
    <message>
        <source>Send over %1</source>
        <translation>Über %1 senden</translation>
    </message>
    <message>
        <source>Not sent over %1: %2</source>
        <translation>Nicht über %1 gesendet: %2</translation>
    </message>
    <message>
        <source>Sent over %1 as %2 at %3.</source>
        <translation>Über %1 als %2 um %3 gesendet.</translation>
    </message>
</context>
<context>
    <name>mf::ui::RecentlyOfflineBox</name>
    <message>
        <source>Went offline most recently</source>
        <translation>Zuletzt offline gegangen</translation>
    </message>
    <message>
        <source>Click a thing to see it on the Things page</source>
        <translation>Ein Klick zeigt das Ding auf der Seite Dinge</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>%1: last seen %2 over %3</source>
        <translation>%1: zuletzt gesehen %2 über %3</translation>
    </message>
    <message>
        <source>No thing went offline</source>
        <translation>Kein Ding ist offline gegangen</translation>
    </message>
    <message>
        <source>%1 — last seen %2</source>
        <translation>%1 — zuletzt gesehen %2</translation>
    </message>
</context>
<context>
    <name>mf::ui::RuleDialog</name>
    <message>
        <source>New alert rule</source>
        <translation>Neue Alarmregel</translation>
    </message>
    <message>
        <source>The SenML name to watch (base name and name together, e.g. boiler:temp)</source>
        <translation>Der zu überwachende SenML-Name (Basisname und Name zusammen, z. B. boiler:temp)</translation>
    </message>
    <message>
        <source>above</source>
        <translation>über</translation>
    </message>
    <message>
        <source>below</source>
        <translation>unter</translation>
    </message>
    <message>
        <source>outside a band</source>
        <translation>außerhalb eines Bereichs</translation>
    </message>
    <message>
        <source>no data for</source>
        <translation>keine Daten seit</translation>
    </message>
    <message>
        <source>How far the value must come back before the alert clears (stops flapping)</source>
        <translation>Wie weit der Wert zurückkehren muss, bevor der Alarm endet (verhindert Flattern)</translation>
    </message>
    <message>
        <source>How long the condition must hold before the alert fires</source>
        <translation>Wie lange die Bedingung gelten muss, bevor der Alarm auslöst</translation>
    </message>
    <message>
        <source>e.g. boiler too hot</source>
        <translation>z. B. Kessel zu heiß</translation>
    </message>
    <message>
        <source>Alerts are also published on this channel as SenML (subtopic &quot;alerts&quot;), so devices and apps receive them over any protocol</source>
        <translation>Alarme werden auch auf diesem Kanal als SenML veröffentlicht (Subtopic „alerts“), sodass Geräte und Apps sie über jedes Protokoll erhalten</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Kanal:</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>Wert:</translation>
    </message>
    <message>
        <source>Condition:</source>
        <translation>Bedingung:</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>Schwelle:</translation>
    </message>
    <message>
        <source>Low:</source>
        <translation>Unten:</translation>
    </message>
    <message>
        <source>High:</source>
        <translation>Oben:</translation>
    </message>
    <message>
        <source>No data for:</source>
        <translation>Keine Daten seit:</translation>
    </message>
    <message>
        <source>Hold:</source>
        <translation>Haltezeit:</translation>
    </message>
    <message>
        <source>Hysteresis:</source>
        <translation>Hysterese:</translation>
    </message>
    <message>
        <source>Publish alerts on:</source>
        <translation>Alarme veröffentlichen auf:</translation>
    </message>
    <message>
        <source>Rule name:</source>
        <translation>Regelname:</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Channels could not be read: %1</source>
        <translation>Kanäle konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>Create a channel first: a rule watches the values of one channel.</source>
        <translation>Legen Sie zuerst einen Kanal an: Eine Regel überwacht die Werte eines Kanals.</translation>
    </message>
    <message>
        <source>Enter the name of the value to watch (nothing was sent on this channel yet).</source>
        <translation>Geben Sie den Namen des zu überwachenden Werts ein (auf diesem Kanal wurde noch nichts gesendet).</translation>
    </message>
    <message>
        <source>Choose the value to watch.</source>
        <translation>Wählen Sie den zu überwachenden Wert.</translation>
    </message>
    <message>
        <source>Low must be below high.</source>
        <translation>Unten muss kleiner als oben sein.</translation>
    </message>
    <message>
        <source>The hysteresis must be less than half the band.</source>
        <translation>Die Hysterese muss kleiner als die halbe Bereichsbreite sein.</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird angelegt…</translation>
    </message>
    <message>
        <source>The server refused the rule: %1</source>
        <translation>Der Server hat die Regel abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::SecretField</name>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>Show or hide the secret</source>
        <translation>Geheimnis zeigen oder verbergen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation>In die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
</context>
<context>
    <name>mf::ui::Session</name>
    <message>
        <source>This build has no bundled backend.</source>
        <translation>Dieser Build enthält kein mitgeliefertes Backend.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server URL; use http://host:port</source>
        <translation>„%1“ ist keine Server-URL; verwenden Sie http://host:port</translation>
    </message>
    <message>
        <source>%1 does not answer /health: %2</source>
        <translation>%1 beantwortet /health nicht: %2</translation>
    </message>
    <message>
        <source>the server does not answer /version: %1</source>
        <translation>der Server beantwortet /version nicht: %1</translation>
    </message>
    <message>
        <source>%1 presents a certificate that no authority this computer trusts has signed (SHA-256 %2).</source>
        <translation>%1 zeigt ein Zertifikat, das keine Stelle signiert hat, der dieser Computer vertraut (SHA-256 %2).</translation>
    </message>
</context>
<context>
    <name>mf::ui::SettingsDialog</name>
    <message>
        <source>Keep the bundled backend running after the dashboard closes</source>
        <translation>Das mitgelieferte Backend nach dem Schließen des Dashboards weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>System keychain, a private file when unavailable</source>
        <translation>Schlüsselbund des Systems, sonst eine private Datei</translation>
    </message>
    <message>
        <source>System keychain only</source>
        <translation>Nur der Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>Private file only (readable by you alone)</source>
        <translation>Nur eine private Datei (nur für Sie lesbar)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Sprache des Systems</translation>
    </message>
    <message>
        <source>Store sign-in tokens in:</source>
        <translation>Anmelde-Token speichern in:</translation>
    </message>
    <message>
        <source>Language (after restart):</source>
        <translation>Sprache (nach Neustart):</translation>
    </message>
    <message>
        <source>The REST API of the backend on this computer (http://127.0.0.1:port); used from its next start</source>
        <translation>Die REST-API des Backends auf diesem Computer (http://127.0.0.1:Port); gilt ab seinem nächsten Start</translation>
    </message>
    <message>
        <source>REST port of the bundled backend:</source>
        <translation>REST-Port des mitgelieferten Backends:</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>beliebiger freier Port</translation>
    </message>
    <message>
        <source>WebSocket adapter of the backend on this computer (ws://127.0.0.1:port); used from its next start</source>
        <translation>WebSocket-Adapter des Backends auf diesem Computer (ws://127.0.0.1:Port); gilt ab seinem nächsten Start</translation>
    </message>
    <message>
        <source>MQTT broker of the backend on this computer (TCP); used from its next start</source>
        <translation>MQTT-Broker des Backends auf diesem Computer (TCP); gilt ab seinem nächsten Start</translation>
    </message>
    <message>
        <source>CoAP adapter of the backend on this computer (UDP); used from its next start</source>
        <translation>CoAP-Adapter des Backends auf diesem Computer (UDP); gilt ab seinem nächsten Start</translation>
    </message>
    <message>
        <source>WebSocket port:</source>
        <translation>WebSocket-Port:</translation>
    </message>
    <message>
        <source>MQTT port:</source>
        <translation>MQTT-Port:</translation>
    </message>
    <message>
        <source>CoAP port (UDP):</source>
        <translation>CoAP-Port (UDP):</translation>
    </message>
    <message>
        <source>MQTT over WebSocket of the backend on this computer (ws://127.0.0.1:port/mqtt); used from its next start</source>
        <translation>MQTT über WebSocket des Backends auf diesem Computer (ws://127.0.0.1:Port/mqtt); gilt ab seinem nächsten Start</translation>
    </message>
    <message>
        <source>MQTT over WebSocket port:</source>
        <translation>Port für MQTT über WebSocket:</translation>
    </message>
</context>
<context>
    <name>mf::ui::SignInDialog</name>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>Passwort &amp;wiederholen:</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto anlegen</translation>
    </message>
    <message>
        <source>Server: %1 (%2)</source>
        <translation>Server: %1 (%2)</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>This server has no account yet. The account you create now is its administrator: it manages the other users.</source>
        <translation>Dieser Server hat noch kein Konto. Das Konto, das Sie jetzt anlegen, ist sein Administrator: Es verwaltet die anderen Benutzer.</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>Das Konto wird angelegt…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
</context>
<context>
    <name>mf::ui::SimulateDialog</name>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Open live view</source>
        <translation>Live-Ansicht öffnen</translation>
    </message>
    <message>
        <source>Simulate devices</source>
        <translation>Geräte simulieren</translation>
    </message>
    <message>
        <source>Each is a new thing named sim-1, sim-2, … connected to a new channel</source>
        <translation>Jedes ist ein neues Ding namens sim-1, sim-2, …, verbunden mit einem neuen Kanal</translation>
    </message>
    <message>
        <source> messages/s</source>
        <translation> Nachrichten/s</translation>
    </message>
    <message>
        <source>All things together</source>
        <translation>Alle Dinge zusammen</translation>
    </message>
    <message>
        <source>The adapter the things publish through, as devices of that protocol do</source>
        <translation>Der Adapter, über den die Dinge senden, wie es Geräte dieses Protokolls tun</translation>
    </message>
    <message>
        <source>Sine wave</source>
        <translation>Sinuswelle</translation>
    </message>
    <message>
        <source>Random walk</source>
        <translation>Zufallsbewegung</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>How the temperature moves; the humidity follows a slow wave</source>
        <translation>Wie sich die Temperatur bewegt; die Luftfeuchte folgt einer langsamen Welle</translation>
    </message>
    <message>
        <source>Chance per thing and 10 s to go silent for 30 to 90 s, so things go offline</source>
        <translation>Wahrscheinlichkeit je Ding und 10 s, für 30 bis 90 s zu verstummen, sodass Dinge offline gehen</translation>
    </message>
    <message>
        <source>Share of invalid SenML packs, refused by the adapter (to see refusals)</source>
        <translation>Anteil ungültiger SenML-Pakete, die der Adapter ablehnt (um Ablehnungen zu sehen)</translation>
    </message>
    <message>
        <source>until stopped</source>
        <translation>bis gestoppt</translation>
    </message>
    <message>
        <source> messages</source>
        <translation> Nachrichten</translation>
    </message>
    <message>
        <source>Stop after this many messages</source>
        <translation>Nach so vielen Nachrichten anhalten</translation>
    </message>
    <message>
        <source>Watch the simulated things&apos; messages arrive</source>
        <translation>Zusehen, wie die Nachrichten der simulierten Dinge ankommen</translation>
    </message>
    <message>
        <source>Things:</source>
        <translation>Dinge:</translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation>Rate:</translation>
    </message>
    <message>
        <source>Over:</source>
        <translation>Über:</translation>
    </message>
    <message>
        <source>Pattern:</source>
        <translation>Verlauf:</translation>
    </message>
    <message>
        <source>Dropouts:</source>
        <translation>Aussetzer:</translation>
    </message>
    <message>
        <source>Invalid packs:</source>
        <translation>Ungültige Pakete:</translation>
    </message>
    <message>
        <source>Stop after:</source>
        <translation>Anhalten nach:</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Gesendet:</translation>
    </message>
    <message>
        <source>Accepted:</source>
        <translation>Angenommen:</translation>
    </message>
    <message>
        <source>Refused:</source>
        <translation>Abgelehnt:</translation>
    </message>
    <message>
        <source>Failed:</source>
        <translation>Fehlgeschlagen:</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Kanal:</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Sign in to simulate devices.</source>
        <translation>Melden Sie sich an, um Geräte zu simulieren.</translation>
    </message>
    <message>
        <source>This backend runs without the %1 adapter.</source>
        <translation>Dieses Backend läuft ohne den %1-Adapter.</translation>
    </message>
    <message>
        <source>The simulator does not speak MQTT over TLS yet: choose HTTP, WebSocket or CoAP.</source>
        <translation>Der Simulator spricht noch kein MQTT über TLS: Wählen Sie HTTP, WebSocket oder CoAP.</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(noch keiner)</translation>
    </message>
    <message>
        <source>Stopped before it started.</source>
        <translation>Gestoppt, bevor er begann.</translation>
    </message>
    <message>
        <source>The simulation could not start: %1</source>
        <translation>Die Simulation konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>Nicht gestartet.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>Stopped. The simulated things stay until you delete them.</source>
        <translation>Gestoppt. Die simulierten Dinge bleiben, bis Sie sie löschen.</translation>
    </message>
    <message>
        <source>Deleting the simulated things…</source>
        <translation>Die simulierten Dinge werden gelöscht…</translation>
    </message>
    <message>
        <source>Not everything was deleted: %1</source>
        <translation>Nicht alles wurde gelöscht: %1</translation>
    </message>
    <message>
        <source>The simulated things were deleted.</source>
        <translation>Die simulierten Dinge wurden gelöscht.</translation>
    </message>
    <message>
        <source>Channel %1</source>
        <translation>Kanal %1</translation>
    </message>
    <message>
        <source>Delete the simulated things (%1) and the channel</source>
        <translation>Die simulierten Dinge (%1) und den Kanal löschen</translation>
    </message>
    <message>
        <source>Delete the simulated things (%1)</source>
        <translation>Die simulierten Dinge (%1) löschen</translation>
    </message>
    <message>
        <source>Creating the things and connecting them…</source>
        <translation>Die Dinge werden angelegt und verbunden…</translation>
    </message>
    <message>
        <source>Publishing over %1 at %2 messages/s.</source>
        <translation>Sendet über %1 mit %2 Nachrichten/s.</translation>
    </message>
</context>
<context>
    <name>mf::ui::StatusStrip</name>
    <message>
        <source>never heard from</source>
        <translation>nie gemeldet</translation>
    </message>
    <message>
        <source>24 h ago</source>
        <translation>vor 24 h</translation>
    </message>
    <message>
        <source>12 h ago</source>
        <translation>vor 12 h</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>seit %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Online %1 (%2 over %3)</source>
        <translation>Online %1 (%2 über %3)</translation>
    </message>
    <message>
        <source>Offline %1 (%2)</source>
        <translation>Offline %1 (%2)</translation>
    </message>
    <message>
        <source>Offline %1 (%2, last over %3)</source>
        <translation>Offline %1 (%2, zuletzt über %3)</translation>
    </message>
    <message>
        <source>No record %1 (before the oldest kept change)</source>
        <translation>Keine Aufzeichnung %1 (vor der ältesten gespeicherten Änderung)</translation>
    </message>
</context>
<context>
    <name>mf::ui::SubtopicTreeModel</name>
    <message>
        <source>Subtopic %1</source>
        <translation>Unterthema %1</translation>
    </message>
    <message>
        <source>All subtopics</source>
        <translation>Alle Unterthemen</translation>
    </message>
    <message>
        <source>Subtopic</source>
        <translation>Unterthema</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>Zuletzt</translation>
    </message>
</context>
<context>
    <name>mf::ui::ThingHistory</name>
    <message>
        <source>The value to chart from this thing&apos;s messages of the last 24 hours</source>
        <translation>Der Wert, der aus den Nachrichten dieses Dings der letzten 24 Stunden gezeichnet wird</translation>
    </message>
    <message>
        <source>Online in the last 24 hours</source>
        <translation>Online in den letzten 24 Stunden</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>&amp;Wert:</translation>
    </message>
    <message>
        <source>Could not load the status history: %1</source>
        <translation>Der Statusverlauf konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No numeric values yet: nothing to chart.</source>
        <translation>Noch keine Zahlenwerte: nichts zu zeichnen.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Could not load the messages: %1</source>
        <translation>Die Nachrichten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No messages in the last 24 hours</source>
        <translation>Keine Nachrichten in den letzten 24 Stunden</translation>
    </message>
    <message>
        <source>The newest %1 of %2 messages</source>
        <translation>Die neuesten %1 von %2 Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) in the last 24 hours</source>
        <translation>
            <numerusform>%n Nachricht in den letzten 24 Stunden</numerusform>
            <numerusform>%n Nachrichten in den letzten 24 Stunden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::ThingsModel</name>
    <message>
        <source>app</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Thing key; reveal or copy it from the details pane</source>
        <translation>Schlüssel des Dings; im Detailbereich anzeigen oder kopieren</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>vor %n s</numerusform>
            <numerusform>vor %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n min</numerusform>
            <numerusform>vor %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n h</numerusform>
            <numerusform>vor %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>%1 over %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <source>Connected over MQTT since %1</source>
        <translation>Über MQTT verbunden seit %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
</context>
<context>
    <name>mf::ui::ThingsPage</name>
    <message>
        <source>Things</source>
        <translation>Dinge</translation>
    </message>
    <message>
        <source>New thing</source>
        <translation>Neues Ding</translation>
    </message>
    <message>
        <source>Create a thing (Ctrl+N)</source>
        <translation>Ein Ding anlegen (Strg+N)</translation>
    </message>
    <message>
        <source>Delete the selected things (Delete)</source>
        <translation>Die ausgewählten Dinge löschen (Entf)</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>CSV importieren…</translation>
    </message>
    <message>
        <source>Import things</source>
        <translation>Dinge importieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>No things yet</source>
        <translation>Noch keine Dinge</translation>
    </message>
    <message>
        <source>Things are the devices and applications that send messages. Create one, or import many from a CSV file (name,type,metadata).</source>
        <translation>Dinge sind die Geräte und Anwendungen, die Nachrichten senden. Legen Sie eines an oder importieren Sie viele aus einer CSV-Datei (name,type,metadata).</translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation>Erneuern…</translation>
    </message>
    <message>
        <source>Give the thing a new key; the old one stops working at once</source>
        <translation>Dem Ding einen neuen Schlüssel geben; der alte gilt sofort nicht mehr</translation>
    </message>
    <message>
        <source>Key of %1 copied to the clipboard</source>
        <translation>Schlüssel von %1 in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>Schlüssel:</translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation>Metadaten:</translation>
    </message>
    <message>
        <source>Connected to:</source>
        <translation>Verbunden mit:</translation>
    </message>
    <message>
        <source>Could not load things: %1</source>
        <translation>Dinge konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No thing matches “%1”</source>
        <translation>Kein Ding passt zu „%1“</translation>
    </message>
    <message>
        <source>The filter matches parts of names, ignoring case. Clear it to see every thing.</source>
        <translation>Der Filter findet Namensteile, ohne Groß- und Kleinschreibung zu unterscheiden. Leeren Sie ihn, um alle Dinge zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%n things selected</source>
        <translation>
            <numerusform>%n Ding ausgewählt</numerusform>
            <numerusform>%n Dinge ausgewählt</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a thing to see its details</source>
        <translation>Wählen Sie ein Ding, um seine Details zu sehen</translation>
    </message>
    <message>
        <source>(unnamed thing)</source>
        <translation>(Ding ohne Namen)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation>Kanäle konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Not connected to any channel</source>
        <translation>Mit keinem Kanal verbunden</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… und %1 weitere</translation>
    </message>
    <message>
        <source>Thing %1 created</source>
        <translation>Ding %1 angelegt</translation>
    </message>
    <message>
        <source>Thing %1 saved</source>
        <translation>Ding %1 gespeichert</translation>
    </message>
    <message>
        <source>Delete things</source>
        <translation>Dinge löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n thing(s)? %1 will be removed with their keys and connections. This cannot be undone.</source>
        <translation>
            <numerusform>%n Ding löschen? %1 wird mit Schlüssel und Verbindungen entfernt. Das kann nicht rückgängig gemacht werden.</numerusform>
            <numerusform>%n Dinge löschen? %1 werden mit ihren Schlüsseln und Verbindungen entfernt. Das kann nicht rückgängig gemacht werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) could not be deleted: %1</source>
        <translation>
            <numerusform>%n Ding konnte nicht gelöscht werden: %1</numerusform>
            <numerusform>%n Dinge konnten nicht gelöscht werden: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) deleted</source>
        <translation>
            <numerusform>%n Ding gelöscht</numerusform>
            <numerusform>%n Dinge gelöscht</numerusform>
        </translation>
    </message>
    <message>
        <source>Rotate key</source>
        <translation>Schlüssel erneuern</translation>
    </message>
    <message>
        <source>Give %1 a new key? Devices using the old key are refused from now on.</source>
        <translation>%1 einen neuen Schlüssel geben? Geräte mit dem alten Schlüssel werden ab sofort abgewiesen.</translation>
    </message>
    <message>
        <source>Could not rotate the key of %1: %2</source>
        <translation>Der Schlüssel von %1 konnte nicht erneuert werden: %2</translation>
    </message>
    <message>
        <source>New key for %1</source>
        <translation>Neuer Schlüssel für %1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 ist leer</translation>
    </message>
    <message>
        <source>%1: the first line must name the columns, with at least &quot;name&quot; (optional: type, metadata, key)</source>
        <translation>%1: Die erste Zeile muss die Spalten benennen, mindestens „name“ (optional: type, metadata, key)</translation>
    </message>
    <message>
        <source>%1 line %2: metadata: %3</source>
        <translation>%1 Zeile %2: Metadaten: %3</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n thing(s)…</source>
        <translation>
            <numerusform>%n Ding wird importiert…</numerusform>
            <numerusform>%n Dinge werden importiert…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>Import cancelled after %n thing(s)</source>
        <translation>
            <numerusform>Import nach %n Ding abgebrochen</numerusform>
            <numerusform>Import nach %n Dingen abgebrochen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) imported</source>
        <translation>
            <numerusform>%n Ding importiert</numerusform>
            <numerusform>%n Dinge importiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import stopped at line %1 after %n thing(s): %2</source>
        <translation>
            <numerusform>Import in Zeile %1 nach %n Ding gestoppt: %2</numerusform>
            <numerusform>Import in Zeile %1 nach %n Dingen gestoppt: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>
(stored as a string, the Mainflux 0.7 form)</source>
        <translation>
(als Zeichenkette gespeichert, die Form von Mainflux 0.7)</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Last values:</source>
        <translation>Letzte Werte:</translation>
    </message>
    <message>
        <source>All things</source>
        <translation>Alle Things</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>A thing is online while it has an MQTT connection or sent a message within its offline-after time (5 minutes unless its metadata says offline_after)</source>
        <translation>Ein Thing ist online, solange es eine MQTT-Verbindung hat oder innerhalb seiner Offline-Frist eine Nachricht gesendet hat (5 Minuten, sofern seine Metadaten nicht offline_after angeben)</translation>
    </message>
    <message>
        <source>, connected over MQTT since %1</source>
        <translation>, über MQTT verbunden seit %1</translation>
    </message>
    <message>
        <source> — last seen %1 over %2</source>
        <translation> — zuletzt gesehen %1 über %2</translation>
    </message>
    <message>
        <source> — never heard from</source>
        <translation> — noch nie gemeldet</translation>
    </message>
    <message>
        <source>Could not load last values: %1</source>
        <translation>Letzte Werte konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No SenML values yet</source>
        <translation>Noch keine SenML-Werte</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>um %1</translation>
    </message>
    <message>
        <source>Refused:</source>
        <translation>Abgelehnt:</translation>
    </message>
    <message>
        <source>Messages of this thing the backend refused, newest first, with the reason</source>
        <translation>Nachrichten dieses Things, die das Backend abgelehnt hat, neueste zuerst, mit dem Grund</translation>
    </message>
    <message>
        <source>Could not load refused messages: %1</source>
        <translation>Abgelehnte Nachrichten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>%1 · %2: %3</source>
        <translation>%1 · %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>(binary, %n bytes)</source>
        <translation>
            <numerusform>(binär, %n Byte)</numerusform>
            <numerusform>(binär, %n Bytes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Payload: %1
From: %2</source>
        <translation>Nutzdaten: %1
Von: %2</translation>
    </message>
    <message>
        <source>Things: %1 · loaded: %2</source>
        <translation>Dinge: %1 · geladen: %2</translation>
    </message>
</context>
<context>
    <name>mf::ui::TokenStore</name>
    <message>
        <source>Sign-in tokens are stored in %1, readable only by you (the keychain is switched off in the settings).</source>
        <translation>Anmelde-Token werden in %1 gespeichert, nur für Sie lesbar (der Schlüsselbund ist in den Einstellungen abgeschaltet).</translation>
    </message>
    <message>
        <source>The system keychain is unavailable (%1). Sign-in tokens are stored in %2, readable only by you.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar (%1). Anmelde-Token werden in %2 gespeichert, nur für Sie lesbar.</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>the system keychain refused the token: %1</source>
        <translation>der Schlüsselbund des Systems hat das Token abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>mf::ui::UsersModel</name>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
</context>
<context>
    <name>mf::ui::UsersPage</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Alle Konten</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>Neuer Benutzer…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Passwort zurücksetzen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation>Neu laden (F5)</translation>
    </message>
    <message>
        <source>Filter by e-mail… (Ctrl+F)</source>
        <translation>Nach E-Mail filtern… (Strg+F)</translation>
    </message>
    <message>
        <source>Only administrators see and manage all accounts.</source>
        <translation>Nur Administratoren sehen und verwalten alle Konten.</translation>
    </message>
    <message>
        <source>My account</source>
        <translation>Mein Konto</translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation>mindestens 8 Zeichen</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Passwort ändern</translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation>Aktuelles Passwort:</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>Neues Passwort:</translation>
    </message>
    <message>
        <source>Signed in as &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation>Angemeldet als &lt;b&gt;%1&lt;/b&gt; (%2)</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>user</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Account %1 created</source>
        <translation>Konto %1 angelegt</translation>
    </message>
    <message>
        <source>%1 enabled</source>
        <translation>%1 entsperrt</translation>
    </message>
    <message>
        <source>%1 disabled; their tokens stop working</source>
        <translation>%1 gesperrt; seine Token gelten nicht mehr</translation>
    </message>
    <message>
        <source>Delete account</source>
        <translation>Konto löschen</translation>
    </message>
    <message>
        <source>Delete the account %1 with all its things and channels? This cannot be undone.</source>
        <translation>Das Konto %1 mit allen seinen Dingen und Kanälen löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Account %1 deleted</source>
        <translation>Konto %1 gelöscht</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>New password for %1:</source>
        <translation>Neues Passwort für %1:</translation>
    </message>
    <message>
        <source>Password of %1 reset</source>
        <translation>Passwort von %1 zurückgesetzt</translation>
    </message>
    <message>
        <source>Password not changed: %1</source>
        <translation>Passwort nicht geändert: %1</translation>
    </message>
    <message>
        <source>Password changed. Other sign-ins of this account end now.</source>
        <translation>Passwort geändert. Andere Anmeldungen dieses Kontos enden jetzt.</translation>
    </message>
    <message>
        <source>Select an account first</source>
        <translation>Wählen Sie zuerst ein Konto aus</translation>
    </message>
    <message>
        <source>Not your own account</source>
        <translation>Nicht das eigene Konto</translation>
    </message>
    <message>
        <source>Disable the account: it can no longer sign in</source>
        <translation>Das Konto sperren: Es kann sich nicht mehr anmelden</translation>
    </message>
    <message>
        <source>Enable the account</source>
        <translation>Das Konto entsperren</translation>
    </message>
    <message>
        <source>Delete the account</source>
        <translation>Das Konto löschen</translation>
    </message>
    <message>
        <source>Set a new password for the account</source>
        <translation>Ein neues Passwort für das Konto setzen</translation>
    </message>
</context>
</TS>
