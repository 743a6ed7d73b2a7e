// Outline the passage named in the address (#q-<start>-<end>) and scroll to it.
(function () {
  "use strict";
  function show() {
    var current = document.querySelectorAll("mark.current");
    for (var i = 0; i < current.length; i++) current[i].classList.remove("current");
    var name = decodeURIComponent(location.hash.slice(1));
    if (!/^q-\d+-\d+$/.test(name)) return;
    var marks = document.querySelectorAll("mark.q");
    for (var j = 0; j < marks.length; j++) {
      if ((" " + marks[j].getAttribute("data-p") + " ").indexOf(" " + name + " ") >= 0) marks[j].classList.add("current");
    }
    var anchor = document.getElementById(name);
    if (anchor) anchor.scrollIntoView({block: "center"});
    document.body.setAttribute("data-current", name);
  }
  window.addEventListener("hashchange", show);
  show();
})();
