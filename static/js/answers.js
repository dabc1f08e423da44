// Nothing the nurse answers on a wizard step is lost: not to a tap on a link, the browser's
// Back, a closed tab, nor a dropped connection.
//
// The step form ([data-keep-answers]) is posted by htmx on its custom "autosave" event, which
// this file raises: soon after a tap (a choice), a little later while typing, at once when a
// typed box is left, when the page is hidden and before a link is followed. Every change is also
// written to this device's localStorage (per page, so per encounter and step) and removed only
// once the server says it has the answers (X-Autosave: saved or kept). What is still unsent
// when the page is left goes with navigator.sendBeacon; what is still unsent when the page is
// opened again is put back into the form and sent, with the version it was typed against, so
// the server refuses it as a conflict rather than overwrite someone else's newer answers.
// A page restored from the back/forward cache is reloaded: it shows what the server holds (the
// form's autocomplete="off" stops the browser filling it from its own memory of the page).
(function () {
  "use strict";

  var PREFIX = "triage.unsent:";
  var TYPING_MS = 600;
  var CHOICE_MS = 150;
  var RETRY_MS = 5000;
  var FLUSH_WAIT_MS = 5000;
  var KEEP_HOURS = 12; // an entry older than a shift is not put back
  var NOT_ANSWERS = ["csrfmiddlewaretoken", "lock_version", "_autosave"];

  var form = null;
  var key = "";
  var changes = 0; // changes made on this page
  var sentUpTo = 0; // changes carried by the request on its way
  var confirmedUpTo = 0; // changes the server has
  var inFlight = 0;
  var timer = null;
  var retryTimer = null;
  var waiters = [];
  var leaveAnyway = false;
  var leaving = false; // a full save is on its way: it carries every answer

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: the server is then the only copy
    }
  }

  function answers() {
    var values = {};
    for (var i = 0; i < form.elements.length; i++) {
      var input = form.elements[i];
      if (!input.name || input.disabled || NOT_ANSWERS.indexOf(input.name) !== -1) continue;
      if (input.type === "submit" || input.type === "button") continue;
      var list = values[input.name] || (values[input.name] = []);
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) list.push(input.value);
      } else if (input.tagName === "SELECT") {
        for (var j = 0; j < input.options.length; j++) {
          if (input.options[j].selected) list.push(input.options[j].value);
        }
      } else {
        list.push(input.value);
      }
    }
    return values;
  }

  function version() {
    var input = form.querySelector("[name=lock_version]");
    return input ? input.value : "";
  }

  function read() {
    var store = storage();
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function keep() {
    var store = storage();
    if (!store) return;
    var kept = read();
    // The version the first unsent change was typed against: the server compares with it.
    var base = kept && !kept.submitted ? kept.version : version();
    try {
      store.setItem(key, JSON.stringify({ answers: answers(), version: base, at: Date.now() }));
    } catch (error) {
      // storage full: the server is then the only copy
    }
  }

  function forget() {
    var store = storage();
    if (store) store.removeItem(key);
  }

  function say(text) {
    var status = document.getElementById("save-status");
    if (status) status.textContent = text;
  }

  function unsent() {
    return confirmedUpTo < changes;
  }

  // data-unsent on the form while the server lacks a change (for styles and tests).
  function mark() {
    form.toggleAttribute("data-unsent", unsent());
  }

  function send() {
    clearTimeout(timer);
    timer = null;
    clearTimeout(retryTimer);
    retryTimer = null;
    form.dispatchEvent(new CustomEvent("autosave"));
  }

  function soon(ms) {
    clearTimeout(timer);
    timer = setTimeout(send, ms);
  }

  function changed(event) {
    if (!event.target.name || NOT_ANSWERS.indexOf(event.target.name) !== -1) return;
    changes += 1;
    leaveAnyway = false;
    mark();
    keep();
    var typing = event.type === "input" && /^(text|number|search|tel|)$/.test(event.target.type);
    soon(typing ? TYPING_MS : CHOICE_MS);
  }

  function settle(ok) {
    var done = waiters;
    waiters = [];
    for (var i = 0; i < done.length; i++) done[i](ok);
  }

  function failed() {
    say(
      "Not saved yet: the server could not be reached. Your answers are kept on this " +
        "tablet and will be sent when the connection is back."
    );
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, RETRY_MS);
    settle(false);
  }

  // Resolves true once the server has every change made so far, false if it cannot be reached.
  function flush() {
    return new Promise(function (resolve) {
      if (!unsent()) return resolve(true);
      waiters.push(resolve);
      if (timer || (inFlight === 0 && sentUpTo < changes)) send();
      setTimeout(function () {
        var index = waiters.indexOf(resolve);
        if (index !== -1) {
          waiters.splice(index, 1);
          resolve(false);
        }
      }, FLUSH_WAIT_MS);
    });
  }

  function beacon() {
    if (leaving || !unsent() || !navigator.sendBeacon) return;
    var data = new FormData(form);
    data.set("_autosave", "1");
    navigator.sendBeacon(form.action, data);
  }

  function followLink(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
    if (link.origin !== location.origin || link.getAttribute("href").charAt(0) === "#") return;
    if (!unsent() || leaveAnyway) return;
    event.preventDefault();
    say("Saving your answers before leaving this page…");
    flush().then(function (ok) {
      if (ok) {
        location.href = link.href;
      } else {
        leaveAnyway = true; // a second tap leaves; the answers stay kept on this device
        say(
          "Not saved yet: the server could not be reached. Your answers are kept on this " +
            "tablet. Stay on this page until the connection is back, or tap the link again to " +
            "leave (they will be sent when you come back to this step)."
        );
      }
    });
  }

  function fullSave(event) {
    if (event.target !== form) return;
    clearTimeout(timer); // the full save carries every answer
    timer = null;
    if (navigator.onLine === false) {
      event.preventDefault();
      event.stopImmediatePropagation();
      say(
        "No connection: your answers are kept on this tablet. Press the button again when " +
          "the connection is back."
      );
      return;
    }
    leaving = true;
    var kept = read();
    if (kept) {
      kept.submitted = true; // cleared by the next page if this save went through
      try {
        storage().setItem(key, JSON.stringify(kept));
      } catch (error) {
        // nothing more to do: the full save carries the answers
      }
    }
  }

  function sameAnswers(kept, now) {
    for (var name in kept) {
      if (!Object.prototype.hasOwnProperty.call(kept, name)) continue;
      var a = (kept[name] || []).filter(Boolean).join("\n");
      var b = (now[name] || []).filter(Boolean).join("\n");
      if (a !== b) return false;
    }
    return true;
  }

  function putBack(kept) {
    var first = null;
    for (var i = 0; i < form.elements.length; i++) {
      var input = form.elements[i];
      if (!input.name || !Object.prototype.hasOwnProperty.call(kept, input.name)) continue;
      var values = kept[input.name];
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = values.indexOf(input.value) !== -1;
      } else if (input.tagName === "SELECT") {
        for (var j = 0; j < input.options.length; j++) {
          input.options[j].selected = values.indexOf(input.options[j].value) !== -1;
        }
      } else {
        input.value = values[0] || "";
      }
      first = first || input;
    }
    return first;
  }

  // Entries of this encounter's other steps whose full save went through are done with; the
  // one for this page, if its answers differ from what the server shows, is put back and sent.
  function restore() {
    var store = storage();
    if (!store) return;
    var folder = key.replace(/[^/]*\/$/, "");
    for (var i = store.length - 1; i >= 0; i--) {
      var other = store.key(i);
      if (!other || other.indexOf(PREFIX) !== 0 || other === key) continue;
      try {
        var entry = JSON.parse(store.getItem(other));
        var stale = Date.now() - entry.at > KEEP_HOURS * 3600 * 1000;
        if (stale || (entry.submitted && other.indexOf(folder) === 0)) store.removeItem(other);
      } catch (error) {
        store.removeItem(other);
      }
    }
    var kept = read();
    if (!kept || !kept.answers) return;
    if (Date.now() - kept.at > KEEP_HOURS * 3600 * 1000 || sameAnswers(kept.answers, answers())) {
      forget();
      return;
    }
    var first = putBack(kept.answers);
    var lock = form.querySelector("[name=lock_version]");
    if (lock && kept.version) lock.value = kept.version;
    say("Answers kept on this tablet are being sent.");
    // Let dependent questions show or hide for the answers put back, then send them.
    if (first) first.dispatchEvent(new Event("change", { bubbles: true }));
    else {
      changes += 1;
      mark();
      send();
    }
  }

  function start() {
    form = document.querySelector("form[data-keep-answers]");
    if (!form) return;
    key = PREFIX + location.pathname;
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusout", function (event) {
      if (timer && event.target.name) send();
    });
    form.addEventListener("htmx:beforeRequest", function () {
      inFlight += 1;
      sentUpTo = changes;
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      inFlight = Math.max(0, inFlight - 1);
      var xhr = event.detail.xhr;
      var outcome = xhr && xhr.status >= 200 && xhr.status < 300
        ? xhr.getResponseHeader("X-Autosave")
        : null;
      if (outcome === "saved" || outcome === "kept" || outcome === "conflict") {
        // A conflict is shown on the page and must be resolved there, not resent forever.
        confirmedUpTo = Math.max(confirmedUpTo, sentUpTo);
        mark();
        if (!unsent()) forget();
        if (inFlight === 0 && !unsent()) settle(true);
        else if (inFlight === 0 && !timer) send();
      } else {
        failed();
      }
    });
    window.addEventListener("submit", fullSave, true);
    document.addEventListener("click", followLink);
    window.addEventListener("online", function () {
      if (unsent()) send();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && unsent() && inFlight === 0) send();
    });
    window.addEventListener("pagehide", beacon);
    restore();
  }

  // Back or Forward into a page kept in memory: show what the server holds now.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("form[data-keep-answers]")) {
      location.reload();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
