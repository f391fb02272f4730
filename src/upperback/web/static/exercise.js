// The exercise counter: counts each hold (or paces each repetition) on the page. Without
// JavaScript the page works as it is: do the exercise, then press "Done" or "Skip".
(function () {
  "use strict";
  var REP_SECONDS = 3;
  function start(counter) {
    var reps = parseInt(counter.dataset.reps, 10) || 1;
    var hold = parseInt(counter.dataset.hold, 10) || 0;
    var sides = parseInt(counter.dataset.sides, 10) || 1;
    var repText = counter.querySelector("[data-counter-rep]");
    var timeText = counter.querySelector("[data-counter-time]");
    var button = counter.querySelector("[data-counter-start]");
    var rounds = [];
    for (var r = 1; r <= reps; r++) {
      for (var s = 1; s <= sides; s++) { rounds.push([r, s]); }
    }
    var index = 0;
    var left = 0;
    button.disabled = true;
    function next() {
      if (index >= rounds.length) {
        repText.textContent = "All done. Well done!";
        timeText.textContent = "";
        button.disabled = false;
        button.textContent = "Count again";
        var done = document.querySelector("[data-counter-done]");
        if (done) { done.focus(); }
        return;
      }
      var round = rounds[index];
      var side = sides === 2 ? ", side " + round[1] : "";
      repText.textContent = (hold ? "Hold " : "Move slowly: ") + round[0] + " of " + reps + side;
      left = hold || REP_SECONDS;
      tick();
    }
    function tick() {
      timeText.textContent = left + " s";
      if (left <= 0) {
        index += 1;
        timeText.textContent = "Relax";
        window.setTimeout(next, 1500);
        return;
      }
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    next();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var counters = document.querySelectorAll("[data-counter]");
    Array.prototype.forEach.call(counters, function (counter) {
      counter.hidden = false;
      counter.querySelector("[data-counter-start]").addEventListener("click", function () {
        start(counter);
      });
    });
  });
})();
