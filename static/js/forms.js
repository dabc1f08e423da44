// Form behaviour of the wizard, the review page and the guidance editor that must not live
// inline (CSP): focus the error summary, guard against double taps, and say so when an autosave
// could not reach the server (the status element's data-kept says what is still on the page).
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  function guardDoubleSubmit(event) {
    var button = event.target.querySelector("[data-submit-once]");
    if (!button) return;
    if (button.dataset.sent) {
      event.preventDefault();
      return;
    }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  }

  function saveStatus(event, problem, advice) {
    var status = document.getElementById("save-status");
    // A wizard step keeps its answers on the device and says so itself (answers.js).
    if (!status || event.target.closest("[data-keep-answers]")) return;
    status.textContent = "Not saved: " + problem + ". " + status.dataset.kept + "; " + advice + ".";
  }

  // A part of the page swapped in by htmx that asks for it (data-focus-on-swap) takes the
  // focus to its error summary or its status, so a keyboard or screen-reader user hears what
  // happened instead of being left on a button that is gone.
  function focusSwapped(event) {
    var id = event.detail.target && event.detail.target.id;
    var part = id && document.getElementById(id);
    if (!part || !part.hasAttribute("data-focus-on-swap")) return;
    var first = part.querySelector("[data-autofocus], [data-swap-status]");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", focusErrorSummary);
  document.addEventListener("htmx:afterSettle", focusSwapped);
  document.addEventListener("submit", guardDoubleSubmit, true);
  document.addEventListener("htmx:sendError", function (event) {
    saveStatus(event, "the connection was lost", "press the save button when the connection is back");
  });
  document.addEventListener("htmx:responseError", function (event) {
    saveStatus(event, "the server could not save just now", "press the save button to try again");
  });
})();
