/**
 * "Step through backward": replays the backward pass one node at a time, in the order the engine
 * ran them (GraphDto.backwardOrder), with back / forward / play controls and the keyboard
 * (← → space). Each step lights what the gradient has reached and shows the step's details.
 */
import { h } from "./dom";
import type { GraphDto, NodeId } from "./protocol";

/** How long each step shows while playing, in ms. */
const PLAY_MS = 1100;

export interface StepEvents {
  /** The steps run so far changed (`ran` is empty before the first step; null: closed). */
  show(ran: NodeId[] | null): void;
}

export class BackwardSteps {
  private order: NodeId[] = [];
  /** How many steps have run (0: none yet, at the loss). */
  private at = 0;
  private timer = 0;
  private open = false;
  private readonly counter = h("span", {
    class: "gl-step-counter",
    attrs: { "aria-live": "polite" },
  });
  private readonly play: HTMLButtonElement;
  private readonly back: HTMLButtonElement;
  private readonly forward: HTMLButtonElement;

  constructor(
    private readonly bar: HTMLElement,
    private readonly events: StepEvents,
  ) {
    const button = (text: string, title: string, cls: string, onClick: () => void) =>
      h("button", { text, title, class: cls, on: { click: onClick } });
    this.back = button("◀ Back", "The step before (←)", "gl-step-back", () => this.go(-1));
    this.forward = button("Forward ▶", "The next step (→)", "gl-step-forward", () => this.go(1));
    this.play = button("Play", "Play the steps one after another (space)", "gl-step-play", () =>
      this.togglePlay(),
    );
    bar.replaceChildren(
      h("span", { class: "gl-label", text: "Backward, step by step" }),
      button("⇤ Start", "Back to the start: only the loss has a gradient", "gl-step-start", () =>
        this.goTo(0),
      ),
      this.back,
      this.forward,
      this.play,
      this.counter,
      h("span", { class: "gl-spacer" }),
      button("Close", "Leave step-through (Escape)", "gl-step-close", () => this.close()),
    );
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Whether this graph can be stepped through (backward ran and its order was recorded). */
  static available(graph: GraphDto | null): boolean {
    return !!graph?.backwardOrder?.length;
  }

  /** Opens on the graph's order, at the start. */
  start(graph: GraphDto): void {
    this.order = graph.backwardOrder ?? [];
    this.open = true;
    this.bar.hidden = false;
    this.goTo(0);
  }

  /** A new graph arrived: keep the step when the order is the same, else close. */
  graphChanged(graph: GraphDto | null): void {
    if (!this.open) return;
    const order = graph?.backwardOrder ?? [];
    if (order.length === 0) return this.close();
    const same = order.length === this.order.length && order.every((id, i) => id === this.order[i]);
    this.order = order;
    this.goTo(same ? this.at : 0);
  }

  close(): void {
    this.pause();
    this.open = false;
    this.bar.hidden = true;
    this.events.show(null);
  }

  /** The keyboard while stepping: ← →, space; returns whether the key was used. */
  key(key: string): boolean {
    if (!this.open) return false;
    if (key === "ArrowRight") this.go(1);
    else if (key === "ArrowLeft") this.go(-1);
    else if (key === " ") this.togglePlay();
    else if (key === "Escape") this.close();
    else return false;
    return true;
  }

  private go(delta: number): void {
    this.pause();
    this.goTo(this.at + delta);
  }

  private goTo(at: number): void {
    this.at = Math.max(0, Math.min(this.order.length, at));
    this.counter.textContent =
      this.at === 0
        ? `Start: only the loss has a gradient · ${this.order.length} steps`
        : `Step ${this.at} of ${this.order.length}`;
    this.back.disabled = this.at === 0;
    this.forward.disabled = this.at === this.order.length;
    this.events.show(this.order.slice(0, this.at));
  }

  private togglePlay(): void {
    if (this.timer) return this.pause();
    if (this.at === this.order.length) this.goTo(0);
    this.play.textContent = "Pause";
    this.play.setAttribute("aria-pressed", "true");
    const tick = (): void => {
      if (this.at >= this.order.length) return this.pause();
      this.goTo(this.at + 1);
      this.timer = window.setTimeout(tick, PLAY_MS);
    };
    tick();
  }

  private pause(): void {
    clearTimeout(this.timer);
    this.timer = 0;
    this.play.textContent = "Play";
    this.play.setAttribute("aria-pressed", "false");
  }
}
