// The question list's bulk actions: "select all on this page", a live count of the
// ticked questions, and only the field the chosen action needs (bank or tag). Without
// JavaScript every field shows and each box is ticked by hand.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var all = form.querySelector(".cw-select-all");
  var boxes = Array.prototype.slice.call(form.querySelectorAll(".cw-select"));
  var count = form.querySelector(".cw-bulk-count");
  var action = form.querySelector("select[name=action]");
  var template = count ? count.textContent : "";
  function update() {
    var ticked = boxes.filter(function (b) { return b.checked; }).length;
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    if (count) { count.textContent = form.dataset.countLabel.replace("%(n)s", String(ticked)); }
  }
  function fields() {
    var value = action ? action.value : "";
    form.querySelector(".cw-bulk-move").hidden = value !== "move";
    form.querySelector(".cw-bulk-tag").hidden = value !== "add_tag" && value !== "remove_tag";
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  if (action) { action.addEventListener("change", fields); fields(); }
  if (count && form.dataset.countLabel) { update(); } else if (count) { count.textContent = template; }
}());
