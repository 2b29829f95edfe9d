/**
 * Whether a GradientTape is recording: TensorFlow records ops only inside a tape, so a
 * Variable asks for gradients only while one is (see variable.ts).
 */
import { recordingSwitch } from "../recordingSwitch";

const tapes = recordingSwitch();

export const isTapeRecording = tapes.isOn;
/** Runs `fn` as a tape does: ops on trainable Variables inside it are recorded. */
export const whileRecording = <T>(fn: () => T): T => tapes.during(fn);
