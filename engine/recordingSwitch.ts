/**
 * A switch that is on while a function runs (nesting allowed): the front ends' "recording"
 * state (TensorFlow's GradientTape, MXNet's `autograd.record`), which decides what asks for
 * gradients, as PyTorch's grad mode does for plain tensors.
 */
export interface RecordingSwitch {
  isOn(): boolean;
  during<T>(fn: () => T): T;
}

export function recordingSwitch(): RecordingSwitch {
  let depth = 0;
  return {
    isOn: () => depth > 0,
    during<T>(fn: () => T): T {
      depth++;
      try {
        return fn();
      } finally {
        depth--;
      }
    },
  };
}
