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
)
