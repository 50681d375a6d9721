;; The row loops of BenchPred's PCA imputation (imputePca in src/pca.ts) in WebAssembly with SIMD.
;; Assembled by the repository's scripts/build-wasm.mjs (wabt) into src/pca-wasm.ts; the TypeScript
;; loops stay the reference and the fallback, and the tests check that both give the same filled
;; matrix bit for bit.
;;
;; Every function works element by element along a row of n doubles: element j of the result is
;; computed from element j of the inputs with the TypeScript loop's operations in its order, and
;; SIMD only puts two neighbouring elements side by side (no sum is reassociated; wasm's f64
;; arithmetic is IEEE 754 with round-to-nearest and no fused multiply-add, as JavaScript's).
;; Pointers are byte offsets into the imported memory, 8-byte aligned (rows of odd length are not
;; 16-byte aligned: loads and stores say align=8).
;;
;; qtz4(bt, z0, z1, z2, z3, q0, q1, q2, q3, n): bt[j] = bt[j] + q0·z0[j] + q1·z1[j] + q2·z2[j] + q3·z3[j]
;;   (added left to right, as JavaScript evaluates it)
;; axpy(y, x, s, n): y[j] = y[j] + s·x[j]
;; add(y, x, n): y[j] = y[j] + x[j]
;; sub(z, f, m, n): z[j] = f[j] − m[j]
;; dots22(x0, x1, yt, b, n, out): the four dot products of rows x0, x1 (n doubles each) with columns
;;   l, l + 1 of yt (n × b, row-major; yt points at element l of its row 0): out = [x0·y_l, x0·y_l+1,
;;   x1·y_l, x1·y_l+1], each summed over j = 0, 1, … in order (d = d + x[j]·y[j]) — the lanes hold
;;   different dot products, never two terms of one
;; dots12(x, yt, b, n, out): the same for one row: out = [x·y_l, x·y_l+1]
(module
  (import "env" "memory" (memory 1))

  (func (export "qtz4")
    (param $bt i32) (param $z0 i32) (param $z1 i32) (param $z2 i32) (param $z3 i32)
    (param $q0 f64) (param $q1 f64) (param $q2 f64) (param $q3 f64) (param $n i32)
    (local $o i32) (local $pairs i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $v0 (f64x2.splat (local.get $q0)))
    (local.set $v1 (f64x2.splat (local.get $q1)))
    (local.set $v2 (f64x2.splat (local.get $q2)))
    (local.set $v3 (f64x2.splat (local.get $q3)))
    ;; bytes of the whole pairs
    (local.set $pairs (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $bt) (local.get $o))
          (f64x2.add
            (f64x2.add
              (f64x2.add
                (f64x2.add
                  (v128.load align=8 (i32.add (local.get $bt) (local.get $o)))
                  (f64x2.mul (local.get $v0) (v128.load align=8 (i32.add (local.get $z0) (local.get $o)))))
                (f64x2.mul (local.get $v1) (v128.load align=8 (i32.add (local.get $z1) (local.get $o)))))
              (f64x2.mul (local.get $v2) (v128.load align=8 (i32.add (local.get $z2) (local.get $o)))))
            (f64x2.mul (local.get $v3) (v128.load align=8 (i32.add (local.get $z3) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $bt) (local.get $o))
          (f64.add
            (f64.add
              (f64.add
                (f64.add
                  (f64.load (i32.add (local.get $bt) (local.get $o)))
                  (f64.mul (local.get $q0) (f64.load (i32.add (local.get $z0) (local.get $o)))))
                (f64.mul (local.get $q1) (f64.load (i32.add (local.get $z1) (local.get $o)))))
              (f64.mul (local.get $q2) (f64.load (i32.add (local.get $z2) (local.get $o)))))
            (f64.mul (local.get $q3) (f64.load (i32.add (local.get $z3) (local.get $o)))))))))

  (func (export "axpy") (param $y i32) (param $x i32) (param $s f64) (param $n i32)
    (local $o i32) (local $pairs i32) (local $v v128)
    (local.set $v (f64x2.splat (local.get $s)))
    (local.set $pairs (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $y) (local.get $o))
          (f64x2.add
            (v128.load align=8 (i32.add (local.get $y) (local.get $o)))
            (f64x2.mul (local.get $v) (v128.load align=8 (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $y) (local.get $o))
          (f64.add
            (f64.load (i32.add (local.get $y) (local.get $o)))
            (f64.mul (local.get $s) (f64.load (i32.add (local.get $x) (local.get $o)))))))))

  (func (export "add") (param $y i32) (param $x i32) (param $n i32)
    (local $o i32) (local $pairs i32)
    (local.set $pairs (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $y) (local.get $o))
          (f64x2.add
            (v128.load align=8 (i32.add (local.get $y) (local.get $o)))
            (v128.load align=8 (i32.add (local.get $x) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $y) (local.get $o))
          (f64.add
            (f64.load (i32.add (local.get $y) (local.get $o)))
            (f64.load (i32.add (local.get $x) (local.get $o))))))))

  (func (export "sub") (param $z i32) (param $f i32) (param $m i32) (param $n i32)
    (local $o i32) (local $pairs i32)
    (local.set $pairs (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $z) (local.get $o))
          (f64x2.sub
            (v128.load align=8 (i32.add (local.get $f) (local.get $o)))
            (v128.load align=8 (i32.add (local.get $m) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $z) (local.get $o))
          (f64.sub
            (f64.load (i32.add (local.get $f) (local.get $o)))
            (f64.load (i32.add (local.get $m) (local.get $o))))))))
;; x0 splat against the pair (yt[j·b + l], yt[j·b + l + 1]), j by j
  (func (export "dots22")
    (param $x0 i32) (param $x1 i32) (param $yt i32) (param $b i32) (param $n i32) (param $out i32)
    (local $j i32) (local $y i32) (local $stride i32) (local $pair v128)
    (local $a0 v128) (local $a1 v128)
    (local.set $stride (i32.shl (local.get $b) (i32.const 3)))
    (local.set $y (local.get $yt))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $pair (v128.load align=8 (local.get $y)))
        (local.set $a0
          (f64x2.add (local.get $a0)
            (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $x0) (i32.shl (local.get $j) (i32.const 3)))))
              (local.get $pair))))
        (local.set $a1
          (f64x2.add (local.get $a1)
            (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $x1) (i32.shl (local.get $j) (i32.const 3)))))
              (local.get $pair))))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $step)))
    (v128.store align=8 (local.get $out) (local.get $a0))
    (v128.store offset=16 align=8 (local.get $out) (local.get $a1)))

  (func (export "dots12")
    (param $x i32) (param $yt i32) (param $b i32) (param $n i32) (param $out i32)
    (local $j i32) (local $y i32) (local $stride i32) (local $a v128)
    (local.set $stride (i32.shl (local.get $b) (i32.const 3)))
    (local.set $y (local.get $yt))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $a
          (f64x2.add (local.get $a)
            (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))
              (v128.load align=8 (local.get $y)))))
        (local.set $y (i32.add (local.get $y) (local.get $stride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $step)))
    (v128.store align=8 (local.get $out) (local.get $a)))
)
