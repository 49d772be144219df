// `mvm-api`: parses its arguments with MVMAPICommand and runs them; no logic lives here.
import MVMAPICommand
import MVMCommandSupport

await MVMMain.run(MVMAPIApp.self)
