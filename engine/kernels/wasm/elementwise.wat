;; Elementwise loops on whole arrays in WebAssembly SIMD (128-bit), hand-written; assembled into
;; ../elementwiseWasmBinary.ts by scripts/build-wasm.mjs. ../elementwiseWasm.ts copies operands
;; into this memory in chunks (memcpy) and back out: a JS loop over a Float32Array widens every
;; value to a double and back, four to five times slower than the copies and one vector add.
;; Addresses are in bytes.
(module
  (memory (export "mem") 8)

  ;; dst[i] += src[i] for $n floats (the first 4·⌊$n/4⌋ four at a time, then one at a time)
  (func (export "addInto") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $body i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $body (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $dst) (local.get $body)))
      (loop $vectors
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $body)))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $tail))))
;; dst[i] = src[i] ≤ 0 ? 0 : src[i] for $n floats, $n a multiple of 4 (the caller pads): the
  ;; mask of x ≤ 0 is false for NaN, so NaN passes, and -0 becomes +0, as the JS loop does.
  (func (export "relu") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $vectors
        (local.set $v (v128.load (local.get $src)))
        (v128.store (local.get $dst)
          (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))))

  ;; relu's input gradient, dst[i] = g[i] · (y[i] ≤ 0 ? 0 : 1) for $n floats ($n a multiple of
  ;; 4): a product, not a select, so that 0·NaN and 0·∞ stay NaN as in the JS loop.
  (func (export "reluBackward") (param $dst i32) (param $g i32) (param $y i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $dst)
          (f32x4.mul (v128.load (local.get $g))
            (v128.andnot (v128.const f32x4 1 1 1 1)
              (f32x4.le (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0)))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $dst (i32.add (local.get $dst) (i32.const 16))) (local.get $end))))))
)
