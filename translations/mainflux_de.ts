<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>mf::client::BackendProcess</name>
    <message>
        <source>mainflux-backend was not found next to the dashboard, in the build tree or on PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the data directory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backend stopped unexpectedly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backend did not become ready within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backend crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backend exited with code %1 before it was ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backend stopped unexpectedly (exit code %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::BackendPage</name>
    <message>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep running after the dashboard closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote server, healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote server, not answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL: %1
Version: %2
Health: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (started earlier, kept running)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Process %1, version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::Banner</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ChannelsModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ChannelsPage</name>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a channel (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected channels (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect things to the selected channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch the messages of the selected channel (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload from the server (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name… (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No channels yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels carry messages between things. Create one, then connect the things that may publish to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect things…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected things:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No channel matches “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter matches parts of names, ignoring case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n channels selected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a channel to see its connected things</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed channel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load things: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No things connected — use “Connect things…”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 created</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n channel(s)? %1 will be removed with their connections; stored messages stay readable only until the data is cleaned up. This cannot be undone.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s) deleted</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) connected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not disconnect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) disconnected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::ConnectDialog</name>
    <message>
        <source>Connect things</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the things that may publish to and read from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::CopyField</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::EntityDialog</name>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata must be a JSON object: { &quot;key&quot;: &quot;value&quot; }</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New thing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. boiler-7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. boiler-room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Application</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Metadata (JSON):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit thing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit channel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid JSON</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::LiveMessagesModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subtopic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::LivePage</name>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop updating the view; messages keep arriving and appear on resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> History: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live stream connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live stream unavailable (%1); polling stored messages every second, retrying the stream.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a channel to watch its messages, or press Ctrl+L on the Channels page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading messages failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No channels yet: create one on the Channels page and connect a thing to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the live stream…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This backend offers no live stream yet: polling stored messages every second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(value)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) exported to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::MainWindow</name>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mainflux</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session ended (%1). Sign in again to continue where you were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backend this dashboard works with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account and password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add remote server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the backend on this computer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backend on this computer could not start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>

Last lines of the backend&apos;s log (%1):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the backend wrote nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: failed — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: running · services ok · v%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: degraded — /health does not pass · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>things</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ all services answer (version %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ not answering: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as reported by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REST API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP publishing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live stream (WebSocket)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NATS</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ProfileDialog</name>
    <message>
        <source>Accept self-signed TLS certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. ws://mainflux.example.com:8186</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Live stream URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ %1 %2 answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ /version: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ProfileStore</name>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::SecretField</name>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide the secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::Session</name>
    <message>
        <source>This build has no bundled backend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server URL; use http://host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not answer /health: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not answer /version: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::SettingsDialog</name>
    <message>
        <source>Keep the bundled backend running after the dashboard closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System keychain, a private file when unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System keychain only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private file only (readable by you alone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store sign-in tokens in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language (after restart):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::SignInDialog</name>
    <message>
        <source>&amp;Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ThingsModel</name>
    <message>
        <source>app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thing key; reveal or copy it from the details pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::ThingsPage</name>
    <message>
        <source>Things</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New thing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a thing (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected things (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import things</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload from the server (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name… (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No things yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Things are the devices and applications that send messages. Create one, or import many from a CSV file (name,type,metadata).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the thing a new key; the old one stops working at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key of %1 copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID copied to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load things: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No thing matches “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter matches parts of names, ignoring case. Clear it to see every thing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 things, %2 loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n things selected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a thing to see its details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed thing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load channels: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to any channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thing %1 created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thing %1 saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete things</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n thing(s)? %1 will be removed with their keys and connections. This cannot be undone.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) could not be deleted: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) deleted</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Rotate key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give %1 a new key? Devices using the old key are refused from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not rotate the key of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the first line must name the columns, with at least &quot;name&quot; (optional: type, metadata, key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 line %2: metadata: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Importing %n thing(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Import cancelled after %n thing(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thing(s) imported</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import stopped at line %1 after %n thing(s): %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mf::ui::TokenStore</name>
    <message>
        <source>Sign-in tokens are stored in %1, readable only by you (the keychain is switched off in the settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keychain is unavailable (%1). Sign-in tokens are stored in %2, readable only by you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keychain refused the token: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::UsersModel</name>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>mf::ui::UsersPage</name>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by e-mail… (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators see and manage all accounts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial password (at least 8 characters):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the account: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disabled; their tokens stop working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the account %1 with all its things and channels? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account %1 deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password for %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password of %1 reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password not changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password changed. Other sign-ins of this account end now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
