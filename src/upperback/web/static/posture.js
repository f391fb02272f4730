// The posture check. Nothing here sends anything: the camera's frames go to the pose model
// (MediaPipe, vendored under /static/vendor/mediapipe/) inside this page and are dropped.
// Only the calibration and the person's two choices are kept, in this browser's localStorage.
//
// The measure, from the pose's landmarks: how high the ears (or the nose) sit above the
// middle of the shoulders, and how wide the ears are, each in shoulder widths, so that sitting
// nearer or further from the camera does not change them. Slumping lowers the head toward the
// shoulders; leaning toward the screen widens the ears. Each is smoothed (an exponential moving
// average) and compared with the calibration; a slump starts below `enter` and ends only above
// `leave` (hysteresis).

const KEPT = "upperback.posture";
const NOSE = 0;
const EARS = [7, 8];
const SHOULDERS = [11, 12];
const SEEN = 0.5; // the landmark's visibility above which we trust it

const box = document.querySelector("[data-posture]");
if (box) { setUp(); }

function part(selector) { return box.querySelector("[data-posture-" + selector + "]"); }

function average(values) { return values.reduce((sum, v) => sum + v, 0) / values.length; }

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// {height, lean} in shoulder widths, or null when the head and both shoulders are not seen.
function measure(points, width, height) {
  const at = (i) => ({ x: points[i].x * width, y: points[i].y * height,
                       seen: (points[i].visibility ?? 1) >= SEEN });
  const [left, right] = SHOULDERS.map(at);
  if (!left.seen || !right.seen) { return null; }
  const shoulders = Math.hypot(left.x - right.x, left.y - right.y);
  const ears = EARS.map(at).filter((ear) => ear.seen);
  const head = ears.length ? ears : [at(NOSE)].filter((nose) => nose.seen);
  if (!head.length || shoulders < 1) { return null; }
  return {
    height: ((left.y + right.y) / 2 - average(head.map((p) => p.y))) / shoulders,
    lean: ears.length === 2 ? Math.hypot(ears[0].x - ears[1].x, ears[0].y - ears[1].y) / shoulders : null,
  };
}

// The measure against the calibration: 1 as calibrated, lower when slumping or leaning in.
function score(now, calibrated) {
  const height = now.height / calibrated.height;
  const lean = now.lean && calibrated.lean ? calibrated.lean / now.lean : Infinity;
  return Math.min(height, lean);
}

function readKept() {
  try { return JSON.parse(localStorage.getItem(KEPT) || "{}") || {}; } catch (e) { return {}; }
}

function keep(values) {
  try { localStorage.setItem(KEPT, JSON.stringify(Object.assign(readKept(), values))); } catch (e) { /* private mode: not kept */ }
}

function chime(audio) {
  if (!audio) { return; }
  const now = audio.currentTime;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 440;
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.12, now + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 1.2);
  tone.connect(gain);
  gain.connect(audio.destination);
  tone.start(now);
  tone.stop(now + 1.3);
}

