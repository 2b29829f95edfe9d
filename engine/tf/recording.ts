/**
 * Whether a GradientTape is recording: TensorFlow records ops only inside a tape, so a
 * Variable asks for gradients only while one is (see variable.ts).
 */
let activeTapes = 0;

export function isTapeRecording(): boolean {
  return activeTapes > 0;
}

/** Runs `fn` as a tape does: ops on trainable Variables inside it are recorded. */
export function whileRecording<T>(fn: () => T): T {
  activeTapes++;
  try {
    return fn();
  } finally {
    activeTapes--;
  }
}
