// A job's progress page: ask the server how far the job is every second, move the bar,
// say its step and state, and reload the page when the job has finished (the server
// then shows its report or its download). Without JavaScript, "Refresh" does the same.
(function () {
  "use strict";
  var box = document.querySelector(".cw-job[data-status-url]");
  if (!box) { return; }
  var bar = box.querySelector(".cw-job-bar");
  var step = box.querySelector(".cw-job-step");
  var state = box.querySelector(".cw-job-state");
  var refresh = box.querySelector(".cw-job-refresh");
  if (refresh) { refresh.hidden = true; }
  function show(data) {
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = Math.min(data.done, data.total);
      bar.textContent = data.done + " / " + data.total;
    }
    if (step.textContent !== data.step) { step.textContent = data.step; }
    if (state.textContent !== data.message) { state.textContent = data.message; }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (reply) { if (!reply.ok) { throw new Error(String(reply.status)); } return reply.json(); })
      .then(function (data) {
        show(data);
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () {
        if (refresh) { refresh.hidden = false; }
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 500);
}());
