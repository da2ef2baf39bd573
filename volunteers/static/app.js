// The few behaviours the templates ask for, hooked up by data attributes.
// The Content-Security-Policy forbids inline scripts and onclick="…" handlers,
// so they live here. Listeners sit on the document, so content htmx swaps in
// later works too. Every page still works without JavaScript.
//
//   data-print                     click: print the page
//   data-select-all="NAME"         checkbox: tick or untick every input[name=NAME]
//   data-select-on-focus           click/focus: select the field's text (to copy it)
//   data-submit-on-change          select: submit its form when the choice changes
//   data-error-summary             the error summary: focused when the page opens
"use strict";

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
    return;
  }
  const field = target.closest("[data-select-on-focus]");
  if (field && typeof field.select === "function") field.select();
});

document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) field.select();
});

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.hasAttribute("data-select-all")) {
    const name = target.getAttribute("data-select-all");
    document.querySelectorAll("input[type=checkbox]").forEach((box) => {
      if (box.name === name) box.checked = target.checked;
    });
    return;
  }
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
    target.form.submit();
  }
});

// The weekly availability picker (me/availability.html): blank rows beyond the first stay hidden until
// "Add another time"; "Remove" empties a row and hides it. Without JavaScript every row shows.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-week-picker]").forEach((picker) => {
    const rows = () => Array.from(picker.querySelectorAll("[data-week-row]"));
    const add = picker.querySelector("[data-week-add]");
    const refresh = () => {
      if (add) add.hidden = !rows().some((row) => row.hidden);
    };
    rows().forEach((row) => {
      if (row.classList.contains("spare")) row.hidden = true;
      const remove = row.querySelector("[data-week-remove]");
      if (!remove) return;
      remove.hidden = false;
      remove.addEventListener("click", () => {
        row.querySelectorAll("input, select").forEach((field) => { field.value = ""; });
        row.hidden = true;
        refresh();
      });
    });
    picker.querySelectorAll(".no-js-note").forEach((note) => { note.hidden = true; });
    if (add) {
      add.addEventListener("click", () => {
        const next = rows().find((row) => row.hidden);
        if (next) {
          next.hidden = false;
          const first = next.querySelector("select");
          if (first instanceof HTMLElement) first.focus();
        }
        refresh();
      });
    }
    refresh();
  });
});

// The shift panel's "Undo" goes away when its time is up (the server refuses it after that anyway).
function expireUndo(root) {
  root.querySelectorAll("[data-undo-for]").forEach((form) => {
    const seconds = Number(form.getAttribute("data-undo-for")) || 0;
    window.setTimeout(() => form.remove(), Math.max(0, seconds) * 1000);
  });
}
document.addEventListener("DOMContentLoaded", () => expireUndo(document));
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target instanceof Element) expireUndo(event.target);
});

// The error summary ("There is a problem", templates/_macros.html) takes the focus when the page opens,
// so a screen reader reads it first and a keyboard is one Tab from the first field to fix (GOV.UK pattern).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary instanceof HTMLElement) summary.focus();
});
