// micromets case form: add and remove deposit rows in place. Without JavaScript the same buttons
// submit the form and the server re-renders it with one row more or less.
(function () {
  "use strict";
  var container = document.getElementById("deposits");
  var template = document.getElementById("deposit-template");
  if (!container || !template) { return; }

  function renumber() {
    var rows = container.querySelectorAll("[data-deposit-row]");
    for (var i = 0; i < rows.length; i++) {
      var number = rows[i].querySelector("[data-deposit-number]");
      if (number) { number.textContent = String(i + 1); }
    }
  }

  function addRow() {
    var index = parseInt(container.getAttribute("data-next-index") || "0", 10);
    container.setAttribute("data-next-index", String(index + 1));
    var html = template.innerHTML.split("__i__").join(String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    container.appendChild(row);
    renumber();
    var first = row.querySelector("input, select");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.closest("[data-add-deposit]")) {
      event.preventDefault();
      addRow();
      return;
    }
    var remove = target.closest("[data-remove-deposit]");
    if (remove && container.contains(remove)) {
      event.preventDefault();
      var row = remove.closest("[data-deposit-row]");
      if (row) { row.remove(); }
      renumber();
      var add = document.getElementById("add-deposit");
      if (add) { add.focus(); }
    }
  });
})();