function setUp() {
  const settings = box.dataset;
  const enter = parseFloat(settings.enter);
  const leave = parseFloat(settings.leave);
  const smoothing = parseFloat(settings.smoothing);
  const calibrateMs = parseFloat(settings.calibrateSeconds) * 1000;
  const frameMs = parseInt(settings.frameMs, 10);
  const video = part("video");
  const status = part("status");
  const reminder = part("reminder");
  const slumpedText = part("slumped");
  const buttons = { start: part("start"), stop: part("stop"), calibrate: part("calibrate"),
                    dismiss: part("dismiss") };
  const choices = { slump: part("slump"), every: part("every") };

  let landmarker = null;
  let stream = null;
  let audio = null;
  let timer = null;
  let phase = "off"; // off, calibrating, watching
  let samples = [];
  let calibrationStart = 0;
  let calibrated = readKept().calibrated || null;
  let smooth = null;
  let slumping = false;
  let slumpSince = 0;
  let slumpedMs = 0;
  let lastFrame = 0;
  let lastReminder = -Infinity;
  let lastVideoTime = -1;
  let said = "";
  let fresh = false; // calibrated just now, no slump since

  box.hidden = false;
  document.querySelectorAll("[data-no-js]").forEach((note) => { note.hidden = true; });
  const kept = readKept();
  for (const [name, select] of Object.entries(choices)) {
    if (kept[name] && [...select.options].some((o) => o.value === String(kept[name]))) {
      select.value = String(kept[name]);
    }
    select.addEventListener("change", () => keep({ [name]: parseInt(select.value, 10) }));
  }

  // Announce only a change (the live region would otherwise speak five times a second).
  function say(text) {
    if (text !== said) { status.textContent = text; said = text; }
  }

  async function loadModel() {
    const vision = await import(settings.bundle);
    const files = { wasmLoaderPath: new URL(settings.loader, location.href).href,
                    wasmBinaryPath: new URL(settings.wasm, location.href).href };
    return vision.PoseLandmarker.createFromOptions(files, {
      baseOptions: { modelAssetPath: settings.model, delegate: "CPU" },
      runningMode: "VIDEO", numPoses: 1,
    });
  }

  function calibrate() {
    phase = "calibrating";
    samples = [];
    calibrationStart = 0;
    smooth = null;
    slumping = false;
    reminder.hidden = true;
    say("Sit well, as you want to sit, and keep still for "
        + Math.round(calibrateMs / 1000) + " seconds.");
  }

  function remind(now) {
    lastReminder = now;
    reminder.hidden = false;
    chime(audio);
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification("Time to sit tall", { body: "You have been slumping for a while." }); } catch (e) { /* only from a service worker here */ }
    }
  }

  function showSlumped() {
    const minutes = Math.floor(slumpedMs / 60000);
    slumpedText.hidden = false;
    slumpedText.textContent = "Time spent slumping since you started: "
      + (minutes < 1 ? "less than a minute." : minutes + (minutes === 1 ? " minute." : " minutes."));
  }

  function onPose(points, now) {
    const found = points ? measure(points, video.videoWidth, video.videoHeight) : null;
    if (!found) {
      say("I cannot see your head and both shoulders. Sit facing the camera.");
      return;
    }
    if (phase === "calibrating") {
      if (!calibrationStart) { calibrationStart = now; }
      samples.push(found);
      if (now - calibrationStart >= calibrateMs && samples.length >= 5) {
        const leans = samples.map((s) => s.lean).filter((v) => v);
        calibrated = { height: median(samples.map((s) => s.height)),
                       lean: leans.length ? median(leans) : null };
        if (!(calibrated.height > 0)) {
          calibrated = null;
          calibrate();
          return;
        }
        keep({ calibrated: calibrated });
        phase = "watching";
        fresh = true;
        say("Calibrated. Sitting well.");
      }
      return;
    }
    smooth = smooth ? { height: smooth.height + smoothing * (found.height - smooth.height),
                        lean: found.lean && smooth.lean ? smooth.lean + smoothing * (found.lean - smooth.lean) : found.lean }
                    : found;
    const value = score(smooth, calibrated);
    box.dataset.score = value.toFixed(3);
    if (!slumping && value < enter) {
      slumping = true;
      fresh = false;
      slumpSince = now;
    } else if (slumping && value > leave) {
      slumping = false;
      reminder.hidden = true;
    }
    if (slumping) {
      // Frames stop while the tab is hidden: count no more than a couple of seconds a gap.
      slumpedMs += lastFrame ? Math.min(now - lastFrame, 2000) : 0;
      showSlumped();
      say("You are slumping.");
      const slumpMs = parseInt(choices.slump.value, 10) * 1000;
      const everyMs = parseInt(choices.every.value, 10) * 60000;
      if (now - slumpSince >= slumpMs && now - lastReminder >= everyMs) { remind(now); }
    } else {
      say(fresh ? "Calibrated. Sitting well." : "Sitting well.");
    }
  }

  function frame() {
    if (phase === "off") { return; }
    const now = performance.now();
    if (video.readyState >= 2 && video.currentTime !== lastVideoTime) {
      lastVideoTime = video.currentTime;
      let result;
      try {
        result = landmarker.detectForVideo(video, now);
      } catch (e) {
        stop("The posture check stopped. Press start to try again.");
        return;
      }
      onPose(result.landmarks && result.landmarks[0], now);
      lastFrame = now;
    }
    timer = setTimeout(frame, frameMs);
  }

  function stop(message) {
    phase = "off";
    clearTimeout(timer);
    if (stream) { stream.getTracks().forEach((track) => track.stop()); }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    buttons.start.hidden = false;
    buttons.start.disabled = false;
    buttons.stop.hidden = true;
    buttons.calibrate.hidden = true;
    say(message);
  }

  buttons.start.addEventListener("click", async () => {
    buttons.start.disabled = true;
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    // Asked only now, after the person chose to start: never on page load.
    if ("Notification" in window && Notification.permission === "default") {
      Promise.resolve(Notification.requestPermission()).catch(() => null);
    }
    say("Starting the camera.");
    try {
      stream = await navigator.mediaDevices.getUserMedia(
        { video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" }, audio: false });
    } catch (e) {
      stop("The camera did not start. Allow the camera for this page, and check no other program is using it.");
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => null);
    say("Loading the posture check. This takes a few seconds.");
    try {
      landmarker = landmarker || await loadModel();
    } catch (e) {
      stop("The posture check could not start in this browser.");
      return;
    }
    buttons.start.hidden = true;
    buttons.stop.hidden = false;
    buttons.calibrate.hidden = false;
    if (calibrated) {
      phase = "watching";
      say("Using your last calibration. If your camera or chair moved, press Calibrate again.");
    } else {
      calibrate();
    }
    buttons.stop.focus();
    frame();
  });
  buttons.stop.addEventListener("click", () => { stop("Camera stopped."); buttons.start.focus(); });
  buttons.calibrate.addEventListener("click", () => { if (phase !== "off") { calibrate(); } });
  buttons.dismiss.addEventListener("click", () => { reminder.hidden = true; buttons.stop.focus(); });
  window.addEventListener("pagehide", () => { if (phase !== "off") { stop(""); } });
}
