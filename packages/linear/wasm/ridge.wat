;; The loops of the ridge's exact leave-one-out (RidgeWorkspace's primal solve in src/ridge.ts) in
;; WebAssembly with SIMD. Assembled by the repository's scripts/build-wasm.mjs (wabt) into
;; src/ridge-wasm.ts; the TypeScript loops stay the reference and the fallback, and the tests check
;; that both give the same LOO errors and coefficients bit for bit.
;;
;; Every function works element by element along a column of r doubles: element i of the result is
;; computed from element i of the inputs with the TypeScript loop's operations in its order, and
;; SIMD only puts two neighbouring elements side by side (no sum is reassociated; wasm's f64
;; arithmetic is IEEE 754 with round-to-nearest and no fused multiply-add, as JavaScript's).
;; Pointers are byte offsets into the imported memory, 8-byte aligned (align=8).
;;
;; sub4(z, z0, z1, z2, z3, l0, l1, l2, l3, r): z[i] = z[i] − l0·z0[i] − l1·z1[i] − l2·z2[i] − l3·z3[i]
;;   (subtracted left to right, as JavaScript evaluates it)
;; axmy(y, x, s, r): y[i] = y[i] − s·x[i]
;; scaleLev(z, lev, inv, r): z[i] = z[i]·inv, then lev[i] = lev[i] + z[i]·z[i]
(module
  (import "env" "memory" (memory 1))

  (func (export "sub4")
    (param $z i32) (param $z0 i32) (param $z1 i32) (param $z2 i32) (param $z3 i32)
    (param $l0 f64) (param $l1 f64) (param $l2 f64) (param $l3 f64) (param $r i32)
    (local $o i32) (local $pairs i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $v0 (f64x2.splat (local.get $l0)))
    (local.set $v1 (f64x2.splat (local.get $l1)))
    (local.set $v2 (f64x2.splat (local.get $l2)))
    (local.set $v3 (f64x2.splat (local.get $l3)))
    (local.set $pairs (i32.shl (i32.and (local.get $r) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $z) (local.get $o))
          (f64x2.sub
            (f64x2.sub
              (f64x2.sub
                (f64x2.sub
                  (v128.load align=8 (i32.add (local.get $z) (local.get $o)))
                  (f64x2.mul (local.get $v0) (v128.load align=8 (i32.add (local.get $z0) (local.get $o)))))
                (f64x2.mul (local.get $v1) (v128.load align=8 (i32.add (local.get $z1) (local.get $o)))))
              (f64x2.mul (local.get $v2) (v128.load align=8 (i32.add (local.get $z2) (local.get $o)))))
            (f64x2.mul (local.get $v3) (v128.load align=8 (i32.add (local.get $z3) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $r) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $z) (local.get $o))
          (f64.sub
            (f64.sub
              (f64.sub
                (f64.sub
                  (f64.load (i32.add (local.get $z) (local.get $o)))
                  (f64.mul (local.get $l0) (f64.load (i32.add (local.get $z0) (local.get $o)))))
                (f64.mul (local.get $l1) (f64.load (i32.add (local.get $z1) (local.get $o)))))
              (f64.mul (local.get $l2) (f64.load (i32.add (local.get $z2) (local.get $o)))))
            (f64.mul (local.get $l3) (f64.load (i32.add (local.get $z3) (local.get $o)))))))))

  (func (export "axmy") (param $y i32) (param $x i32) (param $s f64) (param $r i32)
    (local $o i32) (local $pairs i32) (local $v v128)
    (local.set $v (f64x2.splat (local.get $s)))
    (local.set $pairs (i32.shl (i32.and (local.get $r) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (v128.store align=8 (i32.add (local.get $y) (local.get $o))
          (f64x2.sub
            (v128.load align=8 (i32.add (local.get $y) (local.get $o)))
            (f64x2.mul (local.get $v) (v128.load align=8 (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $r) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $y) (local.get $o))
          (f64.sub
            (f64.load (i32.add (local.get $y) (local.get $o)))
            (f64.mul (local.get $s) (f64.load (i32.add (local.get $x) (local.get $o)))))))))

  (func (export "scaleLev") (param $z i32) (param $lev i32) (param $inv f64) (param $r i32)
    (local $o i32) (local $pairs i32) (local $v v128) (local $s v128) (local $x f64)
    (local.set $v (f64x2.splat (local.get $inv)))
    (local.set $pairs (i32.shl (i32.and (local.get $r) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $o) (local.get $pairs)))
        (local.set $s (f64x2.mul (v128.load align=8 (i32.add (local.get $z) (local.get $o))) (local.get $v)))
        (v128.store align=8 (i32.add (local.get $z) (local.get $o)) (local.get $s))
        (v128.store align=8 (i32.add (local.get $lev) (local.get $o))
          (f64x2.add
            (v128.load align=8 (i32.add (local.get $lev) (local.get $o)))
            (f64x2.mul (local.get $s) (local.get $s))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $r) (i32.const 1))
      (then
        (local.set $x (f64.mul (f64.load (i32.add (local.get $z) (local.get $o))) (local.get $inv)))
        (f64.store (i32.add (local.get $z) (local.get $o)) (local.get $x))
        (f64.store (i32.add (local.get $lev) (local.get $o))
          (f64.add
            (f64.load (i32.add (local.get $lev) (local.get $o)))
            (f64.mul (local.get $x) (local.get $x)))))))
)
