// Read aloud: speak the text with the browser's voice for the page language when it has one, otherwise play the
// server's audio in place. While it reads, "Pause"/"Continue" and "Stop" buttons follow the link (#18).
// Without this file the link opens the audio itself.
(function () {
  "use strict";
  function voiceFor(lang) {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().indexOf(lang) === 0) return voices[i];
    }
    return null;
  }
  function textOf(selector) {
    var parts = [];
    document.querySelectorAll(selector).forEach(function (el) {
      var copy = el.cloneNode(true);
      copy.querySelectorAll("button, script, [hidden], [aria-hidden=true], .read-aloud-controls").forEach(function (n) { n.remove(); });
      parts.push(copy.textContent.trim());
    });
    return parts.join(" ").replace(/\s+/g, " ");
  }
  var current = null; // {link, controls, pause(), resume(), stop()}
  function stopCurrent(refocus) {
    if (!current) return;
    var was = current;
    current = null;
    was.stop();
    was.controls.remove();
    if (refocus) was.link.focus();
  }
  function controlsFor(link, player) {
    var box = document.createElement("span");
    box.className = "read-aloud-controls";
    var pause = document.createElement("button");
    pause.type = "button";
    pause.className = "button button-secondary";
    pause.textContent = link.getAttribute("data-pause") || "Pause";
    var stop = document.createElement("button");
    stop.type = "button";
    stop.className = "button button-secondary";
    stop.textContent = link.getAttribute("data-stop") || "Stop";
    var paused = false;
    pause.addEventListener("click", function () {
      if (!current) return;
      paused = !paused;
      if (paused) current.pause(); else current.resume();
      pause.textContent = link.getAttribute(paused ? "data-resume" : "data-pause") || (paused ? "Continue" : "Pause");
    });
    stop.addEventListener("click", function () { stopCurrent(true); });
    box.appendChild(pause);
    box.appendChild(stop);
    (player || link).insertAdjacentElement("afterend", box);
    return box;
  }
  function speak(link, text, voice) {
    var synth = window.speechSynthesis;
    synth.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    var mine = {
      link: link,
      pause: function () { synth.pause(); },
      resume: function () { synth.resume(); },
      stop: function () { synth.cancel(); }
    };
    mine.controls = controlsFor(link);
    utterance.onend = function () { if (current === mine) stopCurrent(false); };
    current = mine;
    synth.speak(utterance);
  }
  function playAudio(link) {
    var player = link.nextElementSibling;
    if (!player || player.tagName !== "AUDIO") {
      player = document.createElement("audio");
      player.controls = true;
      player.src = link.href;
      player.className = "read-aloud-player";
      link.insertAdjacentElement("afterend", player);
    }
    var mine = {
      link: link,
      pause: function () { player.pause(); },
      resume: function () { player.play().catch(function () {}); },
      stop: function () { player.pause(); player.currentTime = 0; }
    };
    mine.controls = controlsFor(link, player);
    player.onended = function () { if (current === mine) stopCurrent(false); };
    current = mine;
    player.play().catch(function () { /* the controls stay for the person to press play */ });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.read-aloud") : null;
    if (!link) return;
    event.preventDefault();
    stopCurrent(false);
    var lang = (document.documentElement.lang || "nl").toLowerCase();
    var voice = voiceFor(lang);
    var text = textOf(link.getAttribute("data-speak"));
    if (voice && text) speak(link, text, voice);
    else playAudio(link);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) stopCurrent(true);
  });
})();
