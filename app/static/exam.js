// Clausewise exam page: autosave every answer the moment it changes, keep the progress
// panel current, count down to the server's deadline and submit when time is up.
// Without JavaScript the same forms post normally and the server saves the answer.
//
// Saves of one question go out one after another (the last change wins); a save that
// meets a lost connection or a 503 (the server or its database restarting) is retried
// until it lands. Submitting, by hand or at the deadline, first waits for every save in
// flight, so nothing the page called "Saved" can be left out of the score.
(function () {
  "use strict";

  var texts = document.getElementById("exam-texts");
  function text(name) { return texts ? texts.dataset[name] : name; }
  function notSaved(reason) { return text("notSaved").replace("%(reason)s", reason); }

  function setStatus(form, message, isError) {
    var status = form.querySelector(".cw-save-status");
    if (status) {
      status.textContent = message;
      status.classList.toggle("text-danger", Boolean(isError));
    }
  }

  function markAnswered(form) {
    var position = form.dataset.position;
    var cell = document.querySelector('.cw-cell[data-position="' + position + '"]');
    var any = false;
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "confidence" && name !== "layout" &&
          String(value).trim() !== "") { any = true; }
    });
    if (cell) { cell.classList.toggle("is-answered", any); }
    var count = document.getElementById("answered-count");
    if (count) { count.textContent = document.querySelectorAll(".cw-cell.is-answered:not(.cw-legend)").length; }
  }

  // An ordering is only sent when every step has its own number 1…n (or all are blank).
  function rankingProblem(form) {
    var ranks = Array.prototype.map.call(form.querySelectorAll(".cw-rank"), function (input) {
      return input.value.trim();
    });
    if (ranks.length === 0 || ranks.every(function (r) { return r === ""; })) { return null; }
    if (ranks.some(function (r) { return r === ""; })) { return form.dataset.rankMissing; }
    var sorted = ranks.map(Number).sort(function (a, b) { return a - b; });
    for (var i = 0; i < sorted.length; i++) {
      if (sorted[i] !== i + 1) { return form.dataset.rankRepeated; }
    }
    return null;
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function retryDelay(response, attempt) {
    var header = response && Number(response.headers.get("Retry-After"));
    var seconds = header > 0 ? header : Math.min(30, Math.pow(2, attempt));
    return seconds * 1000;
  }

  // One POST of the form's current values; retried while the server is unreachable.
  function send(form, attempt) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 503) {
        setStatus(form, text("retrying"), true);
        return wait(retryDelay(response, attempt)).then(function () { return send(form, attempt + 1); });
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var message = typeof body.error === "string" ? body.error : (body.error && body.error.message);
          setStatus(form, notSaved(message || String(response.status)), true);
          return;
        }
        markAnswered(form);
        setStatus(form, text("saved"), false);
      });
    }, function () {
      setStatus(form, text("retrying"), true);
      return wait(retryDelay(null, attempt)).then(function () { return send(form, attempt + 1); });
    });
  }

  var chains = new Map();   // form → promise of its last save
  var timers = new Map();   // form → debounce timer of typed text

  function save(form) {
    clearTimeout(timers.get(form));
    timers.delete(form);
    var problem = rankingProblem(form);
    if (problem) {
      setStatus(form, notSaved(problem), true);
      return chains.get(form) || Promise.resolve();
    }
    setStatus(form, text("saving"), false);
    var next = (chains.get(form) || Promise.resolve()).then(function () { return send(form, 0); });
    chains.set(form, next);
    return next;
  }

  // Every typed change sent and every save in flight landed (or `limit` ms passed).
  function settle(limit) {
    timers.forEach(function (_timer, form) { save(form); });
    var all = Promise.all(Array.from(chains.values()));
    return Promise.race([all, wait(limit)]);
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("change", function () { save(form); });
    // Enter in a field presses the form's first button, which only saves: with the
    // script, the answer is saved in place and nothing moves or locks.
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.classList.contains("cw-default-submit")) {
        event.preventDefault();
        save(form);
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
      clearTimeout(timers.get(form));
      timers.set(form, setTimeout(function () { save(form); }, 800));
    });
  });

  var submitForm = document.getElementById("submit-form");
  var submitting = false;
  function submitAfterSaves(limit) {
    if (submitting) { return; }
    submitting = true;
    var button = submitForm.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.textContent = text("submitting"); }
    settle(limit).then(function () { submitForm.submit(); });
  }
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      event.preventDefault();
      submitAfterSaves(15000);
    });
  }
  // "Review and submit" leaves the page: every save lands first.
  document.querySelectorAll(".cw-review-submit").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.classList.add("disabled");
      settle(15000).then(function () { window.location.href = link.href; });
    });
  });

  // On a phone the question comes first: the navigator and a case text start folded.
  if (window.matchMedia && window.matchMedia("(max-width: 991.98px)").matches) {
    document.querySelectorAll("details.cw-navigator, details.cw-scenario").forEach(function (d) {
      d.open = false;
    });
  }

  // Flags are set in place: the page, its layout and the focus stay where they are.
  document.querySelectorAll("form.cw-flag").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { form.submit(); return null; }
        return response.json();
      }).then(function (body) {
        if (!body) { return; }
        var flagged = Boolean(body.flagged);
        form.querySelector("input[name=flagged]").value = flagged ? "0" : "1";
        var button = form.querySelector("button");
        button.textContent = flagged ? form.dataset.unflagText : form.dataset.flagText;
        button.setAttribute("aria-pressed", flagged ? "true" : "false");
        var cell = document.querySelector('.cw-cell[data-position="' + form.dataset.position + '"]');
        if (cell) { cell.classList.toggle("is-flagged", flagged); }
      }, function () { form.submit(); });
    });
  });

  // Focus after each navigation, so that a keyboard or screen-reader user starts where the
  // page's news is, not at its top: a refused answer's message; else the part the address
  // names (a checked answer's feedback, a question of the all-on-one page); else the
  // page's own target (the question of a one-per-page page, the heading of the review).
  // The targets carry tabindex="-1". The browser scrolls to the part the address names,
  // and a one-per-page question is on the first screen already (a case text above it
  // stays in view): only a refused answer's message is scrolled to as it takes the focus.
  function named() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var element = id ? document.getElementById(id) : null;
    if (element && element.classList.contains("cw-question")) {
      element = document.getElementById(id + "-title");
    }
    return element && element.classList.contains("cw-focus-target") ? element : null;
  }
  var refused = document.querySelector(".cw-question [role=alert].cw-focus-target");
  var target = named() || document.querySelector(".cw-focus-target[data-focus-on-load]");
  if (refused) { refused.focus(); } else if (target) { target.focus({ preventScroll: true }); }
  window.addEventListener("hashchange", function () {
    var jumped = named();
    if (jumped) { jumped.focus({ preventScroll: true }); }
  });

  // The countdown runs on the seconds the server said were left, measured with this
  // computer's clock only as a stopwatch: a clock set wrong does not move the deadline.
  var timer = document.getElementById("timer");
  if (timer) {
    var deadline = Date.now() + Number(timer.dataset.remaining) * 1000;
    var announce = document.getElementById("timer-announce");
    var announced = {};
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("text-danger", left < 300);
      // Screen readers hear the time at a few moments, not every second.
      [10, 5, 1].forEach(function (mark) {
        if (announce && left <= mark * 60 && left > mark * 60 - 5 && !announced[mark]) {
          announced[mark] = true;
          announce.textContent = announce.dataset[mark === 1 ? "one" : "many"].replace("%(num)s", mark);
        }
      });
      if (left <= 2) { timers.forEach(function (_timer, form) { save(form); }); }
      if (left === 0 && submitForm) {
        submitForm.dataset.auto = "1";
        submitAfterSaves(10000);
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
