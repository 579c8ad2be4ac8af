// pgo: small enhancements. Every page works without this file.
(function () {
  "use strict";
  // After an htmx swap, move focus to the new content's error summary or heading so screen readers follow.
  // (An outerHTML swap leaves detail.target detached: the event then comes from the new element itself.)
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target.isConnected ? event.detail.target : event.target;
    var focusable = target.querySelector(".error-summary, [data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
      focusable.focus();
    }
  });
  // A 400 answer to an htmx form carries the form with its messages: show it (htmx does not swap 4xx itself).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Forms with an error summary: focus it on load so the problems are read first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
  // htmx itself, for pages that do not load it at once (base.html): loaded on first use, then `run`; `failed` if
  // it cannot be loaded.
  var htmxSource = document.currentScript ? document.currentScript.getAttribute("data-htmx") : null;
  var htmxWaiting = null;
  function withHtmx(run, failed) {
    if (window.htmx) { run(); return; }
    if (!htmxWaiting) {
      htmxWaiting = [];
      var script = document.createElement("script");
      script.src = htmxSource;
      script.onload = function () { htmxWaiting.forEach(function (w) { w[0](); }); htmxWaiting = null; };
      script.onerror = function () { htmxWaiting.forEach(function (w) { w[1](); }); htmxWaiting = null; };
      document.head.appendChild(script);
    }
    htmxWaiting.push([run, failed]);
  }
  // Explanation levels: the links re-render the page without JavaScript. With htmx, swap only that explanation.
  // One listener for the page instead of hx- attributes on each link: htmx then has nothing to set up per card.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[data-level]") : null;
    var nav = link && link.closest("[data-explain-url]");
    var section = nav && nav.closest(".explanation");
    if (!section || !(window.htmx || htmxSource)) return;
    event.preventDefault();
    var url = nav.getAttribute("data-explain-url") + "?level=" + encodeURIComponent(link.getAttribute("data-level"));
    withHtmx(function () {
      window.htmx.ajax("GET", url, { source: link, target: section, swap: "outerHTML" });
    }, function () { window.location.href = link.href; });
  });
  // The menu at narrow widths (#18): the "Menu" link (which opens the menu with CSS :target) becomes a button that
  // says whether the menu is open; Escape closes it again and puts focus back on the button.
  var menuLink = document.querySelector("[data-menu-toggle]");
  if (menuLink) {
    var header = menuLink.closest(".site-header");
    var menuButton = document.createElement("button");
    menuButton.type = "button";
    menuButton.className = "menu-toggle";
    menuButton.innerHTML = menuLink.innerHTML;
    menuButton.setAttribute("aria-expanded", "false");
    var setMenu = function (open) {
      header.classList.toggle("menu-open", open);
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
    };
    menuButton.addEventListener("click", function () { setMenu(!header.classList.contains("menu-open")); });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) { setMenu(false); menuButton.focus(); }
    });
    menuLink.replaceWith(menuButton);
  }
  // Print links (the consultation preparation): without JavaScript the browser's own print works.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-print]") : null;
    if (link) { event.preventDefault(); window.print(); }
  });
})();
