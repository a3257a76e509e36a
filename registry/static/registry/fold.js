// Long sections of a page (a process's accounts, participants by role, IOM's role, events) are
// folded <details class="fold">, their counts in their headings: on a phone the page stays a few
// screens long until the reader opens what they came for. On a wider screen, open them all.
"use strict";
if (window.matchMedia("(min-width: 48em)").matches) {
  for (const section of document.querySelectorAll("details.fold")) {
    section.open = true;
  }
}
