/**
 * The kernel calls that kernel threads split (kernelThreads.ts), each as "run slice i of s":
 * the same function runs on the caller and on the helpers (kernelHelper.ts), on instances of
 * the same WebAssembly build on one shared memory. A slice covers whole units (8-column panels,
 * 8-position tiles, 4-tap quads) and computes each output element exactly as the unsplit call
 * does, so any split gives the same bits. Addresses and strides are in bytes, as the modules
 * take them.
 */

/** A kernel instance's exports. */
export type JobExports = Record<string, unknown>;
/** A job's arguments (in the control block on a helper). */
export type JobArgs = ArrayLike<number>;
type Job = (ex: JobExports, a: JobArgs, slice: number, slices: number) => void;

/** Job numbers, as the control block carries them. */
export const JobKind = { GemmBlock: 1, ConvForward: 2, ConvWeightGrad: 3 } as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** Which module each job runs on. */
export const JOB_MODULE: Record<JobKind, "gemm" | "conv"> = {
  [JobKind.GemmBlock]: "gemm",
  [JobKind.ConvForward]: "conv",
  [JobKind.ConvWeightGrad]: "conv",
};

/** The first unit of slice i of s over n units (slices differ by at most one unit). */
const first = (n: number, i: number, s: number) => Math.floor((n * i) / s);

type Fn = (...args: number[]) => void;

/**
 * gemm.wat's `block`, args [mc, nc, kc, a, ars, aks, aStep, b, bks, bStep, c, ldc, add]; a
 * slice is a run of its 8-column panels of B and C.
 */
function gemmBlock(ex: JobExports, a: JobArgs, slice: number, slices: number): void {
  const panels = a[1] / 8;
  const [p0, p1] = [first(panels, slice, slices), first(panels, slice + 1, slices)];
  if (p1 === p0) return;
  const [bStep, c] = [a[9], a[10]];
  (ex.block as Fn)(a[0], (p1 - p0) * 8, a[2], a[3], a[4], a[5], a[6], a[7] + p0 * bStep, a[8], bStep, c + p0 * 32, a[11], a[12]); // prettier-ignore
}

/**
 * conv.wat's `forward`, args [rows, tiles, mq, K, a, offs, x, xRow, c, ldc, cRow, bias]; a
 * slice is a run of its 8-position tiles in every row.
 */
function convForward(ex: JobExports, a: JobArgs, slice: number, slices: number): void {
  const tiles = a[1];
  const [t0, t1] = [first(tiles, slice, slices), first(tiles, slice + 1, slices)];
  if (t1 === t0) return;
  (ex.forward as Fn)(a[0], t1 - t0, a[2], a[3], a[4], a[5], a[6] + t0 * 32, a[7], a[8] + t0 * 32, a[9], a[10], a[11]); // prettier-ignore
}

/**
 * A conv's weight gradient over every output row: conv.wat's `wgrad` for each chunk of `chunk`
 * rows and each panel of 8 channels, args [quads, offs, x, xRow, ow, oh, chunk, panels, g,
 * channels (a multiple of 8), K4 (taps, a multiple of 4)]. A slice is a run of 4-tap quads (its
 * own part of G), summed over the chunks in the same order as the whole.
 */
function convWeightGrad(ex: JobExports, a: JobArgs, slice: number, slices: number): void {
  const [quads, offs, x, xRow, ow, oh, chunk, panels, g, channels, K4] = Array.from(a);
  const [q0, q1] = [first(quads, slice, slices), first(quads, slice + 1, slices)];
  if (q1 === q0) return;
  const wgrad = ex.wgrad as Fn;
  const L = oh * ow;
  for (let r0 = 0; r0 < oh; r0 += chunk) {
    const rows = Math.min(chunk, oh - r0);
    for (let q = 0; q < channels; q += 8) {
      const panel = panels + (q * L + r0 * ow * 8) * 4;
      wgrad(
        q1 - q0,
        offs + q0 * 16,
        x + r0 * xRow,
        rows,
        ow,
        xRow,
        panel,
        g + q * K4 * 4 + q0 * 128,
      );
    }
  }
}

export const JOBS: Record<JobKind, Job> = {
  [JobKind.GemmBlock]: gemmBlock,
  [JobKind.ConvForward]: convForward,
  [JobKind.ConvWeightGrad]: convWeightGrad,
};
