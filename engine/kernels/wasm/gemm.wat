;; The GEMM micro-kernel in WebAssembly SIMD (128-bit), hand-written; assembled into
;; ../gemmWasmBinary.ts by scripts/build-wasm.mjs. ../gemmWasm.ts copies the operands into
;; this memory and drives it; all addresses and strides here are in bytes.
;;
;; A 4×8 tile of C is eight f32x4 accumulators (two per row). Each k step loads 8 values of B
;; (two vectors), splats the 4 values of A one at a time and does 8 multiplies and 8 adds:
;; 8 accumulators + 2 B vectors + 1 splat + 1 product fit x64's 16 XMM registers (6×8 spills).
;; A is read through strides: its rows as copied (stride kc) or, transposed, 4-row panels
;; made by $pack4 (its columns as copied are a cache line per k apart). B is read as 8 contiguous floats per k from micro-panels
;; that $pack8 makes from B's rows or, transposed, its columns.
(module
  (memory (export "mem") 44)

  ;; C[4×8] at $c (row stride $ldc) = ($add ? C : 0) + Σ_k A(i,k)·B(k,j) over $kc ≥ 1 steps,
  ;; A(i,k) at $a + i·$ars + k·$aks, B(k,j..j+7) at $b + k·$bks.
  (func $tile (param $kc i32) (param $a i32) (param $ars i32) (param $aks i32)
              (param $b i32) (param $bks i32) (param $c i32) (param $ldc i32) (param $add i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128) (local $r2 i32) (local $r3 i32)
    (local.set $r2 (i32.add (local.get $ars) (local.get $ars)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $ars)))
    (loop $k
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (i32.add (local.get $a) (local.get $ars))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (i32.add (local.get $a) (local.get $r2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (i32.add (local.get $a) (local.get $r3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $aks)))
      (local.set $b (i32.add (local.get $b) (local.get $bks)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (if (local.get $add)
      (then
        ;; C = C + Σ (never 0·C + Σ: the first slice must overwrite a C that may hold NaN)
        (local.set $c00 (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (local.set $c01 (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $r2 (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c10 (f32x4.add (v128.load (local.get $r2)) (local.get $c10)))
        (local.set $c11 (f32x4.add (v128.load offset=16 (local.get $r2)) (local.get $c11)))
        (local.set $r2 (i32.add (local.get $r2) (local.get $ldc)))
        (local.set $c20 (f32x4.add (v128.load (local.get $r2)) (local.get $c20)))
        (local.set $c21 (f32x4.add (v128.load offset=16 (local.get $r2)) (local.get $c21)))
        (local.set $r2 (i32.add (local.get $r2) (local.get $ldc)))
        (local.set $c30 (f32x4.add (v128.load (local.get $r2)) (local.get $c30)))
        (local.set $c31 (f32x4.add (v128.load offset=16 (local.get $r2)) (local.get $c31)))))
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

  ;; The macro-kernel: C[mc×nc] (row stride $ldc) (+)= A·B for mc a multiple of 4 and nc of 8
  ;; (rows and columns past the real edge hold leftovers and are never copied out). $aStep is
  ;; the distance from rows i..i+3 of A to i+4..i+7, $bStep from columns j..j+7 of B to j+8.. B's columns outermost, so the 8 columns
  ;; being used stay in L1 while A streams past them.
  (func (export "block") (param $mc i32) (param $nc i32) (param $kc i32)
        (param $a i32) (param $ars i32) (param $aks i32) (param $aStep i32) (param $b i32) (param $bks i32)
        (param $bStep i32) (param $c i32) (param $ldc i32) (param $add i32)
    (local $j i32) (local $i i32) (local $ar i32) (local $cr i32) (local $cStep i32)
    (local.set $cStep (i32.shl (local.get $ldc) (i32.const 2)))
    (loop $cols
      (local.set $i (i32.const 0))
      (local.set $ar (local.get $a))
      (local.set $cr (local.get $c))
      (loop $rows
        (call $tile (local.get $kc) (local.get $ar) (local.get $ars) (local.get $aks)
                    (local.get $b) (local.get $bks) (local.get $cr) (local.get $ldc) (local.get $add))
        (local.set $ar (i32.add (local.get $ar) (local.get $aStep)))
        (local.set $cr (i32.add (local.get $cr) (local.get $cStep)))
        (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $mc))))
      (local.set $b (i32.add (local.get $b) (local.get $bStep)))
      (local.set $c (i32.add (local.get $c) (i32.const 32)))
      (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $nc)))))

;; Micro-panels of 8 columns of B: dst[panel][k][0..7] = B(j..j+7, k) for $n columns (a
  ;; multiple of 8) and $kc values of k, where B(j, k) is at $src + j·$sj + k·$sk. Even when
  ;; B's rows are already 8 adjacent floats, a panel keeps the kernel's walk down k within a
  ;; few pages (rows of a wide B are a page or more apart).
  (func (export "pack8") (param $src i32) (param $sj i32) (param $sk i32) (param $n i32) (param $kc i32)
                         (param $dst i32)
    (local $j i32) (local $k i32) (local $s i32) (local $back i32)
    (local.set $back (i32.sub (local.get $sk) (i32.mul (local.get $sj) (i32.const 7))))
    (loop $panels
      (local.set $s (local.get $src))
      (local.set $k (local.get $kc))
      (loop $ks
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
        ;; back to column j, one k further
        (local.set $s (i32.add (local.get $s) (local.get $back)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br_if $ks (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $sj) (i32.const 3))))
      (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))

;; $pack8 where B's 8 columns are adjacent ($sj = 4): two vector copies per k.
  (func (export "pack8rows") (param $src i32) (param $sk i32) (param $n i32) (param $kc i32) (param $dst i32)
    (local $j i32) (local $k i32) (local $s i32)
    (loop $panels
      (local.set $s (local.get $src))
      (local.set $k (local.get $kc))
      (loop $ks
        (v128.store (local.get $dst) (v128.load (local.get $s)))
        (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $sk)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br_if $ks (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (i32.const 32)))
      (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))

    ;; Micro-panels of 4 rows of a transposed A, as $pack8 does for B: dst[panel][k][0..3] =
  ;; A(i..i+3, k) for $m rows (a multiple of 4), A(i, k) at $src + i·$si + k·$sk.
  (func (export "pack4") (param $src i32) (param $si i32) (param $sk i32) (param $m i32) (param $kc i32)
                         (param $dst i32)
    (local $i i32) (local $k i32) (local $s i32) (local $back i32)
    (local.set $back (i32.sub (local.get $sk) (i32.mul (local.get $si) (i32.const 3))))
    (loop $panels
      (local.set $s (local.get $src))
      (local.set $k (local.get $kc))
      (loop $ks
        (f32.store (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $si)))
        (f32.store offset=4 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $si)))
        (f32.store offset=8 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $si)))
        (f32.store offset=12 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $back)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br_if $ks (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $si) (i32.const 2))))
      (br_if $panels (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $m)))))

  ;; y[j] (+)= Σ_k x[k]·W[j][k] for j < $n (a multiple of 4) and k < $k4 (a multiple of 4; the
  ;; copies are zero-padded): four rows of W at a time, each a dot product in f32x4 lanes.
  (func (export "dots") (param $n i32) (param $k4 i32) (param $x i32) (param $w i32) (param $ldw i32)
                        (param $y i32) (param $add i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local $j i32) (local $k i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $r v128)
    (loop $rows
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $w1 (i32.add (local.get $w) (local.get $ldw)))
      (local.set $w2 (i32.add (local.get $w1) (local.get $ldw)))
      (local.set $w3 (i32.add (local.get $w2) (local.get $ldw)))
      (local.set $k (i32.const 0))
      (loop $ks
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $k))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $w) (local.get $k))))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $w1) (local.get $k))))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $w2) (local.get $k))))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load (i32.add (local.get $w3) (local.get $k))))))
        (br_if $ks (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (i32.shl (local.get $k4) (i32.const 2)))))
      ;; the four horizontal sums as one vector: transpose the 4×4 block of lanes, then add rows
      (local.set $xv (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
      (local.set $a1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
      (local.set $a0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
      (local.set $a3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
      ;; xv = [s0a s1a s0b s1b], a1 = [s0c s1c s0d s1d], a0 = [s2a s3a s2b s3b], a3 = [s2c ...]
      (local.set $xv (f32x4.add (local.get $xv) (local.get $a1)))
      (local.set $a0 (f32x4.add (local.get $a0) (local.get $a3)))
      (local.set $r (f32x4.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $xv) (local.get $a0))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $xv) (local.get $a0))))
      (if (local.get $add) (then (local.set $r (f32x4.add (v128.load (local.get $y)) (local.get $r)))))
      (v128.store (local.get $y) (local.get $r))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $w (i32.add (local.get $w3) (local.get $ldw)))
      (br_if $rows (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $n)))))

  ;; y[j] (+)= Σ_k x[k]·W[k][j] for k < $kc ≥ 1 and j < $n (a multiple of 16): sixteen columns
  ;; at a time, four independent accumulators so the adds do not wait on each other.
  (func (export "axpys") (param $n i32) (param $kc i32) (param $x i32) (param $w i32) (param $ldw i32)
                         (param $y i32) (param $add i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s v128)
    (local $j i32) (local $k i32) (local $p i32) (local $q i32)
    (loop $cols
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $p (local.get $x))
      (local.set $q (local.get $w))
      (local.set $k (local.get $kc))
      (loop $ks
        (local.set $s (v128.load32_splat (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load (local.get $q)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $q)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $q)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (local.get $ldw)))
        (br_if $ks (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (if (local.get $add)
        (then
          (local.set $a0 (f32x4.add (v128.load (local.get $y)) (local.get $a0)))
          (local.set $a1 (f32x4.add (v128.load offset=16 (local.get $y)) (local.get $a1)))
          (local.set $a2 (f32x4.add (v128.load offset=32 (local.get $y)) (local.get $a2)))
          (local.set $a3 (f32x4.add (v128.load offset=48 (local.get $y)) (local.get $a3)))))
      (v128.store (local.get $y) (local.get $a0))
      (v128.store offset=16 (local.get $y) (local.get $a1))
      (v128.store offset=32 (local.get $y) (local.get $a2))
      (v128.store offset=48 (local.get $y) (local.get $a3))
      (local.set $y (i32.add (local.get $y) (i32.const 64)))
      (local.set $w (i32.add (local.get $w) (i32.const 64)))
      (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $n)))))

  ;; C[i][j] (+)= a[i]·b[j] (the K = 1 product) for i < $m, j < $n4 (a multiple of 4), rows
  ;; $ldc apart.
  (func (export "outer") (param $m i32) (param $n4 i32) (param $a i32) (param $b i32) (param $c i32)
                         (param $ldc i32) (param $add i32)
    (local $s v128) (local $j i32) (local $r v128) (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $m) (i32.const 2))))
    (loop $rows
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $r (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $b) (local.get $j)))))
        (if (local.get $add)
          (then (local.set $r (f32x4.add (v128.load (i32.add (local.get $c) (local.get $j))) (local.get $r)))))
        (v128.store (i32.add (local.get $c) (local.get $j)) (local.get $r))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.shl (local.get $n4) (i32.const 2)))))
      (local.set $c (i32.add (local.get $c) (local.get $ldc)))
      (br_if $rows (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 4))) (local.get $end)))))
)
