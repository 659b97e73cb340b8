// Deadlines: add the visitor's local time and a live countdown.
// Progressive enhancement only: the page already shows the AoE and UTC times
// and a countdown computed by the server.
"use strict";

(function () {
  const localFormat = new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function countdownText(ms) {
    if (ms <= 0) return "passed";
    const minutes = Math.floor(ms / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days >= 2) return "in " + plural(days, "day") + ", " + plural(hours, "hour");
    if (days === 1) return "in 1 day, " + plural(hours, "hour") + ", " + plural(mins, "minute");
    if (hours >= 1) return "in " + plural(hours, "hour") + ", " + plural(mins, "minute");
    const secs = Math.floor(ms / 1000) % 60;
    return "in " + plural(mins, "minute") + ", " + plural(secs, "second");
  }

  function enhance(root) {
    root.querySelectorAll(".deadline[data-due]").forEach(function (el) {
      const due = new Date(el.dataset.due);
      if (isNaN(due)) return;
      const local = el.querySelector(".deadline-local");
      if (local && local.hidden) {
        local.textContent = "— your time: " + localFormat.format(due);
        local.hidden = false;
      }
    });
    tick();
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      const due = new Date(el.dataset.countdown);
      if (!isNaN(due)) el.textContent = countdownText(due.getTime() - now);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    window.setInterval(tick, 1000);
  });
  // Filtered results arrive through htmx: enhance what was swapped in.
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target);
  });
})();
