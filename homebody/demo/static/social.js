/* Homebody Social: the framed composer. "Post" sends the text to /social/post (this frame's own
   origin) and says "Posted". The feed's tabs and "Show more" are handled by site.js. */
(function () {
  "use strict";

  var demo = window.hbDemo;
  var button = demo.byId("post-btn");
  var text = demo.byId("post-text");
  var status = demo.byId("post-status");
  if (!button || !text || !status) {
    return;
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  button.addEventListener("click", function () {
    var value = text.value.trim();
    if (!value) {
      say("Write something first", true);
      return;
    }
    button.disabled = true;
    demo.postJSON("/social/post", { text: value })
      .then(function () {
        text.value = "";
        say("Posted", false);
      })
      .catch(function (err) { say(err.message, true); })
      .then(function () { button.disabled = false; });
  });
})();
