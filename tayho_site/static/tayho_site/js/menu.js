/* The main menu on a phone: folded behind a "Menu" button. Without JavaScript the whole
   menu stays visible (it wraps), so nothing depends on this file. */
(function () {
  "use strict";
  var nav = document.getElementById("main-nav");
  if (!nav) { return; }
  var button = nav.querySelector(".main-nav__toggle");
  var list = document.getElementById("main-nav-list");
  if (!button || !list) { return; }
  button.hidden = false;
  nav.classList.add("main-nav--foldable");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("main-nav--open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      nav.classList.remove("main-nav--open");
      button.focus();
    }
  });
})();
