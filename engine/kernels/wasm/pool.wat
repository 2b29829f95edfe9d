;; Max and average pooling over [planes, H, W] in WebAssembly, hand-written; assembled into
;; ../poolWasmBinary.ts by scripts/build-wasm.mjs. ../poolWasm.ts copies the operands into this
;; memory (growing it as needed) and back out. Each function gives the bits of the JS loops in
;; ../pool.ts: the same comparisons in the same order for a max, and for an average the same
;; double-precision sums and divisions (JS numbers are doubles) rounded once to float32.
;; Addresses are in bytes; sizes, strides and positions are in elements.
(module
  (memory (export "mem") 1)

  ;; The clipped window start along one dim: the first position ≥ 0 of start + k·dilation.
  (func $clipStart (param $start i32) (param $d i32) (result i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_s (local.get $start) (i32.const 0)))
        (local.set $start (i32.add (local.get $start) (local.get $d)))
        (br $step)))
    (local.get $start))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))

  ;; One max window [$h0, $h1) × [$w0, $w1) of the plane at $plane, stepping $dH, $dW: the value
  ;; at $val, its position h·W + w as a float at $at. NOTE: NaN wins (the last NaN) and ties
  ;; keep the first position, as in ATen; an empty window gives -inf at (h0, w0).
  (func $maxWindow (param $plane i32) (param $W i32) (param $h0 i32) (param $h1 i32) (param $w0 i32)
                   (param $w1 i32) (param $dH i32) (param $dW i32) (param $val i32) (param $at i32)
    (local $best f32) (local $pos i32) (local $h i32) (local $w i32) (local $v f32)
    (local.set $best (f32.const -inf))
    (local.set $pos (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0)))
    (local.set $h (local.get $h0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $h) (local.get $h1)))
        (local.set $w (local.get $w0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_s (local.get $w) (local.get $w1)))
            (local.set $v (f32.load (i32.add (local.get $plane)
              (i32.shl (i32.add (i32.mul (local.get $h) (local.get $W)) (local.get $w)) (i32.const 2)))))
            (if (i32.or (f32.gt (local.get $v) (local.get $best)) (f32.ne (local.get $v) (local.get $v)))
              (then
                (local.set $best (local.get $v))
                (local.set $pos (i32.add (i32.mul (local.get $h) (local.get $W)) (local.get $w)))))
            (local.set $w (i32.add (local.get $w) (local.get $dW)))
            (br $cols)))
        (local.set $h (i32.add (local.get $h) (local.get $dH)))
        (br $rows)))
    (f32.store (local.get $val) (local.get $best))
    (f32.store (local.get $at) (f32.convert_i32_s (local.get $pos))))

