/**
 * im2col and col2im: the data movement that turns a convolution into one matrix product.
 *
 * For one image of C channels and size H×W, and a kernel kH×kW sliding over an OH×OW grid of
 * positions, `im2col` writes the matrix `cols` of shape [C·kH·kW, OH·OW]: row (c, i, j) holds,
 * for every output position (oh, ow), the input value under kernel tap (i, j) of channel c —
 * x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], or 0 in the padding. A convolution is then
 * `weight[O, C·kH·kW] · cols`. `col2im` is its adjoint (every column entry is added back to
 * the input cell it came from), which gives the input gradient of a convolution and the
 * forward pass of a transposed one. One-dimensional convolutions use H = OH = kH = 1.
 */

/** A kH×kW window sliding over an H×W plane to an OH×OW grid of positions (shared with pooling). */
export interface WindowGeometry {
  H: number;
  W: number;
  /** The grid of window positions (the convolution's or pooling's output size). */
  OH: number;
  OW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
}

/** The sizes that relate an image of C channels to its column matrix. */
export interface ConvGeometry extends WindowGeometry {
  C: number;
}

/** Number of entries of the column matrix: C·kH·kW rows of OH·OW. */
export function colsSize(g: ConvGeometry): number {
  return g.C * g.kH * g.kW * g.OH * g.OW;
}

/** Whether the column matrix equals the image itself (1×1 kernel, stride 1, no padding). */
export function isIdentityGeometry(g: ConvGeometry): boolean {
  return (
    g.kH === 1 &&
    g.kW === 1 &&
    g.sH === 1 &&
    g.sW === 1 &&
    g.pH === 0 &&
    g.pW === 0 &&
    g.OH === g.H &&
    g.OW === g.W
  );
}

/**
 * The range of output positions o in [0, count) whose input index o·s − p + tap lies in
 * [0, size): [first, end).
 */
function validRange(count: number, size: number, stride: number, offset: number): [number, number] {
  // o·stride + offset >= 0  and  o·stride + offset < size
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = Math.min(count, Math.floor((size - 1 - offset) / stride) + 1);
  return [Math.min(first, count), Math.max(end, Math.min(first, count))];
}

/** Fills `cols` row by row; with `add`, sums the rows back into the image instead. */
function im2colOrBack(
  img: Float32Array,
  imageOffset: number,
  g: ConvGeometry,
  cols: Float32Array,
  add: boolean,
): void {
  // NOTE: a bulk copy (TypedArray.set) is ~10× an element loop once runs are long, so the
  // common "same" stride-1 conv copies whole rows
  const { C, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW } = g;
  const L = OH * OW;
  let r = 0;
  for (let c = 0; c < C; c++) {
    const plane = imageOffset + c * H * W;
    for (let i = 0; i < kH; i++) {
      const offH = i * dH - pH;
      const [ohFirst, ohEnd] = validRange(OH, H, sH, offH);
      for (let j = 0; j < kW; j++, r++) {
        const offW = j * dW - pW;
        const [owFirst, owEnd] = validRange(OW, W, sW, offW);
        const base = r * L;
        if (add) {
          for (let oh = ohFirst; oh < ohEnd; oh++) {
            const col = base + oh * OW;
            const at = plane + (oh * sH + offH) * W + offW;
            for (let ow = owFirst; ow < owEnd; ow++) img[at + ow * sW] += cols[col + ow];
          }
          continue;
        }
        // zeros where the window lies in the padding, values elsewhere
        cols.fill(0, base, base + ohFirst * OW);
        if (sH === 1 && sW === 1 && OW === W && ohEnd > ohFirst && owEnd > owFirst) {
          // consecutive image rows are consecutive column-matrix rows: one copy, then zero the
          // few entries each row took from its neighbour where the window is in the padding
          const from = plane + (ohFirst + offH) * W + offW;
          const to = base + ohFirst * OW;
          const n = (ohEnd - ohFirst) * OW;
          cols.set(img.subarray(from + owFirst, from + n - (OW - owEnd)), to + owFirst);
          for (let oh = ohFirst; oh < ohEnd; oh++) {
            const col = base + oh * OW;
            for (let ow = 0; ow < owFirst; ow++) cols[col + ow] = 0;
            for (let ow = owEnd; ow < OW; ow++) cols[col + ow] = 0;
          }
          cols.fill(0, base + ohEnd * OW, base + L);
          continue;
        }
        for (let oh = ohFirst; oh < ohEnd; oh++) {
          const col = base + oh * OW;
          const at = plane + (oh * sH + offH) * W + offW;
          for (let ow = 0; ow < owFirst; ow++) cols[col + ow] = 0;
          if (sW === 1) for (let ow = owFirst; ow < owEnd; ow++) cols[col + ow] = img[at + ow];
          else for (let ow = owFirst; ow < owEnd; ow++) cols[col + ow] = img[at + ow * sW];
          for (let ow = owEnd; ow < OW; ow++) cols[col + ow] = 0;
        }
        cols.fill(0, base + ohEnd * OW, base + L);
      }
    }
  }
}

/** Writes the column matrix of the image at `src[srcOffset ...]` into `cols` (overwriting it). */
export function im2col(
  src: Float32Array,
  srcOffset: number,
  g: ConvGeometry,
  cols: Float32Array,
): void {
  im2colOrBack(src, srcOffset, g, cols, false);
}

/** Adds every entry of the column matrix `cols` into the image cell it was read from. */
export function col2im(
  cols: Float32Array,
  g: ConvGeometry,
  dst: Float32Array,
  dstOffset: number,
): void {
  im2colOrBack(dst, dstOffset, g, cols, true);
}
