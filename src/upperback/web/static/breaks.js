// The break reminder: counts down to the next short break, shows an idea when it is due, and
// offers take, put off (once) and skip, as `upperback breaks` does. A taken break is saved with
// POST /breaks/log. Without JavaScript the page shows the schedule and a plain form instead.
// Times come from Date.now(), so a tab the browser slows down is never behind for long.
(function () {
  "use strict";

  function twoDigits(n) { return (n < 10 ? "0" : "") + n; }
  function clockText(ms) {
    var left = Math.max(0, Math.ceil(ms / 1000));
    return twoDigits(Math.floor(left / 60)) + ":" + twoDigits(left % 60);
  }

  // A soft two-note chime: the audio context is made on the start click (browsers allow
  // sound only after one).
  function chime(audio) {
    if (!audio) { return; }
    var now = audio.currentTime;
    [523, 659].forEach(function (pitch, i) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = pitch;
      gain.gain.setValueAtTime(0.0001, now + i * 0.5);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.5 + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.5 + 0.9);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(now + i * 0.5);
      tone.stop(now + i * 0.5 + 1);
    });
  }

  function notify(title, body) {
    if (!("Notification" in window) || Notification.permission !== "granted") { return; }
    try { new Notification(title, { body: body }); } catch (e) { /* some browsers notify only from a service worker */ }
  }

  function enhance(box) {
    var every = parseInt(box.getAttribute("data-every"), 10) * 1000;
    var length = parseInt(box.getAttribute("data-length"), 10) * 1000;
    var postpone = parseInt(box.getAttribute("data-postpone"), 10) * 1000;
    var canLog = box.getAttribute("data-can-log") === "1";
    var ideas = Array.prototype.map.call(
      document.querySelectorAll("[data-break-ideas] li"), function (li) { return li.textContent; });
    var label = box.querySelector("[data-break-label]");
    var clock = box.querySelector("[data-break-clock]");
    var status = box.querySelector("[data-break-status]");
    var due = box.querySelector("[data-break-due]");
    var idea = box.querySelector("[data-break-idea]");
    var buttons = {};
    ["start", "stop", "end", "take", "postpone", "skip"].forEach(function (name) {
      buttons[name] = box.querySelector("[data-break-" + name + "]");
    });
    var pageTitle = document.title;
    var audio = null;
    var timer = null;
    var phase = "off"; // off, waiting, due, break
    var dueAt = 0;
    var breakStarted = 0;
    var postponed = false;
    var number = 0; // breaks that have come due and been taken or skipped

    box.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll("[data-no-js]"), function (note) {
      note.hidden = true;
    });

    function show(ms, what) {
      clock.textContent = clockText(ms);
      document.title = clockText(ms) + " " + what + " | " + pageTitle;
    }

    function wait(ms) {
      phase = "waiting";
      dueAt = Date.now() + ms;
      label.textContent = "Next break in";
      due.hidden = true;
      buttons.end.hidden = true;
      show(ms, "to a break");
    }

    function comeDue() {
      phase = "due";
      var text = ideas.length ? ideas[number % ideas.length] : "";
      idea.textContent = text;
      buttons.postpone.hidden = postponed;
      due.hidden = false;
      label.textContent = "A break is due";
      show(0, "break due");
      status.textContent = "Time for a break.";
      chime(audio);
      notify("Time for a break", text);
      due.focus();
    }

    function save(seconds) {
      if (!canLog) { return; }
      var body = new URLSearchParams();
      body.set(box.getAttribute("data-csrf-field"), box.getAttribute("data-csrf"));
      body.set("seconds", String(seconds));
      fetch("/breaks/log", {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        status.textContent += response.ok ? " Saved to your diary." : " It could not be saved to your diary.";
      }).catch(function () {
        status.textContent += " It could not be saved to your diary.";
      });
    }

    function next() {
      number += 1;
      postponed = false;
      wait(every);
    }

    function endBreak(seconds) {
      status.textContent = "Break done. Back to it, gently.";
      chime(audio);
      save(Math.max(1, seconds));
      next();
      buttons.stop.focus();
    }

    function tick() {
      var now = Date.now();
      if (phase === "waiting") {
        show(dueAt - now, "to a break");
        if (now >= dueAt) { comeDue(); }
      } else if (phase === "break") {
        show(breakStarted + length - now, "of your break");
        if (now >= breakStarted + length) { endBreak(Math.round(length / 1000)); }
      }
    }

    buttons.start.addEventListener("click", function () {
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
      // Asked only now, after the person chose to start: never on page load.
      if ("Notification" in window && Notification.permission === "default") {
        Promise.resolve(Notification.requestPermission()).catch(function () { return null; });
      }
      buttons.start.hidden = true;
      buttons.stop.hidden = false;
      status.textContent = "Reminders started.";
      wait(every);
      timer = setInterval(tick, 1000);
    });
    buttons.stop.addEventListener("click", function () {
      clearInterval(timer);
      timer = null;
      phase = "off";
      due.hidden = true;
      buttons.end.hidden = true;
      buttons.stop.hidden = true;
      buttons.start.hidden = false;
      label.textContent = "Press start. The page counts down while it stays open.";
      clock.textContent = clockText(every);
      document.title = pageTitle;
      status.textContent = "Reminders stopped.";
      buttons.start.focus();
    });
    buttons.take.addEventListener("click", function () {
      phase = "break";
      breakStarted = Date.now();
      due.hidden = true;
      buttons.end.hidden = false;
      label.textContent = "Break: back in";
      status.textContent = "Enjoy your break. " + idea.textContent;
      show(length, "of your break");
      buttons.end.focus();
    });
    buttons.end.addEventListener("click", function () {
      if (phase === "break") { endBreak(Math.round((Date.now() - breakStarted) / 1000)); }
    });
    buttons.postpone.addEventListener("click", function () {
      if (postponed) { return; }
      postponed = true;
      status.textContent = "Put off for " + Math.round(postpone / 60000) + " minutes.";
      wait(postpone);
      buttons.stop.focus();
    });
    buttons.skip.addEventListener("click", function () {
      status.textContent = "Skipped.";
      next();
      buttons.stop.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-breaks]");
    if (box) { enhance(box); }
  });
})();
