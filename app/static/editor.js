// Clausewise question editor: add, remove and reorder option rows, filter the clause
// picker, and preview the whole question as the learner's pages draw it (server side).
// Without JavaScript the form still works: the blank rows it was served with post as is.
(function () {
  "use strict";

  var form = document.getElementById("question-form");
  if (!form) { return; }
  var csrf = form.querySelector('input[name="csrf_token"]');

  // Rows are numbered in screen order before the form is sent, so the server keeps it.
  function renumber(container) {
    var field = container.dataset.rows;
    var pattern = new RegExp("^" + field + "-(\\d+|__i__)-");
    Array.prototype.forEach.call(container.querySelectorAll(".cw-row"), function (row, index) {
      row.dataset.index = index;
      row.querySelectorAll("input, textarea, select").forEach(function (input) {
        if (pattern.test(input.name)) { input.name = input.name.replace(pattern, field + "-" + index + "-"); }
        if (input.hasAttribute("data-index-value")) { input.value = String(index); }
      });
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.add) {
      var container = form.querySelector('[data-rows="' + button.dataset.add + '"]');
      var template = form.querySelector('template[data-template="' + button.dataset.add + '"]');
      container.appendChild(template.content.cloneNode(true));
      renumber(container);
      var first = container.querySelector(".cw-row:last-child textarea, .cw-row:last-child input:not([type=hidden]):not([type=radio]):not([type=checkbox])");
      if (first) { first.focus(); }
      return;
    }
    var action = button.dataset.row;
    if (!action) { return; }
    var row = button.closest(".cw-row");
    var list = row.parentElement;
    if (action === "remove") {
      row.remove();
    } else if (action === "up" && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (action === "down" && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    }
    renumber(list);
    button.focus();
  });

  form.addEventListener("submit", function () {
    form.querySelectorAll("[data-rows]").forEach(renumber);
  });

  // Row texts grow with what is typed: CSS does it where the browser knows
  // `field-sizing`, this elsewhere.
  if (!(window.CSS && CSS.supports("field-sizing", "content"))) {
    var grow = function (area) {
      area.style.height = "auto";
      area.style.height = area.scrollHeight + 2 + "px";
    };
    form.addEventListener("input", function (event) {
      if (event.target.classList && event.target.classList.contains("cw-grow")) { grow(event.target); }
    });
    form.querySelectorAll("textarea.cw-grow").forEach(grow);
  }

  // Clause picker filter: hide clauses whose number or title does not contain the text.
  form.querySelectorAll("[data-filter]").forEach(function (box) {
    var select = form.querySelector('select[name="' + box.dataset.filter + '"]');
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected && option.text.toLowerCase().indexOf(needle) === -1;
      });
    });
  });

  // Live preview, debounced: the server renders the unsaved form with the learner's own
  // templates (the source of truth), and the answer replaces the preview's body.
  var target = document.getElementById("item-preview");
  var status = document.querySelector(".cw-preview-status");
  var timer = null;
  var sent = 0;
  function preview() {
    form.querySelectorAll("[data-rows]").forEach(renumber);
    var number = ++sent;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      body: new FormData(form),
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      // only the newest answer counts; one that arrives late is dropped
      if (html !== null && number === sent) {
        target.innerHTML = html;  // rendered and sanitised by the server's templates
        if (status) { status.textContent = status.dataset.updated || ""; }
      }
    }).catch(function () { /* the preview is a convenience; saving still works */ });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  }
  if (target && form.dataset.previewUrl) {
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("click", function (event) {
      if (event.target.closest("button[data-row], button[data-add]")) { schedule(); }
    });
  }
}());
