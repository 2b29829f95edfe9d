/**
 * What the user chose to see, kept across reloads: open modules and fold groups, the scope,
 * the colours, the selection and the viewport. Each change here returns a new state.
 */
import {
  foldGroups,
  isCollapsed,
  isFolded,
  LARGE_GRAPH,
  nodesInside,
  type ViewChoices,
} from "./graphModel";
import type { ColourMode } from "./magnitudeScale";
import type { GraphDto, NodeId } from "./protocol";

export interface ViewState extends ViewChoices {
  file?: string;
  zoom?: number;
  pan?: { x: number; y: number };
  selected?: NodeId | null;
  /** What node and edge colours mean; unset: magnitudes of the gradient once there are any. */
  colourMode?: ColourMode;
}

/** Nothing opened yet: the state of a file seen for the first time (or the saved one on top). */
export function freshState(over?: Partial<ViewState>): ViewState {
  return { moduleOpen: {}, foldOpen: {}, ...over };
}

/** Collapses or expands a module, or folds/unfolds a group of repeats. */
export function toggledState(g: GraphDto, state: ViewState, id: string): ViewState {
  if (!id.startsWith("fold:"))
    return { ...state, moduleOpen: { ...state.moduleOpen, [id]: isCollapsed(g, state, id) } };
  const unfold = isFolded(g, state, id);
  const next = { ...state, foldOpen: { ...state.foldOpen, [id]: unfold } };
  // Unfolded repeats show what they hold, not as many closed boxes (unless that is a lot).
  const members = foldGroups(g, next).find((f) => f.id === id)?.members ?? [];
  if (unfold && nodesInside(g, members) <= LARGE_GRAPH) {
    const open = Object.fromEntries(members.map((m) => [m, true]));
    next.moduleOpen = { ...next.moduleOpen, ...open };
  }
  return next;
}

/** Every module and fold group expanded (true) or collapsed (false). */
export function allOpenState(g: GraphDto, state: ViewState, open: boolean): ViewState {
  const modules = g.nodes.filter((n) => n.kind === "module");
  return {
    ...state,
    moduleOpen: Object.fromEntries(modules.map((m) => [m.id, open])),
    foldOpen: Object.fromEntries(foldGroups(g, state).map((f) => [f.id, open])),
  };
}

/** What colours mean now: the user's choice, else gradient magnitudes after backward. */
export function colourModeOf(state: ViewState, g: GraphDto | null): ColourMode {
  return state.colourMode ?? (g?.hasGradients ? "gradient" : "kinds");
}
