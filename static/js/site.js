// Progressive enhancement only: every page works without this file.
"use strict";

// The member menu is a <details>: close it with Escape or a click elsewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const menu = document.querySelector(".member-menu[open]");
  if (menu) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  const menu = document.querySelector(".member-menu[open]");
  if (menu && !menu.contains(event.target)) menu.open = false;
});

// Search filters are a <details> (they work without this file): on wide screens CSS
// shows them beside the results, and this opens the element too (browsers without
// ::details-content); on narrow ones an open panel stays open when htmx swaps results.
const wideScreen = window.matchMedia("(min-width: 48rem)");
let filtersOpen = false;
function syncFilters() {
  const filters = document.getElementById("filters");
  if (filters && (wideScreen.matches || filtersOpen)) filters.open = true;
}
document.addEventListener(
  "toggle",
  (event) => {
    if (event.target.id === "filters" && !wideScreen.matches) filtersOpen = event.target.open;
  },
  true,
);
document.addEventListener("htmx:afterSwap", syncFilters);
wideScreen.addEventListener("change", syncFilters);
syncFilters();
