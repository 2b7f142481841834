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

// A display equation wider than the screen (on a phone) scrolls inside its own box; a box that
// scrolls must be reachable with the keyboard, so it becomes a tab stop while it is too wide, and
// only then (formulas are otherwise not tab stops: mathjax3_config in _config.yml).
function keyboardScrollableMaths() {
  document.querySelectorAll('mjx-container[display="true"]').forEach((maths) => {
    if (maths.scrollWidth > maths.clientWidth + 1) maths.tabIndex = 0;
    else if (maths.tabIndex === 0) maths.removeAttribute("tabindex");
  });
}
// Inline maths cannot break across lines, so on a phone a long inline formula ran past the
// edge of the page and was cut off: one wider than its paragraph goes into a box that scrolls,
// reachable with the keyboard like the display equations above. A formula kept on one line with
// the full stop or comma after it (span.rnnbook-nowrap) goes into the box with its punctuation.
function scrollableInlineMaths() {
  document.querySelectorAll('article mjx-container:not([display="true"])').forEach((maths) => {
    const unit = maths.parentElement.closest(".rnnbook-nowrap") || maths;
    let box = unit.parentElement.classList.contains("rnnbook-wide-maths") ? unit.parentElement : null;
    const block = maths.closest("p, li, dd, td, th, figcaption");
    if (!box && block && unit.getBoundingClientRect().width > block.clientWidth) {
      box = document.createElement("span");
      box.className = "rnnbook-wide-maths";
      unit.replaceWith(box);
      box.appendChild(unit);
    }
    if (!box) return;
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  });
}
function fitMaths() {
  keyboardScrollableMaths();
  scrollableInlineMaths();
}
window.addEventListener("load", () => {
  const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
  (typeset || Promise.resolve()).then(fitMaths);
  let timer;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(fitMaths, 300);
  });
});

// Search results quote the start of each page's text; every page begins with a print-only copy of
// its title and table of contents (#jb-print-docs-body), so every snippet began "Contents ...".
// Sphinx's search quotes the page without that copy and without the link to the other language.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll("#jb-print-docs-body, .rnnbook-language").forEach((el) => el.remove());
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
});