;; Four neighbouring max windows of one output row, all inside the row (no clipping along W):
  ;; the first starts at column $w0, the others $sW apart; each lane makes the same comparisons
  ;; in the same order as $maxWindow. The four values under one tap are one load for sW = 1,
  ;; two loads and a shuffle of the even lanes for sW = 2, four loads otherwise (reading up to
  ;; 32 bytes past the last float kept: ../poolWasm.ts leaves that room).
  (func $maxWindows4 (param $plane i32) (param $W i32) (param $h0 i32) (param $h1 i32) (param $w0 i32)
                     (param $kW i32) (param $sW i32) (param $dH i32) (param $dW i32) (param $val i32)
                     (param $at i32)
    (local $best v128) (local $where v128) (local $lanes v128) (local $v v128) (local $m v128)
    (local $h i32) (local $j i32) (local $pos i32) (local $addr i32) (local $sB i32)
    (local.set $sB (i32.shl (local.get $sW) (i32.const 2)))
    (local.set $lanes (i32x4.mul (i32x4.splat (local.get $sW)) (v128.const i32x4 0 1 2 3)))
    (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $where (i32x4.add (i32x4.splat
      (i32.add (i32.mul (local.get $h0) (local.get $W)) (local.get $w0))) (local.get $lanes)))
    (local.set $h (local.get $h0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $h) (local.get $h1)))
        (local.set $pos (i32.add (i32.mul (local.get $h) (local.get $W)) (local.get $w0)))
        (local.set $j (local.get $kW))
        (loop $cols
          (local.set $addr (i32.add (local.get $plane) (i32.shl (local.get $pos) (i32.const 2))))
          (local.set $v
            (if (result v128) (i32.eq (local.get $sW) (i32.const 2))
              (then
                (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                  (v128.load (local.get $addr)) (v128.load offset=16 (local.get $addr))))
              (else
                (if (result v128) (i32.eq (local.get $sW) (i32.const 1))
                  (then (v128.load (local.get $addr)))
                  (else
                    (f32x4.replace_lane 3
                      (f32x4.replace_lane 2
                        (f32x4.replace_lane 1
                          (v128.load32_zero (local.get $addr))
                          (f32.load (i32.add (local.get $addr) (local.get $sB))))
                        (f32.load (i32.add (local.get $addr) (i32.shl (local.get $sB) (i32.const 1)))))
                      (f32.load (i32.add (local.get $addr) (i32.mul (local.get $sB) (i32.const 3))))))))))
          (local.set $m (v128.or (f32x4.gt (local.get $v) (local.get $best))
                                 (f32x4.ne (local.get $v) (local.get $v))))
          (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
          (local.set $where (v128.bitselect
            (i32x4.add (i32x4.splat (local.get $pos)) (local.get $lanes)) (local.get $where) (local.get $m)))
          (local.set $pos (i32.add (local.get $pos) (local.get $dW)))
          (br_if $cols (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $h (i32.add (local.get $h) (local.get $dH)))
        (br $rows)))
    (v128.store (local.get $val) (local.get $best))
    (v128.store (local.get $at) (f32x4.convert_i32x4_s (local.get $where))))

  ;; Max of every window of $planes planes H×W at $x: values to $vals, positions (floats) to
  ;; $idx, OH·OW per plane. Runs of four outputs whose windows lie inside the row go through
  ;; $maxWindows4, the rest (windows clipped by padding or ceil mode) one at a time.
  (func (export "maxPool") (param $x i32) (param $vals i32) (param $idx i32) (param $planes i32)
        (param $H i32) (param $W i32) (param $OH i32) (param $OW i32) (param $kH i32) (param $kW i32)
        (param $sH i32) (param $sW i32) (param $pH i32) (param $pW i32) (param $dH i32) (param $dW i32)
    (local $p i32) (local $oh i32) (local $ow i32) (local $h0 i32) (local $h1 i32) (local $w0 i32)
    (local $span i32) (local $owLo i32) (local $owHi i32) (local $last i32)
    ;; outputs ow in [owLo, owHi) have windows inside the row: ow·sW − pW ≥ 0, ends ≤ W
    (local.set $span (i32.add (i32.mul (i32.sub (local.get $kW) (i32.const 1)) (local.get $dW)) (i32.const 1)))
    (local.set $owLo (call $min (local.get $OW)
      (i32.div_s (i32.add (local.get $pW) (i32.sub (local.get $sW) (i32.const 1))) (local.get $sW))))
    (local.set $last (i32.add (i32.sub (local.get $W) (local.get $span)) (local.get $pW)))
    (local.set $owHi (select (i32.const 0)
      (call $min (local.get $OW) (i32.add (i32.div_s (local.get $last) (local.get $sW)) (i32.const 1)))
      (i32.lt_s (local.get $last) (i32.const 0))))
    (block $planesDone
      (loop $planeLoop
        (br_if $planesDone (i32.ge_s (local.get $p) (local.get $planes)))
        (local.set $oh (i32.const 0))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $OH)))
            (local.set $h0 (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pH)))
            (local.set $h1 (call $min (local.get $H) (i32.add (local.get $h0)
              (i32.add (i32.mul (i32.sub (local.get $kH) (i32.const 1)) (local.get $dH)) (i32.const 1)))))
            (local.set $h0 (call $clipStart (local.get $h0) (local.get $dH)))
            (local.set $ow (i32.const 0))
            (block $colsDone
              (loop $colLoop
                (br_if $colsDone (i32.ge_s (local.get $ow) (local.get $OW)))
                (if (i32.and (i32.ge_s (local.get $ow) (local.get $owLo))
                             (i32.le_s (i32.add (local.get $ow) (i32.const 4)) (local.get $owHi)))
                  (then
                    (call $maxWindows4 (local.get $x) (local.get $W) (local.get $h0) (local.get $h1)
                      (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW))
                      (local.get $kW) (local.get $sW) (local.get $dH) (local.get $dW)
                      (local.get $vals) (local.get $idx))
                    (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
                    (local.set $vals (i32.add (local.get $vals) (i32.const 16)))
                    (local.set $idx (i32.add (local.get $idx) (i32.const 16))))
                  (else
                    (local.set $w0 (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW)))
                    (call $maxWindow (local.get $x) (local.get $W) (local.get $h0) (local.get $h1)
                      (call $clipStart (local.get $w0) (local.get $dW))
                      (call $min (local.get $W) (i32.add (local.get $w0) (local.get $span)))
                      (local.get $dH) (local.get $dW) (local.get $vals) (local.get $idx))
                    (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                    (local.set $vals (i32.add (local.get $vals) (i32.const 4)))
                    (local.set $idx (i32.add (local.get $idx) (i32.const 4)))))
                (br $colLoop)))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $rowLoop)))
        (local.set $x (i32.add (local.get $x) (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $planeLoop))))

  ;; Max pooling's input gradient: $gx (planes·H·W floats, zeroed here) gets every output
  ;; gradient of $g at the position $idx names, in output order (L = OH·OW per plane).
  (func (export "maxPoolBackward") (param $g i32) (param $idx i32) (param $gx i32)
        (param $planes i32) (param $HW i32) (param $L i32)
    (local $p i32) (local $i i32) (local $cell i32) (local $planeBytes i32)
    (local.set $planeBytes (i32.shl (local.get $HW) (i32.const 2)))
    (memory.fill (local.get $gx) (i32.const 0) (i32.mul (local.get $planes) (local.get $planeBytes)))
    (block $planesDone
      (loop $planeLoop
        (br_if $planesDone (i32.ge_s (local.get $p) (local.get $planes)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $cells
            (br_if $done (i32.ge_s (local.get $i) (local.get $L)))
            (local.set $cell (i32.add (local.get $gx)
              (i32.shl (i32.trunc_f32_s (f32.load (local.get $idx))) (i32.const 2))))
            (f32.store (local.get $cell) (f32.add (f32.load (local.get $cell)) (f32.load (local.get $g))))
            (local.set $g (i32.add (local.get $g) (i32.const 4)))
            (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $cells)))
        (local.set $gx (i32.add (local.get $gx) (local.get $planeBytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $planeLoop))))

  ;; Visits every average window as ../pool.ts's forEachAvgWindow: for each output (in order)
  ;; its clipped window and divisor ($override unless NaN, else the padded or clipped size), then
  ;; either sums the window into an output ($forward = 1) or spreads an output's share over it.
  ;; Both in doubles, rounded to float32 on every store, as the JS loops do. Forward sums two
  ;; windows at a time where both lie inside the row; backward goes one output at a time, since
  ;; overlapping windows add into the same cells in output order.
  (func (export "avgPool") (param $forward i32) (param $x i32) (param $out i32) (param $planes i32)
        (param $H i32) (param $W i32) (param $OH i32) (param $OW i32) (param $kH i32) (param $kW i32)
        (param $sH i32) (param $sW i32) (param $pH i32) (param $pW i32) (param $includePad i32)
        (param $override f64)
    (local $p i32) (local $oh i32) (local $ow i32) (local $h0 i32) (local $h1 i32) (local $w0 i32)
    (local $w1 i32) (local $h i32) (local $w i32) (local $size i32) (local $divisor f64) (local $s f64)
    (local $cell i32) (local $planeBytes i32) (local $pair v128) (local $j i32)
    (local.set $planeBytes (i32.shl (i32.mul (local.get $H) (local.get $W)) (i32.const 2)))
    (if (i32.eqz (local.get $forward))
      (then (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $planes) (local.get $planeBytes)))))
    (block $planesDone
      (loop $planeLoop
        (br_if $planesDone (i32.ge_s (local.get $p) (local.get $planes)))
        (local.set $oh (i32.const 0))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $oh) (local.get $OH)))
            (local.set $ow (i32.const 0))
            (block $colsDone
              (loop $colLoop
                (br_if $colsDone (i32.ge_s (local.get $ow) (local.get $OW)))
                (local.set $h0 (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pH)))
                (local.set $w0 (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW)))
                (local.set $h1 (call $min (i32.add (local.get $h0) (local.get $kH)) (i32.add (local.get $H) (local.get $pH))))
                (local.set $w1 (call $min (i32.add (local.get $w0) (local.get $kW)) (i32.add (local.get $W) (local.get $pW))))
                (local.set $size (i32.mul (i32.sub (local.get $h1) (local.get $h0)) (i32.sub (local.get $w1) (local.get $w0))))
                (local.set $h0 (select (local.get $h0) (i32.const 0) (i32.gt_s (local.get $h0) (i32.const 0))))
                (local.set $w0 (select (local.get $w0) (i32.const 0) (i32.gt_s (local.get $w0) (i32.const 0))))
                (local.set $h1 (call $min (local.get $h1) (local.get $H)))
                (local.set $w1 (call $min (local.get $w1) (local.get $W)))
                (if (i32.eqz (local.get $includePad))
                  (then (local.set $size (i32.mul (i32.sub (local.get $h1) (local.get $h0)) (i32.sub (local.get $w1) (local.get $w0))))))
                (local.set $divisor (select (local.get $override) (f64.convert_i32_s (local.get $size))
                  (f64.eq (local.get $override) (local.get $override))))
