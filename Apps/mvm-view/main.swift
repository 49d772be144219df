// `mvm-view`: parses its arguments with MVMCommands and runs them; no logic lives here.
import MVMCommands

await MVMMain.run(MVMViewApp.self)
