/**
 * The sizes drawn boxes are made of, in model units: the font nodes and edges are labelled in
 * (graphElements sizes nodes with it, graphStyle draws with it) and the room a module box keeps
 * around its contents (placement lays boxes out with it, viewFit fits them).
 */

/**
 * Font sizes of node and edge labels: at READABLE_ZOOM, the least zoom the page opens at, they
 * are 11.4 and 10.5 px on screen.
 */
export const NODE_FONT_PX = 12;
export const EDGE_FONT_PX = 11;

/** The room a module box keeps around its contents, and for its header label. */
export const BOX_PAD = 14;
export const BOX_LABEL = 20;