;; forward, two neighbouring windows inside the row (same rows, same divisor): both sums
                ;; at once in the lanes of an f64x2, each lane adding in the scalar loop's order
                (if (i32.and (i32.and (local.get $forward) (i32.lt_s (i32.add (local.get $ow) (i32.const 1)) (local.get $OW)))
                             (i32.and (i32.ge_s (i32.sub (i32.mul (local.get $ow) (local.get $sW)) (local.get $pW)) (i32.const 0))
                                      (i32.le_s (i32.add (local.get $w0) (i32.add (local.get $sW) (local.get $kW))) (local.get $W))))
                  (then
                    (local.set $pair (v128.const f64x2 0 0))
                    (local.set $h (local.get $h0))
                    (block $pairRowsDone
                      (loop $pairRows
                        (br_if $pairRowsDone (i32.ge_s (local.get $h) (local.get $h1)))
                        (local.set $cell (i32.add (local.get $x)
                          (i32.shl (i32.add (i32.mul (local.get $h) (local.get $W)) (local.get $w0)) (i32.const 2))))
                        (local.set $j (local.get $kW))
                        (loop $pairCols
                          (local.set $pair (f64x2.add (local.get $pair) (f64x2.promote_low_f32x4
                            (f32x4.replace_lane 1 (v128.load32_zero (local.get $cell))
                              (f32.load (i32.add (local.get $cell) (i32.shl (local.get $sW) (i32.const 2))))))))
                          (local.set $cell (i32.add (local.get $cell) (i32.const 4)))
                          (br_if $pairCols (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
                        (local.set $h (i32.add (local.get $h) (i32.const 1)))
                        (br $pairRows)))
                    (v128.store64_lane 0 (local.get $out) (f32x4.demote_f64x2_zero
                      (f64x2.div (local.get $pair) (f64x2.splat (local.get $divisor)))))
                    (local.set $out (i32.add (local.get $out) (i32.const 8)))
                    (local.set $ow (i32.add (local.get $ow) (i32.const 2)))
                    (br $colLoop)))
                (if (local.get $forward)
                  (then (local.set $s (f64.const 0)))
                  (else (local.set $s (f64.div (f64.promote_f32 (f32.load (local.get $x))) (local.get $divisor)))))
                (local.set $h (local.get $h0))
                (block $winRowsDone
                  (loop $winRows
                    (br_if $winRowsDone (i32.ge_s (local.get $h) (local.get $h1)))
                    (local.set $w (local.get $w0))
                    (block $winColsDone
                      (loop $winCols
                        (br_if $winColsDone (i32.ge_s (local.get $w) (local.get $w1)))
                        (local.set $cell (i32.shl (i32.add (i32.mul (local.get $h) (local.get $W)) (local.get $w)) (i32.const 2)))
                        (if (local.get $forward)
                          (then (local.set $s (f64.add (local.get $s)
                            (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $cell)))))))
                          (else
                            (local.set $cell (i32.add (local.get $out) (local.get $cell)))
                            (f32.store (local.get $cell) (f32.demote_f64 (f64.add
                              (f64.promote_f32 (f32.load (local.get $cell))) (local.get $s))))))
                        (local.set $w (i32.add (local.get $w) (i32.const 1)))
                        (br $winCols)))
                    (local.set $h (i32.add (local.get $h) (i32.const 1)))
                    (br $winRows)))
                (if (local.get $forward)
                  (then
                    (f32.store (local.get $out) (f32.demote_f64 (f64.div (local.get $s) (local.get $divisor))))
                    (local.set $out (i32.add (local.get $out) (i32.const 4))))
                  (else (local.set $x (i32.add (local.get $x) (i32.const 4)))))
                (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                (br $colLoop)))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $rowLoop)))
        ;; forward: $x walks the planes of the input; backward: $out walks those of the gradient
        (if (local.get $forward)
          (then (local.set $x (i32.add (local.get $x) (local.get $planeBytes))))
          (else (local.set $out (i32.add (local.get $out) (local.get $planeBytes)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $planeLoop))))
)
