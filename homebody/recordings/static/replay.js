// The replay player: one entry of a recording at a time, on a timeline (the scrubber, Prev / Next, a
// tick per entry, the arrow keys, Home and End; #e3 in the address opens the fourth entry).
//
// One file for both replays: the server's replay page loads it, the one-file export has it written
// in. The page it runs on is complete without it (every entry one under another, the controls
// hidden); it only shows one entry and moves between them. It sets text, classes and attributes
// only: nothing from a recording is ever parsed as HTML. No imports, so the export can inline it.

function play() {
  const dataBlock = document.getElementById('timeline-data');
  const entries = Array.from(document.querySelectorAll('section.entry'));
  if (!dataBlock || !entries.length) return;
  const labels = JSON.parse(dataBlock.textContent).entries.map((entry) => entry.label);
  const ticks = Array.from(document.querySelectorAll('button.tick'));
  const controls = document.getElementById('controls');
  const scrub = document.getElementById('scrub');
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  const position = document.getElementById('position');
  const last = entries.length - 1;
  let current = 0;

  const show = (wanted) => {
    const index = Math.max(0, Math.min(last, wanted));
    entries[current].classList.remove('current');
    ticks[current].removeAttribute('aria-current');
    current = index;
    entries[index].classList.add('current');
    ticks[index].setAttribute('aria-current', 'step');
    scrub.value = String(index);
    scrub.setAttribute('aria-valuetext', labels[index]);
    position.textContent = `${index + 1} / ${entries.length} · ${labels[index]}`;
    prev.disabled = index === 0;
    next.disabled = index === last;
    document.body.dataset.current = String(index);
    // the address keeps the place (a reload opens here), without scrolling to it; a page in an
    // opaque origin (a sandboxed viewer) may refuse, and the replay works without it
    try {
      history.replaceState(null, '', `#e${index}`);
    } catch {
      /* the address just stays as it was */
    }
  };

  document.documentElement.classList.add('js');
  controls.hidden = false;
  scrub.addEventListener('input', () => show(Number(scrub.value)));
  prev.addEventListener('click', () => show(current - 1));
  next.addEventListener('click', () => show(current + 1));
  for (const tick of ticks) tick.addEventListener('click', () => show(Number(tick.dataset.index)));
  document.addEventListener('keydown', (event) => {
    // the scrubber moves on its own keys (and says so with an input event)
    if (event.target === scrub || event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last };
    if (!Object.hasOwn(moves, event.key)) return;
    event.preventDefault();
    show(moves[event.key]);
  });
  const fromAddress = /^#e(\d+)$/.exec(location.hash);
  show(fromAddress ? Number(fromAddress[1]) : 0);
}

play();
