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
    (local.get $best)))
