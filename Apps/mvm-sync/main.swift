// `mvm-sync`: parses its arguments with MVMSyncCommand and runs them; no logic lives here.
import MVMCommandSupport
import MVMSyncCommand

await MVMMain.run(MVMSyncApp.self)
