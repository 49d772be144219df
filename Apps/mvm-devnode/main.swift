// `mvm-devnode`: the simulated Midnight node; parses its arguments with MVMCommands and runs them (no logic lives here).
import MVMCommands

await MVMMain.run(MVMDevnodeApp.self)
