#pragma once

#include "command.h"

#include <QJsonValue>

namespace mf::cli {

// Each area adds its commands to the table (commandtable.cpp decides the order).
void addGeneralCommands(CommandList &list);
void addUsersCommands(CommandList &list);
void addThingsCommands(CommandList &list);
void addChannelsCommands(CommandList &list);
void addMessageCommands(CommandList &list);
void addProvisionCommands(CommandList &list);
void addProfileCommands(CommandList &list);
void addSimulateCommands(CommandList &list);
void addRulesCommands(CommandList &list); // rules and alerts

// A JSON argument (object or array) or a Malformed error saying what is wrong with it.
Result<QJsonValue> parseJsonArgument(const QString &what, const QString &text);
// The --metadata option as an object (empty when not given).
Result<QJsonObject> metadataOption(const Context &ctx);

} // namespace mf::cli
