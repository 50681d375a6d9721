;; FasterPAM's per-candidate pass (SwapState.phiAll in src/swap-state.ts) in WebAssembly with SIMD.
;; Compiled by scripts/build-wasm.mjs (wabt) into src/phi-wasm.ts; the TypeScript loop stays the
;; reference and the fallback, and the tests check that both give the same Φ bit for bit.
;;
;; phi(row, d1, d2, a, out, m) -> acc, all pointers byte offsets into the imported memory:
;;   row: the candidate's m distances (f64), d1/d2: each point's nearest and second-nearest medoid
;;   distance (f64), a: each point's nearest slot (i32), out: one f64 per slot, holding the removal
;;   losses on entry. For every point j with x = row[j] < d2[j] it adds min(max(x, d1[j]), d2[j]) − d2[j]
;;   to out[a[j]]; it returns Σ_j min(x − d1[j], 0) (zero unless x < d1[j] ≤ d2[j]). Every value is on
;;   the exact grid of docs/METHOD.md §9.18, so these sums are exact in any order: the same numbers
;;   as the TypeScript loop, whatever the lane grouping.
;;
;; best(row, d1, d2, a, out, rl, m, K, f, at) -> Φ: the whole step of one candidate — out[0..K) =
;;   rl[0..K) (the removal losses), phi(…) above, then the first slot i in [f, K) with the smallest
;;   out[i] + acc (strictly smaller replaces: first slot on ties), whose index is stored as an i32 at
;;   `at`; returns that Φ. (The TypeScript caller did these three O(K) loops itself, as much work as
;;   the pass once K is large.)
;;
;; Four points a step: one combined test skips the four when none is below its d2 (most points once
;; K is not small; then none is below its d1 ≤ d2 either, and d1 is not read); otherwise their
;; gains go to acc in two f64x2 lanes and all four are added to their slots (a point at or beyond
;; its d2 adds exactly +0), without a further branch.
(module
  (import "env" "memory" (memory 1))
  (func $phi (export "phi")
    (param $row i32) (param $d1 i32) (param $d2 i32) (param $a i32) (param $out i32) (param $m i32)
    (result f64)
    (local $j i32) (local $m4 i32) (local $p i32) (local $q i32) (local $o i32)
    (local $va v128) (local $vb v128)
    (local $x0 v128) (local $x1 v128) (local $e10 v128) (local $e11 v128) (local $e20 v128) (local $e21 v128)
    (local $g0 v128) (local $g1 v128)
    (local $x f64) (local $e1 f64) (local $e2 f64) (local $acc f64)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $j) (local.get $m4)))
        (local.set $p (i32.shl (local.get $j) (i32.const 3)))
        (local.set $x0 (v128.load (i32.add (local.get $row) (local.get $p))))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $row) (local.get $p))))
        (local.set $e20 (v128.load (i32.add (local.get $d2) (local.get $p))))
        (local.set $e21 (v128.load offset=16 (i32.add (local.get $d2) (local.get $p))))
        (if (v128.any_true (v128.or
              (f64x2.lt (local.get $x0) (local.get $e20))
              (f64x2.lt (local.get $x1) (local.get $e21))))
          (then
            (local.set $e10 (v128.load (i32.add (local.get $d1) (local.get $p))))
            (local.set $e11 (v128.load offset=16 (i32.add (local.get $d1) (local.get $p))))
            ;; acc += min(x − d1, 0); pmin(u, 0) = 0 < u ? 0 : u (one instruction, no NaN here)
            (local.set $va (f64x2.add (local.get $va)
              (f64x2.pmin (f64x2.sub (local.get $x0) (local.get $e10)) (v128.const f64x2 0 0))))
            (local.set $vb (f64x2.add (local.get $vb)
              (f64x2.pmin (f64x2.sub (local.get $x1) (local.get $e11)) (v128.const f64x2 0 0))))
            ;; g = min(max(x, d1), d2) − d2: max(x, d1) − d2 below d2, exactly +0 at or beyond it
            (local.set $g0 (f64x2.sub
              (f64x2.pmin (f64x2.pmax (local.get $x0) (local.get $e10)) (local.get $e20)) (local.get $e20)))
            (local.set $g1 (f64x2.sub
              (f64x2.pmin (f64x2.pmax (local.get $x1) (local.get $e11)) (local.get $e21)) (local.get $e21)))
            (local.set $q (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.load (local.get $q)) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64x2.extract_lane 0 (local.get $g0))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.load offset=4 (local.get $q)) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64x2.extract_lane 1 (local.get $g0))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.load offset=8 (local.get $q)) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64x2.extract_lane 0 (local.get $g1))))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.load offset=12 (local.get $q)) (i32.const 3))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64x2.extract_lane 1 (local.get $g1))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $step)))
    (local.set $va (f64x2.add (local.get $va) (local.get $vb)))
    (local.set $acc (f64.add (f64x2.extract_lane 0 (local.get $va)) (f64x2.extract_lane 1 (local.get $va))))
    ;; the last m mod 4 points, one at a time
    (block $end
      (loop $tail
        (br_if $end (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $p (i32.shl (local.get $j) (i32.const 3)))
        (local.set $x (f64.load (i32.add (local.get $row) (local.get $p))))
        (local.set $e1 (f64.load (i32.add (local.get $d1) (local.get $p))))
        (local.set $e2 (f64.load (i32.add (local.get $d2) (local.get $p))))
        (if (f64.lt (local.get $x) (local.get $e2))
          (then
            (local.set $acc (f64.add (local.get $acc) (f64.min (f64.sub (local.get $x) (local.get $e1)) (f64.const 0))))
            (local.set $o (i32.add (local.get $out)
              (i32.shl (i32.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
            (f64.store (local.get $o)
              (f64.add (f64.load (local.get $o)) (f64.sub (f64.max (local.get $x) (local.get $e1)) (local.get $e2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
    (local.get $acc))
  (func (export "best")
    (param $row i32) (param $d1 i32) (param $d2 i32) (param $a i32) (param $out i32) (param $rl i32)
    (param $m i32) (param $K i32) (param $f i32) (param $at i32)
    (result f64)
    (local $acc f64) (local $best f64) (local $v f64) (local $i i32) (local $bi i32) (local $o i32)
    (memory.copy (local.get $out) (local.get $rl) (i32.shl (local.get $K) (i32.const 3)))
    (local.set $acc (call $phi (local.get $row) (local.get $d1) (local.get $d2) (local.get $a) (local.get $out) (local.get $m)))
    (local.set $best (f64.const inf))
    (local.set $bi (i32.const -1))
    (local.set $i (local.get $f))
    (block $end
      (loop $slots
        (br_if $end (i32.ge_u (local.get $i) (local.get $K)))
        (local.set $v (f64.add (f64.load (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))) (local.get $acc)))
        (if (f64.lt (local.get $v) (local.get $best))
          (then (local.set $best (local.get $v)) (local.set $bi (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $slots)))
    (i32.store (local.get $at) (local.get $bi))
    (local.get $best))
  ;; check(mat, n, B) -> max: one pass over the n × n matrix at `mat` in B × B tiles above the
  ;; diagonal, each entry against its mirror. Returns the largest entry when every one equals its
  ;; mirror (a NaN never does) and none is below 0, else −1 (the caller then names the entry);
  ;; an infinite entry comes back as the max. The diagonal is the caller's. Two entries of a row a step.
  (func (export "check") (param $mat i32) (param $n i32) (param $B i32) (result f64)
    (local $i0 i32) (local $j0 i32) (local $i1 i32) (local $j1 i32) (local $i i32) (local $j i32)
    (local $r i32) (local $mr i32) (local $row i32) (local $stride i32)
    (local $x v128) (local $y v128) (local $ok v128) (local $vmax v128) (local $vmin v128)
    (local $a f64) (local $b f64) (local $max f64) (local $min f64)
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ok (v128.const i64x2 -1 -1))
    (local.set $i0 (i32.const 0))
    (block $done (loop $ti
      (br_if $done (i32.ge_u (local.get $i0) (local.get $n)))
      (local.set $i1 (select (i32.add (local.get $i0) (local.get $B)) (local.get $n)
        (i32.lt_u (i32.add (local.get $i0) (local.get $B)) (local.get $n))))
      (local.set $j0 (local.get $i0))
      (block $jdone (loop $tj
        (br_if $jdone (i32.ge_u (local.get $j0) (local.get $n)))
        (local.set $j1 (select (i32.add (local.get $j0) (local.get $B)) (local.get $n)
          (i32.lt_u (i32.add (local.get $j0) (local.get $B)) (local.get $n))))
        (local.set $i (local.get $i0))
        (block $idone (loop $rows
          (br_if $idone (i32.ge_u (local.get $i) (local.get $i1)))
          (local.set $j (select (i32.add (local.get $i) (i32.const 1)) (local.get $j0)
            (i32.eq (local.get $j0) (local.get $i0))))
          (local.set $row (i32.add (local.get $mat) (i32.mul (local.get $i) (local.get $stride))))
          ;; r: address of [i][j]; mr: address of [j][i]
          (local.set $r (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $mr (i32.add (i32.add (local.get $mat) (i32.mul (local.get $j) (local.get $stride)))
            (i32.shl (local.get $i) (i32.const 3))))
          (block $pdone (loop $pairs
            (br_if $pdone (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $j1)))
            (local.set $x (v128.load (local.get $r)))
            (local.set $y (f64x2.replace_lane 1
              (f64x2.splat (f64.load (local.get $mr)))
              (f64.load (i32.add (local.get $mr) (local.get $stride)))))
            (local.set $ok (v128.and (local.get $ok) (f64x2.eq (local.get $x) (local.get $y))))
            (local.set $vmax (f64x2.pmax (local.get $vmax) (local.get $x)))
            (local.set $vmin (f64x2.pmin (local.get $vmin) (local.get $x)))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (local.set $mr (i32.add (local.get $mr) (i32.shl (local.get $stride) (i32.const 1))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pairs)))
          (if (i32.lt_u (local.get $j) (local.get $j1))
            (then
              (local.set $x (f64x2.splat (f64.load (local.get $r))))
              (local.set $ok (v128.and (local.get $ok)
                (f64x2.eq (local.get $x) (f64x2.splat (f64.load (local.get $mr))))))
              (local.set $vmax (f64x2.pmax (local.get $vmax) (local.get $x)))
              (local.set $vmin (f64x2.pmin (local.get $vmin) (local.get $x)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
        (local.set $j0 (i32.add (local.get $j0) (local.get $B)))
        (br $tj)))
      (local.set $i0 (i32.add (local.get $i0) (local.get $B)))
      (br $ti)))
    (local.set $max (f64.max (f64x2.extract_lane 0 (local.get $vmax)) (f64x2.extract_lane 1 (local.get $vmax))))
    (local.set $min (f64.min (f64x2.extract_lane 0 (local.get $vmin)) (f64x2.extract_lane 1 (local.get $vmin))))
    (if (result f64) (i32.and (i64x2.all_true (local.get $ok)) (f64.ge (local.get $min) (f64.const 0)))
      (then (local.get $max))
      (else (f64.const -1))))

  ;; grid(ptr, count, inv) -> 1 when every one of the `count` entries at ptr is an integer multiple of
  ;; the grid 1/inv (x·inv + 2^52 − 2^52 = x·inv, as roundToGrid rounds) and none is −0, else 0.
  ;; Entries known finite and ≥ 0. Two entries a step, the tail one at a time.
  (func (export "grid") (param $p i32) (param $count i32) (param $inv f64) (result i32)
    (local $end i32) (local $end2 i32) (local $x v128) (local $y v128) (local $ok v128) (local $vinv v128)
    (local $c v128) (local $neg i32)
    (local.set $ok (v128.const i64x2 -1 -1))
    (local.set $vinv (f64x2.splat (local.get $inv)))
    (local.set $c (f64x2.splat (f64.const 0x1p52)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $end2 (i32.add (local.get $p) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $p) (local.get $end2)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $y (f64x2.mul (local.get $x) (local.get $vinv)))
      (local.set $ok (v128.and (local.get $ok)
        (f64x2.eq (f64x2.sub (f64x2.add (local.get $y) (local.get $c)) (local.get $c)) (local.get $y))))
      ;; entries are ≥ 0, so a set sign bit is −0
      (local.set $neg (i32.or (local.get $neg) (i64x2.bitmask (local.get $x))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $step)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $x (f64x2.splat (f64.load (local.get $p))))
        (local.set $y (f64x2.mul (local.get $x) (local.get $vinv)))
        (local.set $ok (v128.and (local.get $ok)
          (f64x2.eq (f64x2.sub (f64x2.add (local.get $y) (local.get $c)) (local.get $c)) (local.get $y))))
        (local.set $neg (i32.or (local.get $neg) (i64x2.bitmask (local.get $x))))))
    (i32.and (i64x2.all_true (local.get $ok)) (i32.eqz (local.get $neg)))))
