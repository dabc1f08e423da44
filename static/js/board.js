// The ward board refreshes itself (data-app-refresh-every seconds) while the tab is visible,
// and at once when the tab comes back into view. htmx swaps the board in place, so the page
// keeps its scroll position.
(() => {
  const board = () => document.querySelector("[data-app-refresh-every]");
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
})();
