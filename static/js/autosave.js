// Forms that autosave with htmx ([data-autosave]) and are also sent whole by their save button.
// The two must never cross on the way to the server: each save moves the record's version on,
// and a save sent beside another carries the old version and looks like someone else's change.
// So a full save waits for an autosave on its way, and no autosave leaves after a full save
// (one still waiting out its typing delay is dropped: the full save carries the same answers).
(function () {
  "use strict";

  var inFlight = 0;
  var held = null;
  var LONGEST_WAIT_MS = 8000; // then send anyway: the server still refuses a real conflict

  function isAutosaveForm(element) {
    return element && element.matches && element.matches("form[data-autosave]");
  }

  function release() {
    if (!held) return;
    var submit = held;
    held = null;
    clearTimeout(submit.timer);
    // The autosave's answer may have replaced the button that was pressed; what it would have
    // sent goes with the form instead.
    var button = submit.submitter;
    if (button && button.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = button.name;
      carried.value = button.value;
      submit.form.appendChild(carried);
    }
    submit.form.requestSubmit();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!isAutosaveForm(event.target)) return;
    if (event.target.dataset.sending) {
      event.preventDefault();
      return;
    }
    inFlight += 1;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!isAutosaveForm(event.target)) return;
    inFlight = Math.max(0, inFlight - 1);
    // htmx sends a queued autosave (hx-sync "queue last") just after this event: look again
    // once it has had the chance, so the save follows that one too.
    setTimeout(function () {
      if (inFlight === 0) release();
    }, 0);
  });
  // On window, in the capture phase: runs before every other submit handler of the page (such
  // as the double-tap guard), which then sees only the submit that is really sent.
  window.addEventListener("submit", function (event) {
    if (!isAutosaveForm(event.target)) return;
    if (inFlight === 0) {
      event.target.dataset.sending = "1";
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!held) {
      held = { form: event.target, submitter: event.submitter, timer: setTimeout(function () {
        inFlight = 0;
        release();
      }, LONGEST_WAIT_MS) };
    }
  }, true);
})();
