// `mvm`: parses its arguments with MVMCommands and runs them; no logic lives here.
import MVMCommandSupport
import MVMCommands

await MVMMain.run(MVMCommand.self)
