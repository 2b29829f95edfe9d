;; The GEMM micro-kernel in WebAssembly SIMD (128-bit), hand-written; assembled into
;; ../gemmWasmBinary.ts by scripts/build-wasm.mjs. ../gemmWasm.ts copies the operands into
;; this memory and drives it; all addresses and strides here are in bytes.
;;
;; A 4×8 tile of C is eight f32x4 accumulators (two per row). Each k step loads 8 values of B
;; (two vectors), splats the 4 values of A one at a time and does 8 multiplies and 8 adds:
;; 8 accumulators + 2 B vectors + 1 splat + 1 product fit x64's 16 XMM registers (6×8 spills).
;; A is read through strides, so it needs no packing: row-major rows (stride kc) or, for a
;; transposed A, columns (stride 4). B is read 8 contiguous floats per k: rows of a copied
;; row-major block, or micro-panels made by $pack8 from a transposed B.
(module
  (memory (export "mem") 40)

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
  ;; (rows and columns past the real edge hold leftovers and are never copied out). $bStep is
  ;; the distance from columns j..j+7 of B to j+8..j+15. B's columns outermost, so the 8 columns
  ;; being used stay in L1 while A streams past them.
  (func (export "block") (param $mc i32) (param $nc i32) (param $kc i32)
        (param $a i32) (param $ars i32) (param $aks i32) (param $b i32) (param $bks i32)
        (param $bStep i32) (param $c i32) (param $ldc i32) (param $add i32)
    (local $j i32) (local $i i32) (local $ar i32) (local $cr i32) (local $aStep i32) (local $cStep i32)
    (local.set $aStep (i32.shl (local.get $ars) (i32.const 2)))
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

  ;; Micro-panels of 8 columns from a transposed B: rows j of $src (stride $ld) run along k;
  ;; dst[panel][k][0..7] = src[j..j+7][k], for $n columns (a multiple of 8) and $kc values of k.
  (func (export "pack8") (param $src i32) (param $ld i32) (param $n i32) (param $kc i32) (param $dst i32)
    (local $j i32) (local $k i32) (local $s i32)
    (loop $panels
      (local.set $s (local.get $src))
      (local.set $k (local.get $kc))
      (loop $ks
        (f32.store (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=4 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=8 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=12 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=16 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=20 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=24 (local.get $dst) (f32.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ld)))
        (f32.store offset=28 (local.get $dst) (f32.load (local.get $s)))
        ;; back to row j, one k further
        (local.set $s (i32.add (i32.sub (local.get $s) (i32.mul (local.get $ld) (i32.const 7))) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br_if $ks (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $ld) (i32.const 3))))
      (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))
)
