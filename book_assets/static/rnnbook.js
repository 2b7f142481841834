// The book's own small script (listed in html_js_files in _config.yml).

// The theme scrolls the left sidebar to put the current chapter a quarter of the way down whenever
// that link is below the middle of the window, even when it is already in view, and so cuts the
// book's title in half. Scroll back to the top when the top shows the current chapter anyway.
window.addEventListener("load", () => {
  const sidebar = document.querySelector("div.bd-sidebar");
  const active = sidebar && [...sidebar.querySelectorAll(".bd-docs-nav .active")].pop();
  if (!active || sidebar.scrollTop === 0) return;
  const bottom = active.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().top;
  if (bottom + sidebar.scrollTop <= sidebar.clientHeight) sidebar.scrollTop = 0;
});
