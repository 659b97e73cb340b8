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
