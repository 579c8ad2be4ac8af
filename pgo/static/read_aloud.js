// Read aloud: speak the explanation with the browser's voice for the page language when it has one,
// otherwise play the server's audio in place. Without this file the link opens the audio itself.
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
    document.querySelectorAll(selector).forEach(function (el) { parts.push(el.textContent.trim()); });
    return parts.join(" ").replace(/\s+/g, " ");
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
    player.play().catch(function () { /* the controls stay for the person to press play */ });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.read-aloud") : null;
    if (!link) return;
    event.preventDefault();
    var lang = (document.documentElement.lang || "nl").toLowerCase();
    var voice = voiceFor(lang);
    var text = textOf(link.getAttribute("data-speak"));
    if (voice && text) {
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      window.speechSynthesis.speak(utterance);
    } else {
      playAudio(link);
    }
  });
})();
