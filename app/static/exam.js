// Clausewise exam page: autosave every answer the moment it changes, keep the progress
// panel current, count down to the server's deadline and submit when time is up.
// Without JavaScript the same forms post normally and the server saves the answer.
(function () {
  "use strict";

  function setStatus(form, text) {
    var status = form.querySelector(".cw-save-status");
    if (status) { status.textContent = text; }
  }

  function markAnswered(form) {
    var position = form.dataset.position;
    var cell = document.querySelector('.cw-cell[data-position="' + position + '"]');
    var data = new FormData(form);
    var any = false;
    data.forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "confidence" && String(value).trim() !== "") { any = true; }
    });
    if (cell) { cell.classList.toggle("is-answered", any); }
    var count = document.getElementById("answered-count");
    if (count) { count.textContent = document.querySelectorAll(".cw-cell.is-answered:not(.cw-legend)").length; }
  }

  function save(form) {
    setStatus(form, "Saving…");
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var message = typeof body.error === "string" ? body.error : (body.error && body.error.message);
          throw new Error(message || "Not saved");
        }
        markAnswered(form);
        setStatus(form, "Saved");
      });
    }).catch(function (error) {
      setStatus(form, "Not saved: " + error.message);
    });
  }

  var timers = new WeakMap();
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
      clearTimeout(timers.get(form));
      timers.set(form, setTimeout(function () { save(form); }, 800));
    });
  });

  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      if (submitForm.dataset.auto !== "1" && !window.confirm(submitForm.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }

  var timer = document.getElementById("timer");
  if (timer) {
    var deadline = Date.parse(timer.dataset.deadline);
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("text-danger", left < 300);
      if (left === 0 && submitForm) {
        submitForm.dataset.auto = "1";
        submitForm.submit();
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
