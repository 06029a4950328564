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

  // Clause picker. Without JavaScript: a filter over the multiple select. With it: the
  // 2018 clause tree (served in a <template>) with a filter, and the chosen clauses as
  // removable chips; the select stays, hidden, as what the form sends.
  form.querySelectorAll("[data-filter]").forEach(function (box) {
    var select = form.querySelector('select[name="' + box.dataset.filter + '"]');
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected && option.text.toLowerCase().indexOf(needle) === -1;
      });
    });
  });
  form.querySelectorAll("[data-clause-picker]").forEach(clausePicker);

  function clausePicker(root) {
    var select = root.querySelector('select[name="' + root.dataset.clausePicker + '"]');
    var template = root.querySelector("template[data-clause-template]");
    if (!select || !template) { return; }
    root.querySelector(".cw-clause-fallback").remove();
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    root.appendChild(template.content.cloneNode(true));
    var chips = root.querySelector(".cw-chips");
    var none = root.querySelector(".cw-chips-none");
    var filter = root.querySelector(".cw-clause-filter");
    var tree = root.querySelector(".cw-clause-tree");
    var noMatch = root.querySelector(".cw-clause-nomatch");
    var removeLabel = root.querySelector("[data-remove-label]").dataset.removeLabel;
    var boxes = Array.prototype.slice.call(tree.querySelectorAll("input[type=checkbox]"));
    var items = Array.prototype.slice.call(tree.querySelectorAll("[data-clause-item]"));
    function optionOf(value) {
      return Array.prototype.find.call(select.options, function (o) { return o.value === value; });
    }
    function show() {
      chips.textContent = "";
      boxes.forEach(function (box) {
        var option = optionOf(box.value);
        box.checked = Boolean(option && option.selected);
        if (!box.checked) { return; }
        var name = box.value + " " + box.dataset.title;
        var chip = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm cw-chip";
        button.dataset.clause = box.value;
        button.setAttribute("aria-label", removeLabel.replace("%(clause)s", name));
        button.title = name;
        var number = document.createElement("span");
        number.className = "fw-semibold";
        number.textContent = box.value;
        var title = document.createElement("span");
        title.className = "cw-chip-title";
        title.textContent = " " + box.dataset.title;
        var cross = document.createElement("span");
        cross.setAttribute("aria-hidden", "true");
        cross.className = "ms-1";
        cross.textContent = "✕";
        button.append(number, title, cross);
        chip.appendChild(button);
        chips.appendChild(chip);
      });
      none.hidden = chips.children.length > 0;
    }
    function choose(value, chosen) {
      var option = optionOf(value);
      if (option) { option.selected = chosen; }
      show();
      select.dispatchEvent(new Event("change", { bubbles: true }));  // the preview follows
    }
    tree.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") { choose(event.target.value, event.target.checked); }
      event.stopPropagation();  // the select's own change event tells the form
    });
    chips.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-clause]");
      if (!button) { return; }
      var next = button.parentElement.nextElementSibling || button.parentElement.previousElementSibling;
      var nextValue = next ? next.querySelector("button").dataset.clause : null;
      choose(button.dataset.clause, false);
      var target = nextValue && chips.querySelector('button[data-clause="' + nextValue + '"]');
      (target || filter).focus();
    });
    // Show the clauses whose number starts with, or whose title holds, the text, with the
    // clauses above them so each stays in its place in the tree.
    filter.addEventListener("input", function (event) {
      event.stopPropagation();  // filtering changes nothing the form sends
      var needle = filter.value.trim().toLowerCase();
      var shown = 0;
      items.slice().reverse().forEach(function (item) {
        var box = item.querySelector("input");
        var own = needle === "" || box.value.indexOf(needle) === 0 ||
          box.dataset.title.toLowerCase().indexOf(needle) !== -1;
        var below = Array.prototype.some.call(item.querySelectorAll("[data-clause-item]"), function (child) {
          return !child.hidden;
        });
        item.hidden = !(own || below);
        item.classList.toggle("cw-clause-match", own && needle !== "");
        if (own) { shown += 1; }
      });
      noMatch.hidden = shown > 0;
      roving();
    });
    function visibleBoxes() {
      return boxes.filter(function (box) { return box.offsetParent !== null; });
    }
    // One clause of the tree is in the Tab order (the last one focused, else the first
    // shown); the arrow keys move between the others.
    var current = null;
    function roving() {
      var shown = visibleBoxes();
      if (!current || shown.indexOf(current) === -1) { current = shown[0] || null; }
      boxes.forEach(function (box) { box.tabIndex = box === current ? 0 : -1; });
    }
    tree.addEventListener("focusin", function (event) {
      if (event.target.type === "checkbox") { current = event.target; roving(); }
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {  // to the first clause that matches, else the first
        var match = tree.querySelector(".cw-clause-match > label > input");
        var first = match || visibleBoxes()[0];
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Enter") {
        event.preventDefault();  // never submits the question from the filter
      } else if (event.key === "Escape" && filter.value) {
        event.preventDefault();
        filter.value = "";
        filter.dispatchEvent(new Event("input"));
      }
    });
    tree.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
      var shown = visibleBoxes();
      var at = shown.indexOf(event.target);
      if (at === -1) { return; }
      event.preventDefault();
      if (event.key === "ArrowDown" && at < shown.length - 1) { shown[at + 1].focus(); }
      if (event.key === "ArrowUp") { (at > 0 ? shown[at - 1] : filter).focus(); }
    });
    show();
    roving();
  }

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
      // a redirect is the sign-in page (the session ended): never shown as the preview
      return response.ok && !response.redirected ? response.text() : null;
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
