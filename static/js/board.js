// The ward board refreshes itself (data-app-refresh-every seconds) while the tab is visible,
// and at once when the tab comes back into view. htmx swaps the board in place, so the page
// keeps its scroll position, and the link that had the keyboard's focus has it again.
//
// A refresh names the rows the board shows (each row's data-board-key: the start of a digest
// of everything it shows) in a header (the board's data-board-rows-header; up to
// data-board-rows-at-most of them, else none). The answer sends in full only the rows
// that changed; a row that did not is sent as a pointer to its place in that list
// (data-board-same), filled here with the row the board has before the answer is shown. If a
// pointer cannot be filled, that answer is not shown and the whole board is asked for.
(() => {
  const board = () => document.querySelector("[data-app-refresh-every]");
  let whole = false; // the next refresh asks for every row in full
  const refresh = () => {
    const element = board();
    if (element && document.visibilityState === "visible" && window.htmx) {
      window.htmx.trigger(element, "app-refresh");
    }
  };
  const first = board();
  if (!first) return;
  const seconds = Number(first.dataset.appRefreshEvery) || 60;
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);

  // How long until or since each due time ([data-due-span]: its instant in ms), in the words
  // the rest of the product writes (triage/presenters.py _due_in_words), counted from the
  // server's time when the board was sent ([data-board-now]) plus the time passed since, so a
  // tablet's own clock does not matter. Written on every board and every 15 seconds; a due
  // time that passes before the next refresh brings the board at once, to show it overdue.
  let offset = 0; // the server's time minus this device's
  const words = (ms) => {
    const minutes = Math.floor(Math.abs(ms) / 60000);
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    let span = hours && rest ? `${hours} h ${rest} min` : hours ? `${hours} h` : `${rest} min`;
    if (hours >= 48) {
      const days = Math.floor(hours / 24);
      span = hours % 24 ? `${days} days ${hours % 24} h` : `${days} days`;
    }
    return ms <= 0 ? `(${span} ago)` : `(in ${span})`;
  };
  const writeSpans = (ticking) => {
    const element = board();
    if (!element) return;
    const now = Date.now() + offset;
    let passed = false;
    for (const node of element.querySelectorAll("[data-due-span]")) {
      const due = Number(node.dataset.dueSpan);
      node.textContent = words(due - now);
      passed = passed || (due <= now && !node.hasAttribute("data-due-overdue"));
    }
    if (ticking && passed) refresh();
  };
  const setClock = () => {
    const sent = board()?.querySelector("[data-board-now]");
    if (sent) offset = Number(sent.dataset.boardNow) - Date.now();
    writeSpans(false);
  };
  setClock();
  window.setInterval(() => writeSpans(true), 15000);

  document.body.addEventListener("htmx:configRequest", (event) => {
    const element = board();
    if (event.detail.elt !== element) return;
    const keys = Array.from(element.querySelectorAll("tr[data-board-key]"), (row) => row.dataset.boardKey);
    if (!whole && keys.length && keys.length <= Number(element.dataset.boardRowsAtMost)) {
      event.detail.headers[element.dataset.boardRowsHeader] = keys.join(",");
    }
    whole = false;
  });

  let focused = null; // the address of the board's link that had focus before a refresh
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const element = board();
    const config = event.detail.requestConfig;
    if (!element || !config || config.elt !== element || !event.detail.shouldSwap) return;
    const sent = (config.headers[element.dataset.boardRowsHeader] || "").split(",");
    const answer = document.createElement("template");
    answer.innerHTML = event.detail.serverResponse;
    const pointers = answer.content.querySelectorAll("tr[data-board-same]");
    for (const pointer of pointers) {
      const key = sent[Number(pointer.dataset.boardSame)];
      const row = key && element.querySelector(`tr[data-board-key="${key}"]`);
      if (!row) {
        event.detail.shouldSwap = false;
        whole = true;
        window.setTimeout(refresh, 0);
        return;
      }
      pointer.replaceWith(row.cloneNode(true));
    }
    if (pointers.length) event.detail.serverResponse = answer.innerHTML;
    // The keyboard keeps its place: the link that had focus has it again on the new board.
    const active = document.activeElement;
    focused = element.contains(active) && active.getAttribute("href");
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    setClock();
    const link = focused && board()?.querySelector(`a[href="${CSS.escape(focused)}"]`);
    focused = null;
    if (link) link.focus({ preventScroll: true });
  });
})();
