// MVMCommands
