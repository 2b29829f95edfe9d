/** What registering a hook returns (PyTorch's `RemovableHandle`): `remove()` takes it off again. */
export class RemovableHandle {
  private removeFn: (() => void) | null;

  constructor(remove: () => void) {
    this.removeFn = remove;
  }

  /** Removes the hook; a second call does nothing. */
  remove(): void {
    this.removeFn?.();
    this.removeFn = null;
  }
}
