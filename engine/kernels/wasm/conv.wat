;; Convolution as an implicit GEMM in WebAssembly SIMD (128-bit), hand-written; assembled into
;; ../convWasmBinary.ts by scripts/build-wasm.mjs (also as a relaxed-SIMD variant, where every
;; `c + a·b` on locals becomes one fused multiply-add). ../convWasm.ts lays the operands out in
;; this memory and drives it; all addresses and strides here are in bytes.
;;
;; The image is copied in once, zero-padded and, for a stride s along W, split into s phases
;; (columns w ≡ r mod s side by side), so that the input values under one kernel tap for 8
;; neighbouring output positions of a row are 8 adjacent floats. A kernel tap k = (c, i, j) is
;; then just an offset into that copy (a table of them, offs[k]): no column matrix is ever
;; written, and the micro-kernel reads its B operand straight from the image.
(module
  (memory (export "mem") 16)

  ;; C[4×8] at $c (rows $ldc apart) = bias(i) + Σ_k A(i, k)·X[$x + offs[k] .. +7] over $K ≥ 1
  ;; taps, A as a 4-row panel (A(i, k) at $a + 16k + 4i), bias(i) at $bias + 4i. Eight f32x4
  ;; accumulators, as in gemm.wat's tile.
  (func $tile (param $K i32) (param $a i32) (param $offs i32) (param $x i32) (param $c i32) (param $ldc i32)
              (param $bias i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128) (local $p i32)
    (local.set $c00 (v128.load32_splat (local.get $bias)))
    (local.set $c01 (local.get $c00))
    (local.set $c10 (v128.load32_splat offset=4 (local.get $bias)))
    (local.set $c11 (local.get $c10))
    (local.set $c20 (v128.load32_splat offset=8 (local.get $bias)))
    (local.set $c21 (local.get $c20))
    (local.set $c30 (v128.load32_splat offset=12 (local.get $bias)))
    (local.set $c31 (local.get $c30))
    (loop $k
      (local.set $p (i32.add (local.get $x) (i32.load (local.get $offs))))
      (local.set $b0 (v128.load (local.get $p)))
      (local.set $b1 (v128.load offset=16 (local.get $p)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat offset=4 (local.get $a)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat offset=8 (local.get $a)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat offset=12 (local.get $a)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $offs (i32.add (local.get $offs) (i32.const 4)))
      (br_if $k (local.tee $K (i32.sub (local.get $K) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; The forward pass over $rows output rows of $tiles 8-wide tiles, for $mq panels of 4 output
  ;; channels (panel q at $a + q·$K·16, its biases at $bias + 16q, its C rows at $c + 4q·$ldc). Row r of the grid reads the
  ;; image from $x + r·$xRow and writes C at + r·$cRow. Tiles outer, channels inner: the taps of
  ;; one tile (≤ K cache lines) stay in L1 while every channel panel passes over them.
  (func (export "forward") (param $rows i32) (param $tiles i32) (param $mq i32) (param $K i32)
        (param $a i32) (param $offs i32) (param $x i32) (param $xRow i32)
        (param $c i32) (param $ldc i32) (param $cRow i32) (param $bias i32)
    (local $t i32) (local $q i32) (local $xt i32) (local $ct i32)
    (local $aStep i32) (local $cStep i32)
    (local.set $aStep (i32.shl (local.get $K) (i32.const 4)))
    (local.set $cStep (i32.shl (local.get $ldc) (i32.const 2)))
    (loop $rowLoop
      (local.set $t (i32.const 0))
      (loop $tileLoop
        (local.set $xt (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 5))))
        (local.set $ct (i32.add (local.get $c) (i32.shl (local.get $t) (i32.const 5))))
        (local.set $q (i32.const 0))
        (loop $panelLoop
          (call $tile (local.get $K)
                      (i32.add (local.get $a) (i32.mul (local.get $q) (local.get $aStep)))
                      (local.get $offs) (local.get $xt)
                      (i32.add (local.get $ct) (i32.mul (local.get $q) (local.get $cStep)))
                      (local.get $ldc)
                      (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 4))))
          (br_if $panelLoop (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $mq))))
        (br_if $tileLoop (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $tiles))))
      (local.set $x (i32.add (local.get $x) (local.get $xRow)))
      (local.set $c (i32.add (local.get $c) (local.get $cRow)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; The weight gradient: for each of $quads groups of 4 taps (offsets offs[4q..4q+3]),
  ;; G[4q+i][0..7] += Σ over $rows grid rows of $ow positions p of X[x_i + p] · D[p][0..7], where
  ;; x_i = $x + offs[4q+i] + row·$xRow and D is 8 output channels' gradients, position-major
  ;; (made by $pack8 below), $ow·32 bytes per row. G is [4·quads][8] at $g.
  (func (export "wgrad") (param $quads i32) (param $offs i32) (param $x i32) (param $rows i32)
        (param $ow i32) (param $xRow i32) (param $d i32) (param $g i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $r i32) (local $p i32) (local $end i32) (local $dp i32)
    (loop $quadLoop
      (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
      (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
      (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
      (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
      (local.set $x0 (i32.add (local.get $x) (i32.load (local.get $offs))))
      (local.set $x1 (i32.add (local.get $x) (i32.load offset=4 (local.get $offs))))
      (local.set $x2 (i32.add (local.get $x) (i32.load offset=8 (local.get $offs))))
      (local.set $x3 (i32.add (local.get $x) (i32.load offset=12 (local.get $offs))))
      (local.set $dp (local.get $d))
      (local.set $r (local.get $rows))
      (loop $rowLoop
        (local.set $p (i32.const 0))
        (local.set $end (i32.shl (local.get $ow) (i32.const 2)))
        (loop $posLoop
          (local.set $b0 (v128.load (local.get $dp)))
          (local.set $b1 (v128.load offset=16 (local.get $dp)))
          (local.set $s (v128.load32_splat (i32.add (local.get $x0) (local.get $p))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $x1) (local.get $p))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $x2) (local.get $p))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $s (v128.load32_splat (i32.add (local.get $x3) (local.get $p))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
          (local.set $dp (i32.add (local.get $dp) (i32.const 32)))
          (br_if $posLoop (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
        (local.set $x0 (i32.add (local.get $x0) (local.get $xRow)))
        (local.set $x1 (i32.add (local.get $x1) (local.get $xRow)))
        (local.set $x2 (i32.add (local.get $x2) (local.get $xRow)))
        (local.set $x3 (i32.add (local.get $x3) (local.get $xRow)))
        (br_if $rowLoop (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
      ;; G += the sums (G starts at zero, so the first chunk's sum overwrites nothing that matters)
      (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (local.get $c00)))
      (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (local.get $c01)))
      (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (local.get $c10)))
      (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (local.get $c11)))
      (v128.store offset=64 (local.get $g) (f32x4.add (v128.load offset=64 (local.get $g)) (local.get $c20)))
      (v128.store offset=80 (local.get $g) (f32x4.add (v128.load offset=80 (local.get $g)) (local.get $c21)))
      (v128.store offset=96 (local.get $g) (f32x4.add (v128.load offset=96 (local.get $g)) (local.get $c30)))
      (v128.store offset=112 (local.get $g) (f32x4.add (v128.load offset=112 (local.get $g)) (local.get $c31)))
      (local.set $g (i32.add (local.get $g) (i32.const 128)))
      (local.set $offs (i32.add (local.get $offs) (i32.const 16)))
      (br_if $quadLoop (local.tee $quads (i32.sub (local.get $quads) (i32.const 1))))))

  ;; Position-major panels of 8 channels: dst[p][0..7] = src[(j..j+7)·$sj + p·4] for $n positions
  ;; (the 8 channel rows of a gradient, $sj bytes apart, read along their positions).
  (func (export "pack8") (param $src i32) (param $sj i32) (param $n i32) (param $dst i32)
    (local $s i32) (local $back i32)
    (local.set $back (i32.sub (i32.const 4) (i32.mul (local.get $sj) (i32.const 7))))
    (local.set $s (local.get $src))
    (loop $ps
      (f32.store (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=4 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=8 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=12 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=16 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=20 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=24 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $sj)))
      (f32.store offset=28 (local.get $dst) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $back)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br_if $ps (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
;; $rows rows of $n ≥ 1 floats from $src to $dst, rows $ss and $ds bytes apart: four floats at a
  ;; time, then one at a time, so nothing past a row's $n floats is written (the image's
  ;; padding stays zero; C's padded columns are left behind).
  (func (export "copyRows") (param $src i32) (param $ss i32) (param $dst i32) (param $ds i32)
                            (param $rows i32) (param $n i32)
    (local $i i32) (local $body i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $body (i32.and (local.get $end) (i32.const -16)))
    (loop $rowLoop
      (local.set $i (i32.const 0))
      (block $vectorsDone
        (br_if $vectorsDone (i32.eqz (local.get $body)))
        (loop $vectors
          (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $src) (local.get $i))))
          (br_if $vectors (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $body)))))
      (block $tailDone
        (loop $tail
          (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
          (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $src) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $tail)))
      (local.set $src (i32.add (local.get $src) (local.get $ss)))
      (local.set $dst (i32.add (local.get $dst) (local.get $ds)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; One image row of $n ≥ 1 floats at $src into the $s phases of a padded row at $dst (phases
  ;; $phase bytes apart): value w goes to phase (w + $pad) mod $s, place ⌊(w + $pad)/$s⌋.
  (func (export "splitRow") (param $src i32) (param $n i32) (param $s i32) (param $pad i32)
                            (param $dst i32) (param $phase i32)
    (local $r i32) (local $at i32) (local $end i32)
    (local.set $r (i32.rem_u (local.get $pad) (local.get $s)))
    (local.set $at (i32.add (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $phase)))
                            (i32.shl (i32.div_u (local.get $pad) (local.get $s)) (i32.const 2))))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (loop $values
      (f32.store (local.get $at) (f32.load (local.get $src)))
      (if (i32.eq (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $s))
        (then
          ;; back to phase 0, one place further
          (local.set $r (i32.const 0))
          (local.set $at (i32.add (i32.sub (local.get $at) (i32.mul (i32.sub (local.get $s) (i32.const 1)) (local.get $phase))) (i32.const 4))))
        (else (local.set $at (i32.add (local.get $at) (local.get $phase)))))
      (br_if $values (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 4))) (local.get $end)))))
  ;; Depthwise forward, one channel: C[r][16t .. 16t+15] = bias + Σ_k w[k]·X[$x + r·$xRow + offs[k]
  ;; + 64t ..] for $rows rows of $tiles 16-wide tiles (rows $cRow bytes apart in C). One plane per
  ;; channel, so no tile of channels shares its B: sixteen positions of one channel per tile.
  (func (export "dwForward") (param $rows i32) (param $tiles i32) (param $K i32) (param $w i32)
        (param $offs i32) (param $x i32) (param $xRow i32) (param $c i32) (param $cRow i32) (param $bias i32)
    (local $t i32) (local $k i32) (local $p i32) (local $xt i32) (local $ct i32) (local $wp i32) (local $op i32)
    (local $s v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (loop $rowLoop
      (local.set $t (i32.const 0))
      (loop $tileLoop
        (local.set $xt (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 6))))
        (local.set $a0 (v128.load32_splat (local.get $bias)))
        (local.set $a1 (local.get $a0))
        (local.set $a2 (local.get $a0))
        (local.set $a3 (local.get $a0))
        (local.set $wp (local.get $w))
        (local.set $op (local.get $offs))
        (local.set $k (local.get $K))
        (loop $taps
          (local.set $p (i32.add (local.get $xt) (i32.load (local.get $op))))
          (local.set $s (v128.load32_splat (local.get $wp)))
          (local.set $v0 (v128.load (local.get $p)))
          (local.set $v1 (v128.load offset=16 (local.get $p)))
          (local.set $v2 (v128.load offset=32 (local.get $p)))
          (local.set $v3 (v128.load offset=48 (local.get $p)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $v0))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $v1))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $v2))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $v3))))
          (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
          (local.set $op (i32.add (local.get $op) (i32.const 4)))
          (br_if $taps (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
        (local.set $ct (i32.add (local.get $c) (i32.shl (local.get $t) (i32.const 6))))
        (v128.store (local.get $ct) (local.get $a0))
        (v128.store offset=16 (local.get $ct) (local.get $a1))
        (v128.store offset=32 (local.get $ct) (local.get $a2))
        (v128.store offset=48 (local.get $ct) (local.get $a3))
        (br_if $tileLoop (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $tiles))))
      (local.set $x (i32.add (local.get $x) (local.get $xRow)))
      (local.set $c (i32.add (local.get $c) (local.get $cRow)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; Depthwise weight gradient for four neighbouring taps of one kernel row (stride and dilation 1
  ;; along W, so they are four adjacent floats): G[0..3] += Σ over $rows rows of $ow positions p of
  ;; D[p]·X[$x + row·$xRow + 4p .. +3]; D compact ($ow floats a row). Lanes past the kernel's
  ;; width sum whatever lies there and are never read.
  (func (export "dwWgrad") (param $rows i32) (param $ow i32) (param $x i32) (param $xRow i32)
        (param $d i32) (param $g i32)
    (local $p i32) (local $end i32) (local $s v128) (local $v v128) (local $a v128)
    (local.set $end (i32.shl (local.get $ow) (i32.const 2)))
    (loop $rowLoop
      (local.set $p (i32.const 0))
      (loop $posLoop
        (local.set $s (v128.load32_splat (local.get $d)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $p))))
        (local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $s) (local.get $v))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br_if $posLoop (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end))))
      (local.set $x (i32.add (local.get $x) (local.get $xRow)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (local.get $a))))
)
