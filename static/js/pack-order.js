// Drag-and-drop reordering of a pack's items, for its owner. Progressive enhancement:
// the ↑/↓ buttons (plain forms) stay the keyboard and no-JavaScript path; a drop posts
// the item's new place to its data-place-url and keeps the buttons' state in step.
"use strict";
(() => {
  const list = document.querySelector("ol[data-reorderable]");
  if (!list) return;
  const status = document.getElementById("pack-order-status");
  const hint = document.querySelector(".reorder-hint");
  if (hint) hint.textContent = "Reorder with the ↑ and ↓ buttons, or drag an item by its ⠿ handle.";
  const rows = () => Array.from(list.querySelectorAll(":scope > li[data-place-url]"));
  let dragged = null;
  let startIndex = -1;

  const titleOf = (li) => (li.querySelector(".card-title") || li).textContent.trim();
  const tokenOf = (li) => li.querySelector("input[name=csrfmiddlewaretoken]").value;

  // The first item cannot move up, the last cannot move down.
  const refreshButtons = () => {
    const all = rows();
    all.forEach((li, index) => {
      const up = li.querySelector("input[name=direction][value=up]");
      const down = li.querySelector("input[name=direction][value=down]");
      if (up) up.form.querySelector("button").disabled = index === 0;
      if (down) down.form.querySelector("button").disabled = index === all.length - 1;
    });
  };

  for (const li of rows()) {
    const handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    // Only the handle is draggable, so text in the card (and its note) stays selectable.
    handle.draggable = true;
    li.prepend(handle);
    handle.addEventListener("dragstart", (event) => {
      dragged = li;
      startIndex = rows().indexOf(li);
      li.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", titleOf(li));
      event.dataTransfer.setDragImage(li, 20, 20);
    });
    handle.addEventListener("dragend", () => {
      li.classList.remove("is-dragging");
      dragged = null;
    });
  }

  list.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const over = event.target.closest("li[data-place-url]");
    if (!over || over === dragged) return;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("drop", async (event) => {
    if (!dragged) return;
    event.preventDefault();
    const li = dragged;
    const index = rows().indexOf(li);
    if (index === startIndex) return;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", tokenOf(li));
    body.append("position", String(index));
    const response = await fetch(li.dataset.placeUrl, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      // The server's order is the truth: show it again.
      window.location.reload();
      return;
    }
    refreshButtons();
    if (status) status.textContent = `Moved ${titleOf(li)} to place ${index + 1} of ${rows().length}.`;
  });
})();
