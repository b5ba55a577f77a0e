// A countdown the server drives: it says how much time is left (state, tick, buzzer messages) and the page
// counts down from there between messages. The page's number is only a display; the server decides what is
// late. Paused or closed, the countdown stands still.
export function createCountdown(render) {
  let endsAt = null;     // performance.now() at which it reaches zero, while running
  let frozen = null;     // ms left while standing still
  let total = null;
  let timer = null;

  function left() {
    if (endsAt !== null) return Math.max(0, endsAt - performance.now());
    return frozen;
  }

  function draw() {
    render(left(), total);
  }

  function stopTimer() {
    clearInterval(timer);
    timer = null;
  }

  return {
    // remainingMs null hides the countdown; running false shows it standing still (paused).
    set(remainingMs, totalMs, running) {
      total = totalMs || null;
      stopTimer();
      if (remainingMs === null || remainingMs === undefined) {
        endsAt = null;
        frozen = null;
      } else if (running) {
        endsAt = performance.now() + remainingMs;
        frozen = null;
        // 4 times a second: smooth enough for a ring, light enough for an old phone.
        timer = setInterval(() => {
          draw();
          if (left() <= 0) stopTimer();
        }, 250);
      } else {
        endsAt = null;
        frozen = remainingMs;
      }
      draw();
    },
    // Keeps the countdown where it is but stops it moving.
    freeze() {
      const now = left();
      stopTimer();
      endsAt = null;
      frozen = now;
      draw();
    },
    remaining: left,
  };
}

// Whole seconds as people read a countdown: 0.2 s left still shows 1.
export function seconds(ms) {
  return ms === null || ms === undefined ? '' : String(Math.ceil(ms / 1000));
}
