// `mvm-devnode`: the simulated Midnight node; parses its arguments with MVMDevnodeCommand and runs
// them (no logic lives here).
import MVMCommandSupport
import MVMDevnodeCommand

await MVMMain.run(MVMDevnodeApp.self)
