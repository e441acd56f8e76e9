;; The prefilter's hot loop in WebAssembly: the same automaton walk as `Prefilter.walkInJs` in
;; prefilter.ts, about 2.5x faster than the JavaScript loop (no bounds checks, no tagging). Each
;; step of a walk waits on a table load, so two walks interleaved (`scanSplit`) run side by side:
;; 1.9x the single walk's bytes per second alone, about 1.35x with the events of real input.
;; The build assembles this file into dist/prefilter.wasm (src/config/build-rules.ts).
;;
;; Memory, laid out by prefilter.ts (`Kernel`):
;;   bytes 0-3     the state the last call stopped in (`scanSplit`: the first walk's)
;;   bytes 4-7     where the last call's events end
;;   bytes 8-11    `scanSplit`: the second walk's state
;;   bytes 16-271  the character class of each byte (0 for bytes no pattern has)
;;   from 272      the transition table, i32: entry (state + class) holds the next state, states
;;                 pre-multiplied by the class count, as in prefilter.ts
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
          (i32.load offset=272
            (i32.shl
              (i32.add (local.get $s) (i32.load8_u offset=16 (i32.load8_u (local.get $p))))
              (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $s) (local.get $outputFrom)))
        (i32.store (local.get $events) (local.get $s))
        (i32.store offset=4 (local.get $events) (local.get $p))
        (local.set $events (i32.add (local.get $events) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $events) (local.get $eventsEnd)))))
    (i32.store (i32.const 0) (local.get $s))
    (i32.store (i32.const 4) (local.get $events))
    (local.get $p))

  ;; Two walks in step: the first over [pA, endA) from state sA, the second over the same number
  ;; of bytes from pB with state sB. The second reports only events that end after splitEnd (the
  ;; first one's end: it starts early only to learn its state). Stops at endA, or once fewer than
  ;; two events fit before eventsEnd. Returns where the first walk stopped.
  (func (export "scanSplit")
    (param $sA i32) (param $sB i32) (param $pA i32) (param $pB i32) (param $endA i32) (param $splitEnd i32)
    (param $outputFrom i32) (param $events i32) (param $eventsEnd i32) (result i32)
    (local $last i32)
    (local.set $last (i32.sub (local.get $eventsEnd) (i32.const 16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pA) (local.get $endA)))
        (local.set $sA
          (i32.load offset=272
            (i32.shl
              (i32.add (local.get $sA) (i32.load8_u offset=16 (i32.load8_u (local.get $pA))))
              (i32.const 2))))
        (local.set $sB
          (i32.load offset=272
            (i32.shl
              (i32.add (local.get $sB) (i32.load8_u offset=16 (i32.load8_u (local.get $pB))))
              (i32.const 2))))
        (local.set $pA (i32.add (local.get $pA) (i32.const 1)))
        (local.set $pB (i32.add (local.get $pB) (i32.const 1)))
        (if (i32.ge_u (local.get $sA) (local.get $outputFrom))
          (then
            (i32.store (local.get $events) (local.get $sA))
            (i32.store offset=4 (local.get $events) (local.get $pA))
            (local.set $events (i32.add (local.get $events) (i32.const 8)))))
        (if (i32.and
              (i32.ge_u (local.get $sB) (local.get $outputFrom))
              (i32.gt_u (local.get $pB) (local.get $splitEnd)))
          (then
            (i32.store (local.get $events) (local.get $sB))
            (i32.store offset=4 (local.get $events) (local.get $pB))
            (local.set $events (i32.add (local.get $events) (i32.const 8)))))
        (br_if $next (i32.le_u (local.get $events) (local.get $last)))))
    (i32.store (i32.const 0) (local.get $sA))
    (i32.store (i32.const 4) (local.get $events))
    (i32.store (i32.const 8) (local.get $sB))
    (local.get $pA))
)
