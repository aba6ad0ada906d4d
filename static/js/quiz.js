// Quiz pages: save each answer as it is given, and show the time left.
// The page works without this script: the Save and Submit buttons post the whole form.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var token = form.querySelector("input[name=csrf_token]").value;
  var url = form.getAttribute("data-autosave-url");

  function save(fieldset) {
    var position = fieldset.getAttribute("data-position");
    var body = new URLSearchParams();
    body.append("position", position);
    fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      body.append(el.name, el.value);
    });
    var status = document.getElementById("q" + position + "-status");
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        status.textContent = form.getAttribute("data-saved-text");
      } else if (result.status === 409) {
        window.location.reload();
      } else {
        status.textContent = form.getAttribute("data-failed-text");
      }
    }).catch(function () {
      status.textContent = form.getAttribute("data-failed-text");
    });
  }

  var timers = {};
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { save(fieldset); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "text") { return; }
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) { return; }
    var key = fieldset.getAttribute("data-position");
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { save(fieldset); }, 800);
  });

  // The timer: the clock is visual only; screen readers hear only a few milestones.
  var timer = document.getElementById("timer");
  if (!timer) { return; }
  var deadline = new Date(timer.getAttribute("data-deadline")).getTime();
  var clock = document.getElementById("timer-clock");
  var announce = document.getElementById("timer-announce");
  var template = form.getAttribute("data-minutes-left-text");
  var milestones = [10, 5, 1];
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var hours = Math.floor(left / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    clock.textContent = (hours ? hours + ":" + pad(minutes) : minutes) + ":" + pad(left % 60);
    var minutesLeft = Math.ceil(left / 60);
    if (milestones.length && minutesLeft <= milestones[0]) {
      announce.textContent = template.replace("%(n)s", String(milestones.shift()));
    }
    if (left === 0) {
      // The server submits at the deadline anyway; posting now saves the last changes.
      var submit = document.createElement("input");
      submit.type = "hidden"; submit.name = "action"; submit.value = "submit";
      form.appendChild(submit);
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  // Skip milestones already passed when the page opens.
  var initial = Math.ceil((deadline - Date.now()) / 60000);
  while (milestones.length && initial < milestones[0]) { milestones.shift(); }
  tick();
}());
