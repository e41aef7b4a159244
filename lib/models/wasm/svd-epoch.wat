;; One SGD epoch of biased SVD (Surprise's SVD.sgd), f64x2 SIMD.
;; See lib/models/sgd-svd-epoch.ts for the equations and the memory layout.
;; Assembled by scripts/build-wasm.mjs into svd-epoch.wasm.ts.
;;
;; All pointers are byte addresses into the imported memory; rows of p_u (f32)
;; and q_i (f64) are k factors long. The factor loop takes four factors (two
;; f64x2) per step, then the k mod 4 others one by one. The arithmetic is the
;; plain JS transcription's, operation for operation: the four lanes of n0 and
;; n1 are its accumulators n0..n3 (the tail adds into n0), summed as
;; (n0 + n1) + (n2 + n3); so the results are bit-identical to it.
;; p and q rows are addressed by byte offset fb = 8 f within the row; p_u rows
;; (f32) at fb / 2. e2, e4 and eK are the byte ends of the pairs, the quads and
;; the whole row: 8 (k − k mod 2), 8 (k − k mod 4) and 8 k.
(module
  (import "env" "memory" (memory 1))
  (func (export "svdEpoch")
    (param $nUsers i32) (param $k i32)
    (param $mu f64) (param $lr f64) (param $reg f64)
    (param $indptr i32) (param $indices i32) (param $values i32)
    (param $bu i32) (param $bi i32) (param $pu i32) (param $qi i32) (param $p i32)
    (result f64)
    (local $sse f64) (local $d f64) (local $g f64) (local $dv v128) (local $gv v128)
    (local $e2 i32) (local $e4 i32) (local $eK i32)
    (local $u i32) (local $at i32) (local $end i32)
    (local $puRow i32) (local $io i32) (local $jo i32) (local $fb i32)
    (local $bu_u f64) (local $biAt i32) (local $bi_i f64) (local $err f64) (local $dot f64)
    (local $a0 f64) (local $s0 f64) (local $t0 f64) (local $w0 f64)
    (local $p0 v128) (local $p1 v128) (local $q0 v128) (local $q1 v128)
    (local $u0 v128) (local $u1 v128) (local $n0 v128) (local $n1 v128)

    ;; d = 1 − γλ
    (local.set $d (f64.sub (f64.const 1) (f64.mul (local.get $lr) (local.get $reg))))
    (local.set $dv (f64x2.splat (local.get $d)))
    (local.set $eK (i32.shl (local.get $k) (i32.const 3)))
    (local.set $e2 (i32.and (local.get $eK) (i32.const -16)))
    (local.set $e4 (i32.and (local.get $eK) (i32.const -32)))

    (block $usersDone
      (loop $users
        (br_if $usersDone (i32.ge_u (local.get $u) (local.get $nUsers)))
        (local.set $at (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $u) (i32.const 2)))))
        (if (i32.ne (local.get $at) (local.get $end))
          (then
            ;; p ← p_u as doubles
            (local.set $puRow (i32.add (local.get $pu) (i32.mul (local.get $u) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $fb (i32.const 0))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.ge_u (local.get $fb) (local.get $e2)))
                (v128.store (i32.add (local.get $p) (local.get $fb))
                  (f64x2.promote_low_f32x4
                    (v128.load64_zero (i32.add (local.get $puRow) (i32.shr_u (local.get $fb) (i32.const 1))))))
                (local.set $fb (i32.add (local.get $fb) (i32.const 16)))
                (br $pairs)))
            (if (i32.ne (local.get $e2) (local.get $eK))
              (then
                (f64.store (i32.add (local.get $p) (local.get $e2))
                  (f64.promote_f32 (f32.load (i32.add (local.get $puRow) (i32.shr_u (local.get $e2) (i32.const 1))))))))
            (local.set $bu_u (f64.load (i32.add (local.get $bu) (i32.shl (local.get $u) (i32.const 3)))))

            ;; dot = q_iᵀp for the user's first rating, in factor order
            (local.set $io (i32.add (local.get $qi)
              (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $at) (i32.const 2)))) (local.get $eK))))
            (local.set $dot (f64.const 0))
            (local.set $fb (i32.const 0))
            (loop $firstDot
              (local.set $dot (f64.add (local.get $dot)
                (f64.mul (f64.load (i32.add (local.get $io) (local.get $fb))) (f64.load (i32.add (local.get $p) (local.get $fb))))))
              (local.set $fb (i32.add (local.get $fb) (i32.const 8)))
              (br_if $firstDot (i32.lt_u (local.get $fb) (local.get $eK))))

            (loop $ratings
              ;; e = r − (μ + b_u + b_i + dot); sse += e²
              (local.set $biAt (i32.add (local.get $bi)
                (i32.shl (i32.load (i32.add (local.get $indices) (i32.shl (local.get $at) (i32.const 2)))) (i32.const 3))))
              (local.set $bi_i (f64.load (local.get $biAt)))
              (local.set $err (f64.sub
                (f64.promote_f32 (f32.load (i32.add (local.get $values) (i32.shl (local.get $at) (i32.const 2)))))
                (f64.add (f64.add (f64.add (local.get $mu) (local.get $bu_u)) (local.get $bi_i)) (local.get $dot))))
              (local.set $sse (f64.add (local.get $sse) (f64.mul (local.get $err) (local.get $err))))
              ;; b_u += γ (e − λ b_u); b_i += γ (e − λ b_i); g = γ e
              (local.set $bu_u (f64.add (local.get $bu_u)
                (f64.mul (local.get $lr) (f64.sub (local.get $err) (f64.mul (local.get $reg) (local.get $bu_u))))))
              (f64.store (local.get $biAt) (f64.add (local.get $bi_i)
                (f64.mul (local.get $lr) (f64.sub (local.get $err) (f64.mul (local.get $reg) (local.get $bi_i))))))
              (local.set $g (f64.mul (local.get $lr) (local.get $err)))
              (local.set $gv (f64x2.splat (local.get $g)))

              ;; the next rating's q row (this one's after the last rating)
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (local.set $jo
                (if (result i32) (i32.lt_u (local.get $at) (local.get $end))
                  (then (i32.add (local.get $qi)
                    (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $at) (i32.const 2)))) (local.get $eK))))
                  (else (local.get $io))))

              ;; p ← d p + g q; q ← d q + g p (old p); n += q_next ⊙ p (new p)
              (local.set $n0 (v128.const i64x2 0 0))
              (local.set $n1 (v128.const i64x2 0 0))
              (local.set $fb (i32.const 0))
              (block $quadsDone
                (loop $quads
                  (br_if $quadsDone (i32.ge_u (local.get $fb) (local.get $e4)))
                  (local.set $p0 (v128.load (i32.add (local.get $p) (local.get $fb))))
                  (local.set $p1 (v128.load offset=16 (i32.add (local.get $p) (local.get $fb))))
                  (local.set $q0 (v128.load (i32.add (local.get $io) (local.get $fb))))
                  (local.set $q1 (v128.load offset=16 (i32.add (local.get $io) (local.get $fb))))
                  (local.set $u0 (f64x2.add (f64x2.mul (local.get $dv) (local.get $p0)) (f64x2.mul (local.get $gv) (local.get $q0))))
                  (local.set $u1 (f64x2.add (f64x2.mul (local.get $dv) (local.get $p1)) (f64x2.mul (local.get $gv) (local.get $q1))))
                  (v128.store (i32.add (local.get $p) (local.get $fb)) (local.get $u0))
                  (v128.store offset=16 (i32.add (local.get $p) (local.get $fb)) (local.get $u1))
                  (v128.store (i32.add (local.get $io) (local.get $fb))
                    (f64x2.add (f64x2.mul (local.get $dv) (local.get $q0)) (f64x2.mul (local.get $gv) (local.get $p0))))
                  (v128.store offset=16 (i32.add (local.get $io) (local.get $fb))
                    (f64x2.add (f64x2.mul (local.get $dv) (local.get $q1)) (f64x2.mul (local.get $gv) (local.get $p1))))
                  (local.set $n0 (f64x2.add (local.get $n0)
                    (f64x2.mul (v128.load (i32.add (local.get $jo) (local.get $fb))) (local.get $u0))))
                  (local.set $n1 (f64x2.add (local.get $n1)
                    (f64x2.mul (v128.load offset=16 (i32.add (local.get $jo) (local.get $fb))) (local.get $u1))))
                  (local.set $fb (i32.add (local.get $fb) (i32.const 32)))
                  (br $quads)))
              ;; the k mod 4 last factors, one by one, into the first accumulator
              (local.set $a0 (f64x2.extract_lane 0 (local.get $n0)))
              (block $tailDone
                (loop $tail
                  (br_if $tailDone (i32.ge_u (local.get $fb) (local.get $eK)))
                  (local.set $s0 (f64.load (i32.add (local.get $p) (local.get $fb))))
                  (local.set $t0 (f64.load (i32.add (local.get $io) (local.get $fb))))
                  (local.set $w0 (f64.add (f64.mul (local.get $d) (local.get $s0)) (f64.mul (local.get $g) (local.get $t0))))
                  (f64.store (i32.add (local.get $p) (local.get $fb)) (local.get $w0))
                  (f64.store (i32.add (local.get $io) (local.get $fb))
                    (f64.add (f64.mul (local.get $d) (local.get $t0)) (f64.mul (local.get $g) (local.get $s0))))
                  (local.set $a0 (f64.add (local.get $a0)
                    (f64.mul (f64.load (i32.add (local.get $jo) (local.get $fb))) (local.get $w0))))
                  (local.set $fb (i32.add (local.get $fb) (i32.const 8)))
                  (br $tail)))
              (local.set $dot (f64.add
                (f64.add (local.get $a0) (f64x2.extract_lane 1 (local.get $n0)))
                (f64.add (f64x2.extract_lane 0 (local.get $n1)) (f64x2.extract_lane 1 (local.get $n1)))))
              (local.set $io (local.get $jo))
              (br_if $ratings (i32.lt_u (local.get $at) (local.get $end))))

            ;; write b_u and p_u back (p_u rounded to f32)
            (f64.store (i32.add (local.get $bu) (i32.shl (local.get $u) (i32.const 3))) (local.get $bu_u))
            (local.set $fb (i32.const 0))
            (block $backDone
              (loop $back
                (br_if $backDone (i32.ge_u (local.get $fb) (local.get $e2)))
                (v128.store64_lane 0 (i32.add (local.get $puRow) (i32.shr_u (local.get $fb) (i32.const 1)))
                  (f32x4.demote_f64x2_zero (v128.load (i32.add (local.get $p) (local.get $fb)))))
                (local.set $fb (i32.add (local.get $fb) (i32.const 16)))
                (br $back)))
            (if (i32.ne (local.get $e2) (local.get $eK))
              (then
                (f32.store (i32.add (local.get $puRow) (i32.shr_u (local.get $e2) (i32.const 1)))
                  (f32.demote_f64 (f64.load (i32.add (local.get $p) (local.get $e2)))))))))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br $users)))
    (local.get $sse)))
