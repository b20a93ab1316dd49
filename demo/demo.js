// Page behaviour of the demo shop, as a real page would have: content that arrives after load (the
// content script marks it too) and a small interactive bit. Plain browser JavaScript, no build step.
const LATE_NOTICE_DELAY_MS = 1500;

function showChatNotice() {
  const notice = document.createElement('p');
  notice.className = 'notice';
  notice.setAttribute('role', 'status');
  notice.textContent = 'Live chat is busy right now. Call the workshop at +1-415-555-0102 instead (store hours updated 2025-11-24 14:05).';
  document.querySelector('.hero')?.append(notice);
}

function wireCallbackForm() {
  const form = document.querySelector('form.callback');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.textContent = 'Thanks! We will call you back.';
  });
}

setTimeout(showChatNotice, LATE_NOTICE_DELAY_MS);
wireCallbackForm();
