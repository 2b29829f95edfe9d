/** MXNet's recording switch: `autograd.record(fn)` turns it on for `fn`, as `with autograd.record():`. */
import { recordingSwitch } from "../recordingSwitch";

const recording = recordingSwitch();

/** Whether ops are being recorded (MXNet's `autograd.is_recording()`). */
export const isRecording = recording.isOn;
/** Runs `fn` with recording on and returns its result. */
export const record = <T>(fn: () => T): T => recording.during(fn);
