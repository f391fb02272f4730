// upperback: progressive enhancement only. Every page works without this file.
// - The check moves between questions without full page loads (back/forward still work).
// - The timer counts down, beeps, notifies, and logs the session to the diary.
// - Results can be printed, with every folded section opened first.
"use strict";

(function () {
  var parser = new DOMParser();

  function swapPage(html, url, push) {
    var doc = parser.parseFromString(html, "text/html");
    document.title = doc.title;
    var oldTwin = document.querySelector('link[rel="alternate"]');
    var newTwin = doc.querySelector('link[rel="alternate"]');
    if (oldTwin) { oldTwin.remove(); }
    if (newTwin) { document.head.appendChild(document.importNode(newTwin, true)); }
    document.body.replaceWith(document.importNode(doc.body, true));
    if (push) { history.pushState({ enhanced: true }, "", url); }
    init();
    var focus = document.querySelector(".error-summary") || document.querySelector("main h1") ||
      document.getElementById("main");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
      focus.focus();
    }
    window.scrollTo(0, 0);
  }

  function load(url, options, push) {
    options.headers = { "X-Requested-With": "fetch" };
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (type.indexOf("text/html") !== 0) { throw new Error("not a page"); }
      return response.text().then(function (html) {
        var moved = response.redirected || (options.method || "GET") === "GET";
        swapPage(html, response.url, push && moved);
      });
    });
  }

  function enhanceForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-enhance")) { return; }
      var submitter = event.submitter || null;
      var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
      var data = new URLSearchParams(new FormData(form, submitter));
      event.preventDefault();
      load(action, { method: "POST", body: data }, true).catch(function () {
        form.removeAttribute("data-enhance");
        if (submitter) { submitter.click(); } else { form.submit(); }
      });
    });
    document.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[data-enhance]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      load(link.href, { method: "GET" }, true).catch(function () { location.assign(link.href); });
    });
    window.addEventListener("popstate", function () {
      load(location.href, { method: "GET" }, false).catch(function () { location.reload(); });
    });
  }

  function enhancePrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });

  // -- timer ---------------------------------------------------------------------------------

  function twoDigits(n) { return (n < 10 ? "0" : "") + n; }

  function beep(audio) {
    if (!audio) { return; }
    var now = audio.currentTime;
    for (var i = 0; i < 3; i += 1) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, now + i * 0.6);
      gain.gain.setValueAtTime(0, now + i * 0.6 + 0.35);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(now + i * 0.6);
      tone.stop(now + i * 0.6 + 0.4);
    }
  }

  function enhanceTimer() {
    var form = document.querySelector("[data-timer]");
    if (!form) { return; }
    var start = form.querySelector("[data-timer-start]");
    var stop = form.querySelector("[data-timer-stop]");
    var display = form.querySelector("[data-countdown]");
    var status = form.querySelector("[data-timer-status]");
    var minutesInput = form.querySelector("#minutes");
    var noJs = form.querySelector("[data-no-js]");
    // The form for sessions timed some other way: hidden while the countdown runs and once
    // its session is saved, so one session is never logged twice.
    var logButton = document.querySelector("[data-timer-log]");
    var pageTitle = document.title;
    var kind = form.getAttribute("data-kind");
    var name = form.getAttribute("data-name");
    var timer = null;
    var audio = null;
    var startedAt = 0;
    var endsAt = 0;
    var planned = 0;
    start.hidden = false;
    if (noJs) { noJs.hidden = true; }

    function show(ms) {
      var left = Math.max(0, Math.ceil(ms / 1000));
      var text = twoDigits(Math.floor(left / 60)) + ":" + twoDigits(left % 60);
      display.textContent = text;
      document.title = text + " | " + pageTitle;
    }

    function save(seconds, completed) {
      var body = JSON.stringify({ kind: kind, planned_minutes: planned, seconds: seconds, completed: completed });
      return fetch("/api/v1/timers", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: body
      }).then(function (response) {
        status.textContent += response.ok ? " Saved to your diary." : " It could not be saved to your diary.";
      }).catch(function () {
        status.textContent += " It could not be saved to your diary.";
      });
    }

    function finish(completed) {
      clearInterval(timer);
      timer = null;
      var seconds = completed ? planned * 60 : Math.min(planned * 60, Math.round((Date.now() - startedAt) / 1000));
      start.hidden = false;
      stop.hidden = true;
      minutesInput.disabled = false;
      document.title = pageTitle;
      if (completed) {
        show(0);
        status.textContent = "Time is up. Take the " + name.toLowerCase() + " off now.";
        beep(audio);
        if ("Notification" in window && Notification.permission === "granted") {
          try { new Notification("Time is up", { body: name + ": take it off now." }); } catch (e) { /* some browsers only notify from a service worker */ }
        }
      } else {
        status.textContent = "Timer stopped.";
      }
      return save(seconds, completed);
    }

    start.addEventListener("click", function () {
      var max = parseInt(minutesInput.getAttribute("max"), 10);
      planned = parseInt(minutesInput.value, 10);
      if (!(planned >= 1 && planned <= max)) {
        status.textContent = "Choose from 1 to " + max + " minutes.";
        minutesInput.focus();
        return;
      }
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
      if ("Notification" in window && Notification.permission === "default") {
        Notification.requestPermission().catch(function () { return null; });
      }
      startedAt = Date.now();
      endsAt = startedAt + planned * 60 * 1000;
      display.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      if (logButton) { logButton.hidden = true; }
      minutesInput.disabled = true;
      status.textContent = "Timer started: " + planned + (planned === 1 ? " minute." : " minutes.");
      show(endsAt - Date.now());
      timer = setInterval(function () {
        var left = endsAt - Date.now();
        show(left);
        if (left <= 0) { finish(true); }
      }, 250);
      stop.focus();
    });
    stop.addEventListener("click", function () {
      if (timer !== null) { finish(false); start.focus(); }
    });
  }

  // The body map: shade a region while its box is ticked, and let a click on a region's
  // shape tick its box (the boxes stay the form: this only mirrors them).
  function enhanceBodyMap() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-body-map]"), function (map) {
      function shade(box) {
        Array.prototype.forEach.call(
          map.querySelectorAll('.body-region[data-region="' + box.value + '"]'),
          function (shape) { shape.classList.toggle("is-ticked", box.checked); });
      }
      var boxes = map.querySelectorAll('input[type="checkbox"][data-region]');
      Array.prototype.forEach.call(boxes, function (box) {
        shade(box);
        box.addEventListener("change", function () { shade(box); });
      });
      map.addEventListener("click", function (event) {
        var shape = event.target instanceof Element ? event.target.closest(".body-region") : null;
        if (!shape) { return; }
        var box = document.getElementById("region-" + shape.getAttribute("data-region"));
        if (box) { box.click(); }
      });
    });
  }

  function init() {
    enhancePrint();
    enhanceTimer();
    enhanceBodyMap();
  }

  if (window.fetch && window.history && window.history.pushState) { enhanceForms(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
