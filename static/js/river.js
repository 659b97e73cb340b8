// Keyboard shortcuts for /latest/ and /me/feed/: j/k next/previous, o open, m read,
// s star, ? help. They never fire while typing in a field, and every action is also an
// ordinary link or form button, so the pages work the same without JavaScript.
(function () {
  "use strict";

  function posts() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-river-post]"));
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable) return true;
    var tag = target.tagName.toUpperCase();
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    var kind = (target.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "submit", "button", "reset"].indexOf(kind) === -1;
  }

  function currentIndex(list) {
    var active = document.activeElement;
    var post = active && active.closest ? active.closest("[data-river-post]") : null;
    return post ? list.indexOf(post) : -1;
  }

  function select(list, index) {
    if (!list.length) return;
    var target = list[Math.max(0, Math.min(index, list.length - 1))];
    list.forEach(function (post) { post.classList.remove("is-current"); });
    target.classList.add("is-current");
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }

  function press(post, selector) {
    var button = post && post.querySelector(selector + " button");
    if (button) button.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var list = posts();
    var index = currentIndex(list);
    var post = index >= 0 ? list[index] : null;
    switch (event.key) {
      case "j": select(list, index + 1); break;
      case "k": select(list, index < 0 ? 0 : index - 1); break;
      case "o": {
        var link = post && post.querySelector("[data-river-open]");
        if (!link) return;
        link.click();
        break;
      }
      case "m": if (!post) return; press(post, "[data-river-read]"); break;
      case "s": if (!post) return; press(post, "[data-river-star]"); break;
      case "?": {
        var help = document.getElementById("river-help");
        if (!help) return;
        help.open = !help.open;
        if (help.open) help.querySelector("summary").focus();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  // After a read or star toggle the server redirects back to #post-N: select that post.
  document.addEventListener("DOMContentLoaded", function () {
    var match = /^#post-\d+$/.test(location.hash) && document.querySelector(location.hash);
    if (match && match.hasAttribute("data-river-post")) select(posts(), posts().indexOf(match));
  });
})();
