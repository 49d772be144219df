// `mvm-view`: parses its arguments with MVMViewCommand and runs them; no logic lives here.
import MVMCommandSupport
import MVMViewCommand

await MVMMain.run(MVMViewApp.self)
