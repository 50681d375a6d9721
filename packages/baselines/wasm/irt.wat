;; The IRT fit's fused loss + gradient pass (dataLossGrad in src/irt.ts) in WebAssembly with SIMD.
;; Assembled by the repository's scripts/build-wasm.mjs (wabt) into src/irt-wasm.ts; the TypeScript
;; loop stays the reference and the fallback, and the tests check that both give the same loss and
;; gradient bit for bit.
;;
;; loss(w, g, r, tt, gt, zs, M, I, d) -> the data loss; pointers are byte offsets into the imported
;;   memory: w: the packed parameters [θ (M·d) | a (I·d) | b (I)] (f64); g: their gradient (f64,
;;   overwritten); r: the M × I responses (u8, 0/1, row-major); tt, gt: scratch of 4·d f64 each;
;;   zs: scratch of 8·I f64.
;; exp(p, n): e^x of the n doubles at p (n even, each ≤ 0 or NaN), in place — for the tests.
;;
;; Bit for bit the TypeScript loop. Every f64 operation of that loop is done here on the same
;; operands in the same order; SIMD only puts independent values side by side (the logits, exps and
;; residuals of two models in the lanes of one f64x2), never reassociates a sum: the loss, the
;; product of the ln factors and the sums over the four models of a group are added lane by lane
;; in the loop's order. Wasm's f64 arithmetic is IEEE 754 with round-to-nearest and no fused
;; multiply-add, as JavaScript's. Math.exp is replaced by $expRange below, which computes the same
;; bits as the fdlibm exp that V8 runs (the test compares them on many inputs and on every branch
;; edge); Math.log is imported (once per 512 cells).
;;
;; Per group of four models: pass 1 writes every item's four logits to zs, pass 2 their e^{−|z|}
;; (independent steps the CPU overlaps, where one exp per step of the whole loop could not), pass 3
;; does the rest item by item in the loop's order. The θ of the four models are read from (and
;; their gradient summed into) a transposed copy, tt[e·4 + l] = θ_{j+l, e}, one load per pair.
(module
  (import "env" "memory" (memory 1))
  (import "env" "exp" (func $expScalar (param f64) (result f64)))
  (import "env" "log" (func $log (param f64) (result f64)))

  ;; e^x in each lane, for x ≤ 0 (−|z|); NaN or |x| ≥ 700 lanes are handed to the imported Math.exp.
  ;; fdlibm's e_exp.c as V8 runs it (base/ieee754.cc), one branch per lane chosen by masks:
  ;;   |x| ≤ 0.5 ln2 (high word ≤ 0x3FD62E42): k = 0, e^x = 1 − ((x c)/(c − 2) − x); below 2^-28
  ;;     (high word < 0x3E300000): 1 + x;
  ;;   |x| < 1.5 ln2 (high word < 0x3FF0A2B2): k = −1, hi = x − ln2HI[1], lo = ln2LO[1] — the same
  ;;     two numbers as the general reduction below with t = −1 (x − (−1)·h = x + h = x − (−h) exactly);
  ;;   otherwise k = (int)(x/ln2 − 0.5) (toward zero), t = k, hi = x − t·ln2HI, lo = t·ln2LO;
  ;;   then x' = hi − lo, c = x' − x'²(P1 + x'²(P2 + …)), y = 1 − ((lo − (x' c)/(2 − c)) − hi), e^x = y·2^k
  ;;   (k ≥ −1010 here, so 2^k is a normal number built from its exponent bits).
  (func $expRange (param $p i32) (param $end i32) (param $out i32)
    (local $x v128) (local $abits v128) (local $red v128) (local $tiny v128) (local $big v128)
    (local $t v128) (local $hi v128) (local $lo v128) (local $r v128) (local $rr v128) (local $c v128)
    (local $kk v128) (local $two v128)
    ;; the constants, once (a v128.const in the loop is rebuilt at every use)
    (local $cAbs v128) (local $cRed v128) (local $cTiny v128) (local $cBig v128) (local $cMid v128)
    (local $cInv v128) (local $cHalf v128) (local $cM1 v128) (local $cHi v128) (local $cLo v128)
    (local $cP1 v128) (local $cP2 v128) (local $cP3 v128) (local $cP4 v128) (local $cP5 v128)
    (local $c1 v128) (local $c2 v128) (local $cTwo v128)
    (local.set $cAbs (v128.const i64x2 0x7fffffffffffffff 0x7fffffffffffffff))
    ;; |x| compared as a double: for x ≥ 0 the order of the doubles is the order of their bits, so
    ;; "high word > 0x3FD62E42" is |x| ≥ the double with bits 0x3FD62E43_00000000 (and so on)
    (local.set $cRed (v128.const i64x2 0x3fd62e4300000000 0x3fd62e4300000000))
    (local.set $cTiny (v128.const i64x2 0x3e30000000000000 0x3e30000000000000))
    (local.set $cBig (v128.const i64x2 0x4085e00000000000 0x4085e00000000000)) ;; 700
    (local.set $cMid (v128.const i64x2 0x3ff0a2b200000000 0x3ff0a2b200000000))
    (local.set $cInv (v128.const f64x2 0x1.71547652b82fep+0 0x1.71547652b82fep+0))
    (local.set $cHalf (v128.const f64x2 -0.5 -0.5))
    (local.set $cM1 (v128.const f64x2 -1 -1))
    (local.set $cHi (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1))
    (local.set $cLo (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))
    (local.set $cP1 (v128.const f64x2 0x1.555555555553ep-3 0x1.555555555553ep-3))
    (local.set $cP2 (v128.const f64x2 -0x1.6c16c16bebd93p-9 -0x1.6c16c16bebd93p-9))
    (local.set $cP3 (v128.const f64x2 0x1.1566aaf25de2cp-14 0x1.1566aaf25de2cp-14))
    (local.set $cP4 (v128.const f64x2 -0x1.bbd41c5d26bf1p-20 -0x1.bbd41c5d26bf1p-20))
    (local.set $cP5 (v128.const f64x2 0x1.6376972bea4d0p-25 0x1.6376972bea4d0p-25))
    (local.set $c1 (v128.const f64x2 1 1))
    (local.set $c2 (v128.const f64x2 2 2))
    (local.set $cTwo (v128.const f64x2 0x1.00000000003ffp+52 0x1.00000000003ffp+52)) ;; 2^52 + 1023
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $abits (v128.and (local.get $x) (local.get $cAbs)))
        (local.set $red (f64x2.ge (local.get $abits) (local.get $cRed)))
        (local.set $tiny (f64x2.lt (local.get $abits) (local.get $cTiny)))
        ;; not below 700: also NaN
        (local.set $big (v128.not (f64x2.lt (local.get $abits) (local.get $cBig))))
        ;; t = −1 below 1.5 ln2, else trunc(invln2·x + halF[1])
        (local.set $t (v128.bitselect
          (local.get $cM1)
          (f64x2.trunc (f64x2.add (f64x2.mul (local.get $cInv) (local.get $x)) (local.get $cHalf)))
          (f64x2.lt (local.get $abits) (local.get $cMid))))
        (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $t) (local.get $cHi))))
        (local.set $lo (f64x2.mul (local.get $t) (local.get $cLo)))
        ;; the reduced argument: hi − lo where reduced, x itself where k = 0
        (local.set $r (v128.bitselect (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $x) (local.get $red)))
        (local.set $rr (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $rr)
          (f64x2.add (local.get $cP1) (f64x2.mul (local.get $rr)
          (f64x2.add (local.get $cP2) (f64x2.mul (local.get $rr)
          (f64x2.add (local.get $cP3) (f64x2.mul (local.get $rr)
          (f64x2.add (local.get $cP4) (f64x2.mul (local.get $rr) (local.get $cP5))))))))))))
        ;; y = 1 − ((lo − (r c)/(2 − c)) − hi), e^x = y·2^k. For k = 0 fdlibm returns 1 − ((r c)/(c − 2) − r):
        ;; the same number as y with lo = +0, hi = r, 2^k = 1, since (r c)/(c − 2) = −((r c)/(2 − c)) exactly
        ;; and +0 − q = −q for q ≠ 0 (q = 0 only where c = 0, i.e. r = 0: below 2^-28, taken apart).
        ;; Below 2^-28 fdlibm returns 1 + x.
        ;; 2^k: t is an integer in [−1010, −1] where reduced: t + 2^52 + 1023 holds k + 1023 in its low
        ;; mantissa bits, which the shift moves into the exponent field (mantissa 0, sign 0)
        (local.set $two (v128.bitselect
          (i64x2.shl (f64x2.add (local.get $t) (local.get $cTwo)) (i32.const 52)) (local.get $c1) (local.get $red)))
        (local.set $lo (v128.and (local.get $lo) (local.get $red)))
        (local.set $hi (v128.bitselect (local.get $hi) (local.get $r) (local.get $red)))
        (local.set $kk (f64x2.mul
          (f64x2.sub (local.get $c1) (f64x2.sub
            (f64x2.sub (local.get $lo)
              (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (local.get $c2) (local.get $c))))
            (local.get $hi)))
          (local.get $two)))
        (local.set $r (v128.bitselect (f64x2.add (local.get $c1) (local.get $x)) (local.get $kk) (local.get $tiny)))
        (if (v128.any_true (local.get $big))
          (then
            (if (i64.ne (i64x2.extract_lane 0 (local.get $big)) (i64.const 0))
              (then (local.set $r (f64x2.replace_lane 0 (local.get $r)
                (call $expScalar (f64x2.extract_lane 0 (local.get $x)))))))
            (if (i64.ne (i64x2.extract_lane 1 (local.get $big)) (i64.const 0))
              (then (local.set $r (f64x2.replace_lane 1 (local.get $r)
                (call $expScalar (f64x2.extract_lane 1 (local.get $x)))))))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $step))))

  ;; For tests: e^x of the `n` doubles at p, in place (n even).
  (func (export "exp") (param $p i32) (param $n i32)
    (call $expRange (local.get $p) (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))) (local.get $p)))

  (func (export "loss")
    (param $w i32) (param $g i32) (param $r i32) (param $tt i32) (param $gt i32) (param $zs i32)
    (param $M i32) (param $I i32) (param $d i32)
    (result f64)
    (local $loss f64) (local $prod f64) (local $inProd i32)
    (local $j i32) (local $k i32) (local $e i32) (local $l i32)
    (local $aBase i32) (local $bBase i32) (local $gaBase i32) (local $gbBase i32)
    (local $d8 i32) (local $d32 i32) (local $aOff i32) (local $tOff i32) (local $rRow i32) (local $p i32)
    (local $dn f64) (local $df f64) (local $db f64) (local $av f64) (local $s f64)
    (local $z01 v128) (local $z23 v128) (local $y01 v128) (local $y23 v128)
    (local $ez01 v128) (local $ez23 v128) (local $op01 v128) (local $op23 v128)
    (local $t01 v128) (local $t23 v128) (local $q01 v128) (local $q23 v128)
    (local $a2 v128) (local $p01 v128) (local $p23 v128)
    (local $es i32) (local $end i32)
    (local $z f64) (local $y f64) (local $ez f64) (local $op f64) (local $q f64)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $d32 (i32.shl (local.get $d) (i32.const 5)))
    (local.set $aBase (i32.add (local.get $w) (i32.mul (local.get $M) (local.get $d8))))
    (local.set $bBase (i32.add (local.get $aBase) (i32.mul (local.get $I) (local.get $d8))))
    (local.set $gaBase (i32.add (local.get $g) (i32.mul (local.get $M) (local.get $d8))))
    (local.set $gbBase (i32.add (local.get $gaBase) (i32.mul (local.get $I) (local.get $d8))))
    ;; grad.fill(0)
    (memory.fill (local.get $g) (i32.const 0)
      (i32.sub (i32.add (local.get $gbBase) (i32.shl (local.get $I) (i32.const 3))) (local.get $g)))
    (local.set $prod (f64.const 1))
    (local.set $df (f64.convert_i32_s (local.get $d)))
    (local.set $dn (f64.neg (local.get $df)))
    ;; four models at a time
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $M)))
        ;; tt[e·4 + l] = θ_{j+l, e}; gt = 0
        (local.set $tOff (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $d8))))
        (local.set $e (i32.const 0))
        (block $tdone
          (loop $tloop
            (br_if $tdone (i32.ge_s (local.get $e) (local.get $d)))
            (local.set $l (i32.const 0))
            (loop $lloop
              (f64.store
                (i32.add (local.get $tt) (i32.shl (i32.add (i32.shl (local.get $e) (i32.const 2)) (local.get $l)) (i32.const 3)))
                (f64.load (i32.add (local.get $tOff)
                  (i32.shl (i32.add (i32.mul (local.get $l) (local.get $d)) (local.get $e)) (i32.const 3)))))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $lloop (i32.lt_s (local.get $l) (i32.const 4))))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $tloop)))
        (memory.fill (local.get $gt) (i32.const 0) (local.get $d32))
        (local.set $rRow (i32.add (local.get $r) (i32.mul (local.get $j) (local.get $I))))
        ;; pass 1: the logits of the group's four models for every item, zs[k·4 + l]
        (local.set $k (i32.const 0))
        (block $zItemsDone
          (loop $zItem
            (br_if $zItemsDone (i32.ge_s (local.get $k) (local.get $I)))
            (local.set $aOff (i32.add (local.get $aBase) (i32.mul (local.get $k) (local.get $d8))))
            (local.set $db (f64.mul (local.get $dn) (f64.load (i32.add (local.get $bBase) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $z01 (f64x2.splat (local.get $db)))
            (local.set $z23 (local.get $z01))
            (local.set $e (i32.const 0))
            (block $zdone
              (loop $zloop
                (br_if $zdone (i32.ge_s (local.get $e) (local.get $d)))
                (local.set $a2 (v128.load64_splat (i32.add (local.get $aOff) (i32.shl (local.get $e) (i32.const 3)))))
                (local.set $p (i32.add (local.get $tt) (i32.shl (local.get $e) (i32.const 5))))
                (local.set $z01 (f64x2.add (local.get $z01) (f64x2.mul (local.get $a2) (v128.load (local.get $p)))))
                (local.set $z23 (f64x2.add (local.get $z23) (f64x2.mul (local.get $a2) (v128.load offset=16 (local.get $p)))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $zloop)))
            (local.set $p (i32.add (local.get $zs) (i32.shl (local.get $k) (i32.const 5))))
            (v128.store (local.get $p) (local.get $z01))
            (v128.store offset=16 (local.get $p) (local.get $z23))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $zItem)))
        ;; pass 2: es[k·4 + l] = e^{−|z|} — independent steps, which the CPU overlaps
        (local.set $es (i32.add (local.get $zs) (i32.shl (local.get $I) (i32.const 5))))
        (local.set $p (local.get $zs))
        (block $nDone
          (loop $nLoop
            (br_if $nDone (i32.ge_u (local.get $p) (local.get $es)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $I) (i32.const 5)))
              (f64x2.neg (f64x2.abs (v128.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $nLoop)))
        (call $expRange (local.get $es) (i32.add (local.get $es) (i32.shl (local.get $I) (i32.const 5))) (local.get $es))
        ;; pass 3: the loss, the product and the gradients, item by item as the loop does
        (local.set $k (i32.const 0))
        (block $itemsDone
          (loop $item
            (br_if $itemsDone (i32.ge_s (local.get $k) (local.get $I)))
            (local.set $aOff (i32.add (local.get $aBase) (i32.mul (local.get $k) (local.get $d8))))
            (local.set $p (i32.add (local.get $zs) (i32.shl (local.get $k) (i32.const 5))))
            (local.set $z01 (v128.load (local.get $p)))
            (local.set $z23 (v128.load offset=16 (local.get $p)))
            (local.set $p (i32.add (local.get $es) (i32.shl (local.get $k) (i32.const 5))))
            (local.set $ez01 (v128.load (local.get $p)))
            (local.set $ez23 (v128.load offset=16 (local.get $p)))
            ;; the four responses as f64
            (local.set $p (i32.add (local.get $rRow) (local.get $k)))
            (local.set $y01 (f64x2.replace_lane 1
              (f64x2.splat (f64.convert_i32_u (i32.load8_u (local.get $p))))
              (f64.convert_i32_u (i32.load8_u (i32.add (local.get $p) (local.get $I))))))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $I) (i32.const 1))))
            (local.set $y23 (f64x2.replace_lane 1
              (f64x2.splat (f64.convert_i32_u (i32.load8_u (local.get $p))))
              (f64.convert_i32_u (i32.load8_u (i32.add (local.get $p) (local.get $I))))))
            ;; op = 1 + ez
            (local.set $op01 (f64x2.add (v128.const f64x2 1 1) (local.get $ez01)))
            (local.set $op23 (f64x2.add (v128.const f64x2 1 1) (local.get $ez23)))
            ;; loss term: z > 0 ? z − y z : (−y) z
            (local.set $t01 (v128.bitselect
              (f64x2.sub (local.get $z01) (f64x2.mul (local.get $y01) (local.get $z01)))
              (f64x2.mul (f64x2.neg (local.get $y01)) (local.get $z01))
              (f64x2.gt (local.get $z01) (v128.const f64x2 0 0))))
            (local.set $t23 (v128.bitselect
              (f64x2.sub (local.get $z23) (f64x2.mul (local.get $y23) (local.get $z23)))
              (f64x2.mul (f64x2.neg (local.get $y23)) (local.get $z23))
              (f64x2.gt (local.get $z23) (v128.const f64x2 0 0))))
            ;; residual q = (z ≥ 0 ? 1 : ez)/op − y
            (local.set $q01 (f64x2.sub (f64x2.div
              (v128.bitselect (v128.const f64x2 1 1) (local.get $ez01) (f64x2.ge (local.get $z01) (v128.const f64x2 0 0)))
              (local.get $op01)) (local.get $y01)))
            (local.set $q23 (f64x2.sub (f64x2.div
              (v128.bitselect (v128.const f64x2 1 1) (local.get $ez23) (f64x2.ge (local.get $z23) (v128.const f64x2 0 0)))
              (local.get $op23)) (local.get $y23)))
            ;; the loss and the product in the loop's order: models j, j+1, j+2, j+3
            (local.set $loss (f64.add (f64.add (f64.add (f64.add (local.get $loss)
              (f64x2.extract_lane 0 (local.get $t01))) (f64x2.extract_lane 1 (local.get $t01)))
              (f64x2.extract_lane 0 (local.get $t23))) (f64x2.extract_lane 1 (local.get $t23))))
            (local.set $prod (f64.mul (f64.mul (f64.mul (f64.mul (local.get $prod)
              (f64x2.extract_lane 0 (local.get $op01))) (f64x2.extract_lane 1 (local.get $op01)))
              (f64x2.extract_lane 0 (local.get $op23))) (f64x2.extract_lane 1 (local.get $op23))))
            (local.set $inProd (i32.add (local.get $inProd) (i32.const 4)))
            (if (i32.ge_s (local.get $inProd) (i32.const 512))
              (then
                (local.set $loss (f64.add (local.get $loss) (call $log (local.get $prod))))
                (local.set $prod (f64.const 1))
                (local.set $inProd (i32.const 0))))
            ;; gradients: θ (in gt) += q a; a_k += ((q0 u0 + q1 u1) + q2 u2) + q3 u3; b_k −= d (((q0 + q1) + q2) + q3)
            (local.set $e (i32.const 0))
            (block $gdone
              (loop $gloop
                (br_if $gdone (i32.ge_s (local.get $e) (local.get $d)))
                (local.set $a2 (v128.load64_splat (i32.add (local.get $aOff) (i32.shl (local.get $e) (i32.const 3)))))
                (local.set $p (i32.add (local.get $gt) (i32.shl (local.get $e) (i32.const 5))))
                (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $q01) (local.get $a2))))
                (v128.store offset=16 (local.get $p)
                  (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $q23) (local.get $a2))))
                (local.set $p (i32.add (local.get $tt) (i32.shl (local.get $e) (i32.const 5))))
                (local.set $p01 (f64x2.mul (local.get $q01) (v128.load (local.get $p))))
                (local.set $p23 (f64x2.mul (local.get $q23) (v128.load offset=16 (local.get $p))))
                (local.set $p (i32.add (local.get $gaBase)
                  (i32.add (i32.mul (local.get $k) (local.get $d8)) (i32.shl (local.get $e) (i32.const 3)))))
                (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
                  (f64.add (f64.add (f64.add
                    (f64x2.extract_lane 0 (local.get $p01)) (f64x2.extract_lane 1 (local.get $p01)))
                    (f64x2.extract_lane 0 (local.get $p23))) (f64x2.extract_lane 1 (local.get $p23)))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $gloop)))
            (local.set $p (i32.add (local.get $gbBase) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $p) (f64.sub (f64.load (local.get $p)) (f64.mul (local.get $df)
              (f64.add (f64.add (f64.add
                (f64x2.extract_lane 0 (local.get $q01)) (f64x2.extract_lane 1 (local.get $q01)))
                (f64x2.extract_lane 0 (local.get $q23))) (f64x2.extract_lane 1 (local.get $q23))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $item)))
        ;; the group's θ gradients: g[(j+l)·d + e] = gt[e·4 + l] (they were 0 before: the same sums)
        (local.set $tOff (i32.add (local.get $g) (i32.mul (local.get $j) (local.get $d8))))
        (local.set $e (i32.const 0))
        (block $wdone
          (loop $wloop
            (br_if $wdone (i32.ge_s (local.get $e) (local.get $d)))
            (local.set $l (i32.const 0))
            (loop $wl
              (f64.store
                (i32.add (local.get $tOff) (i32.shl (i32.add (i32.mul (local.get $l) (local.get $d)) (local.get $e)) (i32.const 3)))
                (f64.load (i32.add (local.get $gt)
                  (i32.shl (i32.add (i32.shl (local.get $e) (i32.const 2)) (local.get $l)) (i32.const 3)))))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $wl (i32.lt_s (local.get $l) (i32.const 4))))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (br $wloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $group)))
    ;; the last M mod 4 models, one at a time (lane 0 of the same exp)
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $j) (local.get $M)))
        (local.set $tOff (i32.mul (local.get $j) (local.get $d8)))
        (local.set $rRow (i32.add (local.get $r) (i32.mul (local.get $j) (local.get $I))))
        (local.set $k (i32.const 0))
        (block $tItemsDone
          (loop $tItem
            (br_if $tItemsDone (i32.ge_s (local.get $k) (local.get $I)))
            (local.set $aOff (i32.add (local.get $aBase) (i32.mul (local.get $k) (local.get $d8))))
            (local.set $z (f64.mul (local.get $dn) (f64.load (i32.add (local.get $bBase) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $e (i32.const 0))
            (block $tzdone
              (loop $tzloop
                (br_if $tzdone (i32.ge_s (local.get $e) (local.get $d)))
                (local.set $z (f64.add (local.get $z) (f64.mul
                  (f64.load (i32.add (local.get $aOff) (i32.shl (local.get $e) (i32.const 3))))
                  (f64.load (i32.add (i32.add (local.get $w) (local.get $tOff)) (i32.shl (local.get $e) (i32.const 3)))))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $tzloop)))
            (local.set $y (f64.convert_i32_u (i32.load8_u (i32.add (local.get $rRow) (local.get $k)))))
            (v128.store (local.get $zs) (f64x2.splat (f64.neg (f64.abs (local.get $z)))))
            (call $expRange (local.get $zs) (i32.add (local.get $zs) (i32.const 16)) (local.get $zs))
            (local.set $ez (f64.load (local.get $zs)))
            (local.set $op (f64.add (f64.const 1) (local.get $ez)))
            (local.set $loss (f64.add (local.get $loss)
              (select
                (f64.sub (local.get $z) (f64.mul (local.get $y) (local.get $z)))
                (f64.mul (f64.neg (local.get $y)) (local.get $z))
                (f64.gt (local.get $z) (f64.const 0)))))
            (local.set $prod (f64.mul (local.get $prod) (local.get $op)))
            (local.set $inProd (i32.add (local.get $inProd) (i32.const 1)))
            (if (i32.ge_s (local.get $inProd) (i32.const 512))
              (then
                (local.set $loss (f64.add (local.get $loss) (call $log (local.get $prod))))
                (local.set $prod (f64.const 1))
                (local.set $inProd (i32.const 0))))
            (local.set $q (f64.sub
              (f64.div (select (f64.const 1) (local.get $ez) (f64.ge (local.get $z) (f64.const 0))) (local.get $op))
              (local.get $y)))
            (local.set $e (i32.const 0))
            (block $tgdone
              (loop $tgloop
                (br_if $tgdone (i32.ge_s (local.get $e) (local.get $d)))
                (local.set $av (f64.load (i32.add (local.get $aOff) (i32.shl (local.get $e) (i32.const 3)))))
                (local.set $p (i32.add (i32.add (local.get $g) (local.get $tOff)) (i32.shl (local.get $e) (i32.const 3))))
                (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $q) (local.get $av))))
                (local.set $s (f64.load (i32.add (i32.add (local.get $w) (local.get $tOff)) (i32.shl (local.get $e) (i32.const 3)))))
                (local.set $p (i32.add (local.get $gaBase)
                  (i32.add (i32.mul (local.get $k) (local.get $d8)) (i32.shl (local.get $e) (i32.const 3)))))
                (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $q) (local.get $s))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $tgloop)))
            (local.set $p (i32.add (local.get $gbBase) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $p) (f64.sub (f64.load (local.get $p)) (f64.mul (local.get $df) (local.get $q))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $tItem)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
    (f64.add (local.get $loss) (call $log (local.get $prod))))
)
