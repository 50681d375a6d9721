;; The near pairs of a packed 0/1 embedding (hammingNearPairs in src/near-pairs.ts) in
;; WebAssembly. Compiled by scripts/build-wasm.mjs (wabt) into src/hamming-wasm.ts; the TypeScript
;; loop stays the reference and the fallback, and the tests check that both give the same lists
;; bit for bit.
;;
;; Layout (byte offsets into the imported memory, set by the caller): each point's packed bits as
;; L little-endian 64-bit words (`w`, point p at w + 8·L·p, zero-padded), and one 256-entry f64
;; table per used byte position (`t`, position k at t + 2048·k: a byte of XORed bits → its summed
;; weights). The distance of two points is the sum of the table values of their nb used bytes,
;; byte 0 first — ((0 + T₀) + T₁) + … — the TypeScript kernels' sum in their order (0 + T₀ = T₀:
;; the tables hold no −0), so the same double.
;;
;; The sums of one pair form a chain of dependent additions; four pairs are summed side by side
;; (four independent chains, as the TypeScript loop for GSM8K's widths does), each in its own order.
(module
  (import "env" "memory" (memory 1))

  ;; pairs(w, L, t, nb, a0, n, caps, sqrt, ub, ud, lb, ld, room, ue, le, at) -> the next row: for the
  ;; rows a = a0, a0 + 1, … and every b in (a, n) in ascending order, d = dist(a, b) (its square root
  ;; when sqrt ≠ 0); (b, d) is appended to ub (i32) / ud (f64) when d < caps[a], and to lb / ld
  ;; when d < caps[b] — hammingNearPairs' loop, with the same comparisons. After row a the counts
  ;; appended so far are stored as i32 at ue + 4(a − a0) and le + 4(a − a0). It stops before a row
  ;; that might not fit in `room` entries per side (never before the first) and returns that row (n
  ;; when all are done); the largest d (0 when none is larger) is stored as an f64 at `at`.
  (func (export "pairs")
    (param $w i32) (param $L i32) (param $t i32) (param $nb i32) (param $a0 i32) (param $n i32)
    (param $caps i32) (param $sqrt i32)
    (param $ub i32) (param $ud i32) (param $lb i32) (param $ld i32) (param $room i32)
    (param $ue i32) (param $le i32) (param $at i32) (result i32)
    (local $stride i32) (local $pa i32) (local $pb i32) (local $b i32) (local $b4 i32)
    (local $tt i32) (local $rem i32) (local $j i32) (local $qa i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $x0 i64) (local $x1 i64) (local $x2 i64) (local $x3 i64)
    (local $d0 f64) (local $d1 f64) (local $d2 f64) (local $d3 f64)
    (local $ca f64) (local $max f64) (local $nu i32) (local $nl i32) (local $a i32) (local $left i32)
    (local.set $stride (i32.shl (local.get $L) (i32.const 3)))
    (local.set $a (local.get $a0))
    (local.set $b4 (i32.sub (local.get $n) (i32.const 3)))
    (block $rows
      (loop $row
        (br_if $rows (i32.ge_s (local.get $a) (local.get $n)))
        ;; room for this row's n − a − 1 pairs on both sides (the first row always fits)
        (local.set $left (i32.sub (i32.sub (local.get $n) (local.get $a)) (i32.const 1)))
        (if (i32.and (i32.gt_s (local.get $a) (local.get $a0))
              (i32.or (i32.gt_s (i32.add (local.get $nu) (local.get $left)) (local.get $room))
                      (i32.gt_s (i32.add (local.get $nl) (local.get $left)) (local.get $room))))
          (then (br $rows)))
        (local.set $pa (i32.add (local.get $w) (i32.mul (local.get $a) (local.get $stride))))
        (local.set $b (i32.add (local.get $a) (i32.const 1)))
        (local.set $pb (i32.add (local.get $pa) (local.get $stride)))
        (local.set $ca (f64.load (i32.add (local.get $caps) (i32.shl (local.get $a) (i32.const 3)))))
        (block $done4
          (loop $each4
            (br_if $done4 (i32.ge_s (local.get $b) (local.get $b4)))
            (local.set $tt (local.get $t))
            (local.set $rem (local.get $nb))
            (local.set $qa (local.get $pa))
            (local.set $d0 (f64.const 0))
            (local.set $q0 (local.get $pb))
            (local.set $d1 (f64.const 0))
            (local.set $q1 (i32.add (local.get $pb) (local.get $stride)))
            (local.set $d2 (f64.const 0))
            (local.set $q2 (i32.add (local.get $pb) (i32.shl (local.get $stride) (i32.const 1))))
            (local.set $d3 (f64.const 0))
            (local.set $q3 (i32.add (local.get $pb) (i32.mul (local.get $stride) (i32.const 3))))
            (loop $word
              (local.set $x0 (i64.xor (i64.load (local.get $qa)) (i64.load (local.get $q0))))
              (local.set $x1 (i64.xor (i64.load (local.get $qa)) (i64.load (local.get $q1))))
              (local.set $x2 (i64.xor (i64.load (local.get $qa)) (i64.load (local.get $q2))))
              (local.set $x3 (i64.xor (i64.load (local.get $qa)) (i64.load (local.get $q3))))
              (local.set $j (select (i32.const 8) (local.get $rem) (i32.gt_u (local.get $rem) (i32.const 8))))
              (local.set $rem (i32.sub (local.get $rem) (local.get $j)))
              (loop $byte
                (local.set $d0 (f64.add (local.get $d0) (f64.load (i32.add (local.get $tt)
                  (i32.shl (i32.wrap_i64 (i64.and (local.get $x0) (i64.const 255))) (i32.const 3))))))
                (local.set $x0 (i64.shr_u (local.get $x0) (i64.const 8)))
                (local.set $d1 (f64.add (local.get $d1) (f64.load (i32.add (local.get $tt)
                  (i32.shl (i32.wrap_i64 (i64.and (local.get $x1) (i64.const 255))) (i32.const 3))))))
                (local.set $x1 (i64.shr_u (local.get $x1) (i64.const 8)))
                (local.set $d2 (f64.add (local.get $d2) (f64.load (i32.add (local.get $tt)
                  (i32.shl (i32.wrap_i64 (i64.and (local.get $x2) (i64.const 255))) (i32.const 3))))))
                (local.set $x2 (i64.shr_u (local.get $x2) (i64.const 8)))
                (local.set $d3 (f64.add (local.get $d3) (f64.load (i32.add (local.get $tt)
                  (i32.shl (i32.wrap_i64 (i64.and (local.get $x3) (i64.const 255))) (i32.const 3))))))
                (local.set $x3 (i64.shr_u (local.get $x3) (i64.const 8)))
                (local.set $tt (i32.add (local.get $tt) (i32.const 2048)))
                (local.set $j (i32.sub (local.get $j) (i32.const 1)))
                (br_if $byte (local.get $j)))
              (local.set $qa (i32.add (local.get $qa) (i32.const 8)))
              (local.set $q0 (i32.add (local.get $q0) (i32.const 8)))
              (local.set $q1 (i32.add (local.get $q1) (i32.const 8)))
              (local.set $q2 (i32.add (local.get $q2) (i32.const 8)))
              (local.set $q3 (i32.add (local.get $q3) (i32.const 8)))
              (br_if $word (local.get $rem)))
            (if (local.get $sqrt) (then (local.set $d0 (f64.sqrt (local.get $d0)))))
            (if (f64.gt (local.get $d0) (local.get $max)) (then (local.set $max (local.get $d0))))
            (if (f64.lt (local.get $d0) (local.get $ca))
              (then
                (i32.store (i32.add (local.get $ub) (i32.shl (local.get $nu) (i32.const 2))) (local.get $b))
                (f64.store (i32.add (local.get $ud) (i32.shl (local.get $nu) (i32.const 3))) (local.get $d0))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (if (f64.lt (local.get $d0) (f64.load offset=0 (i32.add (local.get $caps) (i32.shl (local.get $b) (i32.const 3)))))
              (then
                (i32.store (i32.add (local.get $lb) (i32.shl (local.get $nl) (i32.const 2))) (local.get $b))
                (f64.store (i32.add (local.get $ld) (i32.shl (local.get $nl) (i32.const 3))) (local.get $d0))
                (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
            (if (local.get $sqrt) (then (local.set $d1 (f64.sqrt (local.get $d1)))))
            (if (f64.gt (local.get $d1) (local.get $max)) (then (local.set $max (local.get $d1))))
            (if (f64.lt (local.get $d1) (local.get $ca))
              (then
                (i32.store (i32.add (local.get $ub) (i32.shl (local.get $nu) (i32.const 2))) (i32.add (local.get $b) (i32.const 1)))
                (f64.store (i32.add (local.get $ud) (i32.shl (local.get $nu) (i32.const 3))) (local.get $d1))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (if (f64.lt (local.get $d1) (f64.load offset=8 (i32.add (local.get $caps) (i32.shl (local.get $b) (i32.const 3)))))
              (then
                (i32.store (i32.add (local.get $lb) (i32.shl (local.get $nl) (i32.const 2))) (i32.add (local.get $b) (i32.const 1)))
                (f64.store (i32.add (local.get $ld) (i32.shl (local.get $nl) (i32.const 3))) (local.get $d1))
                (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
            (if (local.get $sqrt) (then (local.set $d2 (f64.sqrt (local.get $d2)))))
            (if (f64.gt (local.get $d2) (local.get $max)) (then (local.set $max (local.get $d2))))
            (if (f64.lt (local.get $d2) (local.get $ca))
              (then
                (i32.store (i32.add (local.get $ub) (i32.shl (local.get $nu) (i32.const 2))) (i32.add (local.get $b) (i32.const 2)))
                (f64.store (i32.add (local.get $ud) (i32.shl (local.get $nu) (i32.const 3))) (local.get $d2))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (if (f64.lt (local.get $d2) (f64.load offset=16 (i32.add (local.get $caps) (i32.shl (local.get $b) (i32.const 3)))))
              (then
                (i32.store (i32.add (local.get $lb) (i32.shl (local.get $nl) (i32.const 2))) (i32.add (local.get $b) (i32.const 2)))
                (f64.store (i32.add (local.get $ld) (i32.shl (local.get $nl) (i32.const 3))) (local.get $d2))
                (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
            (if (local.get $sqrt) (then (local.set $d3 (f64.sqrt (local.get $d3)))))
            (if (f64.gt (local.get $d3) (local.get $max)) (then (local.set $max (local.get $d3))))
            (if (f64.lt (local.get $d3) (local.get $ca))
              (then
                (i32.store (i32.add (local.get $ub) (i32.shl (local.get $nu) (i32.const 2))) (i32.add (local.get $b) (i32.const 3)))
                (f64.store (i32.add (local.get $ud) (i32.shl (local.get $nu) (i32.const 3))) (local.get $d3))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (if (f64.lt (local.get $d3) (f64.load offset=24 (i32.add (local.get $caps) (i32.shl (local.get $b) (i32.const 3)))))
              (then
                (i32.store (i32.add (local.get $lb) (i32.shl (local.get $nl) (i32.const 2))) (i32.add (local.get $b) (i32.const 3)))
                (f64.store (i32.add (local.get $ld) (i32.shl (local.get $nl) (i32.const 3))) (local.get $d3))
                (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
            (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $stride) (i32.const 2))))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $each4)))
        (block $done
          (loop $each
            (br_if $done (i32.ge_s (local.get $b) (local.get $n)))
            (local.set $tt (local.get $t))
            (local.set $rem (local.get $nb))
            (local.set $qa (local.get $pa))
            (local.set $d0 (f64.const 0))
            (local.set $q0 (local.get $pb))
            (loop $word
              (local.set $x0 (i64.xor (i64.load (local.get $qa)) (i64.load (local.get $q0))))
              (local.set $j (select (i32.const 8) (local.get $rem) (i32.gt_u (local.get $rem) (i32.const 8))))
              (local.set $rem (i32.sub (local.get $rem) (local.get $j)))
              (loop $byte
                (local.set $d0 (f64.add (local.get $d0) (f64.load (i32.add (local.get $tt)
                  (i32.shl (i32.wrap_i64 (i64.and (local.get $x0) (i64.const 255))) (i32.const 3))))))
                (local.set $x0 (i64.shr_u (local.get $x0) (i64.const 8)))
                (local.set $tt (i32.add (local.get $tt) (i32.const 2048)))
                (local.set $j (i32.sub (local.get $j) (i32.const 1)))
                (br_if $byte (local.get $j)))
              (local.set $qa (i32.add (local.get $qa) (i32.const 8)))
              (local.set $q0 (i32.add (local.get $q0) (i32.const 8)))
              (br_if $word (local.get $rem)))
            (if (local.get $sqrt) (then (local.set $d0 (f64.sqrt (local.get $d0)))))
            (if (f64.gt (local.get $d0) (local.get $max)) (then (local.set $max (local.get $d0))))
            (if (f64.lt (local.get $d0) (local.get $ca))
              (then
                (i32.store (i32.add (local.get $ub) (i32.shl (local.get $nu) (i32.const 2))) (local.get $b))
                (f64.store (i32.add (local.get $ud) (i32.shl (local.get $nu) (i32.const 3))) (local.get $d0))
                (local.set $nu (i32.add (local.get $nu) (i32.const 1)))))
            (if (f64.lt (local.get $d0) (f64.load offset=0 (i32.add (local.get $caps) (i32.shl (local.get $b) (i32.const 3)))))
              (then
                (i32.store (i32.add (local.get $lb) (i32.shl (local.get $nl) (i32.const 2))) (local.get $b))
                (f64.store (i32.add (local.get $ld) (i32.shl (local.get $nl) (i32.const 3))) (local.get $d0))
                (local.set $nl (i32.add (local.get $nl) (i32.const 1)))))
            (local.set $pb (i32.add (local.get $pb) (local.get $stride)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $each)))
        (i32.store (i32.add (local.get $ue) (i32.shl (i32.sub (local.get $a) (local.get $a0)) (i32.const 2))) (local.get $nu))
        (i32.store (i32.add (local.get $le) (i32.shl (i32.sub (local.get $a) (local.get $a0)) (i32.const 2))) (local.get $nl))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $row)))
    (f64.store (local.get $at) (local.get $max))
    (local.get $a))
)
