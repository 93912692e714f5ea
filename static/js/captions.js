// Audio players draw no captions: for each <audio data-captions> with a captions track, show the
// current caption in the figure's .lesson-media__captions box while it plays. Progressive
// enhancement: without JavaScript the box stays hidden and the transcript below holds every word.
(function () {
  "use strict";

  function show(audio) {
    var track = audio.querySelector("track[kind=captions]");
    var box = audio.parentNode.querySelector(".lesson-media__captions");
    if (!track || !track.track || !box) return;
    var cues = track.track;
    cues.mode = "hidden"; // loaded and timed by the browser, drawn here
    cues.addEventListener("cuechange", function () {
      var lines = [];
      for (var i = 0; i < (cues.activeCues || []).length; i++) {
        lines.push(cues.activeCues[i].getCueAsHTML().textContent);
      }
      box.textContent = lines.join("\n");
      box.hidden = lines.length === 0;
    });
  }

  // The script may be included once per recording: each player is set up once.
  document.querySelectorAll("audio[data-captions]:not([data-captions-shown])").forEach(function (audio) {
    audio.setAttribute("data-captions-shown", "");
    show(audio);
  });
})();
