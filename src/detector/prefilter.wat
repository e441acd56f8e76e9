;; The prefilter's hot loop in WebAssembly: the same automaton walk as `Prefilter.walkInJs` in
;; prefilter.ts, about 2.5x faster than the JavaScript loop (no bounds checks, no tagging). Each
;; step of a walk waits on a table load, so four walks interleaved (`scanSplit`) run side by side.
;; The build assembles this file into dist/prefilter.wasm (src/config/build-rules.ts).
;;
;; Memory, laid out by prefilter.ts (`Kernel`):
;;   bytes 0-3     the state the last call stopped in (`scanSplit`: walk A's)
;;   bytes 4-7     where the last call's events end
;;   bytes 8-19    `scanSplit`: the states of walks B, C and D
;;   bytes 32-1055 the character class of each byte, i32, times 4 (0 for bytes no pattern has)
;;   from 1056     the transition table, i32: the entry at byte (state + class) holds the next
;;                 state. States are byte offsets into the table (prefilter.ts builds them so), so a
;;                 step is an add and a load, with no shift on the path from one state to the next
;;                 (the byte's class is looked up beside it, off that path)
;;   after it      the event buffer, then the input (copied in by chunks)
(module
  (memory (export "memory") 1)

  ;; Walks the bytes [p, end) from state s. At each state at or above outputFrom (a pattern ends
  ;; there) it appends an event, the pair (state, position after the byte), to [events, eventsEnd).
  ;; Returns the position it stopped at: end, or after the event that filled the buffer.
  (func (export "scan")
    (param $s i32) (param $p i32) (param $end i32) (param $outputFrom i32)
    (param $events i32) (param $eventsEnd i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s
          (i32.load offset=1056
            (i32.add (local.get $s) (i32.load offset=32 (i32.shl (i32.load8_u (local.get $p)) (i32.const 2))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $s) (local.get $outputFrom)))
        (i32.store (local.get $events) (local.get $s))
        (i32.store offset=4 (local.get $events) (local.get $p))
        (local.set $events (i32.add (local.get $events) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $events) (local.get $eventsEnd)))))
    (i32.store (i32.const 0) (local.get $s))
    (i32.store (i32.const 4) (local.get $events))
    (local.get $p))

  ;; Four walks in step over the same number of bytes, each from its own state: A from pA, B from
  ;; pB, C from pC, D from pD, until A reaches endA. A reports every event; B only those that end
  ;; after loB, C after loC and no later than hiC, D after hiC (each of B, C and D starts early
  ;; only to learn its state: see `Kernel.walk`). Each step of a walk waits on its table load, and
  ;; four walks keep four loads in flight. Stops at endA, or once fewer than four events fit
  ;; before eventsEnd. Returns where A stopped; the states go to memory.
  (func (export "scanSplit")
    (param $sA i32) (param $sB i32) (param $sC i32) (param $sD i32)
    (param $pA i32) (param $pB i32) (param $pC i32) (param $pD i32) (param $endA i32)
    (param $loB i32) (param $loC i32) (param $hiC i32)
    (param $outputFrom i32) (param $events i32) (param $eventsEnd i32) (result i32)
    (local $last i32)
    (local.set $last (i32.sub (local.get $eventsEnd) (i32.const 32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pA) (local.get $endA)))
        (local.set $sA
          (i32.load offset=1056
            (i32.add (local.get $sA) (i32.load offset=32 (i32.shl (i32.load8_u (local.get $pA)) (i32.const 2))))))
        (local.set $sB
          (i32.load offset=1056
            (i32.add (local.get $sB) (i32.load offset=32 (i32.shl (i32.load8_u (local.get $pB)) (i32.const 2))))))
        (local.set $sC
          (i32.load offset=1056
            (i32.add (local.get $sC) (i32.load offset=32 (i32.shl (i32.load8_u (local.get $pC)) (i32.const 2))))))
        (local.set $sD
          (i32.load offset=1056
            (i32.add (local.get $sD) (i32.load offset=32 (i32.shl (i32.load8_u (local.get $pD)) (i32.const 2))))))
        (local.set $pA (i32.add (local.get $pA) (i32.const 1)))
        (local.set $pB (i32.add (local.get $pB) (i32.const 1)))
        (local.set $pC (i32.add (local.get $pC) (i32.const 1)))
        (local.set $pD (i32.add (local.get $pD) (i32.const 1)))
        (if (i32.ge_u (local.get $sA) (local.get $outputFrom))
          (then
            (i32.store (local.get $events) (local.get $sA))
            (i32.store offset=4 (local.get $events) (local.get $pA))
            (local.set $events (i32.add (local.get $events) (i32.const 8)))))
        (if (i32.ge_u (local.get $sB) (local.get $outputFrom))
          (then
            (if (i32.gt_u (local.get $pB) (local.get $loB))
              (then
                (i32.store (local.get $events) (local.get $sB))
                (i32.store offset=4 (local.get $events) (local.get $pB))
                (local.set $events (i32.add (local.get $events) (i32.const 8)))))))
        (if (i32.ge_u (local.get $sC) (local.get $outputFrom))
          (then
            (if (i32.and (i32.gt_u (local.get $pC) (local.get $loC)) (i32.le_u (local.get $pC) (local.get $hiC)))
              (then
                (i32.store (local.get $events) (local.get $sC))
                (i32.store offset=4 (local.get $events) (local.get $pC))
                (local.set $events (i32.add (local.get $events) (i32.const 8)))))))
        (if (i32.ge_u (local.get $sD) (local.get $outputFrom))
          (then
            (if (i32.gt_u (local.get $pD) (local.get $hiC))
              (then
                (i32.store (local.get $events) (local.get $sD))
                (i32.store offset=4 (local.get $events) (local.get $pD))
                (local.set $events (i32.add (local.get $events) (i32.const 8)))))))
        (br_if $next (i32.le_u (local.get $events) (local.get $last)))))
    (i32.store (i32.const 0) (local.get $sA))
    (i32.store (i32.const 4) (local.get $events))
    (i32.store (i32.const 8) (local.get $sB))
    (i32.store (i32.const 12) (local.get $sC))
    (i32.store (i32.const 16) (local.get $sD))
    (local.get $pA))
)
