// micromets pages: add and remove deposit rows in place (without JavaScript the same buttons submit the form
// and the server re-renders it with one row more or less), move focus to an error summary, and offer the
// right input (a list of choices or a text box) for the quick what-if.
(function () {
  "use strict";
  // After a failed submit, focus goes to the error summary so that it is read first (autofocus may not fire).
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) { summary.focus(); }

  // A PDF takes a few seconds to render and arrives as a download (the page stays): say that it is coming.
  var pdfStatus = document.getElementById("download-status");
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!pdfStatus || !(target instanceof HTMLFormElement) || !(target.getAttribute("action") || "").endsWith("/download/pdf")) { return; }
    pdfStatus.textContent = "Preparing the PDF report: it downloads in a few seconds.";
    window.setTimeout(function () { pdfStatus.textContent = ""; }, 20000);
  });

  // A printed result page shows every recommendation's reasons, strength and evidence: open the closed ones for
  // the printout and close them again afterwards (without JavaScript the printout has the one-line summaries).
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details.rec:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; openedForPrint.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (openedForPrint.length) { openedForPrint.pop().open = false; }
  });

  var whatifField = document.getElementById("whatif-field");
  function whatifValue() {
    var option = whatifField.options[whatifField.selectedIndex];
    var old = document.querySelector("[data-whatif-value]");
    var hint = document.querySelector("[data-whatif-hint]");
    if (!option || !old) { return; }
    var choices = option.getAttribute("data-choices");
    var labels = option.getAttribute("data-labels");
    var control;
    if (choices) {
      var values = JSON.parse(choices);
      var names = labels ? JSON.parse(labels) : values;
      control = document.createElement("select");
      var unknown = document.createElement("option");
      unknown.value = "";
      unknown.textContent = "unknown";
      control.appendChild(unknown);
      for (var i = 0; i < values.length; i++) {
        var item = document.createElement("option");
        item.value = values[i];
        item.textContent = names[i];
        control.appendChild(item);
      }
      if (old.value && values.indexOf(old.value) >= 0) { control.value = old.value; }
    } else {
      control = document.createElement("input");
      control.type = "text";
      control.autocomplete = "off";
      var kind = option.getAttribute("data-kind");
      if (kind === "number") { control.inputMode = "decimal"; }
      if (kind === "integer") { control.inputMode = "numeric"; }
      if (kind === "date") { control.type = "date"; }
      if (old.tagName === "INPUT") { control.value = old.value; }
    }
    control.id = old.id;
    control.name = old.name;
    control.setAttribute("aria-describedby", old.getAttribute("aria-describedby") || "");
    control.setAttribute("data-whatif-value", "");
    old.parentNode.replaceChild(control, old);
    if (hint) { hint.textContent = "Now: " + (option.getAttribute("data-now") || "unknown") + ". Empty = unknown."; }
  }
  if (whatifField) {
    whatifField.addEventListener("change", function () {
      var current = document.querySelector("[data-whatif-value]");
      if (current) { current.value = ""; }
      whatifValue();
    });
    whatifValue();
  }

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
